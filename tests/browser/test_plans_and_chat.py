"""The plan and the chat in a real browser: build a plan, mark a session, ask the coach, see its chart."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, log_in_fr, sideways_overflow
from web.accounts.models import User
from web.coaching.models import Message, MessageRole
from web.demo.athletes import DEMO_PASSWORD
from web.plans import services
from web.plans.models import PlanStatus, SessionStatus, TrainingPlan
from web.plans.weeks import week_first_day, weeks_before_race

pytestmark = pytest.mark.django_db(transaction=True)

#: Copies the chat form's state when it is submitted into sessionStorage, which outlives the navigation.
RECORD_SUBMIT_STATE = """() => {
  const form = document.querySelector('form.chat-form');
  form.addEventListener('submit', () => {
    const button = form.querySelector('button[type=submit]');
    const thinking = form.querySelector('.chat-thinking');
    sessionStorage.setItem('chat-state', JSON.stringify(
      {disabled: button.disabled, label: button.textContent, thinking: !thinking.hidden}));
  });
}"""


def test_ask_the_coach_and_see_the_answer_with_its_chart(
    page: Any, live_server: Any, demo: User, shoot: Any
) -> None:
    log_in(page, live_server.url, demo.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Coach", exact=True).first.click()
    page.wait_for_url("**/chat/")
    assert page.get_by_role("heading", level=1).inner_text() == "Parlez avec votre coach"
    page.evaluate(RECORD_SUBMIT_STATE)
    box = page.get_by_label("Votre message")
    box.fill("Comment s'est passée ma semaine ?")
    # Enter sends, as in a messaging app; the page says the coach is thinking meanwhile.
    with page.expect_navigation():
        box.press("Enter")
    page.wait_for_url("**/chat/#latest")
    state = page.evaluate("JSON.parse(sessionStorage.getItem('chat-state'))")
    assert state == {"disabled": True, "label": "Envoi…", "thinking": True}
    messages = page.locator(".conversation > li")
    assert messages.count() == 2
    assert "Comment s'est passée ma semaine ?" in messages.nth(0).inner_text()
    stored = Message.objects.get(session__athlete=demo, role=MessageRole.ASSISTANT)
    assert stored.content.splitlines()[0] in messages.nth(1).inner_text()
    # The weekly volume chart, drawn by the agent, decoded and laid out by the browser, named by its alt text.
    picture = page.get_by_role("img", name="Volume hebdomadaire (km)")
    assert picture.count() == 1
    assert picture.evaluate("img => img.complete && img.naturalWidth") > 300
    shoot(page, "desktop")


def test_the_chat_on_a_phone(phone: Any, live_server: Any, demo: User, shoot: Any) -> None:
    log_in_fr(phone, live_server.url, demo.email)
    phone.goto(f"{live_server.url}/chat/")
    phone.get_by_label("Votre message").fill("Quelles sont mes zones cardiaques ?")
    phone.get_by_role("button", name="Envoyer").click()
    phone.wait_for_url("**/chat/#latest")
    assert phone.locator(".conversation > li").count() == 2
    overflow = sideways_overflow(phone)
    assert overflow <= 0
    shoot(phone, "chat")


def test_build_a_plan_then_mark_a_session_done(page: Any, live_server: Any, demo: User, shoot: Any) -> None:
    log_in(page, live_server.url, demo.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plan/")
    # The demo's plan, its runs matched to their sessions by showing the page.
    assert page.locator(".plan-week").count() >= 1
    assert page.locator(".status-done").count() >= 1
    shoot(page, "demo-plan")
    page.get_by_role("link", name="Faire un nouveau plan").click()
    page.wait_for_url("**/plan/new/")
    race = dt.datetime.now(dt.UTC).date() + dt.timedelta(weeks=12)
    page.get_by_label("Course objectif").select_option(label="Semi-marathon")
    page.get_by_label("Date de la course").fill(race.isoformat())
    page.get_by_label("Temps visé").fill("1:45:00")
    page.get_by_label("Sorties par semaine").fill("4")
    shoot(page, "form")
    page.get_by_role("button", name="Construire le plan").click()
    page.wait_for_url("**/plan/")
    plan = TrainingPlan.objects.get(athlete=demo, status=PlanStatus.ACTIVE)
    assert plan.goal_distance_m == 21_097.5 and plan.goal_date == race and plan.target_time_s == 6300.0
    assert "Votre plan est prêt" in page.get_by_role("status").first.inner_text()
    assert page.locator("#plan-progress").inner_text().startswith("0")
    assert page.locator(".plan-week").count() >= 12
    shoot(page, "new-plan")
    # Edit the first session: 8 km at 5:10 per km.
    first = plan.sessions.order_by("date").first()
    assert first is not None
    page.locator(f"a[href='/plan/sessions/{first.pk}/edit/']").click()
    page.get_by_label("Distance (km)").fill("8")
    page.get_by_label("Allure visée (min/km)").fill("5:10")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/plan/")
    first.refresh_from_db()
    assert (first.target_distance_m, first.target_pace_s_per_km) == (8000.0, 310.0)
    # Ill for three days: the sessions of those days are cancelled, the next three days' eased.
    page.get_by_label("Je suis malade ou blessé·e").check()
    page.get_by_label("Jours d'arrêt").fill("3")
    page.get_by_role("button", name="Ajuster", exact=True).click()
    page.wait_for_url("**/plan/")
    assert "allégées pour votre reprise" in page.get_by_role("status").first.inner_text()
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(demo.profile.timezone))
    sick = plan.sessions.filter(date__gte=today, date__lt=today + dt.timedelta(days=3))
    assert all(session.status == SessionStatus.CANCELLED for session in sick)
    back = plan.sessions.filter(date__gte=today + dt.timedelta(days=3), date__lt=today + dt.timedelta(days=6))
    assert back.exists() and all(session.description.startswith("Reprise après maladie") for session in back)
    shoot(page, "adjusted")


def test_the_plan_on_a_phone_marks_a_past_session_done(phone: Any, live_server: Any, shoot: Any) -> None:
    """An athlete two weeks into a plan, with no run imported: each past session has its button."""
    athlete = User.objects.create_user("lena@example.org", DEMO_PASSWORD, full_name="Léna Petit")
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(athlete.profile.timezone))
    plan = services.create_plan(
        athlete,
        goal_distance_m=10_000.0,
        goal_date=today + dt.timedelta(weeks=6),
        level=services.AthleteLevel(weekly_km=20.0, vdot=None),
        today=today - dt.timedelta(weeks=2),
        language="fr",
    )
    past = list(plan.sessions.filter(date__lte=today).order_by("date"))
    log_in_fr(phone, live_server.url, athlete.email)
    phone.goto(f"{live_server.url}/plan/")
    # The past weeks are folded away: only this week's past days show their buttons until opened.
    # Plan weeks end on the race's weekday (``web.plans.weeks``).
    week_start = week_first_day(plan.goal_date, weeks_before_race(plan.goal_date, today))
    this_week = [s for s in past if s.date >= week_start]
    buttons = phone.get_by_role("button", name="Faite")
    assert buttons.count() == len(this_week)
    phone.get_by_text("Semaines passées").click()
    assert buttons.count() == len(past) > 0
    label = buttons.first.get_attribute("aria-label")
    buttons.first.click()
    phone.wait_for_url("**/plan/")
    assert "La séance est marquée faite." in phone.get_by_role("status").first.inner_text()
    assert phone.get_by_role("button", name=label).count() == 0
    past[0].refresh_from_db()
    assert past[0].status == SessionStatus.DONE and past[0].completed_activity is None
    overflow = sideways_overflow(phone)
    assert overflow <= 0
    shoot(phone, "plan")
