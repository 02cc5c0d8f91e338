""" "Who saw my data": the athlete's access record (``web.accounts.access``), newest first.

Times are the athlete's own (their profile's zone, ``web.accounts.timezones``): the page is
only ever the viewer's own record, and the middleware shows the viewer's zone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from web.accounts.models import AccessRecord
from web.accounts.timezones import zone_of
from web.site.views.common import site_page, viewer

PAGE_SIZE = 50


@dataclass(frozen=True)
class Seen:
    record: AccessRecord
    label: str


def _plain(code: str) -> str | None:
    labels = {
        "dashboard": _("Dashboard"),
        "overview": _("Coach's overview of their athletes"),
        "activities": _("List of activities"),
        "upload": _("Import of activity files"),
        "plan": _("Training plan"),
        "plan:new": _("New training plan"),
        "plan:adjust": _("Training plan adjusted"),
        "chat": _("Conversation with the coach"),
        "note": _("Note written to you"),
        "coach": _("Asked the coach about you"),
    }
    return labels.get(code)


def describe(code: str) -> str:
    """What an access record's code means, in the reader's language; the code itself when unknown."""
    plain = _plain(code)
    if plain is not None:
        return plain
    kind, _sep, rest = code.partition(":")
    if kind == "activity":
        number, _sep, action = rest.partition(":")
        if action == "edit":
            return _("Activity %(id)s, edited") % {"id": number}
        if action == "delete":
            return _("Activity %(id)s, deleted") % {"id": number}
        return _("Activity %(id)s") % {"id": number}
    if kind == "plan" and rest.startswith("session:"):
        return _("Planned session %(id)s") % {"id": rest.removeprefix("session:")}
    if kind == "tool":
        return _("Coach tool: %(name)s") % {"name": rest}
    if kind == "api":
        return _("API: %(call)s") % {"call": rest}
    if kind == "admin":
        return _("Administration: %(object)s") % {"object": rest}
    return code


@site_page
def access_log(request: HttpRequest) -> HttpResponse:
    me = viewer(request)
    records = AccessRecord.objects.filter(athlete=me).select_related("viewer").order_by("-at", "-pk")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [Seen(record, describe(record.what)) for record in page.object_list]
    context = {"page": page, "rows": rows, "zone": str(zone_of(me))}
    return render(request, "site/access_log.html", context)
