"""The bot's door to the coach: free text to ``agent.coach.Coach``, commands to the coach's tools.

Commands are shortcuts for one tool each (``/semaine`` is ``weekly_summary``),
so they call ``agent.tools.run_tool`` and the coach's own renderer and charts:
the numbers and the words are the coach's, whichever way the athlete asked.
Free text goes to ``Coach.reply`` on the ``telegram`` channel, which picks the
language, the tools and stores the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.accounts import Athlete, user_of
from bot.texts import Language, say


@dataclass(frozen=True)
class Picture:
    filename: str
    title: str
    data: bytes


@dataclass(frozen=True)
class Answer:
    text: str
    language: Language
    pictures: list[Picture] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _coach() -> Any:
    """One coach for the process: it holds the router (or the model), nothing per athlete."""
    from agent.coach import Coach

    return Coach()


def warm_up() -> None:
    """Build the coach and its engine, and load its models (``agent.warmup``; once per process)."""
    from agent.warmup import warm_up as load_models

    _coach().engine  # noqa: B018 (builds the engine: an LLM client, or the offline coach)
    load_models()


def refusal(text: str, language: Language) -> str | None:
    """The bot's words for a message the coach refuses (blank, too long, a control character), or None.

    The rule is the coach's own (``web.coaching.models.validate_coach_message``),
    asked before the typing indicator so the athlete hears why at once.
    """
    from django.core.exceptions import ValidationError

    from foulee import limits
    from web.coaching.models import EMPTY, TOO_LONG, validate_coach_message

    try:
        validate_coach_message(text)
    except ValidationError as error:
        problem = error.error_dict["text"][0]
        if problem.code == EMPTY:
            return say(language, "message_empty")
        if problem.code == TOO_LONG:
            return say(language, "message_too_long", limit=limits.MAX_COACH_MESSAGE_CHARS)
        return say(language, "message_control_characters", **(problem.params or {}))
    return None


def ask(athlete: Athlete, message: str) -> Answer:
    """The coach's reply to a free-text message."""
    reply = _coach().reply(user_of(athlete), message, channel="telegram")
    pictures = [Picture(item.filename, item.title, item.data) for item in reply.attachments]
    return Answer(reply.reply, reply.language, pictures, list(reply.tool_calls))


def ask_guest(message: str, language: Language) -> Answer:
    """The coach's reply to someone not signed up yet (``agent.guest``), in the message's language."""
    from agent.guest import reply

    answer = reply(message, prior=language)
    return Answer(answer.text, answer.language)


def run_tool(
    athlete: Athlete, name: str, arguments: dict[str, Any] | None = None, *, charts: bool = True
) -> Answer:
    """One coach tool for the athlete, rendered in their language, with its chart when it has one."""
    from agent import replies
    from agent.charts import for_results
    from agent.context import ToolContext
    from agent.tools import run_tool as run

    ctx = ToolContext.for_request(user_of(athlete), language=athlete.language)
    result = run(ctx, name, arguments or {})
    text = replies.render(result, athlete.language, today=ctx.today)
    attachments = for_results([result], athlete.language) if charts else []
    pictures = [Picture(item.filename, item.title, item.data) for item in attachments]
    return Answer(text, athlete.language, pictures, [{"name": name, "args": arguments or {}}])
