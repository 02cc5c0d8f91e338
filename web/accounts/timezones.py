"""One time-zone rule: a person reads dates and times in their own profile's zone, on every page.

The site's pages, the admin, the plans and the coach all ask :func:`zone_of`; the
middleware activates the viewer's zone for the whole request, so Django's
``localtime`` (templates, forms, the admin's lists and date hierarchy) shows what
the viewer's watch shows. A coach reads their athletes' runs in the coach's zone,
on the site and in the admin alike.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Final

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from web.accounts.models import AthleteProfile, User

#: The zone of a profile that does not name one: the profile's own default.
DEFAULT_ZONE_NAME: Final = str(AthleteProfile._meta.get_field("timezone").default)


def zone_named(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone called ``name``; the profile default when empty, UTC when unknown to this machine."""
    try:
        return zoneinfo.ZoneInfo(name or DEFAULT_ZONE_NAME)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def zone_of(user: User) -> zoneinfo.ZoneInfo:
    """The time zone ``user`` reads times in: their profile's."""
    # A user without a profile yet (the signal creates one) raises an AttributeError subclass here.
    profile = getattr(user, "profile", None)
    return zone_named(profile.timezone if profile is not None else None)


class ViewerTimeZoneMiddleware:
    """Activate the logged-in viewer's zone for the request (pages and admin); UTC for anonymous ones."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            timezone.activate(zone_of(user))
        try:
            # Template responses render inside this call, so they still see the zone.
            return self.get_response(request)
        finally:
            timezone.deactivate()
