"""An activity's VDOT and VMA move into its own row; the features table keeps what samples say.

The dashboard and the VMA estimate then read one table, and a backfill writes one row an
activity instead of two. Features rows made from summaries alone (no samples) carried only
the VDOT, the VMA and whole-run best efforts, which the queries now derive from the activity
row: they are deleted.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 13:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("analytics_activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vdot", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("vma_kmh", sa.Float(), nullable=True))
    # Correlated sub-queries: the same statement on SQLite and PostgreSQL.
    op.execute(
        "UPDATE analytics_activity SET "
        "vdot = (SELECT f.vdot FROM analytics_activity_features f WHERE f.activity_id = analytics_activity.id), "
        "vma_kmh = (SELECT f.vma_kmh FROM analytics_activity_features f "
        "WHERE f.activity_id = analytics_activity.id)"
    )
    op.execute("DELETE FROM analytics_activity_features WHERE NOT from_samples")
    with op.batch_alter_table("analytics_activity_features", schema=None) as batch_op:
        batch_op.drop_column("vma_kmh")
        batch_op.drop_column("vdot")
        batch_op.drop_column("from_samples")


def downgrade() -> None:
    with op.batch_alter_table("analytics_activity_features", schema=None) as batch_op:
        batch_op.add_column(sa.Column("from_samples", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("vdot", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("vma_kmh", sa.Float(), nullable=True))
    op.execute(
        "UPDATE analytics_activity_features SET "
        "vdot = (SELECT a.vdot FROM analytics_activity a WHERE a.id = analytics_activity_features.activity_id), "
        "vma_kmh = (SELECT a.vma_kmh FROM analytics_activity a "
        "WHERE a.id = analytics_activity_features.activity_id)"
    )
    # Summary-only activities do not get their features rows back: delete the store and run
    # `foulee sync` to rebuild it whole.
    with op.batch_alter_table("analytics_activity", schema=None) as batch_op:
        batch_op.drop_column("vma_kmh")
        batch_op.drop_column("vdot")
