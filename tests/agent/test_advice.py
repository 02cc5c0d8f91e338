"""Advice questions get a few sentences chosen from the retrieved sections, cited, tied to the athlete."""

from __future__ import annotations

from agent import advice, replies
from agent.context import ToolContext
from agent.offline import OfflineAnswer, OfflineCoach
from agent.tools import run_tool

SECTION = {
    "title": "Strides",
    "source": "Strides — What strides are for (knowledge/corpus/en/strides.md; Daniels J. Daniels' Running "
    "Formula. 3rd ed. Champaign, IL: Human Kinetics; 2014.)",
    "text": "The point of strides is to run fast without getting tired. A few short, quick efforts teach the "
    "legs a faster, lighter stride.\n\n- After an easy run, on flat ground.\n- Recover fully between them: "
    "walk or jog 45 to 90 seconds, until your breathing is normal.\n\nStrides also keep a runner who does "
    "mostly easy mileage in touch with speed, and they are a good way to wake the legs up before a race.",
}


def test_sentences_are_chosen_by_the_question_not_pasted() -> None:
    chosen = advice.select("how long should I recover between strides?", [SECTION])
    texts = [sentence.text for sentence in chosen]
    assert (
        "Recover fully between them: walk or jog 45 to 90 seconds, until your breathing is normal." in texts
    )
    assert len(texts) <= advice.MAX_SENTENCES and sum(map(len, texts)) <= advice.MAX_CHARS
    assert "After an easy run, on flat ground." not in texts  # a fragment, not a sentence of advice
    other = [s.text for s in advice.select("are strides good before a race?", [SECTION])]
    assert any("before a race" in text for text in other) and other != texts


def test_citation_is_the_document_and_its_first_reference() -> None:
    assert advice.citation(SECTION["source"]) == "knowledge/corpus/en/strides.md (Daniels 2014)"


def test_an_advice_answer_fits_a_screen_and_cites_the_new_documents(lea_ctx: ToolContext) -> None:
    for query, document in (
        ("à quoi servent les lignes droites après un footing ?", "strides.md"),
        ("je n'ai plus de motivation pour sortir courir", "motivation.md"),
        ("courir par grand froid, comment s'habiller ?", "cold-weather.md"),
        ("il va faire 32 degrés pour ma sortie longue, des conseils pour la chaleur ?", "heat-altitude.md"),
    ):
        result = run_tool(lea_ctx, "search_knowledge", {"query": query})
        assert result.status == "ok"
        text = OfflineCoach()._advice(lea_ctx, result, OfflineAnswer(""))
        assert f"knowledge/corpus/fr/{document}" in text, (query, text)
        assert len(text) <= replies.SCREEN_CHARS and len(text.splitlines()) <= replies.SCREEN_LINES, text
        body = text.splitlines()[-2]
        assert all(hit["text"].strip() not in body for hit in result.data["hits"])  # not a pasted section


def test_vma_advice_starts_from_the_athlete_s_own_vma(lea_ctx: ToolContext) -> None:
    result = run_tool(lea_ctx, "search_knowledge", {"query": "comment améliorer ma VMA ?"})
    answer = OfflineAnswer("")
    text = OfflineCoach()._advice(lea_ctx, result, answer)
    vma = run_tool(lea_ctx, "estimate_vma", {})
    figure = replies._num(vma.data["vma_kmh"], "fr")
    assert text.startswith(f"Ta VMA est d'environ {figure} km/h : tes répétitions courtes (30/30)"), text
    assert [call["name"] for call in answer.calls] == ["estimate_vma"]
    heat = run_tool(lea_ctx, "search_knowledge", {"query": "conseils pour courir par forte chaleur"})
    assert OfflineCoach()._advice(lea_ctx, heat, OfflineAnswer("")).startswith("Ta zone 2 (endurance) : ")


def test_a_markdown_table_row_is_never_advice() -> None:
    section = {
        "title": "Tapering",
        "source": "knowledge/corpus/en/tapering.md",
        "text": "Taper the last two weeks before a marathon by cutting volume, not intensity.\n\n"
        "| Session | Intensity | Volume during the taper week |\n|---|---|---|\n"
        "| Intervals | Unchanged intensity during the taper | Reduced volume by a third |\n\n"
        "Keep one short session at race pace during the taper so the legs stay sharp.",
    }
    texts = [
        sentence.text for sentence in advice.select("how should I taper intensity and volume?", [section])
    ]
    assert texts and not any("|" in text for text in texts)
    assert all("|" not in sentence for sentence in advice.sentences(section["text"]))
