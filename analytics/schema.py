"""The analytics store's schema (SQLAlchemy 2.x), separate from Django's tables.

Every table name starts with ``analytics_`` and Alembic keeps its own version
table, so the store can share a PostgreSQL database with Django without either
touching the other's tables.

The store holds what analysis needs and nothing that identifies a person: an
athlete is known by the system of record's user id (a pseudonymous key: no
name, email or free text is copied), with only the physiology that formulas
need. Activity names and descriptions stay in Django.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that goes in as an aware datetime and comes out in UTC, on every backend.

    SQLite has no time zones: without this, it would hand back naive datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused: give a time zone")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Athlete(Base):
    """What the formulas need to know about an athlete, keyed by the Django user id.

    Activities and daily loads refer to it without a foreign key (migration 0004):
    PostgreSQL checks one with a locking lookup per inserted row, which cost the sync
    as much as the rest of writing its activities. The sync, the store's only writer,
    keeps the reference: it writes an athlete before their activities, and deletes an
    athlete's activities and daily loads before the athlete.
    """

    __tablename__ = "analytics_athlete"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    hr_max: Mapped[int | None] = mapped_column(SmallInteger)
    hr_rest: Mapped[int | None] = mapped_column(SmallInteger)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    source_updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Activity(Base):
    """One synced activity with the fields analysis reads, and its quality verdicts.

    ``local_date`` and ``week_start`` (the Monday of the local week) are computed
    at sync time in the athlete's time zone, so weekly and daily aggregates are
    plain GROUP BYs that read the same on SQLite and PostgreSQL.
    """

    __tablename__ = "analytics_activity"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    #: No foreign key to the athlete: see :class:`Athlete`.
    athlete_id: Mapped[int] = mapped_column(BigInteger)
    sport: Mapped[str] = mapped_column(String(16))
    is_running: Mapped[bool] = mapped_column(Boolean)
    start_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[dt.date] = mapped_column(Date)
    week_start: Mapped[dt.date] = mapped_column(Date)
    distance_m: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[float] = mapped_column(Float)
    moving_time_s: Mapped[float] = mapped_column(Float)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    avg_hr: Mapped[float | None] = mapped_column(Float)
    max_hr: Mapped[float | None] = mapped_column(Float)
    avg_speed_mps: Mapped[float | None] = mapped_column(Float)
    max_speed_mps: Mapped[float | None] = mapped_column(Float)
    avg_cadence_spm: Mapped[float | None] = mapped_column(Float)
    #: The load the source reported, kept for when HR cannot give one.
    source_load: Mapped[float | None] = mapped_column(Float)
    #: Banister TRIMP from samples or average HR, else the source's load (see ``analytics.features``).
    training_load: Mapped[float | None] = mapped_column(Float)
    load_method: Mapped[str | None] = mapped_column(String(16))
    #: The pace and HR fields are fit for pace metrics (VMA, predictions, trends) and HR metrics.
    pace_ok: Mapped[bool] = mapped_column(Boolean)
    hr_ok: Mapped[bool] = mapped_column(Boolean)
    #: Why a field was left out of the metrics it would corrupt; empty when nothing was.
    quality_note: Mapped[str] = mapped_column(Text, default="")
    #: Daniels VDOT of the activity's best performance: the whole run (when it qualifies), or a
    #: best effort found in its samples. Kept in this row, not in the features, so the dashboard
    #: and the VMA read one table (one heap page an activity) on a store of millions of rows.
    vdot: Mapped[float | None] = mapped_column(Float)
    #: VMA (km/h) the activity demonstrates: the best of its best 6-minute speed and its VDOT's.
    vma_kmh: Mapped[float | None] = mapped_column(Float)
    source_updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    # The one secondary index: every query reads one athlete's days in a range.
    # A second one on (athlete_id, start_time) would cost the sync a third of its speed
    # and serve no query (see docs/analytics.md).
    __table_args__ = (Index("ix_analytics_activity_athlete_day", "athlete_id", "local_date"),)


class ActivityFeatures(Base):
    """What an activity's recorded samples say: best efforts and time in HR zones.

    Only activities with samples have a row (the VDOT and VMA of every activity are in its
    own row). Best efforts are times (s) for distances and distances (m) for durations. Zone
    times are set only when the activity has usable HR samples.
    """

    __tablename__ = "analytics_activity_features"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("analytics_activity.id", ondelete="CASCADE"), primary_key=True
    )
    best_1k_s: Mapped[float | None] = mapped_column(Float)
    best_mile_s: Mapped[float | None] = mapped_column(Float)
    best_5k_s: Mapped[float | None] = mapped_column(Float)
    best_10k_s: Mapped[float | None] = mapped_column(Float)
    best_half_s: Mapped[float | None] = mapped_column(Float)
    best_1min_m: Mapped[float | None] = mapped_column(Float)
    best_3min_m: Mapped[float | None] = mapped_column(Float)
    best_6min_m: Mapped[float | None] = mapped_column(Float)
    best_12min_m: Mapped[float | None] = mapped_column(Float)
    best_20min_m: Mapped[float | None] = mapped_column(Float)
    best_60min_m: Mapped[float | None] = mapped_column(Float)
    zone1_s: Mapped[float | None] = mapped_column(Float)
    zone2_s: Mapped[float | None] = mapped_column(Float)
    zone3_s: Mapped[float | None] = mapped_column(Float)
    zone4_s: Mapped[float | None] = mapped_column(Float)
    zone5_s: Mapped[float | None] = mapped_column(Float)


class ActivitySamples(Base):
    """An activity's recorded samples, compressed in one row (see ``analytics.samples``)."""

    __tablename__ = "analytics_activity_samples"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("analytics_activity.id", ondelete="CASCADE"), primary_key=True
    )
    #: SHA-256 of the original file they were read from: the sync re-reads a file only when it changed.
    file_checksum: Mapped[str] = mapped_column(String(64), default="", server_default="")
    encoding: Mapped[str] = mapped_column(String(32))
    sample_count: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DailyLoad(Base):
    """Training load per athlete and local day, the input of the PMC."""

    __tablename__ = "analytics_daily_load"

    #: No foreign key to the athlete: see :class:`Athlete`.
    athlete_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    load: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float] = mapped_column(Float)
    moving_time_s: Mapped[float] = mapped_column(Float)
    activity_count: Mapped[int] = mapped_column(Integer)


class SyncState(Base):
    """Where each sync stream stopped: the last (updated_at, id) it applied.

    Updated in the same transaction as the data, so a crash loses nothing and
    repeats nothing.
    """

    __tablename__ = "analytics_sync_state"

    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    watermark_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    watermark_id: Mapped[int] = mapped_column(BigInteger, default=0)
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


# Core table handles, for the set-based code (sync, bulk writes, queries).
athlete_table: Table = Athlete.__table__  # type: ignore[assignment]
activity_table: Table = Activity.__table__  # type: ignore[assignment]
features_table: Table = ActivityFeatures.__table__  # type: ignore[assignment]
samples_table: Table = ActivitySamples.__table__  # type: ignore[assignment]
daily_load_table: Table = DailyLoad.__table__  # type: ignore[assignment]
state_table: Table = SyncState.__table__  # type: ignore[assignment]
