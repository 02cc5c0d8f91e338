"""PostgreSQL's binary COPY format, built from a DataFrame by numpy.

``COPY … FROM STDIN (FORMAT BINARY)`` takes rows as a header, then per row a
16-bit field count and per field a 32-bit length (-1 for NULL) followed by the
value in network byte order, then a trailer
(https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4).
psycopg's ``write_row`` builds that (or the text format) in Python, a value at a
time: about a second for 200,000 activity rows of two dozen columns.

Here rows are grouped by *layout*: which fields are NULL and how long each text
field is. All rows of a group have the same byte layout, so the group is one
numpy structured array filled column by column, and its bytes are the payload.
A batch has a handful of layouts (NULL patterns, a few distinct quality notes);
:func:`payload` gives up (returns None) when a frame has too many, and the
caller falls back to psycopg's rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

HEADER: Final = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, header extension length
TRAILER: Final = b"\xff\xff"
#: More layouts than this and the per-group Python work outweighs what numpy saves.
MAX_LAYOUTS: Final = 512

#: PostgreSQL type (as ``regtype`` names it) → the big-endian numpy type of its binary value.
FIXED_TYPES: Final = {
    "bigint": ">i8",
    "integer": ">i4",
    "smallint": ">i2",
    "double precision": ">f8",
    "boolean": "u1",
    "date": ">i4",  # days since 2000-01-01
    "timestamp with time zone": ">i8",  # microseconds since 2000-01-01 00:00 UTC
}
TEXT_TYPES: Final = frozenset({"text", "character varying"})
SUPPORTED: Final = frozenset(FIXED_TYPES) | TEXT_TYPES

_EPOCH_DAY: Final = np.datetime64("2000-01-01", "D")
_EPOCH_US: Final = np.datetime64("2000-01-01T00:00:00", "us")


class _Field:
    """One column: each row's value (fixed-width, or text by its code) and its size (-1: NULL)."""

    text: npt.NDArray[np.bytes_] | None = None  # each distinct text, UTF-8, for text columns
    codes: npt.NDArray[np.intp]  # each row's text (-1: NULL)
    values: npt.NDArray[Any]  # each row's value, for fixed-width columns
    dtype: np.dtype[Any]
    sizes: npt.NDArray[np.int32]

    def __init__(self, series: pd.Series, pg_type: str) -> None:
        missing = series.isna().to_numpy()
        if pg_type in TEXT_TYPES:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            encoded = [str(value).encode() for value in uniques]
            lengths = np.array([len(value) for value in encoded] + [-1], dtype=np.int32)
            self.text = np.array(encoded or [b""], dtype=np.bytes_)
            self.codes = codes
            self.sizes = lengths[codes]  # code -1 picks the trailing -1
            return
        self.dtype = np.dtype(FIXED_TYPES[pg_type])
        self.values = _fixed_values(series, pg_type, missing).astype(self.dtype)
        self.sizes = np.where(missing, -1, self.dtype.itemsize).astype(np.int32)

    def take(self, rows: npt.NDArray[np.intp]) -> npt.NDArray[Any]:
        if self.text is not None:
            return self.text[self.codes[rows]]
        return self.values[rows]

    def value_dtype(self, size: int) -> np.dtype[Any]:
        return np.dtype(f"S{size}") if self.text is not None else self.dtype


def _fixed_values(series: pd.Series, pg_type: str, missing: npt.NDArray[np.bool_]) -> npt.NDArray[Any]:
    if pg_type == "date":
        days = pd.to_datetime(series).to_numpy(dtype="datetime64[D]")
        return np.where(missing, 0, (days - _EPOCH_DAY).astype(np.int64))
    if pg_type == "timestamp with time zone":
        stamps = pd.to_datetime(series, utc=True).dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
        return np.where(missing, 0, (stamps - _EPOCH_US).astype(np.int64))
    if pg_type == "boolean":
        return series.fillna(False).astype(bool).to_numpy()
    if pg_type == "double precision":
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return int64_values(series)


def int64_values(series: pd.Series) -> npt.NDArray[np.int64]:
    """An integer column's values, 0 where missing (a NULL the caller writes instead)."""
    if pd.api.types.is_integer_dtype(series):
        exact: npt.NDArray[np.int64] = series.to_numpy(dtype=np.int64, na_value=0)
        return exact
    # pandas keeps integer columns with gaps as floats (exact up to 2**53).
    floats = series.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.where(np.isnan(floats), 0.0, floats).astype(np.int64)


def payload(frame: pd.DataFrame, pg_types: Sequence[str]) -> bytes | None:
    """``frame`` in COPY's binary format for columns of these types; None if it cannot be built.

    None when a type is not one of :data:`SUPPORTED` or the rows have more than
    :data:`MAX_LAYOUTS` layouts.
    """
    if any(pg_type not in SUPPORTED for pg_type in pg_types):
        return None
    fields = [_Field(frame[column], pg_type) for column, pg_type in zip(frame.columns, pg_types, strict=True)]
    group_of_row = _layout_groups([field.sizes for field in fields], len(frame))
    groups = int(group_of_row.max()) + 1 if len(frame) else 0
    if groups > MAX_LAYOUTS:
        return None
    # Rows of each layout in their original order (stable), one slice per layout.
    order = np.argsort(group_of_row, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(group_of_row, minlength=groups))])
    parts = [HEADER]
    for start, stop in itertools.pairwise(bounds):
        rows = order[start:stop]
        layout = [int(field.sizes[rows[0]]) for field in fields]
        parts.append(_rows_bytes(fields, layout, rows))
    parts.append(TRAILER)
    return b"".join(parts)


def _layout_groups(sizes: list[npt.NDArray[np.int32]], count: int) -> npt.NDArray[np.intp]:
    """A group number per row, equal for rows whose fields all have the same sizes.

    Each column's sizes are folded into the key one at a time, renumbered after each
    so that the key stays small (one-dimensional uniques: no row-wise sort).
    """
    key = np.zeros(count, dtype=np.intp)
    for column in sizes:
        values, codes = np.unique(column, return_inverse=True)
        if len(values) > 1:
            _, key = np.unique(key * len(values) + codes, return_inverse=True)
    return key


def _rows_bytes(fields: list[_Field], layout: list[int], rows: npt.NDArray[np.intp]) -> bytes:
    """The binary rows of ``rows``, which all have ``layout`` (each field's size, -1 for NULL)."""
    spec: list[tuple[str, Any]] = [("count", ">i2")]
    for index, (field, size) in enumerate(zip(fields, layout, strict=True)):
        spec.append((f"l{index}", ">i4"))
        if size > 0:
            spec.append((f"v{index}", field.value_dtype(size)))
    records = np.empty(len(rows), dtype=np.dtype(spec))
    records["count"] = len(fields)
    for index, (field, size) in enumerate(zip(fields, layout, strict=True)):
        records[f"l{index}"] = size
        if size > 0:
            records[f"v{index}"] = field.take(rows)
    return records.tobytes()
