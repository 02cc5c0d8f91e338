"""Alembic environment for the analytics store; run through ``analytics.db.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from analytics.schema import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run analytics migrations through analytics.db.upgrade()")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=config.get_main_option("version_table") or "analytics_alembic_version",
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
