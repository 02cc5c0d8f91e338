"""The French catalogue: every message translated, none fuzzy, the compiled .mo in step with the .po."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import web

CATALOGUE = Path(web.__file__).resolve().parent / "locale" / "fr" / "LC_MESSAGES"


@dataclass(frozen=True)
class Entry:
    comments: list[str]
    msgid: str
    #: The source text of each translation: ``msgid``, or for a plural entry ``msgid`` for form 0
    #: and ``msgid_plural`` for the others.
    sources: dict[str | tuple[str, int], str]
    #: The translations, keyed as the compiled catalogue keys them: ``msgid``, or ``(msgid, n)``.
    translations: dict[str | tuple[str, int], str]


def read_po(path: Path) -> list[Entry]:
    """Each entry of the catalogue, singular or plural; the header entry included (msgid "")."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        comments: list[str] = []
        parts: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in block.splitlines():
            if line.startswith("#"):
                comments.append(line)
            elif line.startswith("msg"):
                keyword, _, literal = line.partition(" ")
                assert re.fullmatch(r"msgid|msgid_plural|msgstr|msgstr\[\d\]", keyword), line
                current = parts.setdefault(keyword, [])
                current.append(ast.literal_eval(literal))
            elif line.startswith('"') and current is not None:
                current.append(ast.literal_eval(line))
        text = {keyword: "".join(pieces) for keyword, pieces in parts.items()}
        msgid = text["msgid"]
        if "msgid_plural" in text:
            forms = sorted(int(keyword[7:-1]) for keyword in text if keyword.startswith("msgstr["))
            translations: dict[str | tuple[str, int], str] = {(msgid, n): text[f"msgstr[{n}]"] for n in forms}
            sources: dict[str | tuple[str, int], str] = {
                (msgid, n): msgid if n == 0 else text["msgid_plural"] for n in forms
            }
        else:
            translations, sources = {msgid: text["msgstr"]}, {msgid: msgid}
        entries.append(Entry(comments, msgid, sources, translations))
    return entries


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 300
    untranslated = [entry.msgid for entry in entries if entry.msgid and not all(entry.translations.values())]
    fuzzy = [
        entry.msgid for entry in entries if any("fuzzy" in c for c in entry.comments if c.startswith("#,"))
    ]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_plural_entries_are_read_with_every_form() -> None:
    plural = [entry for entry in read_po(CATALOGUE / "django.po") if len(entry.translations) > 1]
    assert plural, "the catalogue has plural entries (the zones card's source)"
    assert all(set(entry.translations) == {(entry.msgid, 0), (entry.msgid, 1)} for entry in plural)


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    """A stale .mo (the .po edited, msgfmt not run) fails here: docs/web.md has the command."""
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalog = dict(gettext.GNUTranslations(compiled)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)
    source = {
        key: value for entry in read_po(CATALOGUE / "django.po") if entry.msgid
        for key, value in entry.translations.items()
    }  # fmt: skip
    assert catalog == source


def test_the_same_placeholders_in_both_languages() -> None:
    placeholder = re.compile(r"%\(\w+\)s")
    for entry in read_po(CATALOGUE / "django.po"):
        if not entry.msgid:
            continue
        for key, translation in entry.translations.items():
            expected = sorted(placeholder.findall(entry.sources[key]))
            assert sorted(placeholder.findall(translation)) == expected, entry.msgid


@pytest.mark.django_db
def test_pages_follow_the_browsers_language(client: Client) -> None:
    french = client.get(reverse("site:login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="fr">' in french and "Mot de passe oublié ?" in french
    english = client.get(reverse("site:login"), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert '<html lang="en">' in english and "Forgot your password?" in english
