"""The security headers every response carries: the site's pages, the API's JSON and its docs.

One policy, applied by two thin adapters: :mod:`web.headers` (a Django
middleware, for the pages) and :mod:`api.headers` (an ASGI middleware, for
``/v1`` and the docs). A header a response already has is kept, so a page
with a policy of its own (the API docs) keeps it.

The Content-Security-Policy is strict everywhere: scripts, styles, fonts and
fetches from this origin only, no inline script, no plug-in, no framing, forms
posted here only. Pictures may also be ``data:`` URLs (the chat's charts are
sent inline). With ``FOULEE_HTTPS=true`` responses also say
``Strict-Transport-Security`` (a year; subdomains are left to their own
servers, since Foulée cannot know what runs there).
"""

from __future__ import annotations

from typing import Final

#: The site's and the API's policy.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
#: A year, in seconds: what browsers' HSTS preload lists ask for.
HSTS_SECONDS: Final = 365 * 24 * 3600


def security_headers(*, https: bool) -> dict[str, str]:
    """The headers a response gets unless it already has them (lower-case names)."""
    headers = {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "same-origin",
        "cross-origin-opener-policy": "same-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
    if https:
        headers["strict-transport-security"] = f"max-age={HSTS_SECONDS}"
    return headers
