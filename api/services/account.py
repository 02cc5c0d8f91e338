"""The caller's account: read, update the profile, export everything, delete everything.

The export is the web page's (``web.site.export.collect``); reading and updating
the profile use only the models and their validation, so they can move to
``web/accounts/services.py`` unchanged when another front needs them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from api.schemas.me import Export, Me, ProfileOut, ProfileUpdate
from web.accounts.models import AthleteProfile, User
from web.accounts.scoping import visible_athletes
from web.site.export import collect


def profile_of(user: User) -> AthleteProfile:
    profile, _ = AthleteProfile.objects.get_or_create(user=user)
    return profile


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
    """Apply the fields sent (``null`` clears one), validated by the model; raises ValidationError."""
    profile = profile_of(user)
    for name, value in changes.model_dump(exclude_unset=True).items():
        if value is None and name in {"language", "timezone"}:
            continue  # these always have a value: null means "leave as is"
        setattr(profile, name, "" if value is None and name == "sex" else value)
    profile.full_clean()
    profile.save()
    return me(user)


def export(user: User) -> Export:
    """Every row that is the user's (``web.site.export.collect``, the web page's export), in JSON.

    The web page's zip also holds the original files; here they stay behind
    their activities (``/v1/activities``), so the document stays small.
    """
    return Export(
        exported_at=timezone.now(),
        format="foulee-export-v1",
        account=me(user),
        tables=collect(user),
    )


def delete_account(user: User) -> None:
    """Delete the user and everything that cascades from them.

    ``User.delete`` cascades to the profile, activities, plans, conversations,
    links and tokens; the deletion signals leave tombstones for the analytics
    store and remove the original files once the transaction commits
    (``web/activities/signals.py``).
    """
    with transaction.atomic():
        User.objects.get(pk=user.pk).delete()
