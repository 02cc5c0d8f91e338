"""Tools over the athlete's activities: the recent list, one activity's analysis, a manual entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from sqlalchemy import select

from agent.context import ToolContext, ToolResult
from agent.tools import schemas
from analytics import schema
from analytics.db import get_engine
from analytics.quality import reason_codes
from foulee import formatting
from foulee.sports import RUNNING_SPORTS
from foulee.units import format_duration, format_pace, km, pace_s_per_km
from web.accounts import consent
from web.activities.models import Activity
from web.activities.services import log_manual_activity

#: A manual entry with no time of day is placed at this local hour (a morning run).
DEFAULT_LOCAL_HOUR = 8


#: Quality reason codes about heart rate or the load derived from it: health data, withheld
#: with the rest without the athlete's consent (``web.accounts.consent``).
HR_REASONS = frozenset(
    {
        "no_hr",
        "hr_outside_human_range",
        "hr_avg_above_max",
        "hr_below_rest",
        "hr_far_above_hr_max",
        "load_unknown",
    }
)


def _summary(activity: Activity, tz: dt.tzinfo, *, health: bool = True) -> dict[str, Any]:
    """The activity's figures; its heart rate only when ``health`` (the athlete's consent)."""
    speed = activity.avg_speed_mps or (
        activity.distance_m / (activity.moving_time_s or activity.duration_s) if activity.duration_s else None
    )
    return {
        "id": activity.pk,
        "date": activity.start_time.astimezone(tz).date().isoformat(),
        "sport": activity.sport,
        "name": activity.name,
        "distance_km": formatting.round_half_up(km(activity.distance_m), 2),
        # The moving time; the elapsed time too when pauses make them differ by a minute or more.
        "duration": format_duration(activity.moving_time_s or activity.duration_s),
        "elapsed": format_duration(activity.duration_s)
        if activity.moving_time_s is not None and activity.duration_s - activity.moving_time_s >= 60
        else None,
        "pace": format_pace(pace_s_per_km(speed)) if speed else None,
        "avg_hr": int(formatting.rounded(activity.avg_hr, 0)) if activity.avg_hr and health else None,
    }


#: Activities listed for a window when the athlete names no count (the schema's maximum).
WINDOW_LIMIT = 20


def _in_window(
    ctx: ToolContext, args: schemas.WindowArgs
) -> tuple[QuerySet[Activity], dict[str, str] | None]:
    """The athlete's activities, within the window's local days when the arguments name one."""
    mine = Activity.objects.filter(user=ctx.athlete)
    if not args.has_window:
        return mine, None
    end = args.end or ctx.today
    start = args.start or end
    first = dt.datetime.combine(start, dt.time.min, tzinfo=ctx.timezone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=ctx.timezone)
    window = {"start": start.isoformat(), "end": end.isoformat()}
    return mine.filter(start_time__gte=first, start_time__lt=after), window


def recent_activities(ctx: ToolContext, args: schemas.RecentActivitiesArgs) -> ToolResult:
    """The latest activities, or those of the window (all of them, up to ``WINDOW_LIMIT``)."""
    mine, window = _in_window(ctx, args)
    limit = args.limit if window is None or "limit" in args.model_fields_set else WINDOW_LIMIT
    activities = mine.order_by("-start_time", "-id")[:limit]
    health = consent.may_process_health(ctx.athlete)
    rows = [_summary(activity, ctx.timezone, health=health) for activity in activities]
    data = {"activities": rows, "window": window}
    return ToolResult("recent_activities", "ok" if rows else "not_enough_data", data)


def activity_analysis(ctx: ToolContext, args: schemas.ActivityAnalysisArgs) -> ToolResult:
    """One activity, with what the analytics engine derived from it (load, VDOT, zones, quality).

    By id; else the window's latest run (its latest activity if it holds no run: "mon fractionné
    de jeudi"); else the latest activity.
    """
    mine, window = _in_window(ctx, args)
    if args.activity_id is not None:
        activity = Activity.objects.filter(user=ctx.athlete, pk=args.activity_id).first()
    else:
        latest = mine.order_by("-start_time", "-id")
        activity = latest.filter(sport__in=RUNNING_SPORTS).first() if window else None
        activity = activity or latest.first()
    if activity is None:
        # Same answer whether the id does not exist or belongs to someone else: nothing leaks.
        return ToolResult(
            "activity_analysis", "not_found", {"activity_id": args.activity_id, "window": window}
        )
    health = consent.may_process_health(ctx.athlete)
    data = _summary(activity, ctx.timezone, health=health)
    data["window"] = window
    a, f = schema.activity_table.c, schema.features_table.c
    with get_engine().connect() as conn:
        row = conn.execute(
            select(
                a.training_load, a.load_method, a.pace_ok, a.hr_ok, a.quality_note, a.vdot, a.vma_kmh
            ).where(a.id == activity.pk, a.athlete_id == ctx.athlete.pk)
        ).first()
    if row is not None:
        zone_row = None
        with get_engine().connect() as conn:
            zone_row = conn.execute(
                select(f.zone1_s, f.zone2_s, f.zone3_s, f.zone4_s, f.zone5_s)
                .select_from(schema.features_table.join(schema.activity_table, f.activity_id == a.id))
                .where(a.id == activity.pk, a.athlete_id == ctx.athlete.pk)
            ).first()
        data.update(
            {
                "load": int(formatting.rounded(row.training_load, 0))
                if row.training_load is not None
                else None,
                "load_method": row.load_method,
                "vdot": formatting.round_half_up(row.vdot, 1) if row.vdot else None,
                "vma_kmh": formatting.round_half_up(row.vma_kmh, 1) if row.vma_kmh else None,
                # The stored note is English; its reason codes let each channel word it in its language.
                "quality_note": row.quality_note or "",
                "quality_reasons": reason_codes(row.quality_note),
                "zones_min": (
                    [round((seconds or 0.0) / 60.0) for seconds in zone_row]
                    if zone_row is not None and any(value is not None for value in zone_row)
                    else None
                ),
            }
        )
    if not health:
        # Heart rate, its zones and the TRIMP load are health data: none without consent.
        reasons = [code for code in data.get("quality_reasons", []) if code not in HR_REASONS]
        data.update({"load": None, "load_method": None, "zones_min": None, "quality_reasons": reasons})
        data["quality_note"] = ""  # the stored English note may word heart-rate reasons
        data["health_withheld"] = True
    return ToolResult("activity_analysis", "ok", data)


def log_activity(ctx: ToolContext, args: schemas.LogActivityArgs) -> ToolResult:
    day = args.date or ctx.today
    if day > ctx.today:
        return ToolResult("log_activity", "invalid", {"errors": {"date": ["in the future"]}})
    start = dt.datetime.combine(day, dt.time(DEFAULT_LOCAL_HOUR), tzinfo=ctx.timezone)
    try:
        activity = log_manual_activity(
            ctx.athlete,
            start_time=start,
            distance_m=args.distance_m,
            duration_s=args.duration_s,
            sport=args.sport,
            avg_hr=args.avg_hr,
        )
    except ValidationError as error:
        return ToolResult("log_activity", "invalid", {"errors": error.message_dict})
    return ToolResult("log_activity", "ok", _summary(activity, ctx.timezone))
