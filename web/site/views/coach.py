"""The coach's area: their athletes at a glance. An athlete's full view reuses the athlete pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from web.accounts.access import record_accesses
from web.accounts.models import Role
from web.accounts.scoping import visible_athletes
from web.accounts.timezones import zone_of
from web.site import insights
from web.site.labels import form_label
from web.site.views.common import site_page, viewer


@site_page
def athletes(request: HttpRequest) -> HttpResponse:
    me = viewer(request)
    if not (me.is_coach or me.is_superuser):
        raise PermissionDenied
    people = (
        visible_athletes(me)
        .exclude(pk=me.pk)
        .filter(role=Role.ATHLETE)
        .annotate(last_activity=Max("activities__start_time"))
        .select_related("profile")
        .order_by("full_name", "email")
    )
    rows = []
    seen_ids = []
    for athlete in people:
        seen_ids.append(athlete.pk)
        # Each athlete's own today: the last 7 days are the days of their runs.
        seen = insights.glance(athlete.pk, dt.datetime.now(zone_of(athlete)).date())
        rows.append({"athlete": athlete, "glance": seen, "form_label": form_label(seen.form_code)})
    # The overview reads each athlete's last days: each of them sees it in their access record.
    record_accesses(me, seen_ids, "overview")
    return render(request, "site/coach_athletes.html", {"rows": rows})
