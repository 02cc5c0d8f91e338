"""What real watches record, imported right: one test per kind of file importers get wrong.

The files are real recordings (tests/data/activities/README.md); a few tests
derive a variant of one in memory (a quirk added, a type changed), so that the
same run is read with and without the quirk and the values must agree.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from analytics import efforts, originals, schema
from analytics.importing import batch as batch_module
from analytics.importing import service
from analytics.importing.batch import BatchSummary, import_paths
from analytics.importing.service import ImportResult, import_file
from analytics.readers import ActivityFileError, read_activity, read_file
from analytics.readers.sport import sport_from_speed
from web.accounts import services as account_services
from web.activities.models import Activity, MultisportEvent, Source

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"
TRIATHLON = "fitparse_sample_mulitple_header.fit"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def id_of(result: ImportResult) -> int:
    assert result.activity_id is not None, result.error
    return result.activity_id


def text(name: str) -> str:
    return data(name).decode("utf-8")


@pytest.fixture(autouse=True)
def forget_parsed() -> Iterator[None]:
    originals._recent.clear()
    yield
    originals._recent.clear()


# --- every session of a file -------------------------------------------------------------------

# The triathlon's five sessions as fitdecode reads them (sport, total_distance, total_elapsed_time).
SWIM = ("swim", 1644.71, 1987.521)
RIDE = ("ride", 40909.42, 4422.14)
RUN = ("run", 9805.92, 2850.694)
TRANSITIONS = ((141.7, 170.269), (31.93, 60.724))


def test_a_triathlon_fit_is_read_as_three_legs_and_two_transitions() -> None:
    parsed = read_file(data(TRIATHLON), "tri.fit")
    assert [(leg.sport, leg.distance_m, leg.duration_s) for leg in parsed.legs] == [
        pytest.approx(leg) for leg in (SWIM, RIDE, RUN)
    ]
    assert [(t.distance_m, t.duration_s) for t in parsed.transitions] == [
        pytest.approx(t) for t in TRANSITIONS
    ]
    # Each leg has its own records: the 1,773 records of the file split at the sessions' bounds.
    assert [len(leg.samples) for leg in parsed.legs] == [349, 854, 518]
    assert [leg.start_time for leg in parsed.legs] == [
        dt.datetime(2018, 5, 27, 7, 33, 1, tzinfo=dt.UTC),
        dt.datetime(2018, 5, 27, 8, 8, 58, tzinfo=dt.UTC),
        dt.datetime(2018, 5, 27, 9, 23, 41, tzinfo=dt.UTC),
    ]


def test_a_triathlon_becomes_one_event_of_three_activities(athlete) -> None:
    result = import_file(athlete, data(TRIATHLON), "tri.fit")
    assert result.status == "imported", result.error
    legs = list(Activity.objects.filter(user=athlete).order_by("start_time"))
    assert [(a.sport, a.distance_m, a.duration_s) for a in legs] == [
        pytest.approx(leg) for leg in (SWIM, RIDE, RUN)
    ]
    event = MultisportEvent.objects.get(user=athlete)
    assert {leg.event_id for leg in legs} == {event.pk}
    assert [leg.file_leg for leg in legs] == [0, 1, 2]
    every_part = sum(leg[1] for leg in (SWIM, RIDE, RUN)) + sum(t[0] for t in TRANSITIONS)
    assert event.distance_m == pytest.approx(every_part)
    # 07:33:01 to the run's end (09:23:41 + 2850.694 s), transitions included.
    assert event.duration_s == pytest.approx(9490.694)
    assert event.transition_time_s == pytest.approx(170.269 + 60.724)
    assert event.transition_distance_m == pytest.approx(141.7 + 31.93)
    assert (result.sport, result.distance_m, result.duration_s) == ("multisport", event.distance_m, 9490.694)
    assert result.error is not None and result.error.startswith("3 legs: swim 1.64 km")
    # One stored original for the three legs.
    assert {leg.original_file.name for leg in legs} == {legs[0].original_file.name}
    again = import_file(athlete, data(TRIATHLON), "tri-again.fit")
    assert again.status == "duplicate" and again.activity_id == legs[0].pk


def test_deleting_one_leg_keeps_the_file_the_others_need(athlete, django_capture_on_commit_callbacks) -> None:
    import_file(athlete, data(TRIATHLON), "tri.fit")
    swim, ride, run = Activity.objects.filter(user=athlete).order_by("start_time")
    with django_capture_on_commit_callbacks(execute=True):
        swim.delete()
    assert ride.original_file.storage.exists(ride.original_file.name)
    with django_capture_on_commit_callbacks(execute=True):
        ride.delete()
        run.delete()
    assert not run.original_file.storage.exists(run.original_file.name)


def test_dedupe_compares_a_leg_with_a_leg(athlete) -> None:
    """The swim leg's own recording was imported first: the triathlon adds the bike and the run."""
    swim = Activity.objects.create(
        user=athlete,
        sport="swim",
        start_time=dt.datetime(2018, 5, 27, 7, 33, 5, tzinfo=dt.UTC),
        distance_m=1650.0,
        duration_s=1990.0,
        source=Source.MANUAL,
    )
    result = import_file(athlete, data(TRIATHLON), "tri.fit")
    assert result.status == "imported"
    assert result.error is not None and f"already imported: activity {swim.pk}" in result.error
    imported = Activity.objects.filter(user=athlete, source=Source.FILE).order_by("start_time")
    assert [(a.sport, a.file_leg) for a in imported] == [("ride", 1), ("run", 2)]


@pytest.mark.django_db(transaction=True)
def test_the_sync_reads_each_leg_from_the_one_parse(store: Engine, make_user, monkeypatch) -> None:
    """Production's sync on commit: each leg's samples come from the import's only parse."""
    athlete = make_user()
    parses: list[str] = []
    real = read_file

    def counted(data: bytes, filename: str, **options: object) -> object:
        parses.append(filename)
        return real(data, filename, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "read_file", counted)
    monkeypatch.setattr(originals, "read_file", counted)
    import_file(athlete, data(TRIATHLON), "tri.fit")
    assert parses == ["tri.fit"]
    legs = Activity.objects.filter(user=athlete).order_by("start_time")
    with store.connect() as conn:
        counts = {
            row.activity_id: row.sample_count
            for row in conn.execute(
                select(schema.samples_table.c.activity_id, schema.samples_table.c.sample_count)
            )
        }
    assert [counts[leg.pk] for leg in legs] == [349, 854, 518]


def two_activity_tcx() -> str:
    """fr620's TCX with the fr410 run appended as a second Activity, typed as a ride."""
    activity = re.compile(r"<Activity .*?</Activity>", re.DOTALL)
    second = activity.search(text("tcxparser_fr410_run.tcx"))
    assert second is not None
    ride = re.sub(r'Sport="Running"', 'Sport="Biking"', second.group(0), count=1)
    fr620 = text("runpandas_fr620_run.tcx")
    first = activity.search(fr620)
    assert first is not None
    return fr620[: first.end()] + ride + fr620[first.end() :]


def test_a_tcx_with_two_activities_is_two_legs_each_with_its_sport() -> None:
    parsed = read_file(two_activity_tcx().encode(), "two.tcx")
    alone = (
        read_activity(data(name), name) for name in ("tcxparser_fr410_run.tcx", "runpandas_fr620_run.tcx")
    )
    fr410, fr620 = alone
    # In time order: the 2012 run (here a ride) first, then the 2018 run.
    assert [leg.sport for leg in parsed.legs] == ["ride", "run"]
    for leg, alone_leg in zip(parsed.legs, (fr410, fr620), strict=True):
        assert leg.distance_m == pytest.approx(alone_leg.distance_m)
        assert leg.duration_s == pytest.approx(alone_leg.duration_s)


# --- salvage before refusing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "distance_m", "duration_s"),
    [
        # Forerunner 70: the clock counts from power-on; the session has the run.
        ("fitparse_compressed-speed-distance.fit", 10248.67, 3883.273),
        # The same watch, heart rate only: no distance anywhere in the file.
        ("fitparse_antfs-dump.63.fit", 0.0, 3426.898),
    ],
)
def test_a_relative_clock_is_placed_in_time_and_the_run_imported(
    athlete, name, distance_m, duration_s
) -> None:
    result = import_file(athlete, data(name), name)
    assert result.status == "imported", result.error
    assert result.sport == "run"
    assert result.distance_m == pytest.approx(distance_m)
    assert result.duration_s == duration_s
    assert result.error is not None and "local clock" in result.error
    activity = Activity.objects.get(pk=id_of(result))
    # The watch's local time of 2012-02-13 12:21:03 is the end of the activity.
    end = activity.start_time + dt.timedelta(seconds=round(activity.duration_s))
    assert abs(end - dt.datetime(2012, 2, 13, 12, 21, 3, tzinfo=dt.UTC)) < dt.timedelta(seconds=10)


def test_a_truncated_fit_keeps_what_was_read_and_says_so(athlete) -> None:
    name = "fitparse_strava-android-app-201.10-b1218918.fit"
    parsed = read_file(data(name), name)
    assert parsed.truncated
    # The garbage past the cut (a record dated 2085) is not part of the run.
    assert parsed.legs[0].samples["time_s"].max() <= 3558 + 5
    result = import_file(athlete, data(name), name)
    assert result.status == "imported"
    assert result.distance_m == pytest.approx(11274.04)
    assert result.duration_s == 3558.0
    assert result.error is not None and "truncated" in result.error


def test_a_fit_cut_in_the_middle_is_imported_up_to_the_cut(athlete) -> None:
    whole = read_activity(data("fitparse_fenix2_run.fit"), "x.fit")
    cut = data("fitparse_fenix2_run.fit")[:60000]
    parsed = read_file(cut, "cut.fit")
    assert parsed.truncated
    samples = parsed.legs[0].samples
    assert 0 < len(samples) < len(whole.samples)
    assert samples["time_s"].tolist() == whole.samples["time_s"].iloc[: len(samples)].tolist()
    result = import_file(athlete, cut, "cut.fit")
    assert result.status == "imported" and "truncated" in (result.error or "")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("fitparse_Settings.fit", "this is a device settings file, not an activity"),
        ("fitparse_MonitoringFile.fit", "this is a monitoring file (all-day tracking), not an activity"),
    ],
)
def test_a_fit_that_is_not_an_activity_is_named_for_what_it_is(athlete, name, reason) -> None:
    result = import_file(athlete, data(name), name)
    assert (result.status, result.error) == ("error", reason)


def test_a_zip_without_an_activity_file_says_so(athlete, tmp_path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("photo.jpg", b"\xff\xd8\xff")
        zipped.writestr("notes.txt", "a good run")
    results = list(import_paths(athlete, [path], BatchSummary()))
    assert [(r.file, r.status, r.error) for r in results] == [
        (str(path), "error", batch_module.NO_ACTIVITY_IN_ZIP)
    ]


def gpx_variant(name: str, edit: Callable[[str], str]) -> bytes:
    return edit(text(name)).encode()


def without_gpxtpx_declaration(gpx: str) -> str:
    return gpx.replace(' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"', "", 1)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda gpx: "\n  \n" + gpx, id="whitespace-before-the-declaration"),
        pytest.param(lambda gpx: "\ufeff\r\n" + gpx, id="bom-and-newline-before-the-declaration"),
        pytest.param(without_gpxtpx_declaration, id="undeclared-namespace-prefix"),
    ],
)
def test_xml_quirks_are_read_like_the_clean_file(edit) -> None:
    name = "runpandas_strava_run_hr.gpx"
    assert "gpxtpx:hr" in text(name)
    clean = read_activity(data(name), name)
    quirky = read_activity(gpx_variant(name, edit), name)
    assert (quirky.distance_m, quirky.duration_s, quirky.avg_hr) == (
        clean.distance_m,
        clean.duration_s,
        clean.avg_hr,
    )
    assert quirky.samples["hr"].notna().all()  # the extensions were read, prefix or not


def test_entities_stay_refused_after_the_repairs() -> None:
    """The repaired retry is still defusedxml with entities forbidden."""
    gpx = without_gpxtpx_declaration(text("runpandas_strava_run_hr.gpx"))
    bomb = gpx.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]>',
    ).replace("<name>", "<name>&a;", 1)
    with pytest.raises(ActivityFileError, match="XML entities are not allowed"):
        read_file(bomb.encode(), "x.gpx")


def test_a_gpx_point_without_coordinates_is_skipped_not_the_file() -> None:
    name = "runpandas_tomtom_run_nohr.gpx"
    clean = read_activity(data(name), name)
    points = list(re.finditer(r'<trkpt lat="[^"]+" lon="[^"]+">', text(name)))
    middle = points[len(points) // 2]
    broken = text(name)[: middle.start()] + "<trkpt>" + text(name)[middle.end() :]
    parsed = read_activity(broken.encode(), name)
    assert len(parsed.samples) == len(clean.samples) - 1
    assert parsed.duration_s == clean.duration_s
    assert parsed.distance_m == pytest.approx(clean.distance_m, rel=0.002)


def test_the_gap_between_gpx_segments_is_not_distance() -> None:
    """The second half of a run recorded as a new segment, 0.08° of longitude (5.5 km) away: a
    train ride, not running. The distance is that of the two halves."""
    name = "runpandas_tomtom_run_nohr.gpx"
    gpx = text(name)
    points = list(re.finditer(r'<trkpt lat="([^"]+)" lon="([^"]+)">', gpx))
    middle = points[len(points) // 2].start()
    second_half = re.sub(
        r'<trkpt lat="([^"]+)" lon="([^"]+)"',
        lambda match: f'<trkpt lat="{match.group(1)}" lon="{float(match.group(2)) + 0.08:.6f}"',
        gpx[middle:],
    )
    split = gpx[:middle] + "</trkseg><trkseg>" + second_half
    clean = read_activity(data(name), name)
    parsed = read_activity(split.encode(), name)
    step = (
        clean.samples["distance_m"].iloc[len(points) // 2]
        - clean.samples["distance_m"].iloc[len(points) // 2 - 1]
    )
    assert parsed.distance_m == pytest.approx(clean.distance_m - step, abs=0.05)
    assert parsed.duration_s == clean.duration_s


def test_a_recording_of_seconds_and_metres_is_refused_as_empty(athlete) -> None:
    result = import_file(athlete, data("runpandas_garmin_connect_3pts.gpx"), "tiny.gpx")
    assert (result.status, result.error) == ("error", "empty recording (5 m in 0:02), nothing to import")
    assert not Activity.objects.filter(user=athlete).exists()


# --- sport -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("track_type", "sport"),
    [
        ("9", "run"),
        ("1", "ride"),
        ("16", "swim"),
        ("17", "ride"),
        ("4", "hike"),
        ("10", "walk"),
        ("running", "run"),
        ("trail_running", "trail_run"),
        ("road_biking", "ride"),
        ("mountain_biking", "ride"),
        ("lap_swimming", "swim"),
        ("treadmill_running", "treadmill"),
        ("VirtualRide", "ride"),
        ("TrailRun", "trail_run"),
        ("Trail Running", "trail_run"),
        ("paragliding", "other"),
    ],
)
def test_gpx_types_of_garmin_and_strava_map_to_the_sport(track_type, sport) -> None:
    name = "runpandas_strava_run_hr.gpx"
    typed = gpx_variant(name, lambda gpx: gpx.replace("<type>9</type>", f"<type>{track_type}</type>", 1))
    assert read_activity(typed, name).sport == sport


@pytest.mark.parametrize(
    ("name", "sport"),
    [
        ("runpandas_strava_run_hr.gpx", "run"),  # its <type>9</type> removed below
        ("runpandas_tomtom_run_nohr.gpx", "run"),
        ("runpandas_nike_run.gpx", "run"),
    ],
)
def test_an_untyped_gpx_gets_its_sport_from_its_speed(name, sport) -> None:
    untyped = gpx_variant(name, lambda gpx: gpx.replace("<type>9</type>", "", 1))
    assert read_activity(untyped, name).sport == sport


def gpx_of(samples, start: dt.datetime) -> bytes:
    """An untyped GPX 1.1 track of these samples' positions and times (what a phone app writes)."""
    points = "".join(
        f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}">'
        f"<time>{(start + dt.timedelta(seconds=t)).isoformat()}</time></trkpt>"
        for t, lat, lon in zip(samples["time_s"], samples["lat"], samples["lon"], strict=True)
        if lat == lat and lon == lon
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def test_an_untyped_gpx_of_a_ride_is_a_ride() -> None:
    ride = read_activity(data("fitparse_edge500_cycling.fit"), "x.fit")
    untyped = read_activity(gpx_of(ride.samples, ride.start_time), "ride.gpx")
    assert untyped.sport == "ride"
    assert untyped.distance_m == pytest.approx(ride.distance_m, rel=0.05)  # GPS against the wheel sensor


def test_the_speed_profile_tells_a_ride_and_a_walk_from_a_run() -> None:
    ride = read_activity(data("fitparse_edge500_cycling.fit"), "x.fit").samples
    assert sport_from_speed(ride) == "ride"
    walk = read_activity(data("runpandas_tomtom_run_nohr.tcx"), "x.tcx").samples.copy()
    walk["time_s"] = walk["time_s"] * 3  # the same course at a third of the speed
    assert sport_from_speed(walk) == "walk"


def test_fit_and_tcx_sports_are_mapped() -> None:
    assert read_activity(data("fitparse_edge500_cycling.fit"), "x.fit").sport == "ride"
    biking = text("runpandas_fr620_run.tcx").replace('Sport="Running"', 'Sport="Biking"', 1)
    assert read_activity(biking.encode(), "x.tcx").sport == "ride"


def test_a_track_no_human_could_make_is_refused_as_implausible(athlete) -> None:
    name = "gpxpy_first_and_last_elevation.gpx"
    result = import_file(athlete, data(name), name)
    assert result.status == "error"
    assert result.error is not None and result.error.startswith("implausible recording: ")
    speed_kmh = int(re.search(r"(\d+) km/h", result.error).group(1))  # type: ignore[union-attr]
    assert 150 <= speed_kmh <= 250  # the track's fastest stretches are at about 195 km/h
    assert not Activity.objects.filter(user=athlete).exists()


def test_the_result_lines_stay_one_per_file(athlete, tmp_path) -> None:
    """The fixed --json shape: a multisport file is one line, its legs named in the note."""
    path = tmp_path / "tri.fit"
    path.write_bytes(data(TRIATHLON))
    results = list(import_paths(athlete, [path], BatchSummary()))
    assert len(results) == 1
    assert list(results[0].to_json()) == [
        "file",
        "status",
        "activity_id",
        "sport",
        "distance_m",
        "duration_s",
        "avg_hr",
        "error",
    ]


def test_zip_members_of_several_legs_import_like_files(athlete, tmp_path) -> None:
    path = tmp_path / "season.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("tri.fit", data(TRIATHLON))
        zipped.writestr("run.fit", data("fitparse_fenix2_run.fit"))
    path.write_bytes(buffer.getvalue())
    results = list(import_paths(athlete, [path], BatchSummary()))
    assert [r.status for r in results] == ["imported", "imported"]
    assert Activity.objects.filter(user=athlete).count() == 4


def test_the_export_holds_the_event_and_its_original_once(athlete) -> None:
    import_file(athlete, data(TRIATHLON), "tri.fit")
    target = io.BytesIO()
    assert account_services.export_account(athlete, target) == 3
    with zipfile.ZipFile(io.BytesIO(target.getvalue())) as archive:
        tables = json.loads(archive.read("data.json"))["tables"]
        originals_exported = [name for name in archive.namelist() if name.startswith("files/")]
    assert len(tables["activities.multisportevent"]) == 1
    assert len(originals_exported) == 1


# --- one meaning per value ---------------------------------------------------------------------


def test_tcx_lap_time_is_timer_time_not_the_elapsed_time() -> None:
    """The laps of this TCX add up to 2514 s of timer time; its points span 2680 s, a pause in."""
    run = read_activity(data("runpandas_run_2020-12-08.tcx"), "run.tcx")
    assert run.duration_s == 2680.0
    assert run.moving_time_s == 2525.0
    assert run.summary_source["moving_time_s"] == "derived"


def test_the_same_run_as_tcx_and_as_gpx_has_the_same_times() -> None:
    tcx = read_activity(data("runpandas_tomtom_run_nohr.tcx"), "run.tcx")
    gpx = read_activity(data("runpandas_tomtom_run_nohr.gpx"), "run.gpx")
    assert (tcx.duration_s, gpx.duration_s) == (1424.0, 1423.0)
    # The TomTom's distance ticks every few seconds: one second's step alone is no stop.
    assert tcx.moving_time_s == gpx.moving_time_s == 1423.0


def test_a_tcx_without_trackpoints_takes_its_timer_time_as_moving_time() -> None:
    laps = (
        '<Lap StartTime="2024-05-01T07:00:00Z"><TotalTimeSeconds>600</TotalTimeSeconds>'
        "<DistanceMeters>1000</DistanceMeters></Lap>"
        '<Lap StartTime="2024-05-01T07:12:00Z"><TotalTimeSeconds>540</TotalTimeSeconds>'
        "<DistanceMeters>1000</DistanceMeters></Lap>"
    )
    tcx = (
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>2024-05-01T07:00:00Z</Id>{laps}</Activity>'
        "</Activities></TrainingCenterDatabase>"
    )
    run = read_activity(tcx.encode(), "treadmill.tcx")
    assert (run.duration_s, run.moving_time_s, run.distance_m) == (1260.0, 1140.0, 2000.0)


def test_best_efforts_leave_a_long_stop_out() -> None:
    """This Strava run stops for 14 minutes: its best 10 km is not slower than its moving pace."""
    run = read_activity(data("runpandas_strava_run_hr.gpx"), "strava.gpx")
    assert (run.duration_s, run.moving_time_s) == (5127.0, 4665.0)
    assert run.distance_m is not None and run.moving_time_s is not None
    best = efforts.best_efforts(run.samples["time_s"].to_numpy(), run.samples["distance_m"].to_numpy())
    ten_k = best.time_for_distance_s[10000.0]
    assert ten_k == pytest.approx(3606.9, abs=0.1)  # 1:07:53 with the stop counted
    assert ten_k is not None and ten_k < 10000.0 * run.moving_time_s / run.distance_m


@pytest.mark.parametrize(
    "name",
    [
        "trackpointextension_v1.gpx",
        "trackpointextension_v2.gpx",
        "cluetrust_gpxdata.gpx",
        "heartrate_element.gpx",
        "hr_other_namespace.gpx",
        "gpx10_with_gpx11_extensions.gpx",
        "gpx10_hr_in_point.gpx",
    ],
)
def test_gpx_heart_rate_and_cadence_from_every_common_extension_schema(name: str) -> None:
    run = read_activity(data(f"hr_schemas/{name}"), name)
    assert run.samples["hr"].tolist() == [120.0, 125.0, 130.0]
    assert run.samples["cadence_spm"].tolist() == [140.0, 150.0, 160.0]  # one leg's count, doubled
    assert (run.avg_hr, run.max_hr) == (122.5, 130.0)
