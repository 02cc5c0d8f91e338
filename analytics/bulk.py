"""Bulk upserts of DataFrames into the analytics store, at hundreds of thousands of rows a second.

Row-by-row ORM writes cost tens of microseconds per row in Python; a backfill
of a million activities cannot afford that. Here columns are converted to
driver values once per column (vectorised), then written with the fastest path
each backend offers:

* SQLite: one ``executemany`` of ``INSERT … ON CONFLICT DO UPDATE``;
* PostgreSQL: binary ``COPY`` (built by numpy, :mod:`analytics.pgcopy`) into a
  temporary staging table, then one ``INSERT … SELECT … ON CONFLICT DO UPDATE``;
  rows known to be new (:func:`insert`) are copied straight into the table.

Both run inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Boolean, Connection, Date, Integer, Table

from analytics import pgcopy
from analytics.schema import UTCDateTime

#: For psycopg's text rows (:func:`_copy`), the SQL type by which each PostgreSQL type is converted.
TEXT_FALLBACK_TYPES: dict[str, Any] = {
    "bigint": Integer(),
    "integer": Integer(),
    "smallint": Integer(),
    "boolean": Boolean(),
    "date": Date(),
    "timestamp with time zone": UTCDateTime(),
}

#: SQLAlchemy's SQLite storage format for datetimes, which UTCDateTime reads back.
SQLITE_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def upsert(
    conn: Connection,
    table: Table,
    frame: pd.DataFrame,
    *,
    keys: Sequence[str],
    update_where: str | None = None,
    accumulate: bool = False,
) -> None:
    """Insert ``frame``'s rows into ``table``, updating rows whose ``keys`` already exist.

    ``update_where`` is an SQL condition on the existing row (referred to by the
    table's name) that must hold for the update to happen. With ``accumulate``, an
    existing row gets the new values added to its own instead of replaced by them.
    """
    if frame.empty:
        return
    columns = [str(column) for column in frame.columns]
    updates = ", ".join(
        f"{column} = {table.name}.{column} + excluded.{column}"
        if accumulate
        else f"{column} = excluded.{column}"
        for column in columns
        if column not in keys
    )
    conflict = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    if update_where:
        conflict += f" WHERE {update_where}"
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        staging = _copy_to_staging(conn, table, frame)
        conn.exec_driver_sql(
            f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {staging} {conflict}"  # noqa: S608
        )
    else:
        placeholders = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(
            f"INSERT INTO {table.name} ({names}) VALUES ({placeholders}) {conflict}",  # noqa: S608
            _rows(conn, table, frame),
        )


def insert(conn: Connection, table: Table, frame: pd.DataFrame) -> None:
    """Insert ``frame``'s rows, none of which ``table`` has: ``COPY`` on PostgreSQL."""
    if frame.empty:
        return
    if conn.dialect.name == "postgresql":
        _copy(conn, table.name, frame)
        return
    columns = [str(column) for column in frame.columns]
    placeholders = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
        _rows(conn, table, frame),
    )


def fill_temporary(conn: Connection, name: str, frame: pd.DataFrame, ddl: str) -> None:
    """(Re)fill a temporary table ``name`` (created with column definitions ``ddl``) with ``frame``."""
    postgres = conn.dialect.name == "postgresql"
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} ({ddl})")
    # On PostgreSQL a DELETE leaves dead rows that no vacuum ever reclaims in a temporary
    # table: refilled batch after batch, it and its index would grow with the sync.
    conn.exec_driver_sql(f"{'TRUNCATE' if postgres else 'DELETE FROM'} {name}")
    if frame.empty:
        return
    if postgres:
        _copy(conn, name, frame)
        # Autovacuum never analyses temporary tables: without statistics the planner guesses
        # thousands of rows, and joins them to the whole store by a sequential scan.
        conn.exec_driver_sql(f"ANALYZE {name}")
    else:
        columns = ", ".join(str(column) for column in frame.columns)
        placeholders = ", ".join("?" for _ in frame.columns)
        conn.exec_driver_sql(
            f"INSERT INTO {name} ({columns}) VALUES ({placeholders})",  # noqa: S608
            _rows(conn, None, frame),
        )


def _copy_to_staging(conn: Connection, table: Table, frame: pd.DataFrame) -> str:
    staging = f"staging_{table.name}"
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} "
        f"(LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    conn.exec_driver_sql(f"TRUNCATE {staging}")
    _copy(conn, staging, frame)
    return staging


def _copy(conn: Connection, target: str, frame: pd.DataFrame) -> None:
    """PostgreSQL's COPY of ``frame`` into ``target``, in the connection's transaction.

    The binary format built by numpy (:mod:`analytics.pgcopy`) when it can be, else
    psycopg's text rows. Both follow the types of ``target``'s columns.
    """
    columns = [str(column) for column in frame.columns]
    names = ", ".join(columns)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    pg_types = _pg_types(cursor, target, columns)
    data = pgcopy.payload(frame, pg_types)
    if data is not None:
        with cursor.copy(f"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(data)
        return
    with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
        for row in _rows(conn, [TEXT_FALLBACK_TYPES.get(name) for name in pg_types], frame):
            copy.write_row(row)


def _pg_types(cursor: Any, target: str, columns: list[str]) -> list[str]:
    """The PostgreSQL type of each of ``target``'s ``columns``, as ``regtype`` names them."""
    cursor.execute(
        "SELECT attname, atttypid::regtype::text FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        (target,),
    )
    types = dict(cursor.fetchall())
    return [types[column] for column in columns]


def _rows(
    conn: Connection, types: Table | Sequence[Any] | None, frame: pd.DataFrame
) -> list[tuple[Any, ...]]:
    """``frame`` as driver-ready tuples: None for missing values, types as the driver wants them.

    ``types`` gives each column's SQL type: a table's, or one per column (None: unknown).
    Where there is none, the pandas dtypes decide.
    """
    sqlite = conn.dialect.name == "sqlite"
    column_types: list[Any]
    if isinstance(types, Table):
        column_types = [types.c[str(column)].type for column in frame.columns]
    else:
        column_types = list(types) if types is not None else [None] * len(frame.columns)
    converted = [
        _column(frame[column], column_type, sqlite)
        for column, column_type in zip(frame.columns, column_types, strict=True)
    ]
    return list(zip(*converted, strict=True))


def _column(series: pd.Series, column_type: Any, sqlite: bool) -> list[Any]:
    """One column as driver values, converted in bulk (no Python work per value where avoidable)."""
    missing = series.isna().to_numpy()
    values: npt.NDArray[Any]
    if isinstance(column_type, UTCDateTime) or pd.api.types.is_datetime64_any_dtype(series):
        stamps = pd.to_datetime(series, utc=True)
        if sqlite:
            values = stamps.dt.tz_localize(None).dt.strftime(SQLITE_DATETIME_FORMAT).to_numpy(dtype=object)
        else:
            values = np.array(stamps.dt.to_pydatetime(), dtype=object)
    elif isinstance(column_type, Date) or (len(series) and isinstance(series.iloc[0], dt.date)):
        days = pd.to_datetime(series)
        text = days.dt.strftime("%Y-%m-%d") if sqlite else days.dt.date
        values = text.to_numpy(dtype=object, copy=True)
    elif isinstance(column_type, Boolean) or series.dtype == bool:
        flags = series.fillna(False).astype(bool).to_numpy()
        values = flags.astype(np.int64).astype(object) if sqlite else flags.astype(object)
    elif isinstance(column_type, Integer) or pd.api.types.is_integer_dtype(series):
        values = pgcopy.int64_values(series).astype(object)
    elif pd.api.types.is_float_dtype(series):
        values = series.to_numpy(dtype=np.float64).astype(object)
    else:
        values = series.to_numpy(dtype=object, copy=True)
    # astype(object) turns numpy scalars into Python ints, floats and bools, which drivers take.
    values[missing] = None
    converted: list[Any] = values.tolist()
    return converted
