"""Corpus loading: the shipped corpus is valid, and each kind of broken document is named and refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.documents import CorpusError, corpus_fingerprint, load_corpus, load_document
from knowledge.vocabulary import LANGUAGES, LEVELS, TOPICS
from tests.knowledge.conftest import GOOD_BODY, WriteDoc


def test_the_shipped_corpus_loads_with_both_languages_and_matching_translations() -> None:
    documents = load_corpus()
    assert len(documents) >= 40
    assert {doc.language for doc in documents} == set(LANGUAGES)
    by_id: dict[str, list[set[str]]] = {}
    for doc in documents:
        assert set(doc.topics) <= set(TOPICS) and doc.level in LEVELS
        assert doc.sections and doc.sources and doc.summary
        by_id.setdefault(doc.id, []).append(set(doc.topics))
    translated = [topics for topics in by_id.values() if len(topics) == 2]
    assert len(translated) >= 15
    assert all(first == second for first, second in translated)


def test_a_good_document_is_parsed_into_intro_and_sections(write_doc: WriteDoc) -> None:
    body = GOOD_BODY + "\n```\n## not a section: inside a code block\n```\n"
    doc = load_document(write_doc(body))
    assert (doc.id, doc.language, doc.level) == ("easy-running", "en", "all")
    assert doc.topics == ("easy-running", "zones")
    assert doc.heading == "Easy running"
    assert doc.intro == "Most of your running should feel easy."
    assert [section.heading for section in doc.sections] == ["How easy is easy", "Common mistakes"]
    assert "not a section" in doc.sections[-1].text


@pytest.mark.parametrize(
    ("fields", "body", "message"),
    [
        ({"title": None}, GOOD_BODY, "missing front-matter field(s): title"),
        ({"sources": "[]"}, GOOD_BODY, "missing front-matter field(s): sources"),
        ({"language": "de"}, GOOD_BODY, "unknown language 'de'"),
        ({"topics": "[easy-running, yoga]"}, GOOD_BODY, "unknown topic(s) yoga"),
        ({"level": "expert"}, GOOD_BODY, "unknown level 'expert'"),
        ({"topics": "easy-running"}, GOOD_BODY, "'topics' must be a list"),
        ({}, "# Easy running\n\nJust an intro, no sections.\n", "no sections"),
        ({}, "No title heading.\n\n## A section\n\ntext\n", "text before the '# ' title heading"),
        ({}, "# Easy running\n\n## Empty\n\n## Full\n\ntext\n", "empty section(s)"),
    ],
)
def test_a_broken_document_is_refused_with_its_path_and_reason(
    write_doc: WriteDoc, fields: dict[str, str | None], body: str, message: str
) -> None:
    path = write_doc(body, **fields)
    with pytest.raises(CorpusError) as error:
        load_document(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_the_file_must_be_where_its_id_and_language_say(write_doc: WriteDoc) -> None:
    with pytest.raises(CorpusError, match="does not match the file name"):
        load_document(write_doc(name="other"))
    with pytest.raises(CorpusError, match="in the 'en' folder"):
        load_document(write_doc(folder="en", language="fr"))


def test_front_matter_must_be_there_and_valid(corpus: Path) -> None:
    path = corpus / "en" / "x.md"
    path.parent.mkdir()
    path.write_text("# Title\n\n## Section\n\ntext\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no front matter"):
        load_document(path)
    path.write_text("---\nid: [unclosed\n---\n# T\n## S\ntext\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="not valid YAML"):
        load_document(path)


def test_translations_must_share_topics_and_ids_be_unique_per_language(
    corpus: Path, write_doc: WriteDoc
) -> None:
    write_doc()
    write_doc(language="fr", topics="[easy-running]")
    with pytest.raises(CorpusError, match="differ from those of the other language's version"):
        load_corpus(corpus)
    with pytest.raises(CorpusError, match="no documents"):
        load_corpus(corpus / "nowhere")


def test_the_fingerprint_changes_with_any_edit(corpus: Path, write_doc: WriteDoc) -> None:
    path = write_doc()
    before = corpus_fingerprint(corpus)
    assert corpus_fingerprint(corpus) == before
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    edited = corpus_fingerprint(corpus)
    assert edited != before
    write_doc(language="fr")
    assert corpus_fingerprint(corpus) not in {before, edited}
