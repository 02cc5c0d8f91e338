"""``/v1/me``: the caller's own account. Never another's: there is no ``athlete_id`` here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.db import django_db
from api.deps import CurrentUser
from api.errors import AUTHENTICATED, ApiError, FieldError, responses
from api.schemas.me import Consent, ConsentUpdate, Export, Me, ProfileUpdate
from api.services import account
from web.accounts import services

router = APIRouter(prefix="/me", tags=["me"], responses=responses(*AUTHENTICATED))


@router.get("", summary="Who am I")
@django_db
def read_me(user: CurrentUser) -> Me:
    """The caller's account and profile; for a coach, the athletes they may read."""
    return account.me(user)


@router.patch("/profile", summary="Update my profile")
@django_db
def update_profile(user: CurrentUser, changes: ProfileUpdate) -> Me:
    """Change some profile fields; the model's rules apply (resting HR below max HR, a known time zone…)."""
    return account.update_profile(user, changes)


@router.get("/consent", summary="My consent to health data")
@django_db
def read_consent(user: CurrentUser) -> Consent:
    """Whether the caller's health data is processed, and every decision they made about it."""
    return account.consent_of(user)


@router.put("/consent", summary="Give or withdraw my consent to health data")
@django_db
def update_consent(user: CurrentUser, decision: ConsentUpdate) -> Consent:
    """Record a new decision (never an edit of an old one). Withdrawing stops the processing of heart
    rate and erases the injuries the coach remembered; distance, pace, VMA, predictions and plans
    still work."""
    return account.decide_consent(user, decision)


@router.get("/export", summary="Export my data")
@django_db
def export_me(user: CurrentUser) -> Export:
    """Everything Foulée holds about the caller, in one JSON document (GDPR art. 15 and 20)."""
    return account.export(user)


@router.delete("", status_code=204, summary="Delete my account", responses=responses(400))
@django_db
def delete_me(
    user: CurrentUser,
    confirm: Annotated[
        str,
        Query(
            max_length=254,
            description="The account's email address, to confirm: deletion cannot be undone.",
            examples=["lea@foulee.example"],
        ),
    ],
) -> Response:
    """Delete the account, its activities and their files, plans, conversations and tokens."""
    if confirm.strip().lower() != user.email:
        raise ApiError(
            400,
            "Deletion not confirmed.",
            fields=[FieldError(field="query.confirm", message="Must be the account's email address.")],
        )
    services.delete_account(user)
    return Response(status_code=204)
