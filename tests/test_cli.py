"""The `foulee` command, run as a user runs it: a subprocess on a fresh data dir.

Each test gets a database of the suite's own backend: a SQLite file in a fresh
data dir, or, when the suite runs on PostgreSQL, a throwaway database on the
same server, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import pg
from tests.net import free_port

FOULEE = [sys.executable, "-m", "foulee"]


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a user on a fresh machine, on the suite's database backend.

    On PostgreSQL, both stores share one fresh database, as in docker-compose.yml:
    that the analytics tables and Django's never collide is part of what is tested.
    """
    hidden = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "ANALYTICS_DATABASE_URL", "FOULEE_SYNC_ON_COMMIT"}
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    env["FOULEE_DATA_DIR"] = str(tmp_path / "var")
    if pg.suite_on_postgres():
        env["DATABASE_URL"] = env["ANALYTICS_DATABASE_URL"] = pg.create_database("foulee_cli")
    return env


def foulee(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*FOULEE, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_demo_on_an_empty_data_dir_then_again(cli_env: dict[str, str]) -> None:
    first = foulee(cli_env, "demo")
    assert first.returncode == 0, first.stderr
    assert "coach@foulee.example" in first.stdout and "created" in first.stdout
    assert re.search(r"lea@foulee\.example .*\(created, \d{3} activities\)", first.stdout)
    second = foulee(cli_env, "demo")
    assert second.returncode == 0, second.stderr
    assert "created" not in second.stdout.replace("already there", "")
    assert second.stdout.count("already there") == 4


def test_demo_fills_the_analytics_store_and_sync_is_then_a_no_op(cli_env: dict[str, str]) -> None:
    demo = foulee(cli_env, "demo", "--today", "2026-11-24")
    assert demo.returncode == 0, demo.stderr
    created = sum(int(n) for n in re.findall(r"\(created, (\d+) activities\)", demo.stdout))
    assert "Analytics: " in demo.stdout
    count = (
        "from sqlalchemy import func, select; from analytics.db import get_engine; "
        "from analytics.sync import activity_table as t; "
        "print(get_engine().connect().execute(select(func.count()).select_from(t)).scalar())"
    )
    assert django_shell(cli_env, count) == [str(created)]
    # The banner says what the store holds, demo samples included, before what this sync did.
    holds = f"Analytics: {created} activities of 3 athletes in the store, {created} of them with samples; "
    assert holds in demo.stdout
    again = foulee(cli_env, "sync")
    assert again.returncode == 0, again.stderr
    assert f"{holds}this sync: 0 activities and 0 athletes synced" in again.stdout


def django_shell(env: dict[str, str], code: str) -> list[str]:
    """Run Python in the project's Django shell with ``env``; its output, word by word."""
    shell = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert shell.returncode == 0, shell.stderr
    return shell.stdout.split()


def test_token_create_prints_a_secret_that_is_stored_hashed(cli_env: dict[str, str]) -> None:
    assert foulee(cli_env, "demo").returncode == 0
    created = foulee(cli_env, "token", "create", "--user", "KARIM@foulee.example", "--name", "watch")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("fle_")
    assert "cannot be shown again" in created.stderr
    digest = hashlib.sha256(secret.encode()).hexdigest()
    check = (
        "from web.accounts.models import ApiToken; "
        f"print(ApiToken.authenticate({secret!r}).email, "
        f"ApiToken.objects.filter(key_hash={digest!r}).count())"
    )
    assert django_shell(cli_env, check) == ["karim@foulee.example", "1"]


def test_token_create_for_an_unknown_user_fails_clearly(cli_env: dict[str, str]) -> None:
    result = foulee(cli_env, "token", "create", "--user", "nobody@example.org")
    assert result.returncode == 1
    assert "no active user with the email nobody@example.org" in result.stderr


@pytest.mark.parametrize("days", ["0", "-3", "3651", "many"])
def test_token_create_refuses_a_life_out_of_bounds(cli_env: dict[str, str], days: str) -> None:
    result = foulee(cli_env, "token", "create", "--user", "karim@foulee.example", "--days", days)
    assert result.returncode == 2
    assert "--days" in result.stderr and "Traceback" not in result.stderr


DATA = Path(__file__).resolve().parent / "data" / "activities"


def test_import_prints_one_json_line_per_file_and_fails_if_one_did(cli_env: dict[str, str]) -> None:
    create = (
        "from web.accounts.models import User; "
        "User.objects.create_user(email='runner@example.org', password='a-long-password'); print('ok')"
    )
    foulee(cli_env, "sync")  # migrates both stores
    assert django_shell(cli_env, create) == ["ok"]
    files = [DATA / "runpandas_fr620_run.tcx", DATA / "fitparse_invalid_unexpected_eof.fit"]
    result = foulee(
        cli_env, "import", *map(str, files), str(files[0]), "--user", "runner@example.org", "--json"
    )
    assert result.returncode == 1, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    keys = ["file", "status", "activity_id", "sport", "distance_m", "duration_s", "avg_hr", "error"]
    assert all(list(line) == keys for line in lines)
    assert [line["status"] for line in lines] == ["imported", "error", "duplicate"]
    assert lines[0]["sport"] == "run" and lines[0]["distance_m"] == pytest.approx(2153.67, abs=0.01)
    assert lines[1]["error"] == "truncated or corrupt FIT file" and lines[1]["activity_id"] is None
    assert lines[2]["activity_id"] == lines[0]["activity_id"]
    assert "1 imported, 1 duplicates, 1 errors. Analytics: " in result.stderr
    synced = (
        "from sqlalchemy import select; from analytics.db import get_engine; "
        "from analytics.schema import samples_table as s, features_table as f; "
        "c = get_engine().connect(); "
        "print(c.execute(select(s.c.activity_id, s.c.sample_count)).one(), "
        "c.execute(select(f.c.activity_id)).scalar())"
    )
    activity_id = lines[0]["activity_id"]
    assert django_shell(cli_env, synced) == [f"({activity_id},", "147)", str(activity_id)]
    human = foulee(cli_env, "import", str(files[0]), "--user", "RUNNER@example.org")
    assert human.returncode == 0, human.stderr
    # The elapsed time, first lap start to last point (the TCX lap timer says 13:36).
    assert "duplicate, same file as activity" in human.stdout and "run 2.15 km in 13:43" in human.stdout


def test_import_for_an_unknown_user_fails_clearly(cli_env: dict[str, str]) -> None:
    result = foulee(cli_env, "import", str(DATA / "runpandas_fr620_run.tcx"), "--user", "nobody@example.org")
    assert result.returncode == 2
    assert "no active user with the email nobody@example.org" in result.stderr


def _wait_for(url: str, process: subprocess.Popen[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"foulee run exited early: {process.stdout.read() if process.stdout else ''}"
            )
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def test_run_loads_the_demo_and_serves_the_admin_over_http(cli_env: dict[str, str]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [*FOULEE, "run", "--port", str(port)],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(f"{base}/admin/login/", process)
        cookies = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        home = browser.open(f"{base}/")
        assert home.geturl().startswith(f"{base}/login/")
        css = browser.open(f"{base}/static/admin/css/base.css")
        assert css.status == 200 and b"body" in css.read()
        login_page = browser.open(f"{base}/admin/login/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
        assert csrf is not None
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf.group(1),
                "username": "coach@foulee.example",
                "password": "foulee-demo",
                "next": "/admin/activities/activity/",
            }
        ).encode()
        request = urllib.request.Request(
            f"{base}/admin/login/", data=form, headers={"Referer": f"{base}/admin/login/"}
        )
        activities = browser.open(request).read().decode()
        assert "Léa Martin" in activities and "Sam Taylor" in activities
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "First run: loading the demo world." in output
    assert "coach@foulee.example" in output
    # The coach's models are loaded before the server says where it listens, not in a first reply.
    assert re.search(r"Coach: ready \([\d.]+ s to load its models\)\.\n(?:.*\n)*Foulée is serving", output)


# Start-up checks (docs/security.md, API8: "Operations"): a store the command cannot use is one line
# on stderr naming the setting, the URL without its password, and the reason; exit status 2.
DOWN = "postgresql://postgres:hunter2@127.0.0.1:1/foulee_down"
FORMS = "(use postgresql://USER:PASSWORD@HOST:PORT/NAME or sqlite:////ABSOLUTE/PATH)"


@pytest.mark.parametrize(
    ("setting", "url", "line"),
    [
        (
            "DATABASE_URL",
            DOWN,
            "foulee: DATABASE_URL: cannot connect to postgresql://postgres:***@127.0.0.1:1/foulee_down "
            "(connection refused)",
        ),
        (
            "DATABASE_URL",
            "postgres://u:hunter2@h:port/x",
            f"foulee: DATABASE_URL: not a valid URL: postgres://u:***@h:port/x {FORMS}",
        ),
        ("DATABASE_URL", "nonsense", f"foulee: DATABASE_URL: not a valid URL: nonsense {FORMS}"),
        (
            "DATABASE_URL",
            "sqlite:////nonexistent-foulee-dir/foulee.sqlite3",
            "foulee: DATABASE_URL: cannot connect to sqlite:////nonexistent-foulee-dir/foulee.sqlite3 "
            "(unable to open database file)",
        ),
        (
            "ANALYTICS_DATABASE_URL",
            DOWN,
            "foulee: ANALYTICS_DATABASE_URL: cannot connect to "
            "postgresql://postgres:***@127.0.0.1:1/foulee_down (connection refused)",
        ),
        (
            "ANALYTICS_DATABASE_URL",
            "nonsense",
            f"foulee: ANALYTICS_DATABASE_URL: not a valid URL: nonsense {FORMS}",
        ),
    ],
)
def test_run_names_the_store_it_cannot_use_in_one_line(
    cli_env: dict[str, str], setting: str, url: str, line: str
) -> None:
    result = foulee({**cli_env, setting: url}, "run", "--port", str(free_port()))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line]
    assert "hunter2" not in result.stdout + result.stderr


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server on loopback that accepts connections and never says a word (a black hole)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()
        for connection in accepted:
            connection.close()


@pytest.mark.parametrize("setting", ["DATABASE_URL", "ANALYTICS_DATABASE_URL"])
def test_a_database_that_never_answers_fails_within_the_connect_timeout(
    cli_env: dict[str, str], setting: str
) -> None:
    """Without libpq's connect_timeout this start-up check would wait for the server forever."""
    with silent_server() as port:
        env = {
            **cli_env,
            setting: f"postgresql://postgres:hunter2@127.0.0.1:{port}/foulee",
            "FOULEE_DB_CONNECT_TIMEOUT": "1",
        }
        result = foulee(env, "sync", timeout=60)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(
        f"foulee: {setting}: cannot connect to postgresql://postgres:***@127.0.0.1:{port}/foulee ("
    )
    assert "timeout" in line
    assert "hunter2" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["demo"],
        ["sync"],
        ["token", "create", "--user", "karim@foulee.example"],
        ["import", str(DATA / "runpandas_fr620_run.tcx"), "--user", "karim@foulee.example"],
        ["ask", "--user", "karim@foulee.example", "hello"],
        ["bot"],
    ],
)
def test_every_command_that_needs_the_stores_checks_them(cli_env: dict[str, str], command: list[str]) -> None:
    env = {**cli_env, "ANALYTICS_DATABASE_URL": DOWN, "TELEGRAM_BOT_TOKEN": "123:abc"}
    result = foulee(env, *command)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "foulee: ANALYTICS_DATABASE_URL: cannot connect to postgresql://postgres:***@127.0.0.1:1/foulee_down "
        "(connection refused)"
    ]


def test_run_starts_with_redis_down_and_is_not_ready(cli_env: dict[str, str]) -> None:
    """Rate limits fail open (foulee/ratelimit.py): a Redis that is down is a warning; /v1/ready says so."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**cli_env, "FOULEE_REDIS_URL": "redis://:hunter2@127.0.0.1:1/0"}
    process = subprocess.Popen(
        [*FOULEE, "run", "--port", str(port), "--no-demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(f"{base}/v1/health", process)
        with pytest.raises(urllib.error.HTTPError) as ready:
            urllib.request.urlopen(f"{base}/v1/ready", timeout=30)
        assert ready.value.code == 503
        error = json.loads(ready.value.read())["error"]
        assert error["fields"] == [{"field": "redis", "message": "down"}]
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert (
        "foulee: warning: FOULEE_REDIS_URL: cannot connect to redis://:***@127.0.0.1:1/0 (no answer); "
        "rate limits let requests through until it answers." in output
    )
    assert "hunter2" not in output


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_data_dir_is_private(cli_env: dict[str, str]) -> None:
    """Files 600, folders 700, even under a permissive umask (docs/security.md, API8: "Operations")."""
    if pg.suite_on_postgres():
        cli_env = {key: value for key, value in cli_env.items() if not key.endswith("DATABASE_URL")}
    data = Path(cli_env["FOULEE_DATA_DIR"])
    sync = subprocess.run([*FOULEE, "sync"], env=cli_env, capture_output=True, text=True, umask=0o022)
    assert sync.returncode == 0, sync.stderr
    create = (
        "from web.accounts.models import User; "
        "User.objects.create_user(email='runner@example.org', password='a-long-password'); print('ok')"
    )
    assert django_shell(cli_env, create) == ["ok"]
    imported = subprocess.run(
        [*FOULEE, "import", str(DATA / "runpandas_fr620_run.tcx"), "--user", "runner@example.org"],
        env=cli_env,
        capture_output=True,
        text=True,
        umask=0o022,
    )
    assert imported.returncode == 0, imported.stderr
    files = [data / "foulee.sqlite3", data / "analytics.sqlite3", data / "secret_key"]
    media = data / "media"
    originals = [path for path in media.rglob("*") if path.is_file()]
    assert len(originals) == 1
    folders = [data, data / "static", media, *(path for path in media.rglob("*") if path.is_dir())]
    assert {str(path): _mode(path) for path in [*files, *originals]} == dict.fromkeys(
        map(str, [*files, *originals]), 0o600
    )
    assert {str(path): _mode(path) for path in folders} == dict.fromkeys(map(str, folders), 0o700)
    # SQLite gives the -wal and -shm files the mode of their database: open one to see them.
    with contextlib.closing(sqlite3.connect(data / "foulee.sqlite3")) as database:
        database.execute("SELECT count(*) FROM sqlite_master").fetchone()
        companions = [data / "foulee.sqlite3-wal", data / "foulee.sqlite3-shm"]
        assert {str(path): _mode(path) for path in companions} == dict.fromkeys(map(str, companions), 0o600)


def test_run_behind_an_https_proxy_marks_cookies_secure_and_sends_hsts(cli_env: dict[str, str]) -> None:
    """FOULEE_HTTPS=true behind a trusted proxy: what a deployment behind TLS termination gets."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**cli_env, "FOULEE_HTTPS": "true", "FOULEE_TRUSTED_PROXIES": '["127.0.0.1"]'}
    process = subprocess.Popen(
        [*FOULEE, "run", "--no-demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    proxied = {"X-Forwarded-Proto": "https"}
    try:
        _wait_for(f"{base}/v1/health", process)
        # Plain HTTP reaching the server: pages redirect to HTTPS.
        with pytest.raises(urllib.error.HTTPError) as redirected:
            urllib.request.build_opener(_NoRedirect).open(f"{base}/login/")
        assert redirected.value.code == 301
        assert redirected.value.headers["Location"] == f"https://127.0.0.1:{port}/login/"
        # Through the proxy, over HTTPS: Secure cookies and HSTS, on pages and on the API.
        page = urllib.request.urlopen(urllib.request.Request(f"{base}/login/", headers=proxied))
        assert page.status == 200
        cookies = page.headers.get_all("Set-Cookie")
        assert cookies and all("Secure" in cookie for cookie in cookies)
        assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
        health = urllib.request.urlopen(urllib.request.Request(f"{base}/v1/health", headers=proxied))
        assert health.headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        process.terminate()
        process.communicate(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
