"""The coach's home: who needs attention and why, only their own athletes; athlete pages redirect."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.web import coach_attention_world as world
from web.accounts.models import User
from web.coaching import attention

pytestmark = pytest.mark.django_db


def _attention_block(html: str, athlete: User) -> str:
    found = re.search(rf'<li class="card" id="attention-{athlete.pk}">(.*?)</li>\s*</ul>\s*<ul', html, re.S)
    return found.group(1) if found else ""


def test_each_reason_is_said_with_its_date(
    coach: User, login: Callable[[User], Client], synced: Callable[[], Any]
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    people = world.seed(coach, PASSWORD, today)
    synced()
    html = login(coach).get(reverse("site:coach"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for reason in ("no_run", "high_fatigue", "missed_key_session", "new_injury"):
        block = _attention_block(html, people[reason])
        assert f'data-reason="{reason}"' in block, reason
        others = set(world.NAMES) - {reason, "fine"}
        assert not any(f'data-reason="{other}"' in block for other in others), (reason, block)
    assert f'id="attention-{people["fine"].pk}"' not in html
    assert "No run in the last 7 days (last run on" in html
    assert "High fatigue: form -1" in html  # the seeded week drives form far below -30
    assert "Missed key session: Long run of" in html and "Easy run" not in html
    assert "New injury or pain, told on" in html and "Pain in my left knee" in html
    # Links to each athlete's pages and to the admin.
    assert reverse("site:athlete_plan", args=[people["missed_key_session"].pk]) in html
    assert reverse("admin:accounts_user_change", args=[people["new_injury"].pk]) in html


def test_the_threshold_is_the_bottom_of_the_tired_band() -> None:
    assert attention.HIGH_FATIGUE_TSB == -30.0


def test_a_coach_never_sees_another_coachs_athletes(
    coach: User,
    other_coach: User,
    make_user: Callable[..., User],
    login: Callable[[User], Client],
    synced: Callable[[], Any],
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    mine = world.seed(coach, PASSWORD, today)
    theirs = world.seed(other_coach, PASSWORD, today)
    synced()
    html = login(coach).get(reverse("site:coach")).content.decode()
    assert f'id="attention-{mine["no_run"].pk}"' in html  # the coach's own, in the attention cards
    for athlete in mine.values():
        assert reverse("site:athlete_dashboard", args=[athlete.pk]) in html
    for athlete in theirs.values():
        assert reverse("site:athlete_dashboard", args=[athlete.pk]) not in html
        assert f'id="attention-{athlete.pk}"' not in html
        assert reverse("admin:accounts_user_change", args=[athlete.pk]) not in html


def test_an_athlete_cannot_open_the_coach_home(athlete: User, login: Callable[[User], Client]) -> None:
    assert login(athlete).get(reverse("site:coach")).status_code == 403


@pytest.mark.parametrize("name", ["dashboard", "activities", "upload", "plan", "plan_create", "chat"])
def test_the_athlete_pages_send_a_coach_home(coach: User, login: Callable[[User], Client], name: str) -> None:
    page = login(coach).get(reverse(f"site:{name}"), follow=True)
    assert page.redirect_chain == [(reverse("site:coach"), 302)]
    assert "These pages are for athletes" in page.content.decode()


def test_the_coach_navigation_has_the_admin_not_the_athlete_pages(
    coach: User, athlete: User, login: Callable[[User], Client]
) -> None:
    html = login(coach).get(reverse("site:coach")).content.decode()
    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    assert reverse("admin:index") in nav and reverse("site:coach") in nav
    assert reverse("site:profile") in nav and reverse("site:privacy") in nav
    for name in ("dashboard", "activities", "plan", "chat"):
        assert f'href="{reverse(f"site:{name}")}"' not in nav, name
    # An athlete's navigation is unchanged: their pages, no admin.
    athlete_nav = login(athlete).get(reverse("site:dashboard")).content.decode()
    athlete_nav = athlete_nav[athlete_nav.index('<nav aria-label="Main">') : athlete_nav.index("</nav>")]
    assert f'href="{reverse("site:plan")}"' in athlete_nav and reverse("admin:index") not in athlete_nav
