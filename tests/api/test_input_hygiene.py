"""Input hygiene over HTTP: control characters, long file names, several file parts: a 4xx or a success."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot import coach as bot_coach
from foulee import limits
from web.activities.models import Activity
from web.coaching.models import Message

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"
RUN_FILE = DATA / "runpandas_strava_run_hr.gpx"
MANUAL = {"start_time": "2026-11-20T07:30:00Z", "distance_m": 5000, "duration_s": 1600}


def _fields(response: httpx.Response) -> list[str]:
    return [item["field"] for item in response.json()["error"]["fields"]]


def test_a_nul_byte_in_an_activity_name_is_a_422_naming_the_field(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    for name in ("Run\x00", "Run\x1b", "Run\u0085"):
        response = http.post("/v1/activities", json={**MANUAL, "name": name})
        assert response.status_code == 422, response.text
        assert _fields(response) == ["body.name"]
    assert not Activity.objects.filter(user=athlete).exists()


def test_a_nul_byte_in_a_coach_message_is_a_422_naming_the_field(client, token_for, athlete) -> None:
    response = client(token_for(athlete)).post("/v1/coach/messages", json={"text": "ma semaine\x00 ?"})
    assert response.status_code == 422, response.text
    assert _fields(response) == ["body.text"]
    assert "U+0000" in response.json()["error"]["fields"][0]["message"]
    assert not Message.objects.filter(session__athlete=athlete).exists()


def test_an_upload_named_over_255_bytes_is_imported(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    name = "é" * 200 + "\x00.gpx"
    response = http.post("/v1/activities/upload", files={"file": (name, RUN_FILE.read_bytes())})
    assert response.status_code == 200, response.text
    result = response.json()["results"][0]
    assert result["status"] == "imported", result
    assert "\x00" not in result["file"] and result["file"].endswith(".gpx")
    stored = Activity.objects.get(pk=result["activity_id"]).original_file
    assert len(stored.name) <= 255 and len(Path(stored.name).name.encode()) <= 255


def test_two_file_parts_are_refused_and_nothing_is_imported(client, token_for, athlete) -> None:
    data = RUN_FILE.read_bytes()
    files = [("file", ("a.gpx", data)), ("file", ("b.gpx", data))]
    response = client(token_for(athlete)).post("/v1/activities/upload", files=files)
    assert response.status_code == 422, response.text
    assert _fields(response) == ["body.file"]
    assert "one file per request" in response.json()["error"]["message"].lower()
    assert not Activity.objects.filter(user=athlete).exists()


#: Messages with nothing but whitespace: spaces, tabs and line breaks, no-break and ideographic spaces.
BLANK_MESSAGES = [" ", "\n\t  \r\n", "\u00a0\u3000", "\u2003 \u2009"]


@pytest.mark.parametrize("text", BLANK_MESSAGES)
def test_a_blank_coach_message_is_refused_as_on_the_web_and_in_the_bot(
    client, token_for, athlete, login, text
) -> None:
    response = client(token_for(athlete)).post("/v1/coach/messages", json={"text": text})
    assert response.status_code == 422, response.text
    assert _fields(response) == ["body.text"]
    assert not Message.objects.filter(session__athlete=athlete).exists()
    # The same message on the other doors: the web chat and the bot refuse it too.
    page = login(athlete).post("/chat/", {"message": text})
    assert page.status_code == 200  # the form again, with its error; a message sent redirects
    assert bot_coach.refusal(text, "en") == "Your message is empty: write me your question."
    assert not Message.objects.filter(session__athlete=athlete).exists()


def test_the_whitespace_around_a_coach_message_does_not_count(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    longest = "x" * (limits.MAX_COACH_MESSAGE_CHARS - 1) + "?"
    response = http.post("/v1/coach/messages", json={"text": f"\n  {longest}  \n"})
    assert response.status_code == 200, response.text
    stored = Message.objects.filter(session__athlete=athlete, role="athlete").get()
    assert stored.content == longest
    over = http.post("/v1/coach/messages", json={"text": f" {longest}x "})
    assert over.status_code == 422 and _fields(over) == ["body.text"]
