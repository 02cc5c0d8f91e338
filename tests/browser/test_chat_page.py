"""The chat page in chromium: it opens at the latest message with the message box in reach; one error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, log_in_fr, sideways_overflow
from web.accounts.models import User
from web.coaching.models import Channel, CoachingSession, Message, MessageRole

pytestmark = pytest.mark.django_db(transaction=True)

#: Where an element is against the viewport: its top and bottom, and the viewport's height.
PLACE = "el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight]; }"


def _long_conversation(athlete: User, exchanges: int = 15) -> str:
    """``exchanges`` questions and answers, more than a screen; returns the latest answer's text."""
    session = CoachingSession.objects.create(athlete=athlete, channel=Channel.WEB)
    answer = ""
    for number in range(1, exchanges + 1):
        Message.objects.create(
            session=session, role=MessageRole.ATHLETE, content=f"Question numéro {number} ?"
        )
        answer = f"Réponse numéro {number} : une réponse du coach sur deux lignes, pour occuper de la place."
        Message.objects.create(session=session, role=MessageRole.ASSISTANT, content=answer)
    return answer


def _in_view(page: Any, selector: str) -> bool:
    top, bottom, height = page.locator(selector).evaluate(PLACE)
    return bool(top >= 0 and bottom <= height)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_chat_opens_at_the_latest_message_with_the_box_in_reach(
    phone: Any, live_server: Any, demo: User, shoot: Any, viewport: dict[str, int]
) -> None:
    latest = _long_conversation(demo)
    phone.set_viewport_size(viewport)
    log_in_fr(phone, live_server.url, demo.email)
    phone.goto(f"{live_server.url}/chat/")
    phone.wait_for_load_state("load")
    assert phone.locator("#latest .chat-text").inner_text() == latest
    assert _in_view(phone, "#latest"), "the latest message is not on the screen"
    assert _in_view(phone, "textarea[name=message]"), "the message box is not on the screen"
    assert _in_view(phone, "form.chat-form button[type=submit]"), "the send button is not on the screen"
    # The oldest messages are still there, above, for whoever scrolls.
    assert "Question numéro 1 ?" in phone.locator(".conversation > li").first.inner_text()
    overflow = sideways_overflow(phone)
    assert overflow <= 0
    shoot(phone, "opened")


def test_an_empty_message_shows_one_error(phone: Any, live_server: Any, demo: User, shoot: Any) -> None:
    log_in_fr(phone, live_server.url, demo.email)
    phone.goto(f"{live_server.url}/chat/")
    phone.get_by_label("Votre message").fill("   \n  ")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Envoyer").click()
    shoot(phone, "empty")
    alerts = phone.locator("[role=alert], .messages .message")
    assert alerts.count() == 1, alerts.all_inner_texts()
    assert "1 à" in alerts.first.inner_text()
    # It is the field's own error, next to the box, and the box says it is invalid.
    assert phone.locator("#id_message_error").inner_text() == alerts.first.inner_text()
    assert phone.get_by_label("Votre message").get_attribute("aria-invalid") == "true"
    assert Message.objects.filter(session__athlete=demo).count() == 0
