"""How uvicorn serves Foulée: one set of options for ``foulee run`` and the tests' live servers.

Forwarded headers (``X-Forwarded-For``, ``X-Forwarded-Proto``) are believed
only from ``FOULEE_TRUSTED_PROXIES`` (none by default). uvicorn's own default
trusts any peer on 127.0.0.1, so on a machine where anything local can connect
a client could pick its address by rotating the header and escape the
per-address limits.
"""

from __future__ import annotations

from typing import Any

from foulee.config import Settings, get_settings


def uvicorn_options(settings: Settings | None = None) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config`` beside the app, host and port."""
    settings = settings or get_settings()
    trusted = settings.trusted_proxies
    return {
        # The app's lifespan starts the Telegram webhook's bot; nothing else needs one.
        "lifespan": "on" if settings.telegram_webhook_url and settings.telegram_webhook_secret else "off",
        "proxy_headers": bool(trusted),
        # An empty string trusts nobody; uvicorn's default would be "127.0.0.1".
        "forwarded_allow_ips": ",".join(trusted),
        # No "server: uvicorn" banner: nothing to help an attacker pick an exploit.
        "server_header": False,
    }
