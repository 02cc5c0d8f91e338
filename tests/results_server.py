"""A real HTTP server on loopback serving the saved results pages (tests/data/results) and bad answers.

Each test that fetches a page gets one (``results_site``), with the requests it received, so a test
can also prove that a refused address was never even asked.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from foulee import limits
from foulee.config import get_settings

PAGES = Path(__file__).resolve().parent / "data" / "results"
#: Saved pages and how the server labels them (the French club's page says its charset only in <meta>).
SAVED = {
    "/fr-10km.html": ("fr_club_10km.html", "text/html"),
    "/half.html": ("en_half_chip_gun.html", "text/html; charset=utf-8"),
    "/vallee.html": ("fr_nom_prenom.html", "text/html; charset=utf-8"),
    "/no-table.html": ("no_table.html", "text/html; charset=utf-8"),
}
#: How long the slow page waits before answering: well over the timeout the tests set.
SLOW_S = 3.0
TEST_TIMEOUT_S = 0.5


@dataclass
class ResultsSite:
    base: str
    port: int
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)
    agents: list[str] = field(default_factory=list)  # the User-Agent of each request

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _handler(site: ResultsSite) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            site.requests.append((self.path, self.headers.get("Host", "")))
            site.agents.append(self.headers.get("User-Agent", ""))
            path = self.path
            if path in SAVED:
                name, content_type = SAVED[path]
                self._send(200, (PAGES / name).read_bytes(), content_type)
            elif path == "/data.json":
                self._send(200, b'{"results": []}', "application/json")
            elif path == "/missing.html":
                self._send(404, b"<html><body>Not found</body></html>", "text/html")
            elif path == "/broken.html":
                self._send(500, b"<html><body>Oops</body></html>", "text/html")
            elif path == "/huge.html":
                # No Content-Length: only counting the bytes read can stop it.
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                row = b"<tr><td>1</td><td>Somebody Else</td><td>0:40:00</td></tr>\n" * 1000
                sent = 0
                try:
                    while sent <= limits.RESULTS_PAGE_MAX_BYTES * 2:
                        self.wfile.write(row)
                        sent += len(row)
                except (BrokenPipeError, ConnectionResetError):
                    return
            elif path == "/huge-declared.html":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(limits.RESULTS_PAGE_MAX_BYTES * 10))
                self.end_headers()
            elif path == "/slow.html":
                time.sleep(SLOW_S)
                self._send(200, b"<html><body>late</body></html>", "text/html")
            elif path == "/to-half":
                self._redirect("/half.html")
            elif path == "/loop":
                self._redirect("/loop")
            elif path == "/to-file":
                self._redirect("file:///etc/passwd")
            elif path == "/to-credentials":
                self._redirect(f"http://admin:secret@127.0.0.1:{site.port}/half.html")
            else:
                self._send(404, b"", "text/html")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                return

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextmanager
def serve_results() -> Iterator[ResultsSite]:
    site = ResultsSite("", 0)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.port = int(server.server_address[1])
    site.base = f"http://127.0.0.1:{site.port}"
    thread = threading.Thread(target=server.serve_forever, name="results-site", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def results_site() -> Iterator[ResultsSite]:
    """The saved pages on loopback, with the default settings: loopback is refused."""
    with serve_results() as site:
        yield site


@pytest.fixture
def private_hosts_allowed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``FOULEE_RESULTS_ALLOW_PRIVATE_HOSTS`` on (so loopback may be fetched), and a short timeout."""
    monkeypatch.setenv("FOULEE_RESULTS_ALLOW_PRIVATE_HOSTS", "true")
    monkeypatch.setenv("FOULEE_RESULTS_TIMEOUT", str(TEST_TIMEOUT_S))
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
