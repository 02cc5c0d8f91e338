"""The index on disk: manifest, reuse when current, rebuild (or refusal) when stale, the embedding cache."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from knowledge.index import (
    CHUNKS_FILE,
    FORMAT_VERSION,
    INDEX_FILE,
    MANIFEST_FILE,
    StaleIndexError,
    build_index,
    open_index,
    read_manifest,
)
from tests.knowledge.conftest import FakeEmbedder, WriteDoc


@pytest.fixture
def built(tmp_path: Path, corpus: Path, write_doc: WriteDoc, fake_embedder: FakeEmbedder) -> Path:
    write_doc()
    write_doc(language="fr", title="Pourquoi courir lentement", topics="[zones, easy-running]")
    directory = tmp_path / "index"
    build_index(directory, fake_embedder, corpus, reuse_embeddings=False)
    return directory


def test_the_manifest_says_what_built_the_index(built: Path, corpus: Path) -> None:
    manifest = read_manifest(built)
    assert manifest is not None
    assert (manifest.format, manifest.backend, manifest.model, manifest.dim) == (
        FORMAT_VERSION,
        "fake",
        "fake-words-1",
        64,
    )
    assert manifest.chunk_count == 6 and manifest.built_at.endswith("+00:00")
    assert len(json.loads((built / CHUNKS_FILE).read_text(encoding="utf-8"))) == 6
    assert (built / INDEX_FILE).stat().st_size > 0


def test_a_current_index_is_reused_without_embedding_anything(built: Path, corpus: Path) -> None:
    embedder = FakeEmbedder()
    stored = open_index(built, embedder, corpus, rebuild=False)
    assert embedder.embedded_passages == 0
    assert stored.vectors.ntotal == len(stored.chunks) == 6


def test_a_corpus_edit_makes_the_index_stale_and_it_is_rebuilt_with_a_log(
    built: Path, corpus: Path, write_doc: WriteDoc, caplog: pytest.LogCaptureFixture
) -> None:
    write_doc(GOOD_EXTRA_SECTION)
    with pytest.raises(StaleIndexError, match=r"the corpus has changed since it was built.*foulee kb build"):
        open_index(built, FakeEmbedder(), corpus, rebuild=False)
    embedder = FakeEmbedder()
    with caplog.at_level(logging.WARNING, logger="knowledge.index"):
        stored = open_index(built, embedder, corpus)
    assert "the corpus has changed since it was built; rebuilding" in caplog.text
    assert stored.manifest.chunk_count == 7
    assert any(chunk.section == "Cadence" for chunk in stored.chunks)
    # Only the edited document's new and changed chunks were embedded; the rest came from the cache.
    assert 0 < embedder.embedded_passages < 7
    assert open_index(built, FakeEmbedder(), corpus, rebuild=False).manifest == stored.manifest


GOOD_EXTRA_SECTION = """# Easy running

Most of your running should feel easy.

## How easy is easy

You can talk in full sentences: the talk test.

## Common mistakes

Running every day at the same medium pace.

## Cadence

Cadence rises by itself when you run faster.
"""


def test_another_backend_or_model_makes_the_index_stale(built: Path, corpus: Path) -> None:
    with pytest.raises(StaleIndexError, match="built with fake-words-1"):
        open_index(built, FakeEmbedder(model="fake-words-2"), corpus, rebuild=False)
    other = FakeEmbedder()
    other.name = "other"
    with pytest.raises(StaleIndexError, match="built with the fake backend, other is configured"):
        open_index(built, other, corpus, rebuild=False)
    assert open_index(built, other, corpus).manifest.backend == "other"


def test_missing_or_inconsistent_files_are_never_used(built: Path, corpus: Path) -> None:
    chunks = json.loads((built / CHUNKS_FILE).read_text(encoding="utf-8"))
    (built / CHUNKS_FILE).write_text(json.dumps(chunks[:-1]), encoding="utf-8")
    with pytest.raises(StaleIndexError, match="disagree with the manifest"):
        open_index(built, FakeEmbedder(), corpus, rebuild=False)
    (built / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(StaleIndexError, match="there is no index yet"):
        open_index(built, FakeEmbedder(), corpus, rebuild=False)
    assert open_index(built, FakeEmbedder(), corpus).manifest.chunk_count == 6


def test_the_embedding_cache_returns_what_the_model_gave(built: Path, corpus: Path) -> None:
    fresh = build_index(built, FakeEmbedder(), corpus, reuse_embeddings=False)
    embedder = FakeEmbedder()
    cached = build_index(built, embedder, corpus)
    assert embedder.embedded_passages == 0
    assert np.array_equal(fresh.vectors.reconstruct_n(0, 6), cached.vectors.reconstruct_n(0, 6))
    other_model = FakeEmbedder(model="fake-words-2")
    build_index(built, other_model, corpus)
    assert other_model.embedded_passages == 6
