"""Mail: password resets travel through the SMTP server FOULEE_EMAIL_URL names, and nowhere else.

The server is a real SMTP server (aiosmtpd) on a local socket, reached through
the settings :func:`web.mail.mail_settings` derives from the URL, as a
deployment's would be.
"""

from __future__ import annotations

import email
import logging
import re
from collections.abc import Iterator
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.net import free_port
from web.accounts.models import User
from web.mail import CONSOLE, NOWHERE, Mail, mail_settings
from web.mail import SMTP as SMTP_BACKEND

pytestmark = pytest.mark.django_db


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(content)))
        return "250 OK"


@pytest.fixture
def inbox(settings: SettingsWrapper) -> Iterator[Inbox]:
    """A running SMTP server, and the site configured with ``FOULEE_EMAIL_URL=smtp://127.0.0.1:PORT``."""
    received = Inbox()
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    mail = mail_settings(f"smtp://127.0.0.1:{port}", debug=False)
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = mail.backend, mail.host, mail.port
    settings.FOULEE_MAIL_ENABLED = mail.enabled
    try:
        yield received
    finally:
        controller.stop()


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def test_a_reset_link_arrives_by_smtp_and_sets_a_new_password(
    client: Client, athlete: User, inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        page = client.post(reverse("site:password_reset"), {"email": athlete.email})
    assert page["Location"] == reverse("site:password_reset_done")
    [(recipients, message)] = inbox.messages
    assert recipients == [athlete.email]
    link = re.search(r"https?://[^/]+(/password-reset/[^/]+/[^/]+/)", _body(message))
    assert link is not None
    # The link is in the mail, never in Foulée's logs (the test SMTP server's own log aside).
    ours = [record.getMessage() for record in caplog.records if not record.name.startswith("mail.log")]
    assert not any(link.group(1) in line for line in ours)
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-password", "new_password2": "another-long-password"},
    )
    assert done["Location"] == reverse("site:password_reset_complete")
    athlete.refresh_from_db()
    assert athlete.check_password("another-long-password")


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client: Client, inbox: Inbox) -> None:
    page = client.post(reverse("site:password_reset"), {"email": "nobody@example.org"})
    assert page["Location"] == reverse("site:password_reset_done") and not inbox.messages


def test_without_a_mail_server_the_page_says_so_and_nothing_is_sent(
    client: Client, athlete: User, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """The production default (no FOULEE_EMAIL_URL, no debug): no mail, no link anywhere."""
    from django.conf import settings

    assert settings.FOULEE_MAIL_ENABLED is False  # what tests/settings.py inherits from web/settings.py
    assert "Send the link" not in client.get(reverse("site:password_reset")).content.decode()
    with caplog.at_level(logging.DEBUG):
        page = client.post(reverse("site:password_reset"), {"email": athlete.email})
    assert page.status_code == 503 and "cannot send mail" in page.content.decode()
    assert not re.search(r"password-reset/[^/\s]+/[^/\s]+/", capsys.readouterr().out + caplog.text)


@pytest.mark.parametrize(
    ("url", "debug", "expected"),
    [
        (None, False, Mail(NOWHERE, enabled=False)),
        (None, True, Mail(CONSOLE, enabled=True)),
        ("console://", True, Mail(CONSOLE, enabled=True)),
        (
            "smtp+starttls://me%40example.org:p%3Ass@mail.example.org",
            False,
            Mail(SMTP_BACKEND, True, "mail.example.org", 587, "me@example.org", "p:ss", use_tls=True),
        ),
        (
            "smtps://mail.example.org:2465",
            False,
            Mail(SMTP_BACKEND, True, "mail.example.org", 2465, use_ssl=True),
        ),
        ("smtp://relay", False, Mail(SMTP_BACKEND, True, "relay", 25)),
    ],
)
def test_the_mail_url_is_read(url: str | None, debug: bool, expected: Mail) -> None:
    assert mail_settings(url, debug=debug) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("console://", "only allowed with FOULEE_DEBUG"),
        ("http://mail.example.org", "unknown scheme"),
        ("smtp://mail.example.org:99999", "FOULEE_EMAIL_URL"),
        ("smtp://", "host is missing"),
    ],
)
def test_a_bad_mail_url_names_the_setting(url: str, reason: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=reason) as error:
        mail_settings(url, debug=False)
    assert str(error.value).startswith("FOULEE_EMAIL_URL")
