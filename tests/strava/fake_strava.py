"""A fake Strava on loopback: OAuth token endpoint, athlete, activities (paged), detail, streams,
rate-limit headers and 429s, push subscriptions. The real stravalib client talks to it over HTTP."""

from __future__ import annotations

import datetime as dt
import json
import math
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.net import free_port

ATHLETE_ID = 4242
CODE = "good-code"


def run_summary(activity_id: int, start: dt.datetime, samples: int = 60) -> dict[str, Any]:
    return {
        "id": activity_id,
        "name": f"Run {activity_id}",
        "type": "Run",
        "sport_type": "Run",
        "start_date": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "distance": 3.0 * 10 * (samples - 1),
        "elapsed_time": 10 * (samples - 1),
        "moving_time": 10 * (samples - 1),
        "total_elevation_gain": 4.0,
        "average_heartrate": 150.0,
        "max_heartrate": 160.0,
        "average_speed": 3.0,
        "max_speed": 3.2,
        "average_cadence": 85.0,
        "private": False,
    }


def run_streams(samples: int = 60) -> dict[str, Any]:
    def stream(data: list[Any]) -> dict[str, Any]:
        return {"data": data, "series_type": "time", "original_size": len(data), "resolution": "high"}

    return {
        "time": stream([10 * i for i in range(samples)]),
        "distance": stream([30.0 * i for i in range(samples)]),
        "heartrate": stream([140 + (i % 20) for i in range(samples)]),
        "cadence": stream([85 for _ in range(samples)]),
        "altitude": stream([100 + 2 * math.sin(i / 5) for i in range(samples)]),
        "latlng": stream([[45.0 + 0.00027 * i, 5.0] for i in range(samples)]),
        "moving": stream([True for _ in range(samples)]),
    }


@dataclass
class FakeStrava:
    """State of the fake; tests change it between requests (``down``, ``revoked``, limits)."""

    short_limit: int = 100
    long_limit: int = 1000
    short_window_s: float = 900.0
    long_window_s: float = 86400.0
    down: bool = False
    revoked: bool = False
    token_lifetime_s: int = 6 * 3600
    activities: dict[int, dict[str, Any]] = field(default_factory=dict)
    streams: dict[int, dict[str, Any]] = field(default_factory=dict)
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    refreshes: int = 0
    requests: int = 0
    too_many: int = 0
    #: 429s to answer before counting again: usage Strava knows of and the client does not.
    refuse_next: int = 0
    #: How many times a request used up the 15-minute, and the daily, budget.
    short_filled: int = 0
    long_filled: int = 0
    deauthorized: int = 0
    _usage: dict[str, tuple[int, int]] = field(default_factory=dict)
    _tokens: dict[str, float] = field(default_factory=dict)
    _refresh_tokens: set[str] = field(default_factory=set)
    _counter: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_runs(self, count: int, newest: dt.datetime, samples: int = 60) -> list[int]:
        ids = []
        for index in range(count):
            activity_id = 1000 + len(self.activities)
            self.activities[activity_id] = run_summary(
                activity_id, newest - dt.timedelta(days=index), samples
            )
            self.streams[activity_id] = run_streams(samples)
            ids.append(activity_id)
        return ids

    def issue_tokens(self, expires_in: int | None = None) -> dict[str, Any]:
        self._counter += 1
        access, refresh = f"access-{self._counter}", f"refresh-{self._counter}"
        expires_at = int(time.time()) + (self.token_lifetime_s if expires_in is None else expires_in)
        self._tokens[access] = expires_at
        self._refresh_tokens.add(refresh)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": expires_at,
            "token_type": "Bearer",
        }

    def token_valid(self, header: str) -> bool:
        token = header.removeprefix("Bearer ")
        return not self.revoked and self._tokens.get(token, 0) > time.time()

    def count(self) -> tuple[int, int] | None:
        """Count one API request in the current windows; ``None`` when over a limit (a 429)."""
        now = time.time()
        short, long = int(now // self.short_window_s), int(now // self.long_window_s)
        short_used = self._usage.get(f"s{short}", (0, 0))[0]
        long_used = self._usage.get(f"l{long}", (0, 0))[0]
        if self.refuse_next or short_used >= self.short_limit or long_used >= self.long_limit:
            self.refuse_next = max(0, self.refuse_next - 1)
            self.too_many += 1
            return None
        self._usage[f"s{short}"] = (short_used + 1, 0)
        self._usage[f"l{long}"] = (long_used + 1, 0)
        self.short_filled += short_used + 1 == self.short_limit
        self.long_filled += long_used + 1 == self.long_limit
        return short_used + 1, long_used + 1

    def usage(self) -> tuple[int, int]:
        now = time.time()
        short, long = int(now // self.short_window_s), int(now // self.long_window_s)
        return self._usage.get(f"s{short}", (0, 0))[0], self._usage.get(f"l{long}", (0, 0))[0]


def _handler(fake: FakeStrava) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            return {key: values[0] for key, values in parse_qs(raw).items()}

        def do_POST(self) -> None:
            with fake.lock:
                fake.requests += 1
                url = urlsplit(self.path)
                form = self._form()
                if fake.down:
                    return self._send(503, {"message": "Service Unavailable", "errors": []})
                if url.path == "/oauth/token":
                    if form.get("grant_type") == "authorization_code":
                        if form.get("code") != CODE:
                            return self._send(
                                400, {"message": "Bad Request", "errors": [{"code": "invalid"}]}
                            )
                        return self._send(200, {**fake.issue_tokens(), "athlete": {"id": ATHLETE_ID}})
                    if form.get("refresh_token") in fake._refresh_tokens and not fake.revoked:
                        fake._refresh_tokens.discard(form["refresh_token"])
                        fake.refreshes += 1
                        return self._send(200, fake.issue_tokens())
                    return self._send(400, {"message": "Bad Request", "errors": [{"code": "invalid"}]})
                if url.path.endswith("/oauth/deauthorize"):
                    fake.deauthorized += 1
                    return self._send(200, {"access_token": "gone"})
                if url.path == "/api/v3/push_subscriptions":
                    subscription = {"id": len(fake.subscriptions) + 1, **form}
                    fake.subscriptions.append(subscription)
                    return self._send(201, {"id": subscription["id"]})
                return self._send(404, {"message": "Record Not Found", "errors": []})

        def do_GET(self) -> None:
            with fake.lock:
                fake.requests += 1
                url = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                if fake.down:
                    return self._send(503, {"message": "Service Unavailable", "errors": []})
                counted = fake.count()
                short, long = counted or fake.usage()
                headers = {
                    "X-RateLimit-Limit": f"{fake.short_limit},{fake.long_limit}",
                    "X-RateLimit-Usage": f"{short},{long}",
                }
                if counted is None:
                    return self._send(429, {"message": "Rate Limit Exceeded", "errors": []}, headers)
                if not fake.token_valid(self.headers.get("Authorization", "")):
                    return self._send(401, {"message": "Authorization Error", "errors": []}, headers)
                path = url.path.removeprefix("/api/v3")
                if path == "/athlete":
                    return self._send(200, {"id": ATHLETE_ID, "firstname": "Test"}, headers)
                if path == "/athlete/activities":
                    before = float(query.get("before", "inf"))
                    page, per_page = int(query.get("page", "1")), int(query.get("per_page", "30"))
                    listed = sorted(
                        (a for a in fake.activities.values() if _epoch(a["start_date"]) < before),
                        key=lambda a: a["start_date"],
                        reverse=True,
                    )
                    return self._send(200, listed[(page - 1) * per_page : page * per_page], headers)
                parts = path.strip("/").split("/")
                if len(parts) >= 2 and parts[0] == "activities" and parts[1].isdigit():
                    activity_id = int(parts[1])
                    if activity_id not in fake.activities:
                        return self._send(404, {"message": "Record Not Found", "errors": []}, headers)
                    if len(parts) == 2:
                        return self._send(200, fake.activities[activity_id], headers)
                    if parts[2:] == ["streams"]:
                        keys = query.get("keys", "").split(",")
                        streams = fake.streams[activity_id]
                        return self._send(200, {k: v for k, v in streams.items() if k in keys}, headers)
                return self._send(404, {"message": "Record Not Found", "errors": []}, headers)

    return Handler


def _epoch(when: str) -> float:
    return dt.datetime.fromisoformat(when).timestamp()


class FakeStravaServer:
    def __init__(self, fake: FakeStrava) -> None:
        self.fake = fake
        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(fake))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FakeStravaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
