"""Tools over the analytics queries: summary, trends, zones, VMA, predictions, load, records.

Each is a thin call: open a connection, run one query for ``ctx.athlete``,
turn the result into JSON-safe numbers (SI units and their human forms).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from agent.context import Status, ToolContext, ToolResult
from agent.tools import schemas
from analytics import queries
from analytics.db import get_engine
from analytics.queries.trends import SPEED_WINDOW
from foulee import formatting
from foulee.units import format_duration, format_pace, pace_s_per_km
from web.accounts import consent


def _num(value: Any, digits: int = 2) -> float | None:
    """A rounded float, or None for NaN and missing values (JSON has no NaN)."""
    if value is None:
        return None
    number = float(value)
    return None if not math.isfinite(number) else formatting.round_half_up(number, digits)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as plain dicts (pandas' typed accessors are too loose for mypy)."""
    return [{str(key): value for key, value in row.items()} for row in frame.to_dict("records")]


def _week_row(row: dict[str, Any], *, health: bool = True) -> dict[str, Any]:
    """A week's totals; its TRIMP load (heart-rate data) only with ``health``, the athlete's consent."""
    return {
        "week_start": row["week_start"].isoformat(),
        "distance_km": _num(row["distance_km"], 1),
        "moving_time_h": _num(row["moving_time_h"]),
        "avg_speed_kmh": _num(row["avg_speed_kmh"]),
        "load": _num(row["load"], 0) if health else None,
        "runs": int(row["runs"]),
        "activities": int(row["activities"]),
    }


def _pace(speed_kmh: float | None) -> str | None:
    return format_pace(pace_s_per_km(speed_kmh / 3.6)) if speed_kmh else None


def _window(args: schemas.WindowArgs, ctx: ToolContext) -> dict[str, str] | None:
    if not args.has_window:
        return None
    end = args.end or ctx.today
    return {"start": (args.start or end).isoformat(), "end": end.isoformat()}


def weekly_summary(ctx: ToolContext, args: schemas.WeeklySummaryArgs) -> ToolResult:
    """The current week (and, early in a week, the last complete one), or the window asked about.

    The average is over ``weeks`` *complete* weeks before the current one: a week two days old
    would pull it down.
    """
    with get_engine().connect() as conn:
        frame = queries.weekly_dashboard(conn, ctx.athlete.pk, weeks=args.weeks + 1, today=ctx.today)
        period: dict[str, Any] | None = None
        if args.has_window:
            end = args.end or ctx.today
            start = args.start or end - dt.timedelta(days=end.weekday())
            period = {
                **queries.period_totals(conn, ctx.athlete.pk, start, end),
                "start": start.isoformat(),
                "end": end.isoformat(),
            }
    health = consent.may_process_health(ctx.athlete)
    weeks = [_week_row(row, health=health) for row in _records(frame)]
    complete, this_week = weeks[:-1], weeks[-1]
    data: dict[str, Any] = {
        "weeks": args.weeks,
        "today": ctx.today.isoformat(),
        "this_week": this_week,
        "pace": _pace(this_week["avg_speed_kmh"]),
        "last_week": {**complete[-1], "pace": _pace(complete[-1]["avg_speed_kmh"])},
        # Monday and Tuesday: the current week has barely started, the last complete one says more.
        "early_in_week": ctx.today.weekday() <= 1,
        "average_km": _num(sum(week["distance_km"] or 0.0 for week in complete) / len(complete), 1),
        "history": weeks[1:],
        "period": None,
    }
    if period is not None:
        data["period"] = {
            "start": period["start"],
            "end": period["end"],
            "distance_km": _num(period["distance_km"], 1),
            "moving_time_h": _num(period["moving_time_h"]),
            "pace": _pace(period["avg_speed_kmh"]),
            "load": _num(period["load"], 0) if health else None,
            "runs": period["runs"],
            "activities": period["activities"],
            "longest_km": _num(period["longest_km"], 1),
        }
    shown = weeks[1:]
    active = any(week["activities"] for week in weeks) or bool(period and period["activities"])
    status: Status = "ok" if active else "not_enough_data"
    chart = {"weeks": [w["week_start"] for w in shown], "km": [w["distance_km"] for w in shown]}
    return ToolResult("weekly_summary", status, data, chart)


#: A trend needs at least this many runs in the window, each with a full moving average behind it.
MIN_TREND_RUNS = 2


def performance_trends(ctx: ToolContext, args: schemas.WeeksArgs) -> ToolResult:
    """Speed trend from the window's first full 7-run moving average to its last, never from one run."""
    with get_engine().connect() as conn:
        frame = queries.performance_trends(
            conn, ctx.athlete.pk, weeks=args.weeks, today=ctx.today, start=args.start, end=args.end
        )
    window = _window(args, ctx)
    full = frame[frame["speed_runs"] >= SPEED_WINDOW] if not frame.empty else frame
    if len(full) < MIN_TREND_RUNS:
        data: dict[str, Any] = {"weeks": args.weeks, "runs": len(frame), "needed_runs": SPEED_WINDOW}
        data["window"] = window
        return ToolResult("performance_trends", "not_enough_data", data)
    rows = _records(full)
    first, last = rows[0], rows[-1]
    change = float(last["speed_trend_kmh"] - first["speed_trend_kmh"])
    data = {
        "weeks": args.weeks,
        "window": window,
        "runs": len(frame),
        "speed_trend_start_kmh": _num(first["speed_trend_kmh"]),
        "speed_trend_now_kmh": _num(last["speed_trend_kmh"]),
        "trend_from": first["start_time"].date().isoformat(),
        "trend_to": last["start_time"].date().isoformat(),
        "speed_change_kmh": _num(change),
        "direction": "up" if change > 0.1 else "down" if change < -0.1 else "flat",
        # The spread of the TRIMP load: heart-rate data, none without the athlete's consent.
        "load_stability": _num(last["load_stability"], 1)
        if consent.may_process_health(ctx.athlete)
        else None,
    }
    return ToolResult("performance_trends", "ok", data)


def zones_analysis(ctx: ToolContext, args: schemas.WeeksArgs) -> ToolResult:
    with get_engine().connect() as conn:
        analysis = queries.zones_analysis(
            conn, ctx.athlete.pk, weeks=args.weeks, today=ctx.today, start=args.start, end=args.end
        )
    window = _window(args, ctx)
    if not analysis.available:
        data: dict[str, Any] = {"weeks": args.weeks, "window": window, "note": analysis.note}
        return ToolResult("zones_analysis", "not_enough_data", data)
    zones = [
        {
            "zone": int(row["zone"]),
            "name": str(row["name"]),
            "low_bpm": int(row["low_bpm"]),
            "high_bpm": int(row["high_bpm"]),
            "hours": _num(row["hours"]),
            "share": _num(row["share"], 3),
        }
        for row in _records(analysis.table)
    ]
    data = {
        "weeks": args.weeks,
        "window": window,
        "method": analysis.method,
        "hr_max": _num(analysis.hr_max, 0),
        "hr_max_source": analysis.hr_max_source,
        "hr_rest": _num(analysis.hr_rest, 0),
        "activities": analysis.activities,
        "zones": zones,
        "easy_share": _num(sum(zone["share"] or 0.0 for zone in zones[:2]), 3),
        "note": analysis.note,
    }
    chart = {"zones": [z["name"] for z in zones], "hours": [z["hours"] for z in zones]}
    return ToolResult("zones_analysis", "ok", data, chart)


def estimate_vma(ctx: ToolContext, args: schemas.WeeksArgs) -> ToolResult:
    with get_engine().connect() as conn:
        estimate = queries.estimate_vma(
            conn, ctx.athlete.pk, weeks=args.weeks, today=ctx.today, start=args.start, end=args.end
        )
    window = _window(args, ctx)
    if not estimate.available:
        data: dict[str, Any] = {"weeks": args.weeks, "window": window, "note": estimate.method}
        return ToolResult("estimate_vma", "not_enough_data", data)
    data = {
        "vma_kmh": _num(estimate.vma_kmh, 1),
        "vo2max": _num(estimate.vo2max, 1),
        "method": estimate.method,
        "basis": estimate.basis,
        "activity_id": estimate.activity_id,
        "activity_date": estimate.activity_date.isoformat() if estimate.activity_date else None,
        "weeks": args.weeks,
        "window": window,
    }
    return ToolResult("estimate_vma", "ok", data)


def predict_race(ctx: ToolContext, args: schemas.PredictRaceArgs) -> ToolResult:
    with get_engine().connect() as conn:
        prediction = queries.predict_race(conn, ctx.athlete.pk, args.distance_m, today=ctx.today)
    if not prediction.available or prediction.time_s is None:
        return ToolResult(
            "predict_race", "not_enough_data", {"distance_m": args.distance_m, "note": prediction.method}
        )
    estimates = {
        "VDOT": prediction.vdot_time_s,
        "Riegel": prediction.riegel_time_s,
        "personal": prediction.personal_time_s,
    }
    data: dict[str, Any] = {
        "distance_m": args.distance_m,
        "distance_km": _num(args.distance_m / 1000.0, 3),
        "time_s": _num(prediction.time_s, 0),
        "time": format_duration(prediction.time_s),
        "pace": format_pace(prediction.time_s / (args.distance_m / 1000.0)),
        "vdot": _num(prediction.vdot, 1),
        "confidence": prediction.confidence,
        "estimates": {name: format_duration(value) for name, value in estimates.items() if value},
        "method": prediction.method,
        "notes": list(prediction.notes),
        "low_volume_km_per_week": _num(prediction.low_volume_km_per_week, 0),
    }
    basis = prediction.basis
    chart = {
        "distance_km": args.distance_m / 1000.0,
        "estimates": {name: value for name, value in estimates.items() if value},
        "time_s": prediction.time_s,
        # The run the prediction comes from: the chart draws its pace against the predicted ones.
        "basis_distance_m": basis.distance_m if basis else None,
        "basis_time_s": basis.time_s if basis else None,
        "basis_day": basis.day.isoformat() if basis else None,
    }
    return ToolResult("predict_race", "ok", data, chart)


def training_load(ctx: ToolContext, args: schemas.TrainingLoadArgs) -> ToolResult:
    with get_engine().connect() as conn:
        load = queries.training_load(
            conn, ctx.athlete.pk, days=args.days, today=ctx.today, start=args.start, end=args.end
        )
    window = _window(args, ctx)
    if load.today is None:
        return ToolResult("training_load", "not_enough_data", {"note": load.note, "window": window})
    reading = load.today
    data: dict[str, Any] = {
        "fitness": _num(reading.fitness, 1),
        "fatigue": _num(reading.fatigue, 1),
        "form": _num(reading.form, 1),
        "form_code": reading.code,
        "form_label": reading.label,
        "ramp_per_week": _num(reading.ramp_per_week, 1),
        "history_days": load.history_days,
        "day": reading.day.isoformat(),
        "window": window,
    }
    series = load.series
    chart = {
        "days": [day.isoformat() for day in series["day"]],
        "ctl": [float(v) for v in series["ctl"]],
        "atl": [float(v) for v in series["atl"]],
        "tsb": [float(v) for v in series["tsb"]],
    }
    return ToolResult("training_load", "ok", data, chart)


#: Race results shown at most, newest first.
RACES_SHOWN = 8


def race_results(ctx: ToolContext) -> list[dict[str, Any]]:
    """The athlete's races (``web.activities.services.race_results``), newest first, as said."""
    from web.activities.services import race_results as races_of

    results = []
    for run in races_of(ctx.athlete)[:RACES_SHOWN]:
        time_s = run.moving_time_s or run.duration_s
        distance_m = float(run.distance_m or 0.0)
        results.append(
            {
                "kind": "race",
                "name": run.name,
                "date": run.start_time.astimezone(ctx.timezone).date().isoformat(),
                "distance_km": _num(distance_m / 1000.0, 2),
                "display": format_duration(time_s) if time_s else None,
                "pace": format_pace(pace_s_per_km(distance_m / time_s)) if time_s and distance_m else None,
                "activity_id": run.pk,
            }
        )
    return results


def personal_records(ctx: ToolContext, args: schemas.NoArgs) -> ToolResult:
    """Race results first (the athlete's races), then best efforts, each saying which it is."""
    races = race_results(ctx)
    with get_engine().connect() as conn:
        frame = queries.personal_records(conn, ctx.athlete.pk)
    if frame.empty and not races:
        return ToolResult("personal_records", "not_enough_data", {})
    race_ids = {race["activity_id"] for race in races}
    records = []
    for row in _records(frame):
        is_distance = row["kind"] == "distance"
        records.append(
            {
                "effort": row["effort"],
                "kind": row["kind"],
                "target": _num(row["target"], 1),
                "value": _num(row["value"], 1),
                "display": format_duration(row["value"])
                if is_distance
                else f"{row['value'] / 1000.0:.2f} km",
                "label": f"{row['target'] / 1000.0:g} km" if is_distance else f"{row['target'] / 60.0:g} min",
                "date": row["date"].isoformat() if hasattr(row["date"], "isoformat") else str(row["date"]),
                "activity_id": int(row["activity_id"]),
                # A best effort: a stretch found inside a run's samples, or a whole run of that distance;
                # "in_race" when that run is one of the races above.
                "source": "segment" if row.get("from_samples") else "whole_run",
                "in_race": int(row["activity_id"]) in race_ids,
            }
        )
    return ToolResult("personal_records", "ok", {"races": races, "records": records})
