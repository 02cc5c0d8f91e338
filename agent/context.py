"""What every tool call carries: whose data, who asks, which day, which language.

The coach builds one ``ToolContext`` per message and binds every tool to it;
no tool takes an athlete as an argument, so no argument can reach another
athlete's data (``tests/agent/test_scoping.py``).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from web.accounts.models import User

Language = Literal["fr", "en"]
Status = Literal["ok", "not_enough_data", "not_found", "invalid", "unavailable"]


@dataclass
class ToolResult:
    """A tool's answer: ``data`` (JSON-safe, what the model and the templates read) and chart input.

    ``chart`` is kept out of ``data`` so that a 90-day series never goes into a
    model's context window; the coach turns it into a PNG.
    """

    name: str
    status: Status
    data: dict[str, Any] = field(default_factory=dict)
    chart: dict[str, Any] | None = None

    def for_model(self) -> dict[str, Any]:
        return {"tool": self.name, "status": self.status, **self.data}


@dataclass(frozen=True)
class ToolContext:
    """The athlete whose data the tools read and write, the person asking, and the athlete's today."""

    athlete: User
    actor: User
    language: Language
    today: dt.date
    #: No state-changing tool runs (``agent.safety.STATE_CHANGING_TOOLS``): a coach asking about an
    #: athlete from the coach's own thread reads that athlete's data, never changes it from there.
    read_only: bool = False

    @classmethod
    def for_request(
        cls,
        actor: User,
        *,
        athlete: User | None = None,
        language: Language | None = None,
        today: dt.date | None = None,
    ) -> ToolContext:
        """The context for ``actor`` asking about ``athlete`` (themselves by default).

        Raises ``PermissionDenied`` unless ``web.accounts.scoping`` lets the
        actor see that athlete: a coach reaches only their own athletes, and
        the athlete's access record notes that the coach asked the coach about them.
        """
        from web.accounts.scoping import can_view_athlete

        target = athlete or actor
        if not can_view_athlete(actor, target.pk, what="coach"):
            raise PermissionDenied("not allowed to read this athlete's data")
        from web.accounts.timezones import zone_of

        profile = getattr(target, "profile", None)
        lang: Language = language or ("en" if getattr(profile, "language", "fr") == "en" else "fr")
        local_today = today or dt.datetime.now(zone_of(target)).date()
        return cls(athlete=target, actor=actor, language=lang, today=local_today)

    @property
    def about(self) -> str | None:
        """The athlete's first name when someone else (their coach) asks; None when the athlete asks.

        Replies then speak of the athlete in the third person, to the coach (``agent.replies.Voice``).
        """
        return None if self.actor.pk == self.athlete.pk else self.athlete.get_short_name()

    @property
    def timezone(self) -> zoneinfo.ZoneInfo:
        """The athlete's zone: their days are the coach's days (``web.accounts.timezones``)."""
        from web.accounts.timezones import zone_of

        return zone_of(self.athlete)
