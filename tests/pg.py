"""Throwaway PostgreSQL databases on the server the suite runs against."""

from __future__ import annotations

import atexit
import os
import uuid

import dj_database_url
import psycopg


def suite_on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _server_url(database: str) -> str:
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    user, password = config.get("USER") or "", config.get("PASSWORD") or ""
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host, port = config.get("HOST") or "localhost", config.get("PORT") or 5432
    return f"postgresql://{credentials}{host}:{port}/{database}"


def create_database(prefix: str) -> str:
    """Create an empty database on the suite's server; it is dropped at exit. Returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_server_url("postgres"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    atexit.register(drop_database, name)
    return _server_url(name)


def drop_database(name: str) -> None:
    with psycopg.connect(_server_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
