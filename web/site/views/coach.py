"""The coach's home: who needs attention and why, then every athlete at a glance.

An athlete's full view reuses the athlete pages (``athletes/<id>/…``); the admin stays for the
coach's power use and is linked from here and from the coach's navigation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from web.accounts.access import record_accesses
from web.accounts.consent import may_process_health
from web.accounts.models import Role
from web.accounts.scoping import visible_athletes
from web.accounts.timezones import zone_of
from web.coaching import attention
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
    now = dt.datetime.now(dt.UTC)
    rows: list[dict[str, Any]] = []
    seen_ids = []
    for athlete in people:
        seen_ids.append(athlete.pk)
        # Each athlete's own today: the last 7 days are the days of their runs.
        seen = insights.glance(
            athlete.pk, dt.datetime.now(zone_of(athlete)).date(), health=may_process_health(athlete)
        )
        rows.append(
            {
                "athlete": athlete,
                "glance": seen,
                "form_label": form_label(seen.form_code),
                "attention": attention.concerns_for(athlete, now),
            }
        )
    # The overview reads each athlete's last days: each of them sees it in their access record.
    record_accesses(me, seen_ids, "overview")
    context = {
        "rows": rows,
        "attention_rows": [row for row in rows if row["attention"].needs_attention],
    }
    return render(request, "site/coach_athletes.html", context)
