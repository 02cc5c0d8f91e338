"""initial analytics store

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_athlete",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_year", sa.SmallInteger(), nullable=True),
        sa.Column("hr_max", sa.SmallInteger(), nullable=True),
        sa.Column("hr_rest", sa.SmallInteger(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("source_updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_athlete")),
    )
    op.create_table(
        "analytics_sync_state",
        sa.Column("stream", sa.String(length=32), nullable=False),
        sa.Column("watermark_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("watermark_id", sa.BigInteger(), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("stream", name=op.f("pk_analytics_sync_state")),
    )
    op.create_table(
        "analytics_activity",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("athlete_id", sa.BigInteger(), nullable=False),
        sa.Column("sport", sa.String(length=16), nullable=False),
        sa.Column("is_running", sa.Boolean(), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("moving_time_s", sa.Float(), nullable=False),
        sa.Column("elevation_gain_m", sa.Float(), nullable=True),
        sa.Column("avg_hr", sa.Float(), nullable=True),
        sa.Column("max_hr", sa.Float(), nullable=True),
        sa.Column("avg_speed_mps", sa.Float(), nullable=True),
        sa.Column("max_speed_mps", sa.Float(), nullable=True),
        sa.Column("avg_cadence_spm", sa.Float(), nullable=True),
        sa.Column("source_load", sa.Float(), nullable=True),
        sa.Column("training_load", sa.Float(), nullable=True),
        sa.Column("load_method", sa.String(length=16), nullable=True),
        sa.Column("pace_ok", sa.Boolean(), nullable=False),
        sa.Column("hr_ok", sa.Boolean(), nullable=False),
        sa.Column("quality_note", sa.Text(), nullable=False),
        sa.Column("source_updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["analytics_athlete.id"],
            name=op.f("fk_analytics_activity_athlete_id_analytics_athlete"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_activity")),
    )
    with op.batch_alter_table("analytics_activity", schema=None) as batch_op:
        batch_op.create_index("ix_analytics_activity_athlete_day", ["athlete_id", "local_date"], unique=False)

    op.create_table(
        "analytics_daily_load",
        sa.Column("athlete_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("load", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("moving_time_s", sa.Float(), nullable=False),
        sa.Column("activity_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["analytics_athlete.id"],
            name=op.f("fk_analytics_daily_load_athlete_id_analytics_athlete"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", "day", name=op.f("pk_analytics_daily_load")),
    )
    op.create_table(
        "analytics_activity_features",
        sa.Column("activity_id", sa.BigInteger(), nullable=False),
        sa.Column("from_samples", sa.Boolean(), nullable=False),
        sa.Column("best_1k_s", sa.Float(), nullable=True),
        sa.Column("best_mile_s", sa.Float(), nullable=True),
        sa.Column("best_5k_s", sa.Float(), nullable=True),
        sa.Column("best_10k_s", sa.Float(), nullable=True),
        sa.Column("best_half_s", sa.Float(), nullable=True),
        sa.Column("best_1min_m", sa.Float(), nullable=True),
        sa.Column("best_3min_m", sa.Float(), nullable=True),
        sa.Column("best_6min_m", sa.Float(), nullable=True),
        sa.Column("best_12min_m", sa.Float(), nullable=True),
        sa.Column("best_20min_m", sa.Float(), nullable=True),
        sa.Column("best_60min_m", sa.Float(), nullable=True),
        sa.Column("zone1_s", sa.Float(), nullable=True),
        sa.Column("zone2_s", sa.Float(), nullable=True),
        sa.Column("zone3_s", sa.Float(), nullable=True),
        sa.Column("zone4_s", sa.Float(), nullable=True),
        sa.Column("zone5_s", sa.Float(), nullable=True),
        sa.Column("vdot", sa.Float(), nullable=True),
        sa.Column("vma_kmh", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["analytics_activity.id"],
            name=op.f("fk_analytics_activity_features_activity_id_analytics_activity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_analytics_activity_features")),
    )
    op.create_table(
        "analytics_activity_samples",
        sa.Column("activity_id", sa.BigInteger(), nullable=False),
        sa.Column("encoding", sa.String(length=32), nullable=False),
        sa.Column("sample_count", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["analytics_activity.id"],
            name=op.f("fk_analytics_activity_samples_activity_id_analytics_activity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_analytics_activity_samples")),
    )


def downgrade() -> None:
    op.drop_table("analytics_activity_samples")
    op.drop_table("analytics_activity_features")
    op.drop_table("analytics_daily_load")
    with op.batch_alter_table("analytics_activity", schema=None) as batch_op:
        batch_op.drop_index("ix_analytics_activity_athlete_day")

    op.drop_table("analytics_activity")
    op.drop_table("analytics_sync_state")
    op.drop_table("analytics_athlete")
