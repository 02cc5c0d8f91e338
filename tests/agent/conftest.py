"""Fixtures for the coach: the demo world synced into an emptied analytics store, a fixed today."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from agent.context import ToolContext
from analytics.sync import sync
from web.accounts.models import User
from web.demo.world import load_demo

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def demo(db: None, store: Engine) -> dict[str, User]:
    """The demo coach and athletes with their year of history, synced; keyed by first name."""
    load_demo(TODAY)
    sync(store)
    return {user.email.split("@")[0]: user for user in User.objects.filter(email__endswith="@foulee.example")}


@pytest.fixture
def lea_ctx(demo: dict[str, User]) -> ToolContext:
    return ToolContext.for_request(demo["lea"], today=TODAY)


@pytest.fixture
def sam_ctx(demo: dict[str, User]) -> ToolContext:
    return ToolContext.for_request(demo["sam"], today=TODAY)
