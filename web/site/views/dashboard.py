"""The athlete dashboard: weekly volume and load, form (PMC), zones, VMA and predictions."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analytics.queries.zones import ZonesAnalysis
from foulee.units import format_duration
from web.accounts.consent import WITHHELD, may_process_health
from web.activities.models import Activity
from web.site import charts, insights
from web.site.forms import NoteForm
from web.site.labels import distance_name, form_label
from web.site.models import CoachNote
from web.site.views.common import athlete_for, athlete_page, site_page, viewer
from web.site.views.notes import may_write_notes

RECENT_ACTIVITIES = 8
RECENT_NOTES = 10


def _day_month(day: Any) -> str:
    return formats.date_format(day, "j M")


def dashboard_charts(board: insights.Dashboard) -> dict[str, Any]:
    weeks = board.weeks
    labels = [_day_month(day) for day in weeks["week_start"]]
    every = max(1, len(labels) // 6)
    volume = charts.bar_chart(
        title=_("Running volume per week (km)"),
        description=_("Kilometres run each week, the last %(n)s weeks, oldest first.") % {"n": len(weeks)},
        labels=labels,
        values=[float(v) for v in weeks["distance_km"]],
        css_class="volume",
        label_every=every,
    )
    load = (
        charts.bar_chart(
            title=_("Training load per week (TRIMP)"),
            description=_("The training load of each week, every sport, oldest first."),
            labels=labels,
            values=[float(v) for v in weeks["load"]],
            css_class="load",
            label_every=every,
        )
        if "load" in weeks
        else None
    )
    series = board.load.series
    pmc = None
    if len(series):
        days = list(series["day"])
        x_values = [float(index) for index in range(len(days))]
        step = max(1, len(days) // 5)
        pmc = charts.line_chart(
            title=_("Fitness, fatigue and form"),
            description=_(
                "Fitness (chronic training load, 42 days), fatigue (acute load, 7 days) and form "
                "(fitness minus fatigue) for the last %(n)s days."
            )
            % {"n": len(days)},
            x_values=x_values,
            x_labels=[(x_values[i], _day_month(days[i])) for i in range(0, len(days), step)],
            series=[
                charts.Series(_("Fitness"), list(series["ctl"]), "fitness"),
                charts.Series(_("Fatigue"), list(series["atl"]), "fatigue"),
                charts.Series(_("Form"), list(series["tsb"]), "form"),
            ],
            zero_line=True,
        )
    zones = None
    if board.zones.available:
        table = board.zones.table
        zones = charts.share_bars(
            title=_("Time in heart-rate zones"),
            description=_("Share of training time spent in each heart-rate zone over the last 12 weeks."),
            labels=[_("Zone %(n)s") % {"n": int(n)} for n in table["zone"]],
            shares=[float(v) for v in table["share"]],
        )
    return {"volume_chart": volume, "load_chart": load, "pmc_chart": pmc, "zones_chart": zones}


def zones_source(zones: ZonesAnalysis) -> str:
    """Say what the zones card is computed from: measured samples, average HR, or both.

    Time in zones is measured only from heart-rate samples; an activity without
    them counts all its time in the zone of its average HR, which puts a whole
    interval session in one zone. The reader must know which they are looking at.
    """
    sampled = round(zones.share_from_samples * zones.activities)
    averaged = zones.activities - sampled
    parts = []
    if sampled:
        parts.append(
            ngettext(
                "Time in zones measured from the heart-rate samples of %(n)s activity.",
                "Time in zones measured from the heart-rate samples of %(n)s activities.",
                sampled,
            )
            % {"n": sampled}
        )
    if averaged:
        parts.append(
            ngettext(
                "From the average heart rate of %(n)s activity without samples: all its time "
                "counts in the zone of its average.",
                "From the average heart rate of %(n)s activities without samples: all the time "
                "of each counts in the zone of its average.",
                averaged,
            )
            % {"n": averaged}
        )
    return " ".join(parts)


@site_page
@athlete_page
def dashboard(request: HttpRequest, athlete_id: int | None = None) -> HttpResponse:
    athlete = athlete_for(request, athlete_id, "dashboard")
    today = timezone.localdate()
    health = may_process_health(athlete)
    board = insights.dashboard(athlete.pk, today, health=health)
    predictions = [
        {
            "name": distance_name(prediction.distance_m),
            "time": format_duration(prediction.time_s),
            "confidence": prediction.confidence,
            "available": prediction.available,
        }
        for prediction in board.predictions
    ]
    weeks = [
        {
            "week_start": row.week_start,
            "distance_km": row.distance_km,
            "moving_time_h": row.moving_time_h,
            "load": getattr(row, "load", None),
            "runs": row.runs,
        }
        for row in board.weeks.itertuples()
    ]
    pmc_last = None
    if len(board.load.series):
        pmc_rows = board.load.series.tail(14)
        pmc_last = [{"day": r.day, "ctl": r.ctl, "atl": r.atl, "tsb": r.tsb} for r in pmc_rows.itertuples()]
    vo2max = board.vma.vo2max
    context = {
        "athlete": athlete,
        "own": athlete.pk == request.user.pk,
        "health": health,
        "health_withheld": WITHHELD,
        "board": board,
        "weeks": weeks,
        "pmc_last": pmc_last,
        "form_label": form_label(board.load.today.code if board.load.today else None),
        "zones_rows": board.zones.table.to_dict("records") if board.zones.available else [],
        "zones_source": zones_source(board.zones) if board.zones.available else "",
        "predictions": predictions,
        "vo2max": vo2max if vo2max is not None and math.isfinite(vo2max) else None,
        "recent": Activity.objects.filter(user=athlete).order_by("-start_time")[:RECENT_ACTIVITIES],
        "notes": CoachNote.objects.filter(athlete=athlete).select_related("author")[:RECENT_NOTES],
        "note_form": NoteForm() if may_write_notes(viewer(request), athlete) else None,
        **dashboard_charts(board),
    }
    return render(request, "site/dashboard.html", context)
