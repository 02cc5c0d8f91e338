"""Retrieval quality on the labelled query set (``knowledge/eval/queries.yaml``).

A query counts as found at k when any of its expected documents is among the first k *distinct
documents* the search returns (one passage per document, so that k means documents, not sections of
the same one). Recall@k is the share of queries found at k; MRR is the mean of 1 / rank of the first
expected document (0 when it is not in the first :data:`MRR_DEPTH`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import yaml

from knowledge.documents import Document
from knowledge.retrieval import KnowledgeBase, Mode
from knowledge.vocabulary import LANGUAGES

QUERIES_FILE = Path(__file__).resolve().parent / "eval" / "queries.yaml"
RECALL_AT: Final = (1, 3, 5)
MRR_DEPTH: Final = 10


@dataclass(frozen=True)
class LabelledQuery:
    text: str
    language: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Scores:
    """Recall@1/3/5 and MRR over ``count`` queries."""

    count: int
    recall: dict[int, float]
    mrr: float


def load_queries(path: Path = QUERIES_FILE) -> list[LabelledQuery]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or {"query", "language", "expected"} - set(item):
            raise ValueError(f"{path}: entry {number} needs query, language and expected")
        if item["language"] not in LANGUAGES:
            raise ValueError(f"{path}: entry {number} has an unknown language {item['language']!r}")
        queries.append(LabelledQuery(item["query"], item["language"], tuple(item["expected"])))
    return queries


def crosses_language(query: LabelledQuery, documents: Sequence[Document]) -> bool:
    """True when no expected document exists in the query's language: only a crossing finds it."""
    return not any(doc.id in query.expected and doc.language == query.language for doc in documents)


def ranked_documents(
    base: KnowledgeBase, query: LabelledQuery, *, mode: Mode = "hybrid", depth: int = MRR_DEPTH
) -> list[str]:
    """The ids of the first ``depth`` distinct documents for ``query``, in the reader's language."""
    hits = base.search(query.text, language=query.language, k=depth, mode=mode, max_per_document=1)
    return [hit.doc_id for hit in hits]


def first_rank(ranking: Sequence[str], expected: Iterable[str]) -> int | None:
    """The 1-based rank of the first expected id in ``ranking``, or None."""
    wanted = set(expected)
    return next((rank for rank, doc_id in enumerate(ranking, start=1) if doc_id in wanted), None)


def score(ranks: Sequence[int | None]) -> Scores:
    """Recall@k and MRR from each query's first rank (None: not found)."""
    count = len(ranks)
    if not count:
        return Scores(0, dict.fromkeys(RECALL_AT, 0.0), 0.0)
    recall = {k: sum(1 for rank in ranks if rank is not None and rank <= k) / count for k in RECALL_AT}
    mrr = sum(1.0 / rank for rank in ranks if rank is not None) / count
    return Scores(count, recall, mrr)
