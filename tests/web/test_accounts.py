"""Users, profiles and credentials: validation in forms and constraints in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.conftest import PASSWORD
from web.accounts.models import ApiToken, AthleteProfile, Role, TelegramLink, User

pytestmark = pytest.mark.django_db


def test_email_is_normalised_and_unique_case_insensitively(make_user) -> None:
    user = make_user(email="  Runner@Example.ORG ")
    assert user.email == "runner@example.org"
    with pytest.raises(ValidationError):
        make_user(email="RUNNER@example.org")


def test_database_refuses_a_case_variant_email_even_without_validation(make_user) -> None:
    make_user(email="runner@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Runner@Example.org")])


def test_login_by_email_any_case(make_user, client) -> None:
    make_user(email="runner@example.org")
    assert client.login(username="RUNNER@example.org", password=PASSWORD)


def test_every_user_gets_a_profile(make_user) -> None:
    user = make_user()
    assert AthleteProfile.objects.get(user=user).language == "fr"


def test_a_coach_cannot_have_a_coach(coach, other_coach) -> None:
    other_coach.coach = coach
    with pytest.raises(ValidationError, match="coach cannot have a coach"):
        other_coach.full_clean()


def test_an_athletes_coach_must_be_a_coach(make_user) -> None:
    athlete_a = make_user()
    athlete_b = make_user()
    athlete_b.coach = athlete_a
    with pytest.raises(ValidationError, match="coach role"):
        athlete_b.full_clean()


def test_database_refuses_self_coaching(coach) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=coach.pk).update(coach=coach)


def test_a_coach_with_athletes_keeps_the_coach_role(coach, athlete) -> None:
    coach.role = Role.ATHLETE
    with pytest.raises(ValidationError, match="still coaches"):
        coach.full_clean()


def test_coaches_get_staff_access_to_the_admin(make_user) -> None:
    assert make_user(Role.COACH).is_staff
    assert not make_user(Role.ATHLETE).is_staff


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hr_max", 260),
        ("hr_max", 80),
        ("hr_rest", 10),
        ("hr_rest", 150),
        ("weight_kg", 5.0),
        ("birth_year", 1850),
        ("birth_year", timezone.now().year),
        ("timezone", "Mars/Olympus_Mons"),
        ("language", "de"),
        ("sex", "X"),
    ],
)
def test_profile_refuses_implausible_values(athlete, field: str, value: object) -> None:
    profile = athlete.profile
    setattr(profile, field, value)
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert field in error.value.message_dict


def test_profile_accepts_a_real_athlete(athlete) -> None:
    profile = athlete.profile
    profile.hr_max, profile.hr_rest, profile.birth_year = 188, 48, 1985
    profile.sex, profile.weight_kg, profile.timezone = "F", 58.5, "America/Montreal"
    profile.full_clean()
    profile.save()


def test_resting_hr_must_be_below_max(athlete) -> None:
    profile = athlete.profile
    profile.hr_max, profile.hr_rest = 110, 115
    with pytest.raises(ValidationError, match="below maximum"):
        profile.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        AthleteProfile.objects.filter(pk=profile.pk).update(hr_max=110, hr_rest=115)


def test_api_token_is_stored_only_as_a_hash(athlete) -> None:
    token, secret = ApiToken.issue(athlete, "watch sync")
    assert secret.startswith("fle_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in {stored.key_hash, stored.key_prefix, stored.name}
    assert secret.startswith(stored.key_prefix)
    assert ApiToken.authenticate(secret) == athlete
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_wrong_expired_or_revoked_tokens_authenticate_nobody(athlete) -> None:
    _, secret = ApiToken.issue(athlete, "t")
    assert ApiToken.authenticate(secret + "x") is None
    assert ApiToken.authenticate("") is None

    expired, expired_secret = ApiToken.issue(athlete, "old", ttl=dt.timedelta(days=1))
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert ApiToken.authenticate(expired_secret) is None

    revoked, revoked_secret = ApiToken.issue(athlete, "gone")
    revoked.revoke()
    assert ApiToken.authenticate(revoked_secret) is None


def test_tokens_of_deactivated_users_stop_working(athlete) -> None:
    _, secret = ApiToken.issue(athlete, "t")
    athlete.is_active = False
    athlete.save()
    assert ApiToken.authenticate(secret) is None


def test_telegram_link_code_is_one_time_and_hashed(athlete) -> None:
    link = TelegramLink(user=athlete)
    code = link.new_link_code()
    link.save()
    assert code not in link.link_code_hash
    linked = TelegramLink.redeem(code.lower(), telegram_user_id=42, chat_id=4242, username="alice")
    assert linked is not None and linked.user == athlete and linked.telegram_user_id == 42
    assert TelegramLink.redeem(code, telegram_user_id=43, chat_id=1) is None


def test_telegram_link_code_expires(athlete) -> None:
    link = TelegramLink(user=athlete)
    code = link.new_link_code()
    link.link_code_expires_at = timezone.now() - dt.timedelta(seconds=1)
    link.save()
    assert TelegramLink.redeem(code, telegram_user_id=42, chat_id=1) is None


def test_a_telegram_account_links_to_one_user_only(athlete, stranger) -> None:
    TelegramLink.objects.create(user=athlete, telegram_user_id=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        TelegramLink.objects.create(user=stranger, telegram_user_id=7)
