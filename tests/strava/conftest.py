from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.strava.fake_strava import FakeStrava, FakeStravaServer


@pytest.fixture
def fake_strava(settings: Any) -> Iterator[FakeStrava]:
    fake = FakeStrava()
    with FakeStravaServer(fake) as server:
        settings.STRAVA_CLIENT_ID = "123"
        settings.STRAVA_CLIENT_SECRET = "client-secret"
        settings.STRAVA_WEBHOOK_VERIFY_TOKEN = "verify-me"
        settings.STRAVA_API_URL = f"{server.url}/api/v3"
        settings.STRAVA_OAUTH_URL = f"{server.url}/oauth"
        settings.STRAVA_BACKFILL_IN_THREAD = False
        yield fake
