"""Activities and daily loads no longer have a foreign key to their athlete.

PostgreSQL checks a foreign key with one locking lookup per inserted row, which took
as long as the rest of writing a batch of activities (docs/analytics.md, Sync). The
sync is the store's only writer and keeps the reference itself: it writes an athlete
before their activities and deletes their activities and daily loads before them.
Features and samples keep theirs to the activity, whose deletions they follow.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 17:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: Each table and its foreign key to analytics_athlete (the schema's naming convention).
FOREIGN_KEYS = {
    "analytics_activity": "fk_analytics_activity_athlete_id_analytics_athlete",
    "analytics_daily_load": "fk_analytics_daily_load_athlete_id_analytics_athlete",
}


def upgrade() -> None:
    for table, name in FOREIGN_KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    for table, name in FOREIGN_KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(name, "analytics_athlete", ["athlete_id"], ["id"], ondelete="CASCADE")
