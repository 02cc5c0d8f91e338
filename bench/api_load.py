"""HTTP API under concurrent load on loopback: requests/s and p50/p95 latency per endpoint.

The server is ``foulee run``'s app (uvicorn, one process, FastAPI + Django) with
rate limits off, in a child process on a free port, over a throwaway data dir
(SQLite) holding the demo world. The load comes from this process: an httpx
async client keeping ``--concurrency`` requests in flight. Measured:

* ``GET /v1/health`` — no auth, no database: the ceiling of the stack;
* ``GET /v1/analytics/dashboard`` — token auth (Django), scoping, an analytics query;
* ``POST /v1/coach/messages`` — the offline coach: intent routing, tools, two messages stored.

On a 2-core machine the client and the server share the cores, so the figures
are a floor for a server with a machine of its own.

    python -m bench.api_load [--concurrency 16] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import Timing


def unlimited_app() -> Any:
    """The app as ``foulee run`` serves it, without rate limits (they would cap the benchmark)."""
    from api.main import create_app
    from api.ratelimit import RateLimits

    return create_app(rate_limits=RateLimits.off())


def _prepare(data_dir: Path) -> str:
    """Migrate, load the demo world, sync, and return a token of a demo athlete."""
    os.environ["FOULEE_DATA_DIR"] = str(data_dir)
    os.environ["FOULEE_SYNC_ON_COMMIT"] = "false"
    from foulee.cli import setup_django

    setup_django()
    from analytics.sync import sync
    from web.accounts.models import ApiToken, User
    from web.demo.world import load_demo

    load_demo()
    sync()
    return ApiToken.issue(User.objects.get(email="sam@foulee.example"), "bench")[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _load(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    concurrency: int,
    seconds: float,
) -> tuple[Timing, float, int]:
    """Keep ``concurrency`` requests in flight for ``seconds``; (latencies, requests/s, errors)."""
    samples: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await client.request(method, path, json=body)
            samples.append((time.perf_counter() - started) * 1000.0)
            if response.status_code >= 400:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return Timing(f"{method} {path}", samples), len(samples) / elapsed, errors


async def _run(base: str, token: str, concurrency: int, seconds: float) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    cases = [
        ("GET", "/v1/health", None),
        ("GET", "/v1/analytics/dashboard", None),
        ("POST", "/v1/coach/messages", {"text": "Comment s'est passée ma semaine ?"}),
    ]
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=120) as client:
        for method, path, body in cases:
            await client.request(method, path, json=body)  # warm up: the coach loads its router once
            timing, rate, errors = await _load(client, method, path, body, concurrency, seconds)
            print(f"{timing.line()}   {rate:8.1f} req/s   errors {errors}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="foulee-bench-api-") as folder:
        data_dir = Path(folder)
        token = _prepare(data_dir)
        port = _free_port()
        env = {**os.environ, "FOULEE_DATA_DIR": str(data_dir), "FOULEE_SYNC_ON_COMMIT": "false"}
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "bench.api_load:unlimited_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--lifespan",
                "off",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            print(f"uvicorn, one process, concurrency {args.concurrency}, {args.seconds:g} s per endpoint")
            asyncio.run(_run(base, token, args.concurrency, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
