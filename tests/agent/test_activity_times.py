"""The coach's reply on one activity names its time: the moving time, and the elapsed time too
when pauses made the clock run on."""

from __future__ import annotations

import datetime as dt

from agent import replies
from agent.context import ToolResult
from agent.tools.activities import _summary
from web.activities.models import Activity

START = dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC)


def _activity(duration_s: float, moving_time_s: float | None) -> Activity:
    return Activity(
        pk=1, start_time=START, distance_m=12594.6, duration_s=duration_s, moving_time_s=moving_time_s
    )


def test_a_run_with_a_long_stop_gives_both_times() -> None:
    data = _summary(_activity(5127.0, 4665.0), dt.UTC)
    assert (data["duration"], data["elapsed"]) == ("1:17:45", "1:25:27")
    result = ToolResult("activity_analysis", "ok", {**data, "quality_reasons": []})
    assert "1:17:45" in replies.render(result, "en") and "1:25:27 with the pauses" in replies.render(
        result, "en"
    )
    assert "1:25:27 avec les pauses" in replies.render(result, "fr")


def test_a_run_without_pauses_gives_one_time() -> None:
    assert _summary(_activity(5127.0, 5100.0), dt.UTC)["elapsed"] is None
    assert _summary(_activity(5127.0, None), dt.UTC)["elapsed"] is None
