"""The offline coach's intent router: keyword rules, then sentence embeddings and a logistic regression.

The labelled utterances live in ``agent/data/intents.yaml`` (French and
English, typos included). They are embedded with the knowledge base's embedder
(``knowledge.get_embedder``: one model in the process) and a scikit-learn
``LogisticRegression`` learns the tool from the embedding. The dataset's
embeddings and the trained weights are cached in the data dir (``.npy`` and
``.npz``, no pickle), keyed by the dataset's hash and the embedder's model, so a
restart neither re-embeds several hundred sentences nor retrains.

Keyword rules (``agent.intent_rules``) decide first when a cue is unambiguous ("TSB", "yo",
"activité 42", "j'ai raté ma séance"); the classifier decides everything else.

Why not a small LLM: the best one installable (SmolLM2-135M) invents tool
arguments and loops (issue 7); a classifier plus deterministic extractors is
measured and predictable. ``evaluate()`` reports accuracy on a held-out split
fixed by ``SPLIT_SEED``.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import yaml

from agent import texting
from agent.intent_rules import rule_intent
from knowledge.embedding_cache import EmbeddingCache

DATA_FILE: Final = Path(__file__).resolve().parent / "data" / "intents.yaml"
SPLIT_SEED: Final = 20261124
HELD_OUT_SHARE: Final = 0.2
#: Below this probability the router admits it does not know (the "what I can do" answer).
MIN_CONFIDENCE: Final = 0.30
#: Inverse regularisation strength, chosen by 5-fold cross-validation on the training split only.
REGULARISATION_C: Final = 100.0
CONVERSATIONAL: Final = frozenset({"greeting", "help", "off_topic"})


@dataclass(frozen=True)
class Intent:
    name: str
    confidence: float


def load_dataset(path: Path = DATA_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        # libyaml's safe loader when PyYAML has it: the pure-Python one takes 0.2 s on this file.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data: dict[str, Any] = yaml.load(handle, Loader=loader)  # noqa: S506 (a safe loader)
    return data


def labelled_utterances(data: dict[str, Any]) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for label, utterances in data["intents"].items():
        for text in utterances:
            texts.append(str(text))
            labels.append(str(label))
    return texts, labels


def split(labels: list[str], seed: int = SPLIT_SEED) -> tuple[list[int], list[int]]:
    """Indices of the training and held-out utterances, stratified by label, fixed by ``seed``."""
    rng = np.random.default_rng(seed)
    train: list[int] = []
    held_out: list[int] = []
    for label in sorted(set(labels)):
        members = [index for index, value in enumerate(labels) if value == label]
        rng.shuffle(members)
        cut = max(1, round(len(members) * HELD_OUT_SHARE))
        held_out.extend(members[:cut])
        train.extend(members[cut:])
    return sorted(train), sorted(held_out)


class Router:
    """Predicts the intent of a message; thread-safe once built.

    Prediction is a matrix product and a softmax over the logistic regression's
    weights, done in numpy: no scikit-learn at prediction time.
    """

    def __init__(
        self,
        embedder: Any,
        labels: list[str],
        coef: npt.NDArray[np.float32],
        intercept: npt.NDArray[np.float32],
    ) -> None:
        self._embedder = embedder
        self.labels = labels
        self._coef = np.asarray(coef, dtype=np.float32)
        self._intercept = np.asarray(intercept, dtype=np.float32)

    @classmethod
    def train(cls, embedder: Any, labels: list[str], vectors: npt.NDArray[np.float32]) -> Router:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=REGULARISATION_C, max_iter=2000).fit(vectors, labels)
        coef, intercept = model.coef_, model.intercept_
        if coef.shape[0] == 1:
            # Two classes: scikit-learn keeps one logit (for the second); the first one's is zero.
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([np.zeros_like(intercept), intercept])
        return cls(embedder, [str(label) for label in model.classes_], coef, intercept)

    def save(self, path: Path, key: str = "") -> None:
        """Write the weights atomically, with ``key``: what they were trained on (:func:`training_key`)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(
            temporary,
            labels=np.array(self.labels),
            coef=self._coef,
            intercept=self._intercept,
            key=np.array(key),
        )
        temporary.replace(path)

    @staticmethod
    def stored_key(path: Path) -> str | None:
        """The training key saved with the weights at ``path``; None when there are none."""
        try:
            with np.load(path, allow_pickle=False) as stored:
                return str(stored["key"]) if "key" in stored.files else None
        except (OSError, ValueError):
            return None

    @classmethod
    def load(cls, embedder: Any, path: Path) -> Router:
        with np.load(path, allow_pickle=False) as stored:
            return cls(
                embedder, [str(label) for label in stored["labels"]], stored["coef"], stored["intercept"]
            )

    def probabilities(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        scores = vectors @ self._coef.T + self._intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float32)

    def reads(self, text: str) -> str:
        """The start of ``text`` the classifier reads (``knowledge.embeddings.MAX_QUERY_TOKENS``).

        The classifier embeds it with texting written out (``agent.texting``), as it was trained."""
        from knowledge.embeddings import fit_query

        return fit_query(self._embedder, text)

    def classify(self, text: str) -> Intent:
        return self.classify_many([text])[0]

    def classify_many(self, texts: list[str]) -> list[Intent]:
        ruled = [rule_intent(text) for text in texts]
        to_embed = [texting.normalise(text) for text, rule in zip(texts, ruled, strict=True) if rule is None]
        vectors = self._embedder.embed_queries(to_embed) if to_embed else np.zeros((0, self._coef.shape[1]))
        return self.decide(ruled, np.asarray(vectors, dtype=np.float32))

    def ranked(self, text: str, k: int = 3) -> list[Intent]:
        """The ``k`` likeliest intents of ``text``, best first: a keyword rule's first when one fires.

        What an LLM is offered (``agent.llm``): the router's candidates, not every tool.
        """
        rule = rule_intent(text)
        row = self.probabilities(np.asarray(self._embedder.embed_queries([text]), dtype=np.float32))[0]
        order = [int(index) for index in np.argsort(-row)]
        ranked = [Intent(rule, 1.0)] if rule is not None else []
        ranked += [Intent(self.labels[i], float(row[i])) for i in order if self.labels[i] != rule]
        return ranked[:k]

    def decide(self, ruled: list[str | None], vectors: npt.NDArray[np.float32]) -> list[Intent]:
        """One intent per message: the keyword rule's (``ruled``) when one fired, else the classifier's.

        ``vectors`` holds the embeddings of the messages no rule decided, in order.
        """
        rows = iter(self.probabilities(vectors))
        result = []
        for rule in ruled:
            if rule is not None:
                result.append(Intent(rule, 1.0))
                continue
            row = next(rows)
            best = int(np.argmax(row))
            result.append(Intent(self.labels[best], float(row[best])))
        return result


def dataset_key(texts: list[str], embedder: Any) -> str:
    digest = hashlib.sha256()
    digest.update(str(getattr(embedder, "model", type(embedder).__name__)).encode())
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()[:16]


def seed_path(embedder: Any) -> Path:
    """The shipped embeddings of the labelled utterances for ``embedder`` (``foulee ask --update-seed``)."""
    return DATA_FILE.parent / f"router-embeddings-{embedder.name}.npz"


def embed_dataset(embedder: Any, texts: list[str], cache_dir: Path | None) -> npt.NDArray[np.float32]:
    """The utterances' embeddings, one row per text.

    With a ``cache_dir``, vectors come from the shipped seed and that cache, keyed by model and
    text, so a fresh machine embeds nothing and an edit to the dataset embeds only the new texts.
    """
    texts = [texting.normalise(text) for text in texts]
    if cache_dir is None:
        return np.asarray(embedder.embed_queries(texts), dtype=np.float32)
    cache = EmbeddingCache(
        cache_dir / f"router-embeddings-{embedder.name}.npz", embedder, seed_path(embedder), kind="query"
    )
    return np.asarray(cache.embed(texts), dtype=np.float32)


def write_seed(embedder: Any | None = None) -> list[Path]:
    """Ship the labelled utterances' embeddings and the router trained on them; returns both paths."""
    embedder = embedder or default_embedder()
    texts, _ = labelled_utterances(load_dataset())
    seed = seed_path(embedder)
    cache = EmbeddingCache(default_cache_dir() / "router-seed.npz", embedder, seed, kind="query")
    texts = [texting.normalise(text) for text in texts]
    written = [cache.write_seed(texts, cache.embed(texts))]
    _train_on_everything(embedder).save(shipped_model_path(embedder), training_key(embedder))
    return [*written, shipped_model_path(embedder)]


def default_embedder() -> Any:
    """The knowledge base's embedder when it is there, so one model serves both."""
    import knowledge
    from knowledge import embeddings

    factory: Any = getattr(knowledge, "get_embedder", embeddings.get_embedder)
    return factory()


def default_cache_dir() -> Path:
    from foulee.config import get_settings

    return get_settings().resolved_data_dir / "agent"


_router: Router | None = None
_router_lock = threading.Lock()


def training_key(embedder: Any) -> str:
    """What a trained router depends on: the labelled set, the model and the regularisation."""
    texts, labels = labelled_utterances(load_dataset())
    return dataset_key([*texts, *labels, f"C={REGULARISATION_C}", f"texting={texting.VERSION}"], embedder)


def shipped_model_path(embedder: Any) -> Path:
    """The router trained on the whole labelled set, shipped in the package (``foulee ask --update-seed``)."""
    return DATA_FILE.parent / f"router-model-{embedder.name}.npz"


def get_router() -> Router:
    """The process-wide router trained on the whole labelled set.

    Loaded from the shipped weights when they match the labelled set, else from the data dir's
    cache, else trained (seconds) and cached there.
    """
    global _router
    with _router_lock:
        if _router is None:
            embedder = default_embedder()
            key = training_key(embedder)
            shipped = shipped_model_path(embedder)
            trained = default_cache_dir() / f"router-model-{key}.npz"
            if Router.stored_key(shipped) == key:
                _router = Router.load(embedder, shipped)
            elif trained.exists():
                _router = Router.load(embedder, trained)
            else:
                _router = _train_on_everything(embedder)
                _router.save(trained, key)
        return _router


def _train_on_everything(embedder: Any) -> Router:
    texts, labels = labelled_utterances(load_dataset())
    return Router.train(embedder, labels, embed_dataset(embedder, texts, default_cache_dir()))


@dataclass(frozen=True)
class Evaluation:
    train_size: int
    held_out_size: int
    accuracy: float
    errors: list[tuple[str, str, str]]  # (text, expected, predicted)
    #: Held-out utterances decided by a keyword rule (``agent.intent_rules``) rather than the classifier.
    ruled: int = 0


def evaluate(
    embedder: Any | None = None, cache_dir: Path | None = None, seed: int = SPLIT_SEED
) -> Evaluation:
    """Train on the training split only and measure intent accuracy (keyword rules, then the
    classifier, as in production) on the held-out split. Another ``seed`` draws another split,
    to see how much the figure owes to the draw."""
    embedder = embedder or default_embedder()
    texts, labels = labelled_utterances(load_dataset())
    vectors = embed_dataset(embedder, texts, cache_dir)
    train, held_out = split(labels, seed)
    router = Router.train(embedder, [labels[i] for i in train], vectors[train])
    held_out_texts = [texts[i] for i in held_out]
    ruled = [rule_intent(text) for text in held_out_texts]
    undecided = [i for i, rule in zip(held_out, ruled, strict=True) if rule is None]
    predicted = [intent.name for intent in router.decide(ruled, vectors[undecided])]
    errors = [
        (texts[i], labels[i], guess)
        for i, guess in zip(held_out, predicted, strict=True)
        if labels[i] != guess
    ]
    accuracy = 1.0 - len(errors) / len(held_out)
    decided_by_rule = sum(rule is not None for rule in ruled)
    return Evaluation(len(train), len(held_out), accuracy, errors, decided_by_rule)
