"""What every page needs: the logged-in user and the athlete they may look at."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from web.accounts.models import User
from web.accounts.scoping import athlete_seen_by
from web.accounts.services import profile_of

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required guarantees it)
    return user


def athlete_for(request: HttpRequest, athlete_id: int | None, what: str) -> User:
    """The athlete a page is about: the viewer, or one they may see (404 otherwise, as if absent).

    A 404 rather than a 403: a coach must not learn that another coach's athlete exists.
    ``what`` names the page in the athlete's access record (``web.accounts.access``).
    """
    me = viewer(request)
    if athlete_id is None:
        return me
    athlete = athlete_seen_by(me, athlete_id, what)
    if athlete is None:
        raise Http404
    return athlete


def site_page(view: View) -> View:
    """Log-in required; the viewer's profile exists, so forms and the time zone have their values.

    Dates and times are shown in the viewer's own zone by
    ``web.accounts.timezones.ViewerTimeZoneMiddleware``, the same rule as the admin's.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        profile_of(viewer(request))
        return view(request, *args, **kwargs)

    return cast(View, login_required(wrapped))
