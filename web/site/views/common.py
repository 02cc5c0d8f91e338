"""What every page needs: the logged-in user and the athlete they may look at."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

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


def athlete_page(view: View) -> View:
    """A page of the viewer's own training: for athletes. A coach opening it lands on their home.

    The role is one or the other (``web.accounts.models.Role``; a coach cannot have a coach),
    so a coach has no training of their own on the site: their dashboard, plan or chat would
    be empty pages about nobody. The same page about one of their athletes
    (``athletes/<id>/…``, ``athlete_id`` given) is theirs to open. A coach who runs uses an
    athlete account for their own training. Use inside :func:`site_page` (log-in first).
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if kwargs.get("athlete_id") is None and viewer(request).is_coach:
            messages.info(request, _("These pages are for athletes: here are yours."))
            return redirect("site:coach")
        return view(request, *args, **kwargs)

    return cast(View, wrapped)
