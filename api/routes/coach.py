"""``/v1/coach/messages``: talk to the coach, read the conversation.

The one coach interface (``agent.coach.Coach.reply``) does the work, as for
the bot and the web chat; this route only authorises (``TargetAthlete``) and
shapes the answer. It is the costliest route, so the rate limiter gives it a
bucket of its own (``api.ratelimit``).
"""

from __future__ import annotations

import base64
import datetime as dt
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api.db import django_db
from api.deps import DEFAULT_PAGE_SIZE, CurrentUser, PageLimit, PageOffset, TargetAthlete
from api.errors import AUTHENTICATED, responses
from foulee import limits

router = APIRouter(prefix="/coach", tags=["coach"], responses=responses(*AUTHENTICATED, 404))


class MessageIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"text": "Comment s'est passée ma semaine ?"}]}
    )

    text: str = Field(
        description=(
            f"In French or English: 1 to {limits.MAX_COACH_MESSAGE_CHARS} characters, counted without "
            "the whitespace around it, and no control character but tab and line breaks. A message of "
            "spaces alone, or longer, is refused with a 422 naming `body.text`: the coach's one rule "
            "(`foulee.limits.coach_message_text`), the web chat's and the bot's too."
        ),
    )
    charts: bool = Field(default=False, description="Also return the charts the reply refers to (PNG).")


class ToolCall(BaseModel):
    name: str
    args: dict[str, Any]


class AttachmentOut(BaseModel):
    filename: str
    media_type: str
    title: str
    data_base64: str


class CoachAnswer(BaseModel):
    athlete_id: int
    reply: str
    language: Literal["fr", "en"]
    tool_calls: list[ToolCall] = Field(description="The tools behind the reply: every number comes from one.")
    attachments: list[AttachmentOut]


class MessageOut(BaseModel):
    id: int
    role: Literal["athlete", "assistant", "coach"]
    content: str
    language: str
    tool_calls: list[dict[str, Any]]
    channel: str
    created_at: dt.datetime


class Conversation(BaseModel):
    athlete_id: int
    items: list[MessageOut] = Field(description="Newest first.")
    total: int
    limit: int
    offset: int
    next_offset: int | None


@lru_cache(maxsize=1)
def _engine() -> Any:
    """One engine for the process (the offline router, or the model client): built on first use."""
    from agent.coach import engine_from_settings

    return engine_from_settings()


@router.post("/messages", summary="Send the coach a message")
@django_db
def send_message(user: CurrentUser, athlete: TargetAthlete, message: MessageIn) -> CoachAnswer:
    """The coach's reply, from the athlete's data through its tools; stored in the API conversation.

    A coach passes `athlete_id=` to ask about one of their athletes.
    """
    from agent.coach import Coach

    # Charts cost a matplotlib figure each: drawn only when asked for.
    answer = Coach(_engine(), charts=message.charts).reply(user, message.text, "api", athlete=athlete)
    return CoachAnswer(
        athlete_id=athlete.pk,
        reply=answer.reply,
        language=answer.language,
        tool_calls=[ToolCall.model_validate(call) for call in answer.tool_calls],
        attachments=[
            AttachmentOut(
                filename=item.filename,
                media_type=item.media_type,
                title=item.title,
                data_base64=base64.b64encode(item.data).decode("ascii"),
            )
            for item in answer.attachments
        ],
    )


@router.get("/messages", summary="Read the conversation")
@django_db
def read_messages(
    athlete: TargetAthlete,
    limit: PageLimit = DEFAULT_PAGE_SIZE,
    offset: PageOffset = 0,
    channel: Annotated[
        Literal["api", "telegram", "web"] | None, Query(description="One channel only; all when omitted.")
    ] = None,
) -> Conversation:
    """The athlete's messages with the coach, newest first, a page at a time."""
    from web.coaching.models import Message

    messages = Message.objects.filter(session__athlete=athlete).select_related("session")
    if channel is not None:
        messages = messages.filter(session__channel=channel)
    total = messages.count()
    page = list(messages.order_by("-created_at", "-id")[offset : offset + limit])
    following = offset + limit
    return Conversation(
        athlete_id=athlete.pk,
        items=[
            MessageOut(
                id=message.pk,
                role=message.role,  # type: ignore[arg-type]  # a MessageRole choice
                content=message.content,
                language=message.language,
                tool_calls=list(message.tool_calls or []),
                channel=message.session.channel,
                created_at=message.created_at,
            )
            for message in page
        ],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=following if following < total else None,
    )
