"""The `foulee kb` sub-commands: build the knowledge index, search it.

The knowledge base needs no Django; the handlers import numpy, FAISS and the model only when run,
so that `foulee --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from knowledge.vocabulary import LANGUAGES, TOPICS

EXCERPT_CHARS = 240


def register(commands: argparse._SubParsersAction[Any]) -> None:
    kb = commands.add_parser("kb", help="the coaching knowledge base: build the index, search it")
    actions = kb.add_subparsers(dest="kb_command", required=True, metavar="ACTION")

    build = actions.add_parser("build", help="rebuild the index from the corpus (even if it looks current)")
    build.add_argument(
        "--no-cache", action="store_true", help="embed every chunk again, ignoring the cache and the seed"
    )
    build.add_argument(
        "--update-seed",
        action="store_true",
        help="for developers: rewrite the shipped embedding seed (knowledge/seed/) from this build",
    )
    build.set_defaults(handler=cmd_build)

    search = actions.add_parser("search", help="ranked passages for a question, with their sources")
    search.add_argument("text", nargs="+", help="the question, in French or English")
    search.add_argument("--json", action="store_true", help="print a JSON list of hits")
    search.add_argument(
        "--language",
        choices=LANGUAGES,
        help="the reader's language (default: the question's, as the coach detects it)",
    )
    search.add_argument(
        "--topic",
        action="append",
        choices=TOPICS,
        metavar="TOPIC",
        help=f"keep documents with this topic (repeatable; any of them): {', '.join(TOPICS)}",
    )
    search.add_argument("-k", type=int, default=5, help="how many hits (default 5)")
    search.set_defaults(handler=cmd_search)


def cmd_build(args: argparse.Namespace) -> int:
    from knowledge.documents import CorpusError
    from knowledge.embeddings import BackendUnavailableError, get_embedder
    from knowledge.index import build_index
    from knowledge.retrieval import forget_cached, index_directory

    directory = index_directory()
    try:
        stored = build_index(
            directory, get_embedder(), reuse_embeddings=not args.no_cache, update_seed=args.update_seed
        )
    except (CorpusError, BackendUnavailableError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    forget_cached()
    manifest = stored.manifest
    documents = len({(chunk.doc_id, chunk.language) for chunk in stored.chunks})
    print(
        f"Knowledge index built: {manifest.chunk_count} chunks from {documents} documents with "
        f"{manifest.backend} ({manifest.model}) in {manifest.build_seconds:.1f} s, in {directory}."
    )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from foulee.language import detect_language
    from knowledge.chunking import citation_reference
    from knowledge.documents import CorpusError
    from knowledge.embeddings import BackendUnavailableError
    from knowledge.retrieval import get_knowledge_base

    if args.k < 1:
        print("error: -k must be at least 1", file=sys.stderr)
        return 2
    text = " ".join(args.text)
    # A French question reads French documents first, as it does through the coach; a question in
    # neither language keeps every document.
    detected = detect_language(text, prior="en")
    language = args.language or (detected if detected in LANGUAGES else None)
    try:
        hits = get_knowledge_base().search(text, language=language, topics=args.topic, k=args.k)
    except (CorpusError, BackendUnavailableError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([hit.to_json() for hit in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("No passage matches.")
        return 0
    for rank, hit in enumerate(hits, start=1):
        print(f"{rank}. [{hit.score:.4f}] {hit.title} — {hit.section} ({hit.language})")
        where = citation_reference(hit.source, hit.title, hit.section)
        print(textwrap.indent(textwrap.fill(f"Source: {where}", 100), "   "))
        excerpt = textwrap.shorten(" ".join(hit.text.split()), EXCERPT_CHARS, placeholder=" …")
        print(textwrap.indent(textwrap.fill(excerpt, 100), "   "))
        print()
    return 0
