"""stravalib's client, pointed at ``STRAVA_API_URL``/``STRAVA_OAUTH_URL`` and at the shared rate limit.

stravalib builds every URL from ``https://www.strava.com`` (``ApiV3.resolve_url``
and its token requests); :class:`_Api` rewrites that prefix to the configured
servers, so the tests' fake Strava on loopback is reached by the very same code.
The activity and stream requests go through stravalib's protocol layer (its
auth header, error mapping and rate-limit hook) and return Strava's JSON as
is: that JSON is what Foulée keeps as the activity's original document.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlencode

import requests
from django.conf import settings
from stravalib import exc
from stravalib.client import Client
from stravalib.protocol import ApiV3

from web.strava import ratelimit

STRAVA_API: Final = "https://www.strava.com/api/v3"
STRAVA_OAUTH: Final = "https://www.strava.com/oauth"
SCOPES: Final = ("activity:read_all", "profile:read_all")
#: Seconds before a Strava call gives up: a backfill waits and retries, it never hangs.
TIMEOUT_S: Final = 20.0


class StravaUnavailable(Exception):
    """Strava could not be reached or answered with a server error: try again later."""


class StravaRevoked(Exception):
    """Strava refused the athlete's tokens (revoked on Strava, or refresh refused)."""


def client_id() -> int:
    """The application's id; only called once :func:`configured` said there is one."""
    return int(settings.STRAVA_CLIENT_ID or 0)


def configured() -> bool:
    return bool(settings.STRAVA_CLIENT_ID and settings.STRAVA_CLIENT_SECRET)


def rewrite(url: str) -> str:
    """``url`` on the configured servers instead of Strava's own."""
    if url.startswith(STRAVA_API):
        return settings.STRAVA_API_URL.rstrip("/") + url[len(STRAVA_API) :]
    if url.startswith(STRAVA_OAUTH):
        return settings.STRAVA_OAUTH_URL.rstrip("/") + url[len(STRAVA_OAUTH) :]
    return url


class _Session(requests.Session):
    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT_S)
        return super().request(str(method), str(url), *args, **kwargs)


class _Api(ApiV3):
    def resolve_url(self, url: str) -> str:
        return rewrite(super().resolve_url(url))

    def _check_credentials(self) -> None:
        """No automatic refresh inside stravalib: Foulée refreshes (web.strava.services.fresh_token)
        and stores the new tokens encrypted; stravalib's would keep them in memory only, and read
        the credentials from the environment instead of the settings."""
        self.client_id = None
        self.client_secret = None


def _record(headers: Mapping[str, str], _method: str) -> None:
    ratelimit.record(headers)


class _Client(Client):
    """stravalib's client on :class:`_Api` (its own constructor would build a plain ``ApiV3``)."""

    def __init__(self, access_token: str | None = None) -> None:
        self.log = logging.getLogger(f"{self.__class__.__module__}.{self.__class__.__name__}")
        self.protocol = _Api(access_token=access_token, requests_session=_Session(), rate_limiter=_record)


def client(access_token: str | None = None) -> Client:
    """A stravalib client for one athlete's ``access_token`` (none for the token requests)."""
    return _Client(access_token)


def authorize_url(redirect_uri: str, state: str) -> str:
    query = urlencode(
        {
            "client_id": settings.STRAVA_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "approval_prompt": "auto",
            "scope": ",".join(SCOPES),
            "state": state,
        }
    )
    return f"{settings.STRAVA_OAUTH_URL.rstrip('/')}/authorize?{query}"


def call(operation: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one Strava request: the budget checked first, failures turned into the three outcomes a
    caller handles (:class:`~web.strava.ratelimit.RateLimited`, :class:`StravaRevoked`,
    :class:`StravaUnavailable`); ``ObjectNotFound`` passes through."""
    ratelimit.check()
    try:
        return operation(*args, **kwargs)
    except exc.ObjectNotFound:
        raise
    except exc.AccessUnauthorized as error:
        raise StravaRevoked(str(error)) from error
    except exc.Fault as error:
        status = error.response.status_code if error.response is not None else 0
        if status == 429:
            raise ratelimit.exhausted_now(time.time()) from error
        if status in (400, 401, 403):
            raise StravaRevoked(str(error)) from error
        raise StravaUnavailable(str(error)) from error
    except (requests.RequestException, ValueError) as error:
        raise StravaUnavailable(str(error)) from error
