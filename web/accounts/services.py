"""An account's use cases, one function each, that every front calls: update the profile, export, delete.

The web pages, the HTTP API, the coach's ``update_profile`` tool and the
Telegram bot only turn their input into these calls and word the result in
the reader's language; the rules (the model's validation, what "everything"
means, both stores forgetting a deleted athlete) live here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction

from analytics.sync import sync
from web.accounts import export
from web.accounts.models import AthleteProfile, User

#: The profile fields a front may change.
PROFILE_FIELDS: Final = ("birth_year", "sex", "weight_kg", "hr_max", "hr_rest", "language", "timezone")
#: Fields that always hold a value: ``None`` for one of them leaves it as it is.
ALWAYS_SET: Final = frozenset({"language", "timezone"})
#: The code of a refusal that names no field of the profile.
UNKNOWN_FIELD: Final = "unknown_field"


@dataclass(frozen=True)
class Refusal:
    """Why one value was refused: a code (Django's, e.g. ``max_value``) and its parameters.

    ``template`` is the model's lazy message, so ``wording()`` says it in the
    language active where the front shows it, not where the check ran.
    """

    field: str
    code: str
    params: Mapping[str, Any]
    template: Any

    def wording(self) -> str:
        text = str(self.template)
        return text % dict(self.params) if self.params else text


@dataclass(frozen=True)
class ProfileChange:
    """What an update did: the fields changed with their new values, or why nothing was saved."""

    changed: dict[str, Any] = field(default_factory=dict)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused

    def messages(self) -> dict[str, list[str]]:
        """The refusals worded in the active language, by field (``__all__`` for the whole profile)."""
        worded: dict[str, list[str]] = {}
        for refusal in self.refused:
            worded.setdefault(refusal.field, []).append(refusal.wording())
        return worded

    def as_error(self) -> ValidationError:
        """The refusals as Django's ``ValidationError``, for a front that reports errors that way."""
        errors: dict[str, list[ValidationError]] = {}
        for refusal in self.refused:
            params = dict(refusal.params) or None
            errors.setdefault(refusal.field, []).append(
                ValidationError(refusal.template, code=refusal.code, params=params)
            )
        return ValidationError(errors)


def profile_of(user: User) -> AthleteProfile:
    """The user's profile, created with its defaults the first time a front asks for it."""
    profile, _ = AthleteProfile.objects.get_or_create(user=user)
    return profile


def _refusals(error: ValidationError) -> list[Refusal]:
    refusals = []
    for name, errors in error.error_dict.items():
        for item in errors:
            refusals.append(Refusal(name, item.code or "invalid", item.params or {}, item.message))
    return refusals


def update_profile(user: User, values: Mapping[str, Any]) -> ProfileChange:
    """Set the given profile fields, all or none, after the model's validation (``full_clean``).

    ``None`` clears a field that may be unknown (``sex`` becomes empty) and
    leaves ``language`` and ``timezone`` as they are. A refusal saves nothing.
    """
    unknown = [name for name in values if name not in PROFILE_FIELDS]
    if unknown:
        return ProfileChange(refused=[Refusal(name, UNKNOWN_FIELD, {}, name) for name in unknown])
    with transaction.atomic():
        profile, _ = AthleteProfile.objects.select_for_update().get_or_create(user=user)
        before = {name: getattr(profile, name) for name in values}
        for name, value in values.items():
            if value is None and name in ALWAYS_SET:
                continue
            setattr(profile, name, "" if value is None and name == "sex" else value)
        try:
            profile.full_clean()
        except ValidationError as error:
            return ProfileChange(refused=_refusals(error))
        changed = {name: getattr(profile, name) for name in values if getattr(profile, name) != before[name]}
        if changed:
            profile.save()
    return ProfileChange(changed=changed)


def export_account(user: User, target: IO[bytes]) -> int:
    """Write everything the user has as one zip (``web.accounts.export``); the number of activities in it."""
    return export.write_export(user, target)


def delete_account(user: User) -> None:
    """Delete the user and everything they own, in the system of record and then in the analytics store.

    ``User.delete`` cascades to the profile, activities, plans, conversations,
    links and tokens, and the user's sessions on every device end with it; the
    deletion leaves tombstones (``web/activities/signals.py``) and removes the
    original files once the transaction commits. The sync that
    follows applies the tombstones now, so the analytics store forgets the
    athlete at once rather than at the next import.
    """
    with transaction.atomic():
        _end_sessions(user)
        User.objects.filter(pk=user.pk).delete()
    sync()


def _end_sessions(user: User) -> None:
    """Delete the user's sessions on every device: their rows hold the user's id in encoded data.

    Decoding each live session is linear in their number, which a deletion (rare) can afford;
    an expired session is decoded too, since its row still holds the id until it is purged.
    """
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    theirs = [
        session.pk
        for session in Session.objects.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=theirs).delete()
