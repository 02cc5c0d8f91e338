"""Throttles on the web's logins, sign-up, password reset, chat and race-result form (web/throttle.py).

The limits are production's (foulee.ratelimit), counted in the process's
limiter, which each test starts empty (tests/conftest.py).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from foulee.ratelimit import ACCOUNT_PER_IP, COACH_PER_USER, LOGIN_PER_ACCOUNT, RESULTS_FETCH_PER_USER
from tests.conftest import PASSWORD
from web.accounts.models import User
from web.coaching.models import Message


def _login(client: Client, view: str, email: str, password: str, address: str = "203.0.113.7"):
    return client.post(reverse(view), {"username": email, "password": password}, REMOTE_ADDR=address)


def test_guessing_from_one_address_is_stopped_before_the_password_is_checked(
    client: Client, athlete: User, coach: User
) -> None:
    for _ in range(ACCOUNT_PER_IP.burst):
        assert _login(client, "site:login", athlete.email, "wrong-guess").status_code == 200
    refused = _login(client, "site:login", athlete.email, PASSWORD)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert not refused.wsgi_request.user.is_authenticated
    assert "Too many attempts" in refused.content.decode()
    # Another address logging in to another account is not blocked by this one's guesses.
    assert _login(client, "site:login", coach.email, PASSWORD, address="198.51.100.9").status_code == 302


def test_guessing_one_account_from_many_addresses_is_stopped(client: Client, athlete: User) -> None:
    for index in range(LOGIN_PER_ACCOUNT.burst):
        _login(client, "site:login", athlete.email.upper(), "wrong-guess", address=f"192.0.2.{index}")
    refused = _login(client, "site:login", f" {athlete.email} ", PASSWORD, address="192.0.2.200")
    assert refused.status_code == 429


def test_the_admin_login_is_throttled_too(client: Client, coach: User) -> None:
    for _ in range(ACCOUNT_PER_IP.burst):
        assert _login(client, "admin:login", coach.email, "wrong-guess").status_code == 200
    assert _login(client, "admin:login", coach.email, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_sign_up_and_password_reset_are_throttled_per_address(client: Client) -> None:
    for index in range(ACCOUNT_PER_IP.burst):
        client.post(reverse("site:signup"), {"email": f"bot{index}@example.org"}, REMOTE_ADDR="203.0.113.8")
    assert client.post(reverse("site:signup"), {}, REMOTE_ADDR="203.0.113.8").status_code == 429
    assert client.post(reverse("site:password_reset"), {}, REMOTE_ADDR="203.0.113.8").status_code == 429
    assert client.post(reverse("site:password_reset"), {}, REMOTE_ADDR="203.0.113.9").status_code != 429


def test_the_chat_is_throttled_per_user_and_a_refused_message_is_not_stored(login, athlete: User) -> None:
    client = login(athlete)
    # Every post counts, even one the form refuses (quick ones here, so the window cannot slide).
    for _ in range(COACH_PER_USER.burst):
        assert client.post(reverse("site:chat"), {"message": " "}).status_code == 200
    refused = client.post(reverse("site:chat"), {"message": "How was my week?"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Trop de tentatives" in page and "Réessayez dans" in page
    assert not Message.objects.filter(session__athlete=athlete).exists()
    # Reading the chat is never limited.
    assert client.get(reverse("site:chat")).status_code == 200


def test_the_race_result_form_is_throttled_per_user(login, athlete: User, results_site) -> None:
    """Each post makes Foulée fetch a third party's page: a user cannot turn it into a cannon."""
    client = login(athlete)
    for _ in range(RESULTS_FETCH_PER_USER.burst):
        # Refused addresses (loopback, the default settings): quick, and nothing is fetched.
        answer = client.post(reverse("site:race_result"), {"url": results_site.url("/fr-10km.html")})
        assert answer.status_code == 422
    refused = client.post(reverse("site:race_result"), {"url": results_site.url("/fr-10km.html")})
    assert refused.status_code == 429
    assert results_site.requests == []
    assert client.get(reverse("site:race_result")).status_code == 200
