"""`foulee ask`, run as a user runs it: a subprocess on a fresh data dir with the demo world."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import pg

FOULEE = [sys.executable, "-m", "foulee"]


def test_ask_json_has_the_design_shape(tmp_path: Path) -> None:
    hidden = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "ANALYTICS_DATABASE_URL", "FOULEE_SYNC_ON_COMMIT"}
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    env["FOULEE_DATA_DIR"] = str(tmp_path / "var")
    env["FOULEE_LLM"] = "offline"
    if pg.suite_on_postgres():
        env["DATABASE_URL"] = env["ANALYTICS_DATABASE_URL"] = pg.create_database("foulee_cli_ask")

    def foulee(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*FOULEE, *args], env=env, capture_output=True, text=True, timeout=300)

    assert foulee("demo").returncode == 0
    result = foulee("ask", "--user", "lea@foulee.example", "--json", "Est-ce que je suis fatiguée ?")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"reply", "language", "tool_calls"}
    assert payload["language"] == "fr" and payload["tool_calls"] == [{"name": "training_load", "args": {}}]
    charts = tmp_path / "charts"
    plain = foulee("ask", "--user", "sam@foulee.example", "--charts", str(charts), "How did my week go?")
    assert plain.returncode == 0 and "This week (since " in plain.stdout
    assert (charts / "weekly_volume.png").read_bytes().startswith(b"\x89PNG")
    denied = foulee("ask", "--user", "lea@foulee.example", "--athlete", "sam@foulee.example", "am I tired?")
    assert denied.returncode == 1 and "may not read" in denied.stderr
    unknown = foulee("ask", "--user", "nobody@example.org", "hello")
    assert unknown.returncode == 1 and "no active user" in unknown.stderr
