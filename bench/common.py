"""Shared helpers for the benchmarks: throwaway databases, timing, reporting."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

POSTGRES_SERVER = os.environ.get("FOULEE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")


@dataclass(frozen=True)
class Timing:
    name: str
    samples_ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def line(self, target_ms: float | None = None) -> str:
        verdict = ""
        if target_ms is not None:
            verdict = f"  target p95 < {target_ms:g} ms: {'met' if self.p95 < target_ms else 'MISSED'}"
        return f"{self.name:<34} p50 {self.p50:8.3f} ms   p95 {self.p95:8.3f} ms   (n={len(self.samples_ms)}){verdict}"


def time_calls(name: str, calls: Sequence[Callable[[], object]], warmup: int = 5) -> Timing:
    """Time each call once (after ``warmup`` untimed calls), in milliseconds."""
    for call in calls[:warmup]:
        call()
    samples = []
    for call in calls:
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000.0)
    return Timing(name, samples)


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def sqlite_file(name: str) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="foulee-bench-") as folder:
        yield f"sqlite:///{folder}/{name}"


@contextmanager
def foulee_on_sqlite(prefix: str) -> Iterator[str]:
    """A throwaway data dir with Foulée set up on its embedded SQLite defaults; yields its path.

    Both stores are migrated; the sync runs only when the benchmark calls it.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as data_dir:
        os.environ["FOULEE_DATA_DIR"] = data_dir
        os.environ["FOULEE_SYNC_ON_COMMIT"] = "false"
        for name in ("DATABASE_URL", "ANALYTICS_DATABASE_URL"):
            os.environ.pop(name, None)
        from foulee.cli import setup_django

        setup_django()
        yield data_dir
