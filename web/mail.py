"""How Foulée sends mail: Django's e-mail settings from ``FOULEE_EMAIL_URL``.

``FOULEE_EMAIL_URL`` names the mail server:

* ``smtp+starttls://USER:PASSWORD@HOST:587``: SMTP upgraded with STARTTLS (the submission port);
* ``smtps://USER:PASSWORD@HOST:465``: SMTP inside TLS from the first byte;
* ``smtp://HOST:25``: plain SMTP, for a relay on the same machine or network;
* ``console://``: mails printed on the server's output; only with ``FOULEE_DEBUG=true``.

User name and password are percent-decoded. When the variable is unset, a
server in debug mode prints its mails on the console (so a developer sees the
reset link), and any other server sends no mail at all: the password-reset
page says so instead of pretending. Decision: a production server never prints
mails, since a reset link in a log lets whoever reads the log take the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

CONSOLE: Final = "django.core.mail.backends.console.EmailBackend"
SMTP: Final = "django.core.mail.backends.smtp.EmailBackend"
#: With no mail server, mails go nowhere (never to a log).
NOWHERE: Final = "django.core.mail.backends.dummy.EmailBackend"
#: Seconds to wait for the mail server before the page answers anyway.
SMTP_TIMEOUT_S: Final = 10
DEFAULT_PORTS: Final = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


@dataclass(frozen=True)
class Mail:
    """What Django needs to send mail, and whether mail reaches anyone at all."""

    backend: str
    enabled: bool
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


def mail_settings(url: str | None, *, debug: bool) -> Mail:
    """The mail set-up ``FOULEE_EMAIL_URL`` names (see the module's docstring)."""
    if not url:
        return Mail(CONSOLE, enabled=True) if debug else Mail(NOWHERE, enabled=False)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        if not debug:
            raise ImproperlyConfigured(
                "FOULEE_EMAIL_URL: console:// prints mails (and their reset links) in the log; "
                "it is only allowed with FOULEE_DEBUG=true"
            )
        return Mail(CONSOLE, enabled=True)
    if scheme not in DEFAULT_PORTS:
        raise ImproperlyConfigured(
            f"FOULEE_EMAIL_URL: unknown scheme {parts.scheme!r}; use smtp+starttls://, smtps://, smtp:// "
            "or console://"
        )
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError as error:
        raise ImproperlyConfigured(f"FOULEE_EMAIL_URL: {error}") from None
    if not parts.hostname:
        raise ImproperlyConfigured("FOULEE_EMAIL_URL: the mail server's host is missing")
    return Mail(
        SMTP,
        enabled=True,
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=scheme == "smtp+starttls",
        use_ssl=scheme == "smtps",
    )
