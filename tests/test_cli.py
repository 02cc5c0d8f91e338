"""The `foulee` command, run as a user runs it: a subprocess on a fresh data dir.

Each test gets a database of the suite's own backend: a SQLite file in a fresh
data dir, or, when the suite runs on PostgreSQL, a throwaway database on the
same server, dropped afterwards.
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

FOULEE = [sys.executable, "-m", "foulee"]


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["FOULEE_DATA_DIR"] = str(tmp_path / "var")
    env.pop("DATABASE_URL", None)
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        yield env
        return
    name = f"foulee_cli_{uuid.uuid4().hex[:12]}"
    admin_url = _postgres_url(database, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = _postgres_url(database, name)
    try:
        yield env
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_url(database: Mapping[str, Any], name: str) -> str:
    user, password = database.get("USER") or "", database.get("PASSWORD") or ""
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host, port = database.get("HOST") or "localhost", database.get("PORT") or 5432
    return f"postgresql://{credentials}{host}:{port}/{name}"


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
    shell = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", check],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert shell.stdout.split() == ["karim@foulee.example", "1"], shell.stderr


def test_token_create_for_an_unknown_user_fails_clearly(cli_env: dict[str, str]) -> None:
    result = foulee(cli_env, "token", "create", "--user", "nobody@example.org")
    assert result.returncode == 1
    assert "no active user with the email nobody@example.org" in result.stderr


@pytest.mark.parametrize("command", ["import", "sync", "kb", "ask", "bot"])
def test_commands_not_built_yet_say_so(cli_env: dict[str, str], command: str) -> None:
    result = foulee(cli_env, command, "anything")
    assert result.returncode == 2
    assert "not built yet" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
    port = _free_port()
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
        assert home.geturl().startswith(f"{base}/admin/login/")
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
