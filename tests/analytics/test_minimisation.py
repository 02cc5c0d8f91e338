"""Minimisation (issue 23, item 5): the analytics store holds no name, e-mail or free text.

Two checks. The schema's: every text column of the store is one of the few below, each a
closed vocabulary or a machine value, with the reason it is not free text; a new text column
fails here until someone argues it (docs/gdpr/register.md, "Analytics store"). The data's: an
athlete whose name, e-mail and activity titles and descriptions carry markers is synced, and
no text cell of any analytics table holds a marker; the one sentence-valued column holds only
sentences of ``analytics.quality``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, LargeBinary, String, Text, select

from analytics import quality, schema
from analytics.sync import sync
from tests.conftest import activity_fields
from web.accounts import services
from web.activities.models import Activity

#: table.column → why it is no free text.
ALLOWED_TEXT = {
    "analytics_athlete.sex": "M or F (web.accounts.models.Sex)",
    "analytics_athlete.timezone": "an IANA zone name, validated against zoneinfo",
    "analytics_activity.sport": "web.activities.models.Sport's codes",
    "analytics_activity.load_method": "analytics.features' method codes (hr_samples, avg_hr, source)",
    "analytics_activity.quality_note": "sentences of analytics.quality.REASONS only, joined",
    "analytics_activity_samples.file_checksum": "a SHA-256 in hexadecimal",
    "analytics_activity_samples.encoding": "the samples codec's name (analytics.samples)",
    "analytics_sync_state.stream": "the sync's stream names",
}
MARKER = "Zébulon"


def text_columns() -> list[str]:
    return [
        f"{table.name}.{column.name}"
        for table in schema.Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | Text) and not isinstance(column.type, LargeBinary)
    ]


def test_every_text_column_of_the_store_is_a_closed_vocabulary() -> None:
    unexplained = sorted(set(text_columns()) - set(ALLOWED_TEXT))
    assert not unexplained, f"free text in the analytics store? argue it in ALLOWED_TEXT: {unexplained}"
    assert set(ALLOWED_TEXT) <= set(text_columns()), "ALLOWED_TEXT names a column that is gone"


def test_no_column_is_named_for_a_person_or_free_text() -> None:
    words = ("name", "email", "mail", "note", "text", "description", "title", "comment", "username")
    suspects = [
        column
        for column in text_columns()
        if any(word in column.split(".")[1] for word in words) and column not in ALLOWED_TEXT
    ]
    assert not suspects


@pytest.mark.django_db
def test_a_synced_athlete_leaves_no_name_email_or_text_in_the_store(
    make_user, store: Engine, make_activity
) -> None:
    athlete = make_user(email="zebulon.runner@example.org", full_name=f"{MARKER} Coureur")
    services.update_profile(athlete, {"hr_max": 190, "hr_rest": 50, "sex": "M"})
    make_activity(athlete, name=f"Sortie avec {MARKER}", description=f"{MARKER} : genou douloureux")
    # An activity without heart rate, so its quality note is filled.
    Activity.objects.create(user=athlete, **activity_fields(avg_hr=None, max_hr=None, name=MARKER))
    sync(store)
    cells: list[str] = []
    with store.connect() as conn:
        for column_name in text_columns():
            table_name, column = column_name.split(".")
            table = schema.Base.metadata.tables[table_name]
            values: list[str] = list(conn.execute(select(table.c[column])).scalars())
            cells += [value for value in values if value]
        notes = [note for note in conn.execute(select(schema.Activity.quality_note)).scalars() if note]
    assert cells, "the sync wrote nothing: the scan would prove nothing"
    for needle in (MARKER.lower(), "zebulon", "genou", "sortie"):
        assert not [cell for cell in cells if needle in cell.lower()], needle
    assert notes, "no quality note was written: the vocabulary check would prove nothing"
    for note in notes:
        assert all(part in quality.REASONS.values() for part in note.split(quality.SEPARATOR)), note
