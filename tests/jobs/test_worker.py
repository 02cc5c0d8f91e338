"""Jobs on a real ``foulee worker`` process, through a real Redis, from an upload over HTTP.

Each test has its own data dir, its own Redis database and its own queue, so
runs never see each other's messages. Without a Redis the tests are skipped
(loudly); under CI, which has one, they fail instead (``redis_url``).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.net import free_port
from tests.test_cli import cli_env, django_shell  # noqa: F401 (cli_env is a fixture)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "activities"
#: Real runs: a zip of them takes a worker long enough to be killed halfway.
RUNS = [
    DATA / name
    for name in (
        "runpandas_strava_run_hr.gpx",
        "runpandas_fr620_run.tcx",
        "runpandas_nike_run.gpx",
        "runpandas_run_2020-12-08.tcx",
        "runpandas_tomtom_run_nohr.gpx",
        "tcxparser_fr410_run.tcx",
    )
]
#: The broker's database: not the limiter tests' (15).
BROKER_DB = 14
#: Generous bounds on waiting for processes to start and jobs to end (never asserted on as timings).
WAIT_S = 60.0
#: Between two looks at a job over the API: under its per-token rate limit.
POLL_S = 0.6
LOG = Path(os.environ.get("FOULEE_TEST_WORKER_LOG", os.devnull))


@pytest.fixture
def env(cli_env: dict[str, str], redis_url: str) -> dict[str, str]:  # noqa: F811
    import redis

    broker = redis_url.rsplit("/", 1)[0] + f"/{BROKER_DB}"
    redis.Redis.from_url(broker).flushdb()
    cli_env.update(
        FOULEE_BROKER_URL=broker,
        FOULEE_JOBS_QUEUE=f"foulee-test-{uuid.uuid4().hex[:8]}",
        # A message a killed worker held goes back to the queue after this (the default is an hour).
        FOULEE_BROKER_VISIBILITY_TIMEOUT="2",
        FOULEE_SYNC_ON_COMMIT="false",
    )
    return cli_env


def start(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=LOG.open("ab"),
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=WAIT_S)


def wait_for(condition: Callable[[], object], what: str) -> object:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(POLL_S)
    raise AssertionError(f"still waiting for {what} after {WAIT_S:.0f} s")


@pytest.fixture
def api(env: dict[str, str]) -> Iterator[httpx.Client]:
    """The API in a uvicorn process of its own, with a token of a fresh athlete's."""
    [token] = django_shell(
        env,
        "from foulee.cli import setup_django; setup_django(); "
        "from web.accounts.models import ApiToken, User; "
        "user = User.objects.create_user('runner@example.org', 'a-long-test-password'); "
        "print(ApiToken.issue(user, 'tests')[1])",
    )
    port = free_port()
    server = start(env, "-m", "uvicorn", "--factory", "api.main:create_app", "--port", str(port))
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"})
    try:
        wait_for(lambda: _answers(http), "the API to start")
        yield http
    finally:
        http.close()
        stop(server)


def _answers(http: httpx.Client) -> bool:
    try:
        return http.get("/v1/health").status_code == 200
    except httpx.TransportError:
        return False


def zip_of(paths: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in paths:
            archive.write(path, path.name)
    return buffer.getvalue()


def job_of(http: httpx.Client, job_id: int) -> dict[str, Any]:
    answer = http.get(f"/v1/jobs/{job_id}")
    assert answer.status_code == 200, answer.text
    shown: dict[str, Any] = answer.json()
    return shown


def activity_count(env: dict[str, str]) -> int:
    code = "from web.activities.models import Activity; print(Activity.objects.count())"
    return int(django_shell(env, code)[0])


def test_an_api_upload_is_answered_at_once_and_imported_by_the_worker(env, api) -> None:
    upload = api.post("/v1/activities/upload", files={"file": (RUNS[0].name, RUNS[0].read_bytes())})
    assert upload.status_code == 202, upload.text
    job = upload.json()
    assert job["status"] == "queued" and upload.headers["Location"] == f"/v1/jobs/{job['id']}"
    worker = start(env, "-m", "foulee", "worker", "--concurrency", "1")
    try:
        done = wait_for(
            lambda: job_of(api, job["id"])["status"] == "done" and job_of(api, job["id"]), "the job"
        )
    finally:
        stop(worker)
    assert isinstance(done, dict)
    [result] = done["result"]["results"]
    assert result["status"] == "imported" and result["activity_id"], result
    assert activity_count(env) == 1


def test_a_killed_workers_job_is_taken_again_and_each_file_imported_once(env, api) -> None:
    """The pool process running the import is killed halfway: its message goes back to the queue
    (``reject_on_worker_lost``), a fresh pool process takes it, keeps what was done, does the rest."""
    runs = RUNS[:6]
    upload = api.post("/v1/activities/upload", files={"file": ("runs.zip", zip_of(runs))})
    assert upload.status_code == 202, upload.text
    job_id = upload.json()["id"]
    worker = start(env, "-m", "foulee", "worker", "--concurrency", "1")
    try:
        wait_for(lambda: _progress(env, job_id), "a first file")
        for child in _children(worker.pid):
            os.kill(child, signal.SIGKILL)  # no chance to finish nor to say anything
        halfway = job_of(api, job_id)
        assert halfway["status"] == "running" and 0 < halfway["progress"] < len(runs), halfway
        wait_for(lambda: job_of(api, job_id)["status"] == "done", "the job after the kill")
    finally:
        stop(worker)
    done = job_of(api, job_id)
    results = done["result"]["results"]
    assert sorted(result["file"] for result in results) == sorted(f"runs.zip:{path.name}" for path in runs)
    assert {result["status"] for result in results} == {"imported"}
    assert done["attempts"] == 2
    assert activity_count(env) == len({result["activity_id"] for result in results}) == len(runs)


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _progress(env: dict[str, str], job_id: int) -> int:
    """The files with a result so far, read straight from the store (faster than the rate limit allows)."""
    import json

    from sqlalchemy import create_engine, text

    url = env.get("DATABASE_URL") or f"sqlite:///{env['FOULEE_DATA_DIR']}/foulee.sqlite3"
    engine = create_engine(url)
    try:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                raw = conn.execute(
                    text("SELECT result FROM jobs_job WHERE id = :id"), {"id": job_id}
                ).scalar()
            done = len((json.loads(raw) if isinstance(raw, str) else raw or {}).get("results", []))
            if done:
                return done
            time.sleep(0.02)
        return 0
    finally:
        engine.dispose()


def test_two_web_processes_share_one_rate_limit(cli_env, redis_url) -> None:  # noqa: F811
    """Two uvicorn processes on one Redis: together they allow what one allows, per address."""
    import redis

    from foulee.ratelimit import API_PER_IP

    limits = redis_url.rsplit("/", 1)[0] + f"/{BROKER_DB - 1}"
    redis.Redis.from_url(limits).flushdb()
    cli_env["FOULEE_REDIS_URL"] = limits
    ports = [free_port(), free_port()]
    servers = [
        start(cli_env, "-m", "uvicorn", "--factory", "api.main:create_app", "--port", str(port))
        for port in ports
    ]
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}") for port in ports]
    try:
        wait_for(lambda: all(_answers(http) for http in clients), "both web processes")
        statuses = [clients[hit % 2].get("/v1/me").status_code for hit in range(API_PER_IP.burst)]
        assert set(statuses) == {401}  # unauthenticated, but counted: the whole burst, half on each
        assert clients[0].get("/v1/me").status_code == 429
        assert clients[1].get("/v1/me").status_code == 429
    finally:
        for http in clients:
            http.close()
        for server in servers:
            stop(server)
