"""A race result from a results page: the fetch's guards, the page reading, the service, the web form.

Every page is served by a real HTTP server on loopback (``tests/results_server.py``) from the
saved pages of ``tests/data/results``; with the default settings that server must be refused.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from sqlalchemy import Engine

from analytics.queries.predictions import predict_race
from analytics.sync import sync
from foulee import races
from tests.results_server import ResultsSite
from web.accounts.models import User
from web.accounts.services import profile_of
from web.activities.models import Activity, Source
from web.activities.results.fetch import USER_AGENT, ResultsError, fetch_page
from web.activities.results.names import same_person
from web.activities.results.page import date_in, duration_in, read_page
from web.activities.results.service import import_race_result
from web.activities.services import race_results

pytestmark = pytest.mark.django_db


def refusal(call: Callable[[], Any]) -> ResultsError:
    with pytest.raises(ResultsError) as caught:
        call()
    return caught.value


@pytest.fixture
def runner(make_user: Callable[..., User]) -> User:
    user = make_user(full_name="Jean-Pierre Martin")
    profile = profile_of(user)
    profile.language = "en"
    profile.timezone = "Europe/Paris"
    profile.save()
    return user


# --- The guards, with the default settings: loopback, private and odd addresses are never fetched.


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/fr-10km.html",
        "http://localhost:{port}/fr-10km.html",
        "http://[::1]:{port}/fr-10km.html",
        "http://[::ffff:127.0.0.1]:{port}/fr-10km.html",
        "http://0.0.0.0:{port}/fr-10km.html",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/results.html",
        "http://192.168.1.1/results.html",
        "http://100.64.0.1/results.html",
        "http://[fd00::1]/results.html",
    ],
)
def test_private_and_loopback_addresses_are_refused_by_default(results_site: ResultsSite, url: str) -> None:
    error = refusal(lambda: fetch_page(url.format(port=results_site.port)))
    assert error.code == "address_refused"
    assert "private or reserved network" in str(error)
    assert results_site.requests == []


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("file:///etc/passwd", "Only http:// and https://"),
        ("ftp://results.example/10km.html", "Only http:// and https://"),
        ("javascript:alert(1)", "Only http:// and https://"),
        ("gopher://127.0.0.1:6379/_INFO", "Only http:// and https://"),
        ("http://admin:secret@results.example/10km.html", "user name or password"),
        ("http://user@results.example/10km.html", "user name or password"),
        ("http://results.example/a b.html", "not a web address"),
        ("not an address", "not a web address"),
        ("", "not a web address"),
    ],
)
def test_odd_addresses_are_refused_before_any_lookup(
    url: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_lookup(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("resolved a refused address")

    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    error = refusal(lambda: fetch_page(url))
    assert error.code == "bad_url"
    assert why in str(error)


def test_a_name_that_resolves_to_a_private_address_among_public_ones_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80)),
    ]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: answers)
    assert refusal(lambda: fetch_page("http://rebind.example/results.html")).code == "address_refused"


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(
    results_site: ResultsSite, private_hosts_allowed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that only our resolver knows: were httpx to resolve it again, the fetch would fail."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def resolver(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "127.0.0.1":  # the socket's own call on the address it is given: no name to resolve
            return real(host, *args, **kwargs)
        lookups.append(host)
        if host == "results.example":
            return real("127.0.0.1", *args, **kwargs)
        raise socket.gaierror("unknown name")

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    page = fetch_page(f"http://results.example:{results_site.port}/half.html")
    assert "Riverside Half Marathon" in page.html
    assert lookups == ["results.example"]
    assert results_site.requests == [("/half.html", f"results.example:{results_site.port}")]
    assert results_site.agents == [USER_AGENT]
    assert "Foulee" in USER_AGENT


# --- With FOULEE_RESULTS_ALLOW_PRIVATE_HOSTS on: the loopback server is fetched, bad answers refused.


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("/missing.html", "not_found", "HTTP 404"),
        ("/broken.html", "http_error", "HTTP 500"),
        ("/data.json", "not_html", "not HTML"),
        ("/huge.html", "too_large", "too large"),
        ("/huge-declared.html", "too_large", "too large"),
        ("/slow.html", "timeout", "too slow"),
        ("/loop", "too_many_redirects", "redirects too many times"),
        ("/to-file", "bad_url", "Only http:// and https://"),
        ("/to-credentials", "bad_url", "user name or password"),
    ],
)
def test_bad_answers_are_refused_with_one_line(
    results_site: ResultsSite, private_hosts_allowed: None, path: str, code: str, words: str
) -> None:
    error = refusal(lambda: fetch_page(results_site.url(path)))
    assert (error.code, words in str(error)) == (code, True)
    assert "\n" not in str(error)


def test_a_resolver_that_hangs_is_given_up_after_the_timeout(
    private_hosts_allowed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``getaddrinfo`` has no timeout of its own: a DNS server that never answers must not hold us."""
    answered = threading.Event()

    def hanging(*args: Any, **kwargs: Any) -> Any:
        answered.wait(timeout=30)
        raise socket.gaierror("never answered")

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    try:
        error = refusal(lambda: fetch_page("http://slow-dns.example/results.html"))
    finally:
        answered.set()
    assert (error.code, "too long to look up" in str(error)) == ("timeout", True)


def test_a_closed_port_is_unreachable(private_hosts_allowed: None) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert refusal(lambda: fetch_page(f"http://127.0.0.1:{port}/x.html")).code == "unreachable"


def test_redirects_are_followed_and_read_in_the_declared_charset(
    results_site: ResultsSite, private_hosts_allowed: None
) -> None:
    page = fetch_page(results_site.url("/to-half"))
    assert page.url.endswith("/half.html")
    assert "Riverside" in page.html
    french = fetch_page(results_site.url("/fr-10km.html"))  # Latin-1, said only in <meta>
    assert "LEFÈVRE Léa" in french.html


# --- Reading pages and names.


def test_names_match_whatever_their_order_case_accents_and_hyphens() -> None:
    assert same_person("MARTIN Jean-Pierre", "Jean-Pierre Martin")
    assert same_person("DUPONT-MARTIN Éloïse", "eloise dupont martin")
    assert same_person("LE GOFF Anne", "Anne Legoff")
    assert same_person("N'DIAYE Aminata (SEN)", "Aminata Ndiaye")
    assert not same_person("MARTIN Jean", "Jean-Pierre Martin")
    assert not same_person("MARTIN J.", "Jean Martin")
    assert not same_person("", "Jean Martin")


def test_times_dates_and_distances_as_pages_write_them() -> None:
    assert duration_in("0:38:40") == 2320.0
    assert duration_in("1h24'08") == 5048.0
    assert duration_in("41'47") == 2507.0
    assert duration_in("1:23:45,4") == pytest.approx(5025.4)
    assert duration_in("Abandon") is None
    assert duration_in("0:61:00") is None
    assert date_in("dimanche 12 octobre 2025") == dt.date(2025, 10, 12)
    assert date_in("Sunday September 14, 2025") == dt.date(2025, 9, 14)
    assert date_in("le 1er mars 2026") == dt.date(2026, 3, 1)
    assert date_in("12/10/2025") == dt.date(2025, 10, 12)
    assert date_in("Résultats 2025") is None
    assert races.race_distance_in("Semi-marathon (21,1 km)") == races.HALF_MARATHON_M
    assert races.race_distance_in("Marathon de Paris 2025") == races.MARATHON_M
    assert races.race_distance_in("10 km de Houilles") == races.TEN_K_M
    assert races.race_distance_in("Riverside Half Marathon 2025") == races.HALF_MARATHON_M
    assert races.race_distance_in("Tarif 15 €") is None


def test_a_page_without_a_results_table_has_none() -> None:
    page = read_page("<table><tr><td>Tarif</td><td>15 €</td></tr></table><h1>Trail</h1>")
    assert len(page.tables) == 1
    assert page.results_tables == []


# --- The service: the result recorded once, as a race, feeding the records and the predictions.


def test_a_french_club_page_records_the_athletes_row_as_a_race(
    results_site: ResultsSite, private_hosts_allowed: None, runner: User
) -> None:
    outcome = import_race_result(runner, results_site.url("/fr-10km.html"))
    assert outcome.status == "imported"
    race = outcome.activity
    assert race is not None
    assert (race.source, race.distance_m, race.duration_s, race.moving_time_s) == (
        Source.RESULTS,
        races.TEN_K_M,
        2320.0,
        2320.0,
    )
    assert race.start_time.astimezone(zoneinfo.ZoneInfo("Europe/Paris")) == dt.datetime(
        2025, 10, 12, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")
    )
    assert race.name == "10 km de Houilles"
    assert "Place 4" in race.description
    assert "Bib 215" in race.description
    assert results_site.url("/fr-10km.html") in race.description
    # Only the athlete's row: no other runner's name is stored anywhere in the activity.
    stored = " ".join(str(value) for value in Activity.objects.filter(pk=race.pk).values().get().values())
    assert "BENALI" not in stored
    assert "ROUSSEAU" not in stored
    assert race_results(runner) == [race]
    # A race by its source, whatever it is called: renamed by the athlete, it stays one.
    race.name = "Sortie du dimanche"
    race.save()
    assert race_results(runner) == [race]


def test_the_same_result_imported_twice_is_recorded_once(
    results_site: ResultsSite, private_hosts_allowed: None, runner: User
) -> None:
    first = import_race_result(runner, results_site.url("/fr-10km.html"))
    again = import_race_result(runner, results_site.url("/fr-10km.html#top"))
    assert (first.status, again.status) == ("imported", "duplicate")
    assert again.activity == first.activity
    assert Activity.objects.filter(user=runner).count() == 1


def test_the_chip_time_is_taken_over_the_gun_time(
    results_site: ResultsSite, private_hosts_allowed: None, make_user: Callable[..., User]
) -> None:
    sophie = make_user(full_name="sophie marchand")
    race = import_race_result(sophie, results_site.url("/half.html")).activity
    assert race is not None
    assert (race.distance_m, race.duration_s) == (races.HALF_MARATHON_M, 5582.0)  # 1:33:02, not 1:34:51
    assert race.start_time.date() == dt.date(2025, 9, 14)


def test_a_namesake_in_two_races_asks_which_row_and_records_nothing_until_chosen(
    results_site: ResultsSite, private_hosts_allowed: None, make_user: Callable[..., User]
) -> None:
    marie = make_user(full_name="Marie Durand")
    url = results_site.url("/vallee.html")
    outcome = import_race_result(marie, url)
    assert outcome.status == "ambiguous"
    assert [(c.choice, c.distance_m, c.time_s) for c in outcome.candidates] == [
        ("t0r2", races.HALF_MARATHON_M, 5875.0),
        ("t1r1", races.TEN_K_M, 2507.0),
    ]
    assert not Activity.objects.filter(user=marie).exists()
    # The page gives no date: it must be asked for.
    assert refusal(lambda: import_race_result(marie, url, choice="t1r1")).code == "no_date"
    assert not Activity.objects.filter(user=marie).exists()
    chosen = import_race_result(marie, url, choice="t1r1", race_date=dt.date(2026, 5, 17)).activity
    assert chosen is not None
    assert (chosen.distance_m, chosen.duration_s) == (races.TEN_K_M, 2507.0)
    assert refusal(lambda: import_race_result(marie, url, choice="t9r9")).code == "bad_choice"


def test_nom_prenom_columns_and_accents(
    results_site: ResultsSite, private_hosts_allowed: None, make_user: Callable[..., User]
) -> None:
    eloise = make_user(full_name="Eloise Dupont Martin")
    race = import_race_result(
        eloise, results_site.url("/vallee.html"), race_date=dt.date(2026, 5, 17)
    ).activity
    assert race is not None
    assert (race.distance_m, race.duration_s) == (races.HALF_MARATHON_M, 5048.0)


@pytest.mark.parametrize(
    ("path", "full_name", "code"),
    [
        ("/no-table.html", "Jean-Pierre Martin", "no_table"),
        ("/fr-10km.html", "Somebody Absent", "name_not_found"),
        ("/fr-10km.html", "Marc Faure", "no_time"),  # "Abandon": no finishing time
        ("/fr-10km.html", "", "no_name"),
        ("/missing.html", "Jean-Pierre Martin", "not_found"),
    ],
)
def test_a_page_without_the_athletes_result_writes_nothing(
    results_site: ResultsSite,
    private_hosts_allowed: None,
    make_user: Callable[..., User],
    path: str,
    full_name: str,
    code: str,
) -> None:
    athlete = make_user(full_name=full_name)
    assert refusal(lambda: import_race_result(athlete, results_site.url(path))).code == code
    assert not Activity.objects.filter(user=athlete).exists()


@pytest.mark.django_db(transaction=True)
def test_the_result_feeds_the_race_predictions(
    results_site: ResultsSite, private_hosts_allowed: None, runner: User, store: Engine
) -> None:
    race = import_race_result(runner, results_site.url("/fr-10km.html")).activity
    assert race is not None
    sync(store)
    with store.connect() as conn:
        prediction = predict_race(conn, runner.pk, races.HALF_MARATHON_M, today=dt.date(2025, 11, 1))
    assert prediction.available
    assert prediction.basis is not None
    assert prediction.basis.activity_id == race.pk


# --- The web form.


def test_the_web_form_records_a_result_and_shows_it(
    results_site: ResultsSite,
    private_hosts_allowed: None,
    runner: User,
    login: Callable[[User], Client],
    store: Engine,
) -> None:
    browser = login(runner)
    page = browser.get(reverse("site:race_result"))
    assert page.status_code == 200
    assert "Add a race result from a results page" in page.content.decode()
    listing = browser.get(reverse("site:activities")).content.decode()
    assert reverse("site:race_result") in listing
    answer = browser.post(reverse("site:race_result"), {"url": results_site.url("/fr-10km.html")})
    race = Activity.objects.get(user=runner)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("site:activity", args=[race.pk])
    again = browser.post(reverse("site:race_result"), {"url": results_site.url("/fr-10km.html")}, follow=True)
    assert "This result was already recorded." in again.content.decode()
    assert Activity.objects.filter(user=runner).count() == 1


def test_the_web_form_shows_the_candidates_then_records_the_chosen_one(
    results_site: ResultsSite,
    private_hosts_allowed: None,
    make_user: Callable[..., User],
    login: Callable[[User], Client],
) -> None:
    marie = make_user(full_name="Marie Durand")
    browser = login(marie)
    url = results_site.url("/vallee.html")
    form = {"url": url, "race_date": "2026-05-17"}
    page = browser.post(reverse("site:race_result"), form)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="t0r2"' in body
    assert 'value="t1r1"' in body
    assert not Activity.objects.filter(user=marie).exists()
    chosen = browser.post(reverse("site:race_result"), {**form, "choice": "t1r1"})
    assert chosen.status_code == 302
    assert Activity.objects.get(user=marie).distance_m == races.TEN_K_M


def test_the_web_form_refuses_loopback_by_default_in_the_readers_language(
    results_site: ResultsSite, make_user: Callable[..., User], login: Callable[[User], Client]
) -> None:
    athlete = make_user(full_name="Jean-Pierre Martin")
    page = login(athlete).post(
        reverse("site:race_result"), {"url": results_site.url("/fr-10km.html")}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert page.status_code == 422
    assert "réseau privé" in page.content.decode()
    assert results_site.requests == []
    assert not Activity.objects.filter(user=athlete).exists()


def test_a_coach_adds_a_result_for_their_athlete_only(
    results_site: ResultsSite,
    private_hosts_allowed: None,
    coach: User,
    make_user: Callable[..., User],
    stranger: User,
    login: Callable[[User], Client],
) -> None:
    athlete = make_user(coach=coach, full_name="Jean-Pierre Martin")
    browser = login(coach)
    url = {"url": results_site.url("/fr-10km.html")}
    answer = browser.post(reverse("site:athlete_race_result", args=[athlete.pk]), url)
    assert answer.status_code == 302
    assert Activity.objects.filter(user=athlete, source=Source.RESULTS).count() == 1
    refused = browser.post(reverse("site:athlete_race_result", args=[stranger.pk]), url)
    assert refused.status_code == 404
    assert not Activity.objects.filter(user=stranger).exists()
