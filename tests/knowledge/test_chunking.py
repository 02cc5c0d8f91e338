"""Chunking: the intro and each section are chunks; long sections split at paragraphs; citations."""

from __future__ import annotations

from knowledge.chunking import INTRO_SECTION, chunk_document, split_long
from knowledge.documents import load_document
from tests.knowledge.conftest import WriteDoc


def test_intro_and_sections_become_chunks_that_cite_their_source(write_doc: WriteDoc) -> None:
    chunks = chunk_document(load_document(write_doc()))
    assert [chunk.section for chunk in chunks] == [INTRO_SECTION, "How easy is easy", "Common mistakes"]
    assert [chunk.position for chunk in chunks] == [0, 1, 2]
    talk = chunks[1]
    assert talk.text == "You can talk in full sentences: the talk test."
    assert talk.title == "Why most running should be easy" and talk.topics == ("easy-running", "zones")
    assert talk.source == (
        "Why most running should be easy — How easy is easy "
        "(en/easy-running.md; Seiler S. 2010. Int J Sports Physiol Perform 5(3):276-291.)"
    )
    assert talk.embedding_text.startswith("Why most running should be easy. How easy is easy.\n")


def test_no_intro_chunk_when_the_intro_is_empty(write_doc: WriteDoc) -> None:
    chunks = chunk_document(load_document(write_doc("# Title\n## Only\n\ntext\n")))
    assert [chunk.section for chunk in chunks] == ["Only"]


def test_long_sections_split_at_paragraph_boundaries() -> None:
    paragraphs = [" ".join([f"p{number}"] * 100) for number in range(5)]
    pieces = split_long("\n\n".join(paragraphs), max_words=250)
    assert pieces == ["\n\n".join(paragraphs[0:2]), "\n\n".join(paragraphs[2:4]), paragraphs[4]]
    assert split_long("short text", max_words=250) == ["short text"]
    assert split_long(" ".join(["w"] * 300), max_words=250) == [" ".join(["w"] * 300)]
