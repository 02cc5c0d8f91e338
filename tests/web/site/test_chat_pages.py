"""The chat with the coach: the real (offline) agent, its stored history, charts inline, who may talk."""

from __future__ import annotations

import base64

from django.urls import reverse

from web.coaching.models import Channel, CoachingSession, Message, MessageRole
from web.demo.athletes import DEMO_PASSWORD

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_an_athlete_asks_and_reads_the_answer_in_the_history(login, athlete) -> None:
    client = login(athlete)
    empty = client.get(reverse("site:chat"))
    assert empty.status_code == 200 and "No message yet." in empty.content.decode()
    sent = client.post(reverse("site:chat"), {"message": "How was my week?"})
    assert sent.status_code == 302 and sent["Location"].endswith("/chat/#latest")
    session = CoachingSession.objects.get(athlete=athlete, channel=Channel.WEB)
    stored = list(session.messages.order_by("created_at", "id"))
    assert [m.role for m in stored] == [MessageRole.ATHLETE, MessageRole.ASSISTANT]
    assert stored[0].content == "How was my week?" and stored[1].language == "en"
    page = client.get(reverse("site:chat")).content.decode()
    assert "How was my week?" in page
    # The coach's reply, as the agent wrote and stored it (no data yet: it asks for files).
    assert stored[1].content.split("\n")[0][:40] in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert 'id="latest"' in page


def test_a_reply_with_a_chart_shows_the_picture_inline_with_its_title(client, demo) -> None:
    assert client.login(username=demo["athlete"].email, password=DEMO_PASSWORD)
    client.post(reverse("site:chat"), {"message": "Comment s'est passée ma semaine ?"})
    answer = Message.objects.filter(session__athlete=demo["athlete"], role=MessageRole.ASSISTANT).get()
    assert {call["name"] for call in answer.tool_calls} >= {"weekly_summary"}
    page = client.get(reverse("site:chat")).content.decode()
    pictures = page.split('<img src="data:image/png;base64,')[1:]
    assert pictures, "the weekly volume chart is not in the page"
    data, rest = pictures[0].split('"', 1)
    assert base64.b64decode(data).startswith(PNG_SIGNATURE)
    assert 'alt="Volume hebdomadaire (km)"' in rest[:200]


def test_an_empty_or_too_long_message_is_refused_and_nothing_is_stored(login, athlete) -> None:
    client = login(athlete)
    for text in ("   ", "x" * 2001):
        page = client.post(reverse("site:chat"), {"message": text})
        assert page.status_code == 200 and 'role="alert"' in page.content.decode()
    assert not Message.objects.filter(session__athlete=athlete).exists()


def test_a_coach_talks_about_their_athlete_in_the_athletes_conversation(login, coach, athlete) -> None:
    client = login(coach)
    url = reverse("site:athlete_chat", args=[athlete.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"message": "What is the next session?"})
    roles = list(
        Message.objects.filter(session__athlete=athlete, session__channel=Channel.WEB).values_list(
            "role", flat=True
        )
    )
    assert roles == [MessageRole.COACH, MessageRole.ASSISTANT]
    assert not CoachingSession.objects.filter(athlete=coach).exists()
    # The athlete reads the same conversation, the coach's question included.
    assert "What is the next session?" in login(athlete).get(reverse("site:chat")).content.decode()


def test_another_coach_gets_404_and_learns_nothing(login, other_coach, athlete) -> None:
    client = login(other_coach)
    url = reverse("site:athlete_chat", args=[athlete.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"message": "How was their week?"}).status_code == 404
    assert not Message.objects.exists()


def test_the_chat_needs_a_login(client) -> None:
    page = client.get(reverse("site:chat"))
    assert page.status_code == 302 and "/login/" in page["Location"]
