"""Query results to JSON-ready values: NaN and NaT become null, numpy scalars Python ones.

JSON has no NaN, and Starlette refuses to write one (a 500 for an athlete who
simply has no heart-rate data), so the analytics' "unknown" must become null
before a response model sees it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, is_dataclass
from typing import Any

import numpy as np
import pandas as pd


def plain(value: Any) -> Any:
    """One value as JSON-ready Python: numbers, strings, dates, None, lists and dicts of them."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return _aware(value.to_pydatetime())
    if isinstance(value, dt.datetime):
        return _aware(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    return value


def _aware(value: dt.datetime) -> dt.datetime:
    """The analytics store keeps UTC; a value read back without its zone gets it again."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame's rows as dicts of plain values."""
    columns = [str(column) for column in frame.columns]
    return [
        {column: plain(value) for column, value in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]
