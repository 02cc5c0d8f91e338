"""Consent to the processing of health data (GDPR art. 9(2)(a)): the one place for the rule.

Heart rate, injuries and illnesses are health data. Foulée processes them only for an
athlete whose latest decision (``ConsentRecord``, append-only) grants it for a notice
version still accepted. Without it the account works (distance, pace, VMA from speed,
race predictions, plans) and every door refuses the health features the same way:
the coach's tools (``agent.tools.run_tool``), the dashboard, the HTTP API (403).
A coach reading a withdrawn athlete meets the same gate: the rule is the athlete's.
"""

from __future__ import annotations

from typing import Final

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from web.accounts.models import ConsentChannel, ConsentKind, ConsentRecord, User

#: The version of the privacy notice (``/privacy/``); bump it when what is processed changes.
NOTICE_VERSION: Final = "2026-12"
#: Notice versions whose consents still hold. A new version that changes the health processing
#: leaves older ones out, so every athlete is asked again.
ACCEPTED_VERSIONS: Final = frozenset({NOTICE_VERSION})

#: The coach's tools that read heart rate (zones) or derive from it (TRIMP load, form).
HEALTH_TOOLS: Final = frozenset({"zones_analysis", "training_load"})
#: The kinds of remembered facts that are health data.
HEALTH_FACT_KINDS: Final = frozenset({"injury"})

#: What an athlete (or their coach) reads when a health feature is refused.
WITHHELD: Final = _(
    "Health data (heart rate, injuries, illnesses) is not processed for this athlete: consent is not "
    "given or was withdrawn. Distance, pace, VMA from speed, race predictions and plans still work. "
    "Consent can be given on the profile page, with /consent in the bot, or PUT /v1/me/consent."
)
#: What stops and what still works, for the profile page and the bot's /consent.
WHAT_STOPS: Final = _(
    "Without this consent, Foulée ignores heart rate (zones, TRIMP load, form, HR on the dashboard) "
    "and does not keep injuries or illnesses you mention."
)
WHAT_WORKS: Final = _("Distance, pace, VMA from speed, race predictions and training plans keep working.")


def latest(user: User, kind: str = ConsentKind.HEALTH) -> ConsentRecord | None:
    """The user's latest decision about ``kind``, or None if they never made one."""
    return ConsentRecord.objects.filter(user=user, kind=kind).order_by("-at", "-id").first()


def may_process_health(user: User) -> bool:
    """Whether the user's health data may be processed: the latest decision grants it, on a notice
    version still accepted. No decision at all means no."""
    record = latest(user, ConsentKind.HEALTH)
    return record is not None and record.granted and record.notice_version in ACCEPTED_VERSIONS


def record(user: User, *, granted: bool, channel: str, kind: str = ConsentKind.HEALTH) -> ConsentRecord:
    """Append the user's decision, for the current notice, made through ``channel``."""
    if channel not in ConsentChannel.values:
        raise ValueError(f"unknown consent channel {channel!r}")
    if kind not in ConsentKind.values:
        raise ValueError(f"unknown consent kind {kind!r}")
    with transaction.atomic():
        entry = ConsentRecord(
            user=user, kind=kind, granted=granted, notice_version=NOTICE_VERSION, channel=channel
        )
        entry.full_clean()
        entry.save()
        if kind == ConsentKind.HEALTH and not granted:
            _forget_health_facts(user)
    return entry


def _forget_health_facts(user: User) -> None:
    """A withdrawal erases the injuries the coach remembered: nothing else justifies keeping them.

    Heart rate stays inside the activity files the athlete uploaded (their own records, exported
    and deleted with the account) but no feature reads it while consent is withdrawn.
    """
    from web.coaching.models import AthleteFact

    AthleteFact.objects.filter(athlete=user, kind__in=HEALTH_FACT_KINDS).delete()


def history(user: User) -> list[ConsentRecord]:
    """Every decision of the user, oldest first (the export and the profile page show it)."""
    return list(ConsentRecord.objects.filter(user=user).order_by("at", "id"))
