"""The French catalogue: every message translated, none fuzzy, the compiled .mo in step with the .po."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import web

CATALOGUE = Path(web.__file__).resolve().parent / "locale" / "fr" / "LC_MESSAGES"


def read_po(path: Path) -> list[tuple[list[str], str, str]]:
    """(comment lines, msgid, msgstr) of each entry; the header entry included (msgid "")."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        comments: list[str] = []
        parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}
        current: list[str] | None = None
        for line in block.splitlines():
            if line.startswith("#"):
                comments.append(line)
            elif line.startswith(("msgid ", "msgstr ")):
                keyword, _, literal = line.partition(" ")
                assert keyword in parts, f"unsupported entry (plural?) in {path}: {line}"
                current = parts[keyword]
                current.append(ast.literal_eval(literal))
            elif line.startswith('"') and current is not None:
                current.append(ast.literal_eval(line))
        entries.append((comments, "".join(parts["msgid"]), "".join(parts["msgstr"])))
    return entries


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 300
    untranslated = [msgid for _, msgid, msgstr in entries if msgid and not msgstr]
    fuzzy = [
        msgid for comments, msgid, _ in entries if any("fuzzy" in c for c in comments if c.startswith("#,"))
    ]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    """A stale .mo (the .po edited, msgfmt not run) fails here: docs/web.md has the command."""
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalog = dict(gettext.GNUTranslations(compiled)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)
    source = {msgid: msgstr for _, msgid, msgstr in read_po(CATALOGUE / "django.po") if msgid}
    assert catalog == source


def test_the_same_placeholders_in_both_languages() -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)s")
    for _, msgid, msgstr in read_po(CATALOGUE / "django.po"):
        if msgid:
            assert sorted(placeholder.findall(msgid)) == sorted(placeholder.findall(msgstr)), msgid


@pytest.mark.django_db
def test_pages_follow_the_browsers_language(client: Client) -> None:
    french = client.get(reverse("site:login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="fr">' in french and "Mot de passe oublié ?" in french
    english = client.get(reverse("site:login"), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert '<html lang="en">' in english and "Forgot your password?" in english
