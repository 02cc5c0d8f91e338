"""docs/data-model.md's diagrams are the code's: regenerated, they are what is committed."""

from __future__ import annotations

import pytest

from analytics import schema
from foulee import cli
from web import datamodel


def test_the_committed_diagrams_match_the_models() -> None:
    stale = datamodel.stale_sections(datamodel.DOCUMENT.read_text(encoding="utf-8"))
    assert not stale, f"docs/data-model.md is out of date ({', '.join(stale)}): run `foulee datamodel`"


@pytest.mark.django_db
def test_a_model_change_is_caught(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = datamodel.DOCUMENT.read_text(encoding="utf-8")
    # What the check sees if a column were added to a model without regenerating the document.
    edited = document.replace(
        "        text full_name\n", "        text full_name\n        text nickname\n", 1
    )
    assert edited != document
    assert datamodel.stale_sections(edited) == ["logical"]
    monkeypatch.setattr(datamodel.DOCUMENT.__class__, "read_text", lambda self, encoding=None: edited)
    assert cli.main(["datamodel", "--check"]) == 1
    assert "foulee datamodel" in capsys.readouterr().err


def test_every_model_and_table_is_drawn() -> None:
    document = datamodel.DOCUMENT.read_text(encoding="utf-8")
    for model in datamodel.django_models():
        assert f"    {model._meta.db_table} {{" in document
    for table in schema.Base.metadata.sorted_tables:
        assert f"    {table.name} {{" in document
