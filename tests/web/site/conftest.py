"""Fixtures of the site's tests: the analytics store, the demo world synced into it, activity files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from sqlalchemy import Engine

from analytics.sync import sync
from web.accounts.models import User
from web.demo.athletes import COACH, TEN_K
from web.demo.world import load_demo

DATA = Path(__file__).resolve().parents[2] / "data" / "activities"
#: The demo's "today"; the pages are read as of the real today, so the demo's year ends near it.
TODAY = dt.datetime.now(dt.UTC).date()


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (DATA / name).read_bytes())


@pytest.fixture
def demo(db: None, store: Engine) -> dict[str, User]:
    """The demo coach and athletes with a year of history, synced to the analytics store."""
    load_demo(TODAY)
    sync(store)
    return {"coach": User.objects.get(email=COACH.email), "athlete": User.objects.get(email=TEN_K.email)}


@pytest.fixture
def synced(store: Engine) -> Callable[[], object]:
    """Run the analytics sync, as the commit of a change does in production."""
    return lambda: sync(store)


@pytest.fixture(autouse=True)
def _analytics_store(store: Engine) -> Engine:
    """Every page may read analytics: each test starts with a migrated, empty store."""
    return store
