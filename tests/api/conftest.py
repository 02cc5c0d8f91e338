"""The API over real sockets: uvicorn on a free loopback port, in a thread of the test process.

Running in-process keeps one test database for the test and the server (the
server's threads open their own connections to it), so the tests use
``transactional_db``: data a test writes is committed and visible to the
server. The analytics store is emptied per test (``store``).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from analytics.sync import sync
from api.main import create_app
from api.ratelimit import RateLimits
from foulee.server import uvicorn_options
from tests.net import free_port
from web.accounts.models import ApiToken, User
from web.demo.world import load_demo

TODAY = dt.date(2026, 11, 24)


@contextmanager
def serve(app: Any, port: int | None = None, **options: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on loopback (on ``port``, else a free one) until the block ends;
    yields the base URL."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **(uvicorn_options() | options))
    )
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started:
                break
            threading.Event().wait(0.01)
        else:
            raise RuntimeError("uvicorn did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def api_url() -> Iterator[str]:
    """The whole app (API and Django) with rate limits off: tests here call it far more than any client."""
    with serve(create_app(rate_limits=RateLimits.off())) as url:
        yield url


@pytest.fixture
def live(transactional_db: None, store: Engine) -> Engine:
    """Data committed for the server to see, and an empty analytics store."""
    return store


@pytest.fixture
def token_for(live: Engine) -> Callable[..., str]:
    def issue(user: User, ttl: dt.timedelta | None = None) -> str:
        return ApiToken.issue(user, "tests", ttl)[1]

    return issue


@pytest.fixture
def client(api_url: str) -> Iterator[Callable[[str | None], httpx.Client]]:
    """``client(token)``: an httpx client on the live server, with that bearer token (or none)."""
    opened: list[httpx.Client] = []

    def make(token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        # Generous: the first coach message of the session loads the intent router (an embedding model).
        http = httpx.Client(base_url=api_url, headers=headers, timeout=180.0)
        opened.append(http)
        return http

    yield make
    for http in opened:
        http.close()


@pytest.fixture
def demo(live: Engine) -> dict[str, User]:
    """The demo coach and athletes with a year of history, synced; keyed by email's local part."""
    load_demo(TODAY)
    sync(live)
    return {user.email.split("@")[0]: user for user in User.objects.filter(email__endswith="@foulee.example")}
