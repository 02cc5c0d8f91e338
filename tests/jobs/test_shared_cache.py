"""With FOULEE_REDIS_URL, Django's cache and sessions are shared through Redis by every process."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _django(redis_url: str, code: str) -> str:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["FOULEE_REDIS_URL"] = redis_url
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_one_process_sets_what_another_reads(redis_url: str) -> None:
    key = f"test-{uuid.uuid4().hex}"
    setup = "from django.conf import settings; from django.core.cache import cache; "
    written = _django(redis_url, setup + f"cache.set('{key}', 'shared', 30); print(settings.SESSION_ENGINE)")
    assert written == "django.contrib.sessions.backends.cached_db"
    assert _django(redis_url, setup + f"print(cache.get('{key}'))") == "shared"
