"""Samples remember the checksum of the file they were read from.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 08:18:58.572427
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('analytics_activity_samples', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_checksum', sa.String(length=64), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('analytics_activity_samples', schema=None) as batch_op:
        batch_op.drop_column('file_checksum')
