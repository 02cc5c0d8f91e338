"""PostgreSQL's binary COPY built by numpy: every supported type, NULLs, text, and the fallback."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from analytics import bulk, pgcopy

COLUMNS = {
    "big": "BIGINT",
    "small": "SMALLINT",
    "num": "INTEGER",
    "x": "DOUBLE PRECISION",
    "flag": "BOOLEAN",
    "day": "DATE",
    "at": "TIMESTAMPTZ",
    "code": "VARCHAR(16)",
    "note": "TEXT",
}
DDL = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())


def sample() -> pd.DataFrame:
    """Three rows with a NULL in every nullable column somewhere, unicode, and an empty text."""
    return pd.DataFrame(
        {
            "big": [1, 2**62 + 1, -7],  # beyond a float's 53 bits
            # Integers with gaps: as floats (pandas' default) and as its nullable integers.
            "small": pd.array([1, None, -3], dtype="Int64"),
            "num": [70_000, 5, None],
            "x": [1.5, np.nan, -1e-300],
            "flag": [True, False, None],
            "day": [dt.date(2026, 3, 1), dt.date(1999, 12, 31), None],
            "at": pd.to_datetime(
                pd.Series(["2026-03-01 08:00:00.123456+00:00", None, "1970-01-01 00:00:00+02:00"]),
                utc=True,
                format="ISO8601",
            ),
            "code": ["run", "trail", None],
            "note": ["Fréquence cardiaque absente", "", None],
        }
    )


def expected() -> list[tuple[object, ...]]:
    return [
        (
            1,
            1,
            70_000,
            1.5,
            True,
            dt.date(2026, 3, 1),
            dt.datetime(2026, 3, 1, 8, 0, 0, 123456, tzinfo=dt.UTC),
            "run",
            "Fréquence cardiaque absente",
        ),
        (2**62 + 1, None, 5, None, False, dt.date(1999, 12, 31), None, "trail", ""),
        (-7, -3, None, -1e-300, None, None, dt.datetime(1969, 12, 31, 22, tzinfo=dt.UTC), None, None),
    ]


def test_the_payload_has_copys_header_and_trailer() -> None:
    frame = pd.DataFrame({"big": [1, 2]})
    data = pgcopy.payload(frame, ["bigint"])
    assert data is not None
    assert data.startswith(b"PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")
    assert data.endswith(b"\xff\xff")
    # Per row: 2 bytes of field count, 4 of length, 8 of value.
    assert len(data) == len(pgcopy.HEADER) + 2 * (2 + 4 + 8) + len(pgcopy.TRAILER)


def test_it_gives_up_on_types_it_does_not_know_and_on_too_many_layouts(monkeypatch) -> None:
    assert pgcopy.payload(pd.DataFrame({"blob": [b"x"]}), ["bytea"]) is None
    words = pd.DataFrame({"note": ["a", "bb", "ccc"]})
    assert pgcopy.payload(words, ["text"]) is not None
    monkeypatch.setattr(pgcopy, "MAX_LAYOUTS", 2)
    assert pgcopy.payload(words, ["text"]) is None


@pytest.fixture
def postgres(store: Engine) -> Engine:
    if store.dialect.name != "postgresql":
        pytest.skip("binary COPY is PostgreSQL's")
    return store


def copied(engine: Engine, frame: pd.DataFrame) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE copied ({DDL})")
        bulk._copy(conn, "copied", frame)
        rows = conn.exec_driver_sql(f"SELECT {', '.join(COLUMNS)} FROM copied").all()  # noqa: S608
        conn.rollback()
    order = frame["big"].tolist()
    return sorted((tuple(row) for row in rows), key=lambda row: order.index(row[0]))


def test_every_type_round_trips_through_postgresql(postgres: Engine) -> None:
    assert copied(postgres, sample()) == expected()


def test_the_text_rows_of_the_fallback_say_the_same(postgres: Engine, monkeypatch) -> None:
    monkeypatch.setattr(pgcopy, "MAX_LAYOUTS", 1)
    types = ["bigint", "smallint", "integer", "double precision", "boolean", "date"]
    assert pgcopy.payload(sample()[list(COLUMNS)[:6]], types) is None, "three layouts: no binary payload"
    assert copied(postgres, sample()) == expected()
