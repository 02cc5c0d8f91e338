"""Settings come from the environment, with defaults that need nothing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from foulee.config import Settings


def test_defaults_put_everything_under_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "ANALYTICS_DATABASE_URL", "FOULEE_SECRET_KEY", "FOULEE_LLM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FOULEE_DATA_DIR", str(tmp_path / "data"))
    settings = Settings()
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'data' / 'foulee.sqlite3'}"
    assert settings.resolved_analytics_database_url.endswith("/data/analytics.sqlite3")
    assert settings.llm == "offline"
    assert settings.media_dir == tmp_path / "data" / "media"


def test_environment_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOULEE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.internal/foulee")
    monkeypatch.setenv("FOULEE_LLM", "mistral:mistral-small-latest")
    monkeypatch.setenv("FOULEE_ALLOWED_HOSTS", '["coach.example.org"]')
    settings = Settings()
    assert settings.resolved_database_url == "postgresql://db.internal/foulee"
    assert settings.llm == "mistral:mistral-small-latest"
    assert settings.allowed_hosts == ["coach.example.org"]


def test_secret_key_is_generated_once_and_kept_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FOULEE_SECRET_KEY", raising=False)
    monkeypatch.setenv("FOULEE_DATA_DIR", str(tmp_path))
    key = Settings().resolved_secret_key()
    assert len(key) >= 50
    assert Settings().resolved_secret_key() == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    monkeypatch.setenv("FOULEE_SECRET_KEY", "from-the-environment")
    assert Settings().resolved_secret_key() == "from-the-environment"


@pytest.mark.parametrize(
    ("environment", "https"),
    [
        ({}, False),  # the loopback defaults: plain HTTP
        ({"FOULEE_ALLOWED_HOSTS": '["coach.example.org"]'}, True),
        ({"FOULEE_ALLOWED_HOSTS": '["81.2.69.160"]'}, True),
        ({"FOULEE_ALLOWED_HOSTS": '["192.168.1.20", "nas", "app.localhost"]'}, False),
        ({"FOULEE_ALLOWED_HOSTS": '["coach.example.org"]', "FOULEE_DEBUG": "true"}, False),
        ({"FOULEE_ALLOWED_HOSTS": '["coach.example.org"]', "FOULEE_HTTPS": "false"}, False),
        ({"FOULEE_HTTPS": "true"}, True),
    ],
)
def test_https_is_on_for_a_public_production_host_unless_said_otherwise(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], https: bool
) -> None:
    for name in ("FOULEE_ALLOWED_HOSTS", "FOULEE_DEBUG", "FOULEE_HTTPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert Settings().served_over_https is https
