"""The upload page's two answers: the page with every result (a plain form POST, no script), and one
file's result lines as JSON for ``static/site/upload.js``, which sends the files one at a time."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.site.conftest import upload
from web.accounts.models import User
from web.activities.models import Activity

pytestmark = pytest.mark.django_db


def test_one_file_answers_its_result_line_as_json(login: Callable[[User], Client], athlete: User) -> None:
    answer = login(athlete).post(
        reverse("site:upload"),
        {"uploads": [upload("fitparse_fenix2_run.fit")]},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    body = answer.json()
    assert (body["imported"], body["duplicates"], body["errors"]) == (1, 0, 0)
    activity = Activity.objects.get(user=athlete)
    # The same line as the page's, from the same template: escaped, linked, in the viewer's language.
    assert '<tr class="import-imported">' in body["rows"] and "fitparse_fenix2_run.fit" in body["rows"]
    assert reverse("site:activity", args=[activity.pk]) in body["rows"] and "importé" in body["rows"]


def test_a_file_that_fails_says_why_in_its_line(login: Callable[[User], Client], athlete: User) -> None:
    body = (
        login(athlete)
        .post(
            reverse("site:upload"),
            {"uploads": [upload("fitparse_invalid_unexpected_eof.fit")]},
            HTTP_ACCEPT="application/json",
        )
        .json()
    )
    assert body["errors"] == 1 and '<tr class="import-error">' in body["rows"]
    assert not Activity.objects.filter(user=athlete).exists()


def test_a_request_without_a_file_is_refused_in_json(login: Callable[[User], Client], athlete: User) -> None:
    answer = login(athlete).post(reverse("site:upload"), {}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400 and answer.json()["errors"], answer.json()


def test_without_the_script_the_form_answers_the_page(login: Callable[[User], Client], athlete: User) -> None:
    page = login(athlete).post(
        reverse("site:upload"),
        {"uploads": [upload("fitparse_fenix2_run.fit"), upload("runpandas_fr620_run.tcx")]},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "2 imported, 0 duplicates, 0 errors." in html
    assert html.count('<tr class="import-imported">') == 2
    assert 'src="/static/site/upload.js"' in html


def test_a_coach_cannot_send_a_file_to_another_coachs_athlete(
    login: Callable[[User], Client], coach: User, stranger: User
) -> None:
    answer = login(coach).post(
        reverse("site:athlete_upload", args=[stranger.pk]),
        {"uploads": [upload("fitparse_fenix2_run.fit")]},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 404 and not Activity.objects.filter(user=stranger).exists()
