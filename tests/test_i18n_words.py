"""The language check that the page, bot and coach tests use finds the other language's words."""

from __future__ import annotations

import pytest

from tests.i18n_words import assert_speaks, foreign_words


def test_a_french_sentence_is_french() -> None:
    assert foreign_words("Ta semaine : 42,2 km en 4 sorties, dont une séance de fractionné.", "fr") == []


def test_an_english_sentence_is_english() -> None:
    assert foreign_words("Your week: 42.2 km in 4 runs, with one interval session.", "en") == []


def test_english_words_in_a_french_reply_are_named() -> None:
    assert foreign_words("Ta semaine : 3 sorties. Next session: tempo.", "fr") == ["next", "session", "tempo"]


def test_french_words_in_an_english_reply_are_named() -> None:
    assert "sortie" in foreign_words("Your week: 3 runs (sortie du jeudi).", "en")


def test_shared_words_and_allowed_names_pass() -> None:
    assert foreign_words("Un nouveau record sur le site : note-le.", "fr") == []
    assert foreign_words("Karim Benali, via the chat", "en", allowed=["benali"]) == []


def test_the_assertion_names_the_words_and_the_place() -> None:
    with pytest.raises(AssertionError, match=r"dashboard in 'fr' holds \['week'\]"):
        assert_speaks("Ta week", "fr", where="dashboard")
