"""The coach asks before it writes: a proposal stored with its reply, run on the athlete's next "yes".

When ``agent.safety`` keeps a state-changing tool from running (a health message, an unclear
one, one aimed at the coach itself), the engine returns the calls it would have made as
``pending``; ``agent.coach.Coach`` stores them on its reply (``Message.pending_action``). The
next message in the same conversation answers them: a short yes runs them, through
``agent.tools.run_tool`` as any call, a no drops them, anything else is a new question (and the
proposal lapses, as it does after ``agent.safety.CONFIRMATION_TTL_S``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from agent import replies
from agent.coach import EngineAnswer
from agent.context import ToolContext
from agent.safety import CONFIRMATION_TTL_S, STATE_CHANGING_TOOLS, confirmation
from agent.tools import run_tool


def pending_calls(ctx: ToolContext, channel: str) -> list[dict[str, Any]]:
    """The calls the coach's last reply in this conversation proposed, if still fresh."""
    from web.coaching.models import Message, MessageRole

    last = (
        Message.objects.filter(session__athlete=ctx.athlete, session__channel=channel)
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None or last.role != MessageRole.ASSISTANT or not last.pending_action:
        return []
    if timezone.now() - last.created_at > dt.timedelta(seconds=CONFIRMATION_TTL_S):
        return []
    return [
        call
        for call in last.pending_action
        if isinstance(call, dict)
        and call.get("name") in STATE_CHANGING_TOOLS
        and isinstance(call.get("args"), dict)
    ]


def resolve(ctx: ToolContext, channel: str, message: str) -> EngineAnswer | None:
    """The answer when ``message`` says yes or no to a proposal, else ``None`` (a new question)."""
    calls = pending_calls(ctx, channel)
    if not calls:
        return None
    said = confirmation(message)
    if said is None:
        return None
    if not said:
        return EngineAnswer(replies.CONFIRMATION_DECLINED[ctx.language])
    answer = EngineAnswer("")
    parts = []
    for call in calls:
        result = run_tool(ctx, call["name"], call["args"])
        answer.results.append(result)
        answer.calls.append({"name": call["name"], "args": call["args"]})
        parts.append(replies.render(result, ctx.language, today=ctx.today))
    answer.text = "\n".join(part for part in parts if part)
    return answer
