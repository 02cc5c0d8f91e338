"""Throttles on the web's expensive and guessable posts: logins, sign-up, password reset, the chat.

Every rate comes from :mod:`foulee.ratelimit` and is counted in its shared
limiter (memory, or Redis with ``FOULEE_REDIS_URL``), the same one the API
uses, so several processes share one count.

* A login post (the site's and the admin's) counts once per client address and
  once per account named in the form, *before* the password is hashed: hashing
  costs ~1.6 s of CPU per attempt with Django's default hasher, so the address
  limit bounds that cost too. The account limit stops a slow guess spread over
  many addresses; its price is that someone who hammers an account delays its
  owner's next login by a minute, which beats a taken account.
* Sign-up and password-reset posts count per client address.
* A chat post counts per signed-in user (it may run the agent and a paid model).
* A race-result post counts per signed-in user (it fetches a third party's page).

Over a limit the page answers 429 with ``Retry-After`` and says how long to
wait, in the user's language; nothing is done with the post.

Decision: this is our own middleware on the maintained ``limits`` library
rather than django-axes. Axes keeps its lock-outs in the database (a write per
failure, an admin page to unlock) and only counts *failed* logins, so it would
not bound the hashing cost of a flood of guesses nor cover sign-up, reset and
the chat; one limiter for the API and the web keeps one place for the numbers.

The client address is ``REMOTE_ADDR``: uvicorn sets it from ``X-Forwarded-For``
only for ``FOULEE_TRUSTED_PROXIES`` (see :mod:`foulee.server`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from foulee.ratelimit import (
    ACCOUNT_PER_IP,
    COACH_PER_USER,
    LOGIN_PER_ACCOUNT,
    RESULTS_FETCH_PER_USER,
    get_limiter,
)
from web.accounts.models import normalise_email

#: Views whose posts are counted per client address.
ACCOUNT_VIEWS: Final = frozenset({"site:login", "admin:login", "site:signup", "site:password_reset"})
#: Of those, the ones that check a password: also counted per account named in the form.
LOGIN_VIEWS: Final = frozenset({"site:login", "admin:login"})
#: Views whose posts are counted per signed-in user.
CHAT_VIEWS: Final = frozenset({"site:chat", "site:athlete_chat"})
#: Views whose posts fetch a page from elsewhere, counted per signed-in user.
RESULTS_VIEWS: Final = frozenset({"site:race_result", "site:athlete_race_result"})


class ThrottleMiddleware:
    """Answers 429 before the view runs when a post goes over its limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or request.resolver_match is None:
            return None
        name = request.resolver_match.view_name
        wait = 0.0
        take = get_limiter().take
        if name in ACCOUNT_VIEWS:
            wait = take("web-account-ip", ACCOUNT_PER_IP, request.META.get("REMOTE_ADDR") or "unknown")
            if not wait and name in LOGIN_VIEWS:
                account = normalise_email(str(request.POST.get("username", "")))[:254]
                if account:
                    wait = max(wait, take("web-login-account", LOGIN_PER_ACCOUNT, account))
        elif name in CHAT_VIEWS and request.user.is_authenticated:
            wait = take("web-chat-user", COACH_PER_USER, str(request.user.pk))
        elif name in RESULTS_VIEWS and request.user.is_authenticated:
            wait = take("web-results-user", RESULTS_FETCH_PER_USER, str(request.user.pk))
        if not wait:
            return None
        seconds = math.ceil(wait)
        response = render(request, "site/throttled.html", {"seconds": seconds}, status=429)
        response["Retry-After"] = str(seconds)
        return response
