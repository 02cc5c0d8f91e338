"""The dense index on disk: a FAISS inner-product index, its chunks, and a manifest saying what built it.

Layout of the index directory (``$FOULEE_DATA_DIR/knowledge/`` by default)::

    index.faiss     faiss.IndexFlatIP over the L2-normalised chunk embeddings (so scores are cosines)
    chunks.json     the chunks, in the index's row order
    manifest.json   format, backend, model, dim, corpus hash, chunk count, built_at, build seconds

**Staleness.** An index is usable only if its manifest names the same format, backend, model and
dimension as the running embedder and the same corpus hash as the documents on disk, and its files
agree with the manifest's chunk count. Anything else is stale: :func:`open_index` rebuilds it and
logs why (the default, so that a fresh machine or an edited corpus just works), or, with
``rebuild=False``, raises :class:`StaleIndexError` with the reason and the command that fixes it.
It is never used silently. Files are written to temporary names and moved into place, the manifest
last, so a reader never sees a half-written index.

Exact search (IndexFlatIP) is the right FAISS index here: a few hundred chunks are scanned in
microseconds, and an approximate index would only lose recall.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

from knowledge.chunking import Chunk, chunk_corpus
from knowledge.documents import CORPUS_DIR, corpus_fingerprint, load_corpus
from knowledge.embedding_cache import EmbeddingCache
from knowledge.embeddings import Embedder

logger = logging.getLogger(__name__)

#: Bump when the chunking or the text given to the embedder changes: older indexes become stale.
FORMAT_VERSION: Final = 1

INDEX_FILE = "index.faiss"
CHUNKS_FILE = "chunks.json"
MANIFEST_FILE = "manifest.json"


class StaleIndexError(RuntimeError):
    """The index on disk does not match the corpus or the embedder, and rebuilding was not allowed."""


@dataclass(frozen=True)
class Manifest:
    format: int
    backend: str
    model: str
    dim: int
    corpus_hash: str
    chunk_count: int
    built_at: str
    """ISO 8601, UTC."""
    build_seconds: float

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class StoredIndex:
    """An index loaded in memory: the FAISS index, its chunks (row order) and its manifest."""

    manifest: Manifest
    chunks: list[Chunk]
    vectors: Any
    """A ``faiss.IndexFlatIP``."""


def stale_reasons(manifest: Manifest | None, embedder: Embedder, corpus_hash: str) -> list[str]:
    """Why an index built as ``manifest`` cannot serve ``embedder`` over the corpus ``corpus_hash``."""
    if manifest is None:
        return ["there is no index yet"]
    reasons = []
    if manifest.format != FORMAT_VERSION:
        reasons.append(f"it has format {manifest.format}, this version of Foulée needs {FORMAT_VERSION}")
    if manifest.backend != embedder.name:
        reasons.append(f"it was built with the {manifest.backend} backend, {embedder.name} is configured")
    elif manifest.model != embedder.model or manifest.dim != embedder.dim:
        reasons.append(f"it was built with {manifest.model} (dim {manifest.dim}), not {embedder.model}")
    if manifest.corpus_hash != corpus_hash:
        reasons.append("the corpus has changed since it was built")
    return reasons


def read_manifest(directory: Path) -> Manifest | None:
    path = directory / MANIFEST_FILE
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("unreadable knowledge index manifest %s (%s)", path, error)
        return None


def build_index(
    directory: Path,
    embedder: Embedder,
    corpus_root: Path = CORPUS_DIR,
    *,
    reuse_embeddings: bool = True,
    update_seed: bool = False,
) -> StoredIndex:
    """Load and chunk the corpus, embed every chunk, and write the index to ``directory``.

    Chunks whose text the same model has already embedded take their vector from the embedding
    cache or the shipped seed (see :mod:`knowledge.embedding_cache`) unless ``reuse_embeddings`` is
    false; ``update_seed`` rewrites the shipped seed from this build.
    """
    import faiss

    started = time.perf_counter()
    corpus_hash = corpus_fingerprint(corpus_root)
    chunks = chunk_corpus(load_corpus(corpus_root))
    cache = EmbeddingCache(directory / f"embedding-cache-{embedder.name}.npz", embedder)
    texts = [chunk.embedding_text for chunk in chunks]
    vectors = cache.embed(texts, reuse=reuse_embeddings)
    if update_seed:
        logger.warning("wrote the embedding seed %s", cache.write_seed(texts, vectors))
    index = faiss.IndexFlatIP(embedder.dim)
    index.add(vectors)
    manifest = Manifest(
        format=FORMAT_VERSION,
        backend=embedder.name,
        model=embedder.model,
        dim=embedder.dim,
        corpus_hash=corpus_hash,
        chunk_count=len(chunks),
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 3),
    )
    pid = os.getpid()
    index_tmp = directory / f".{INDEX_FILE}.{pid}.tmp"
    faiss.write_index(index, str(index_tmp))
    index_tmp.replace(directory / INDEX_FILE)
    _write_json(directory / CHUNKS_FILE, [asdict(chunk) for chunk in chunks])
    _write_json(directory / MANIFEST_FILE, asdict(manifest))
    return StoredIndex(manifest, chunks, index)


def load_index(directory: Path) -> StoredIndex | None:
    """The index in ``directory`` as it is (no staleness check), or None when missing or inconsistent."""
    import faiss

    manifest = read_manifest(directory)
    if manifest is None:
        return None
    try:
        raw_chunks = json.loads((directory / CHUNKS_FILE).read_text(encoding="utf-8"))
        vectors = faiss.read_index(str(directory / INDEX_FILE))
        chunks = [Chunk(**{**raw, "topics": tuple(raw["topics"])}) for raw in raw_chunks]
    except (OSError, RuntimeError, ValueError, TypeError, KeyError) as error:
        logger.warning("unreadable knowledge index in %s (%s)", directory, error)
        return None
    if not (manifest.chunk_count == len(chunks) == vectors.ntotal) or vectors.d != manifest.dim:
        logger.warning("knowledge index files in %s disagree with their manifest", directory)
        return None
    return StoredIndex(manifest, chunks, vectors)


def open_index(
    directory: Path, embedder: Embedder, corpus_root: Path = CORPUS_DIR, *, rebuild: bool = True
) -> StoredIndex:
    """A fresh index for ``embedder`` over the corpus: the one on disk if current, else a new one.

    With ``rebuild=False`` a missing or stale index raises :class:`StaleIndexError` instead.
    """
    corpus_hash = corpus_fingerprint(corpus_root)
    manifest = read_manifest(directory)
    reasons = stale_reasons(manifest, embedder, corpus_hash)
    if not reasons:
        stored = load_index(directory)
        if stored is not None:
            return stored
        reasons = ["its files are missing, unreadable or disagree with the manifest"]
    message = f"the knowledge index in {directory} cannot be used: {'; '.join(reasons)}"
    if not rebuild:
        raise StaleIndexError(f"{message}. Run `foulee kb build` to rebuild it.")
    logger.warning("%s; rebuilding it from %s", message, corpus_root)
    stored = build_index(directory, embedder, corpus_root)
    manifest = stored.manifest
    logger.warning("knowledge index rebuilt: %d chunks, %.1fs", manifest.chunk_count, manifest.build_seconds)
    return stored


def _write_json(path: Path, data: object) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.replace(path)
