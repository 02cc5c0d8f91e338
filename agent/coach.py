"""The one coach every channel calls: (athlete, message, channel) → reply, language, charts, tool calls.

The bot, the API and the web chat all go through ``Coach.reply``. It decides
the language, binds the tools to the athlete (``ToolContext``, scoped by
``web.accounts.scoping``), asks the configured engine (the offline router, or
an LLM when ``FOULEE_LLM`` names one), draws the charts, and stores both
messages in the athlete's ``CoachingSession`` for that channel — where the
LLM's bounded memory comes from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.db import transaction
from django.utils import timezone

from agent import replies
from agent.charts import Attachment, for_results
from agent.context import Language, ToolContext, ToolResult
from foulee import limits
from foulee.language import detect_language

if TYPE_CHECKING:
    from web.accounts.models import User

#: Messages of the conversation an LLM sees (user and assistant turns), newest last.
MEMORY_MESSAGES = 12


@dataclass
class EngineAnswer:
    text: str
    results: list[ToolResult] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    #: The conversation's state after this answer (the offline coach's last turn), None to keep it.
    state: dict[str, Any] | None = None
    #: State-changing calls not run but proposed, stored with the reply (``agent.confirm``).
    pending: list[dict[str, Any]] = field(default_factory=list)


class Engine(Protocol):
    #: Whether the engine reads the stored conversation (the offline router does not).
    uses_history: bool
    #: Whether the engine reads and writes the conversation's state (the offline router's last turn).
    uses_state: bool

    def answer(
        self,
        ctx: ToolContext,
        message: str,
        history: list[tuple[str, str]],
        state: dict[str, Any] | None = None,
    ) -> EngineAnswer: ...


@dataclass
class CoachReply:
    """What a channel sends back: text, its language, pictures, and the tool calls behind it."""

    reply: str
    language: Language
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The shape of DESIGN.md's ``foulee ask --json``."""
        return {"reply": self.reply, "language": self.language, "tool_calls": self.tool_calls}


class OfflineEngine:
    """Adapts ``agent.offline.OfflineCoach`` (no key, no network) to the engine interface."""

    uses_history = False
    uses_state = True

    def __init__(self) -> None:
        from agent.offline import OfflineCoach

        self._coach = OfflineCoach()

    def answer(
        self,
        ctx: ToolContext,
        message: str,
        history: list[tuple[str, str]],
        state: dict[str, Any] | None = None,
    ) -> EngineAnswer:
        from agent.conversation import Turn
        from agent.offline import FOLLOWABLE

        previous = Turn.from_state(state, timezone.now())
        answer = self._coach.answer(ctx, message, previous)
        last = answer.turns[-1] if answer.turns else Turn("red_flag", when=timezone.now())
        # One turn, and only the arguments a follow-up can reuse: the state stays small.
        kept = last if last.intent in FOLLOWABLE else Turn(last.intent, when=last.when)
        return EngineAnswer(
            answer.text, answer.results, answer.calls, state=kept.to_state(), pending=answer.pending
        )


def offline_configured() -> bool:
    """Whether ``FOULEE_LLM`` asks for the offline coach (the default)."""
    from foulee.config import get_settings

    return get_settings().llm.strip() in ("", "offline")


def engine_from_settings() -> Engine:
    """``FOULEE_LLM``: ``offline`` (the default) or ``provider:model``."""
    from foulee.config import get_settings

    if offline_configured():
        return OfflineEngine()
    spec = get_settings().llm.strip()
    from agent.llm import LlmEngine

    return LlmEngine.from_spec(spec)


class Coach:
    """Thread-safe; holds the engine (and through it the router or the model), nothing per athlete."""

    def __init__(self, engine: Engine | None = None, *, charts: bool = True) -> None:
        self._engine = engine
        self.charts = charts

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = engine_from_settings()
        return self._engine

    def reply(
        self,
        user: User,
        message: str,
        channel: str = "api",
        *,
        athlete: User | None = None,
        today: dt.date | None = None,
    ) -> CoachReply:
        """Answer ``message`` from ``user`` about ``athlete`` (themselves by default).

        Raises ``django.core.exceptions.PermissionDenied`` when ``user`` may
        not see ``athlete``'s data, and ``ValidationError`` (keyed ``text``) for
        a message too long or holding a control character
        (``web.coaching.models.validate_coach_message``).
        """
        from agent import confirm
        from agent.athletes import named_athlete
        from web.coaching.models import validate_coach_message

        validate_coach_message(message)
        message = limits.coach_message_text(message)
        base = ToolContext.for_request(user, athlete=athlete, today=today)
        detected = detect_language(message, prior=base.language)
        if detected == "other":
            reply = CoachReply(replies.OTHER_LANGUAGE[base.language], base.language)
            self._store(base, message, reply, channel)
            return reply
        ctx = ToolContext(athlete=base.athlete, actor=base.actor, language=detected, today=base.today)
        # A coach in their own thread naming one of their athletes ("Comment va Karim ?") is answered
        # about that athlete, in the coach's thread, read-only (``ToolContext.read_only``).
        named = named_athlete(user, message) if athlete is None or athlete.pk == user.pk else None
        if named is not None and named.ambiguous:
            names = [candidate.get_full_name() for candidate in named.candidates]
            reply = CoachReply(replies.which_athlete(names, detected), detected)
            self._store(ctx, message, reply, channel)
            return reply
        if named is not None and named.athlete is not None:
            about = ToolContext.for_request(user, athlete=named.athlete, today=today)
            subject = ToolContext(
                athlete=about.athlete, actor=user, language=detected, today=about.today, read_only=True
            )
            # The follow-up state of the coach's thread belongs to the coach's own questions: not read.
            told = self.engine.answer(subject, named.text, [], None)
            attachments = for_results(told.results, detected) if self.charts else []
            reply = CoachReply(told.text, detected, told.calls, attachments)
            self._store(ctx, message, reply, channel)
            return reply
        # A yes or a no to what the coach proposed last (agent.confirm) is answered before any engine.
        answer = confirm.resolve(ctx, channel, message)
        if answer is None:
            history = self._history(ctx, channel) if self.engine.uses_history else []
            state = self._state(ctx, channel) if self.engine.uses_state else None
            answer = self.engine.answer(ctx, message, history, state)
        attachments = for_results(answer.results, detected) if self.charts else []
        reply = CoachReply(answer.text, detected, answer.calls, attachments)
        self._store(ctx, message, reply, channel, answer.state, pending=answer.pending)
        self._record_tools(ctx, answer.calls)
        return reply

    @staticmethod
    def _record_tools(ctx: ToolContext, calls: list[dict[str, Any]]) -> None:
        """A coach asking about an athlete: each tool that read or changed their data is recorded."""
        if ctx.actor.pk == ctx.athlete.pk:
            return
        from web.accounts.access import record_access

        for name in sorted({str(call.get("name", "")) for call in calls} - {""}):
            record_access(ctx.actor, ctx.athlete, f"tool:{name}")

    def _session(self, ctx: ToolContext, channel: str) -> Any:
        from web.coaching.models import CoachingSession

        session = (
            CoachingSession.objects.filter(athlete=ctx.athlete, channel=channel)
            .order_by("-started_at")
            .first()
        )
        return session or CoachingSession.objects.create(athlete=ctx.athlete, channel=channel)

    def _state(self, ctx: ToolContext, channel: str) -> dict[str, Any]:
        """The conversation's state on ``channel`` (the engine decides whether it has expired)."""
        from web.coaching.models import CoachingSession

        state = (
            CoachingSession.objects.filter(athlete=ctx.athlete, channel=channel)
            .order_by("-started_at")
            .values_list("state", flat=True)
            .first()
        )
        return state if isinstance(state, dict) else {}

    def _history(self, ctx: ToolContext, channel: str) -> list[tuple[str, str]]:
        from web.coaching.models import CoachingSession, Message

        session = (
            CoachingSession.objects.filter(athlete=ctx.athlete, channel=channel)
            .order_by("-started_at")
            .first()
        )
        if session is None:
            return []
        recent = list(
            Message.objects.filter(session=session).order_by("-created_at", "-id")[:MEMORY_MESSAGES]
        )
        # An empty reply (a model's, before the LLM coach checked its replies) is no memory.
        return [(message.role, message.content) for message in reversed(recent) if message.content.strip()]

    def _store(
        self,
        ctx: ToolContext,
        message: str,
        reply: CoachReply,
        channel: str = "api",
        state: dict[str, Any] | None = None,
        *,
        pending: list[dict[str, Any]] | None = None,
    ) -> None:
        from web.coaching.models import Message, MessageRole

        with transaction.atomic():
            session = self._session(ctx, channel)
            asker = MessageRole.ATHLETE if ctx.actor.pk == ctx.athlete.pk else MessageRole.COACH
            Message.objects.create(session=session, role=asker, content=message, language=reply.language)
            Message.objects.create(
                session=session,
                role=MessageRole.ASSISTANT,
                content=reply.reply,
                language=reply.language,
                tool_calls=reply.tool_calls,
                pending_action=pending or [],
            )
            session.last_message_at = timezone.now()
            fields = ["last_message_at"]
            if state is not None:
                session.state = state
                fields.append("state")
            session.save(update_fields=fields)
