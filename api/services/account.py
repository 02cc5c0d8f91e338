"""The caller's account for the API: the JSON shapes around ``web.accounts.services``.

Updating the profile, exporting and deleting are the account services every
front calls; this module only turns their results into the API's schemas.
"""

from __future__ import annotations

from api.schemas.me import Consent, ConsentEntry, ConsentUpdate, Export, Me, ProfileOut, ProfileUpdate
from web.accounts import consent, services
from web.accounts import export as account_export
from web.accounts.models import ConsentChannel, User
from web.accounts.scoping import visible_athletes
from web.accounts.services import profile_of


def me(user: User) -> Me:
    profile = profile_of(user)
    athlete_ids = list(visible_athletes(user).exclude(pk=user.pk).values_list("pk", flat=True)[:1000])
    return Me(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        role="coach" if user.is_coach else "athlete",
        coach_id=user.coach_id,
        athlete_ids=athlete_ids if user.is_coach else [],
        profile=ProfileOut(
            birth_year=profile.birth_year,
            sex=profile.sex,  # type: ignore[arg-type]  # a Sex choice or ""
            weight_kg=profile.weight_kg,
            hr_max=profile.hr_max,
            hr_rest=profile.hr_rest,
            language=profile.language,  # type: ignore[arg-type]  # a Language choice
            timezone=profile.timezone,
        ),
    )


def update_profile(user: User, changes: ProfileUpdate) -> Me:
    """Apply the fields sent (``null`` clears one); a refusal raises ValidationError (a 422)."""
    change = services.update_profile(user, changes.model_dump(exclude_unset=True))
    if not change.ok:
        raise change.as_error()
    return me(user)


def consent_of(user: User) -> Consent:
    entries = [
        ConsentEntry(
            kind=entry.kind,  # type: ignore[arg-type]  # a ConsentKind choice
            granted=entry.granted,
            notice_version=entry.notice_version,
            channel=entry.channel,  # type: ignore[arg-type]  # a ConsentChannel choice
            at=entry.at,
        )
        for entry in consent.history(user)
    ]
    return Consent(
        health=consent.may_process_health(user), notice_version=consent.NOTICE_VERSION, history=entries
    )


def decide_consent(user: User, decision: ConsentUpdate) -> Consent:
    consent.record(user, granted=decision.health, channel=ConsentChannel.API)
    return consent_of(user)


def export(user: User) -> Export:
    """The zip's ``data.json`` (``web.accounts.export.document``) with the account, in JSON.

    The zip the web and the bot give also holds the original files; here they
    stay behind their activities (``/v1/activities``), so the document stays small.
    """
    return Export.model_validate({**account_export.document(user), "account": me(user)})
