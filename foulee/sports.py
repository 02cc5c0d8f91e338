"""Sport codes shared by the system of record and the analytics engine."""

from __future__ import annotations

from typing import Final

RUN: Final = "run"
TRAIL_RUN: Final = "trail_run"
TREADMILL: Final = "treadmill"

#: Sports whose pace and distance count as running (VMA, predictions, pace trends).
RUNNING_SPORTS: Final[frozenset[str]] = frozenset({RUN, TRAIL_RUN, TREADMILL})
