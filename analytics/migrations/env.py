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
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations rebuild a SQLite table: copy, drop the original, rename. With foreign
        # keys on, dropping the original would cascade to the rows that refer to it. The pragma
        # is set outside any transaction (in one it does nothing), on the driver's connection.
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    try:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            version_table=config.get_main_option("version_table") or "analytics_alembic_version",
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
