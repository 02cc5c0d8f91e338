"""Accounts on the site: sign up, log in and out, password reset, the profile, Telegram codes, API tokens."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from web.accounts.models import ApiToken, Role, TelegramLink, User

pytestmark = pytest.mark.django_db


def test_sign_up_creates_an_athlete_and_logs_them_in(client: Client) -> None:
    page = client.post(
        reverse("site:signup"),
        {
            "email": "New.Runner@Example.org",
            "full_name": "New Runner",
            "role": Role.ATHLETE,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert page.status_code == 302 and page["Location"] == reverse("site:profile")
    user = User.objects.get(email="new.runner@example.org")
    assert user.role == Role.ATHLETE and not user.is_staff and user.profile is not None
    assert client.get(reverse("site:profile")).status_code == 200


def test_a_coach_signs_up_as_a_coach(client: Client) -> None:
    client.post(
        reverse("site:signup"),
        {"email": "c@example.org", "role": Role.COACH, "password1": PASSWORD, "password2": PASSWORD},
    )
    coach = User.objects.get(email="c@example.org")
    assert coach.is_coach and coach.is_staff
    assert client.get(reverse("site:home"))["Location"] == reverse("site:coach")


def test_sign_up_refuses_a_taken_email_and_a_weak_password(client: Client, athlete: User) -> None:
    page = client.post(
        reverse("site:signup"),
        {"email": athlete.email.upper(), "role": Role.ATHLETE, "password1": "123", "password2": "123"},
    )
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "email" in errors and "password2" in errors
    assert 'role="alert"' in page.content.decode()


@pytest.mark.parametrize("spelling", [str, str.upper])
def test_a_taken_email_gets_one_plain_answer_without_internal_names(
    client: Client, athlete: User, spelling
) -> None:
    page = client.post(
        reverse("site:signup"),
        {
            "email": spelling(athlete.email),
            "full_name": "Someone",
            "role": Role.ATHLETE,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert page.context["form"].errors["email"] == [
        "Cette adresse ne peut pas servir à créer un compte. Si elle est à vous, "
        "connectez-vous ou changez votre mot de passe."
    ]
    text = page.content.decode()
    assert "user_email_ci_unique" not in text and "existe" not in text and "exists" not in text
    assert User.objects.filter(email__iexact=athlete.email).count() == 1


def test_log_in_and_out(client: Client, athlete: User) -> None:
    page = client.post(reverse("site:login"), {"username": athlete.email, "password": PASSWORD})
    assert page.status_code == 302 and page["Location"] == reverse("site:home")
    # The profile's language (French by default) becomes the site's language.
    assert page.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert client.get(reverse("site:dashboard")).status_code == 200
    assert client.post(reverse("site:logout")).status_code == 302
    assert client.get(reverse("site:dashboard")).status_code == 302


def test_a_wrong_password_is_refused(client: Client, athlete: User) -> None:
    page = client.post(reverse("site:login"), {"username": athlete.email, "password": "not-it"})
    assert page.status_code == 200 and not page.wsgi_request.user.is_authenticated


def test_the_profile_saves_heart_rates_and_shows_the_zones(login, athlete: User, store, synced) -> None:
    client = login(athlete)
    page = client.post(
        reverse("site:profile"),
        {
            "name-full_name": "Alice A.",
            "profile-hr_max": "190",
            "profile-hr_rest": "50",
            "profile-language": "en",
            "profile-timezone": "Europe/Paris",
        },
    )
    assert page.status_code == 302
    athlete.refresh_from_db()
    assert athlete.full_name == "Alice A." and athlete.profile.hr_max == 190
    synced()
    profile = client.get(reverse("site:profile"))
    zones = profile.context["zones"]
    # Karvonen with the measured resting HR: zone 1 starts at 50 % of the reserve, 50 + 0.5 × 140.
    assert profile.context["zone_method"] == "karvonen" and zones[0].low == pytest.approx(120)
    assert zones[-1].high == pytest.approx(190)


def test_the_profile_refuses_a_resting_hr_above_the_maximum(login, athlete: User) -> None:
    page = login(athlete).post(
        reverse("site:profile"),
        {
            "profile-hr_max": "150",
            "profile-hr_rest": "160",
            "profile-language": "fr",
            "profile-timezone": "UTC",
        },
    )
    assert page.status_code == 200 and "hr_rest" in page.context["form"].errors


def test_a_telegram_link_code_is_shown_once_and_redeems(login, athlete: User) -> None:
    client = login(athlete)
    page = client.post(reverse("site:telegram_code"))
    code = page.context["telegram_code"]
    assert code in page.content.decode() and page["Cache-Control"] == "no-store"
    assert code not in client.get(reverse("site:profile")).content.decode()
    link = TelegramLink.redeem(code, telegram_user_id=42, chat_id=42)
    assert link is not None and link.user == athlete


def test_api_tokens_are_issued_listed_and_revoked(login, athlete: User) -> None:
    client = login(athlete)
    page = client.post(reverse("site:token_issue"), {"name": "my script", "days": "30"})
    secret = page.context["new_token"]
    assert secret in page.content.decode() and ApiToken.authenticate(secret) == athlete
    listing = client.get(reverse("site:profile")).content.decode()
    assert "my script" in listing and secret not in listing
    token = ApiToken.objects.get(user=athlete)
    client.post(reverse("site:token_revoke", args=[token.pk]))
    assert ApiToken.authenticate(secret) is None


def test_nobody_revokes_someone_elses_token(login, athlete: User, stranger: User) -> None:
    token, secret = ApiToken.issue(stranger, "theirs")
    assert login(athlete).post(reverse("site:token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.authenticate(secret) == stranger


def test_a_bad_token_request_shows_the_errors(login, athlete: User) -> None:
    page = login(athlete).post(reverse("site:token_issue"), {"name": "", "days": "900"})
    assert page.status_code == 200 and set(page.context["token_form"].errors) == {"name", "days"}
    assert not ApiToken.objects.filter(user=athlete).exists()
