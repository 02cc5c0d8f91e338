"""Activities: the list with filters, one activity with its charts, upload, edit and delete."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

# Pace is drawn only above the running threshold analytics uses: slower is a stop, whose pace means nothing.
from analytics import samples as sample_store
from analytics.features import MIN_RUNNING_SPEED_MPS
from analytics.importing.batch import BatchSummary
from analytics.importing.service import ImportResult
from foulee import formatting
from foulee.config import get_settings
from foulee.units import format_duration, format_pace, km, pace_s_per_km
from web.accounts.consent import WITHHELD, may_process_health
from web.accounts.models import User
from web.accounts.scoping import can_view_athlete
from web.activities.models import Activity
from web.activities.uploads import UploadForm, import_uploads
from web.site import charts, insights
from web.site.forms import ActivityEditForm, ActivityFilterForm
from web.site.labels import distance_name
from web.site.views.common import athlete_for, athlete_page, site_page, viewer

PAGE_SIZE = 25
SMOOTHING_SAMPLES = 15
#: Pace axes tick every 15 s, 30 s, 1, 2, 3 or 5 min: the steps runners count in.
PACE_TICK_STEPS_S = (15.0, 30.0, 60.0, 120.0, 180.0, 300.0)


def _activity_of(request: HttpRequest, pk: int, action: str = "") -> Activity:
    """An activity the viewer may see (404 otherwise, as if it did not exist); ``action`` is recorded."""
    activity: Activity = get_object_or_404(Activity.objects.select_related("user"), pk=pk)
    what = f"activity:{pk}:{action}" if action else f"activity:{pk}"
    if not can_view_athlete(viewer(request), activity.user_id, what=what):
        raise Http404
    return activity


def _filtered(athlete: User, form: ActivityFilterForm) -> QuerySet[Activity]:
    activities = Activity.objects.filter(user=athlete).order_by("-start_time")
    if not form.is_valid():
        return activities
    data = form.cleaned_data
    if data.get("sport"):
        activities = activities.filter(sport=data["sport"])
    zone = timezone.get_current_timezone()
    if data.get("since"):
        activities = activities.filter(start_time__gte=dt.datetime.combine(data["since"], dt.time(), zone))
    if data.get("until"):
        end = dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time(), zone)
        activities = activities.filter(start_time__lt=end)
    return activities


@site_page
@athlete_page
def activity_list(request: HttpRequest, athlete_id: int | None = None) -> HttpResponse:
    athlete = athlete_for(request, athlete_id, "activities")
    form = ActivityFilterForm(request.GET or None)
    page = Paginator(_filtered(athlete, form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"athlete": athlete, "own": athlete.pk == request.user.pk, "form": form, "page": page}
    context["health"] = may_process_health(athlete)
    context["query"] = query.urlencode()
    return render(request, "site/activity_list.html", context)


def detail_charts(analysis: insights.ActivityAnalysis, *, health: bool = True) -> dict[str, Any]:
    """The activity's charts; heart rate's only with ``health``, the athlete's consent to health data."""
    samples = analysis.samples
    if samples is None or samples["distance_m"].isna().all():
        return {}
    distance = samples["distance_m"].to_numpy(dtype=float)
    recorded = ~np.isnan(distance)
    distance_km = distance[recorded] / 1000.0
    x_values = [float(v) for v in distance_km]
    ticks = charts.nice_ticks(float(distance_km.min()), float(distance_km.max()), 5)
    shown = [t for t in ticks if distance_km.min() <= t <= distance_km.max()]
    x_labels = [(t, formatting.km(t * 1000.0)) for t in shown]
    result: dict[str, Any] = {}
    # Instant speed is noisy (GPS): a centred rolling mean over ~15 samples shows the pace run.
    speed = sample_store.chart_speed(samples, SMOOTHING_SAMPLES)[recorded]
    if not np.isnan(speed).all():
        with np.errstate(divide="ignore", invalid="ignore"):
            pace = np.where(speed > MIN_RUNNING_SPEED_MPS, 1000.0 / speed, np.nan)
        if not np.isnan(pace).all():
            # Stops and restarts give a few absurd paces: the axis covers the 2nd to 98th percentiles.
            low, high = np.nanpercentile(pace, [2, 98])
            pace[(pace < low) | (pace > high)] = np.nan
        result["pace_chart"] = charts.line_chart(
            title=_("Pace over distance"),
            description=_("Pace per kilometre along the activity; faster is higher."),
            x_values=x_values,
            x_labels=x_labels,
            series=[charts.Series(_("Pace"), list(pace), "pace")],
            y_format=format_duration,
            invert_y=True,
            y_steps=PACE_TICK_STEPS_S,
        )
    heart_rate = samples["hr"].to_numpy(dtype=float)[recorded]
    if health and not np.isnan(heart_rate).all():
        result["hr_chart"] = charts.line_chart(
            title=_("Heart rate over distance (bpm)"),
            description=_("Heart rate in beats per minute along the activity."),
            x_values=x_values,
            x_labels=x_labels,
            series=[charts.Series(_("Heart rate"), list(heart_rate), "heart-rate")],
        )
    altitude = samples["altitude_m"].to_numpy(dtype=float)[recorded]
    if not np.isnan(altitude).all():
        result["elevation_chart"] = charts.line_chart(
            title=_("Elevation over distance (m)"),
            description=_("Altitude in metres along the activity."),
            x_values=x_values,
            x_labels=x_labels,
            series=[charts.Series(_("Elevation"), list(altitude), "elevation")],
        )
    return result


@site_page
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_of(request, pk)
    analysis = insights.activity_analysis(activity.pk)
    # Heart rate, its chart and the TRIMP load are health data: the athlete's consent, whoever looks.
    health = may_process_health(activity.user)
    best_distances = [
        {
            "distance": distance_name(target),
            "time": format_duration(seconds),
            "pace": format_pace(seconds / km(target)),
        }
        for target, seconds in analysis.best_distances
    ]
    best_durations = [
        {
            "duration": format_duration(seconds),
            "distance_m": metres,
            "pace": format_pace(pace_s_per_km(metres / seconds)),
        }
        for seconds, metres in analysis.best_durations
    ]
    context = {
        "activity": activity,
        "athlete": activity.user,
        "own": activity.user_id == request.user.pk,
        "analysis": analysis,
        "best_distances": best_distances,
        "best_durations": best_durations,
        "vdot": analysis.vdot if analysis.vdot is not None and math.isfinite(analysis.vdot) else None,
        "health": health,
        "health_withheld": WITHHELD,
        **detail_charts(analysis, health=health),
    }
    return render(request, "site/activity_detail.html", context)


@site_page
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_of(request, pk, "edit")
    form = ActivityEditForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The activity is saved."))
        return redirect("site:activity", pk=activity.pk)
    return render(request, "site/activity_edit.html", {"activity": activity, "form": form})


@site_page
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_of(request, pk, "delete")
    if request.method == "POST":
        athlete = activity.user
        # The deletion leaves a tombstone the analytics sync applies (web/activities/signals.py).
        activity.delete()
        messages.success(request, _("The activity is deleted."))
        if athlete.pk == request.user.pk:
            return redirect("site:activities")
        return redirect("site:athlete_activities", athlete_id=athlete.pk)
    return render(request, "site/activity_delete.html", {"activity": activity})


@site_page
@athlete_page
def upload(request: HttpRequest, athlete_id: int | None = None) -> HttpResponse:
    """Files or a Strava export, for the viewer or one of their athletes, through the import service."""
    athlete = athlete_for(request, athlete_id, "upload")
    data = None
    if request.method == "POST":
        # The athlete is the page's, whatever the form says: the admin's form is reused as it is.
        data = request.POST.copy()
        data["athlete"] = str(athlete.pk)
    form = UploadForm(
        data,
        request.FILES or None,
        athletes=User.objects.filter(pk=athlete.pk),
        initial={"athlete": athlete.pk},
    )
    form.fields["athlete"].widget = form.fields["athlete"].hidden_widget()
    summary = BatchSummary()
    results = []
    if request.method == "POST" and form.is_valid():
        results = list(import_uploads(athlete, form.cleaned_data["uploads"], summary))
    if request.method == "POST" and _wants_json(request):
        return _upload_answer(request, form, results, summary)
    context = {
        "athlete": athlete,
        "own": athlete.pk == request.user.pk,
        "form": form,
        "results": results,
        "summary": summary,
        "max_upload_mb": get_settings().max_upload_mb,
    }
    return render(request, "site/upload.html", context)


def _wants_json(request: HttpRequest) -> bool:
    """``static/site/upload.js`` sends each file alone and asks for its result as JSON."""
    return "application/json" in request.headers.get("Accept", "")


def _upload_answer(
    request: HttpRequest, form: UploadForm, results: list[ImportResult], summary: BatchSummary
) -> JsonResponse:
    """One file's result lines (a zip has one per activity), rendered as the page renders them.

    The rows are the page's own template (``upload_rows.html``, escaped by Django), so the
    script and the plain form show the same line; the counts add up in the script.
    """
    if not form.is_valid():
        errors = [str(message) for messages in form.errors.values() for message in messages]
        return JsonResponse({"errors": errors}, status=400)
    rows = render_to_string("site/upload_rows.html", {"results": results}, request)
    return JsonResponse(
        {
            "rows": rows,
            "imported": summary.imported,
            "duplicates": summary.duplicates,
            "errors": summary.errors,
        }
    )
