"""Activity file readers against real recordings whose values are known (tests/data/activities/README.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.readers import ActivityFileError, ParsedActivity, read_activity, read_file
from analytics.readers.model import SAMPLE_COLUMNS

DATA = Path(__file__).parent.parent / "data" / "activities"


def read(name: str) -> ParsedActivity:
    return read_activity((DATA / name).read_bytes(), name)


def test_fr110_fit_matches_its_session():
    activity = read("fitparse_fr110_run_2013-02-06.fit")
    assert activity.sport == "run"
    assert activity.distance_m == pytest.approx(4835.38)
    assert activity.duration_s == pytest.approx(2625.14)
    assert (activity.avg_hr, activity.max_hr) == (147, 171)
    assert activity.elevation_gain_m == 168
    assert activity.start_time == dt.datetime(2013, 2, 6, 12, 11, 14, tzinfo=dt.UTC)
    assert activity.summary_source["distance_m"] == "device"
    assert len(activity.samples) == 590
    assert list(activity.samples.columns) == list(SAMPLE_COLUMNS)
    assert activity.samples["lat"].notna().sum() == 583
    # Semicircles became degrees: the FR110 run is at ~57.4° N.
    assert activity.samples["lat"].dropna().between(57, 58).all()


def test_fenix2_fit_derives_the_heart_rate_its_session_lacks():
    activity = read("fitparse_fenix2_run.fit")
    assert activity.distance_m == pytest.approx(9008.22)
    assert activity.duration_s == pytest.approx(2832)
    assert activity.summary_source["avg_hr"] == "derived"
    assert activity.max_hr == activity.samples["hr"].max()
    assert 100 < (activity.avg_hr or 0) < (activity.max_hr or 0)
    # Session avg_running_cadence is 81 strides/min per leg: 162 steps/min.
    assert activity.avg_cadence_spm == 162


def test_fenix5_fit_samples_match_the_pinned_records():
    activity = read("fitparse_fenix5_run_short.fit")
    assert activity.distance_m == pytest.approx(157.56)
    assert activity.duration_s == pytest.approx(56.887)
    assert (activity.avg_hr, activity.max_hr) == (90, 112)
    assert len(activity.samples) == 21


def test_fr645m_fit_against_runpandas():
    activity = read("runpandas_fr645m_run.fit")
    assert activity.distance_m == pytest.approx(5839.77)
    # runpandas' 129.72 is the mean over moving records; the watch's session says 130.
    assert activity.avg_hr == pytest.approx(129.72, abs=0.5)
    # runpandas reports the raw per-leg cadence (63.96); Foulée counts both legs.
    assert activity.samples["cadence_spm"].dropna().median() > 100


def test_cycling_fit_stays_a_ride():
    activity = read("fitparse_edge500_cycling.fit")
    assert activity.sport == "ride"
    assert activity.distance_m == pytest.approx(88797.21)
    assert (activity.avg_hr, activity.max_hr) == (166, 191)
    assert activity.avg_cadence_spm == 88  # rpm, not doubled


def test_a_truncated_fit_keeps_what_came_before_the_cut():
    cut = read_file((DATA / "fitparse_invalid_unexpected_eof.fit").read_bytes(), "cut.fit")
    assert cut.truncated
    assert len(cut.legs[0].samples) == 14  # what fitdecode reads before its FitEOFError


def test_fr410_tcx_against_tcxparser():
    activity = read("tcxparser_fr410_run.tcx")
    assert activity.sport == "run"
    assert activity.duration_s == pytest.approx(1992.78)
    assert activity.calories_kcal == 379
    assert activity.max_hr == 189
    assert activity.start_time == dt.datetime(2012, 12, 26, 21, 29, 53, tzinfo=dt.UTC)
    # tcxparser's distance is the last trackpoint's; the three laps add up to 2.9 m more.
    assert activity.samples["distance_m"].max() == pytest.approx(4686.31103516)
    assert activity.distance_m == pytest.approx(4689.24, abs=0.01)
    # tcxparser's 156 is the plain mean of the trackpoints' HR (156.65) truncated to an int;
    # the summary is the device's lap averages weighted by lap time.
    assert int(activity.samples["hr"].mean()) == 156
    assert activity.summary_source["avg_hr"] == "device"


def test_gpx_samples_and_derived_summary():
    strava = read("runpandas_strava_run_hr.gpx")
    assert strava.sport == "run"
    assert strava.start_time == dt.datetime(2021, 1, 10, 8, 54, 28, tzinfo=dt.UTC)
    assert strava.distance_m == pytest.approx(12600, rel=0.01)
    assert strava.duration_s == pytest.approx(5127)
    assert strava.samples["hr"].notna().all()
    assert set(strava.summary_source.values()) == {"derived"}
    nike = read("runpandas_nike_run.gpx")
    assert nike.distance_m == pytest.approx(8260, rel=0.01)
    assert nike.duration_s == pytest.approx(3169.6, abs=0.1)
    assert nike.samples["hr"].notna().sum() == 494
    tiny = read("runpandas_garmin_connect_3pts.gpx")
    assert tiny.duration_s == 2
    assert len(tiny.samples) == 3


def test_gpx_and_tcx_of_the_same_run_agree():
    from_gpx = read("runpandas_tomtom_run_nohr.gpx")
    from_tcx = read("runpandas_tomtom_run_nohr.tcx")
    assert from_gpx.distance_m == pytest.approx(from_tcx.distance_m, rel=0.01)
    assert from_gpx.start_time == from_tcx.start_time
    assert from_gpx.avg_hr is None
    assert from_tcx.avg_hr is None


@pytest.mark.parametrize(
    "name", ["fitparse_fenix5_run_short.fit", "runpandas_garmin_connect_3pts.gpx", "runpandas_fr620_run.tcx"]
)
def test_gzipped_files_read_the_same(name):
    plain = read(name)
    zipped = read_activity(gzip.compress((DATA / name).read_bytes()), name + ".gz")
    assert zipped.distance_m == plain.distance_m
    assert zipped.samples.equals(plain.samples)


GPX_HEAD = '<?xml version="1.0"?>\n'
BILLION_LAUGHS = (
    GPX_HEAD + '<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><gpx version="1.1"><trk><name>&c;</name></trk></gpx>'
)
EXTERNAL_ENTITY_TCX = (
    GPX_HEAD + '<!DOCTYPE TrainingCenterDatabase [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    '<TrainingCenterDatabase><Activities><Activity Sport="Running"><Notes>&secret;</Notes>'
    "</Activity></Activities></TrainingCenterDatabase>"
)
EMPTY_GPX = GPX_HEAD + '<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1"><trk/></gpx>'


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "run.fit", "empty file"),
        (b"%PDF-1.4", "run.pdf", "unsupported file type .pdf"),
        (b"data", "run", "unsupported file type"),
        (EMPTY_GPX.encode(), "run.gpx", "no track points"),
        (BILLION_LAUGHS.encode(), "run.gpx", "XML entities are not allowed"),
        (EXTERNAL_ENTITY_TCX.encode(), "run.tcx", "XML entities are not allowed"),
        (b"<html></html>", "run.gpx", "not a GPX file"),
        (b"plain text", "run.gpx.gz", "not a gzip file"),
        (b"not a fit file at all", "run.fit", "not a FIT file"),
    ],
)
def test_bad_files_say_why(data, name, reason):
    with pytest.raises(ActivityFileError, match=reason):
        read_activity(data, name)


def test_gzip_bomb_is_refused():
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    bomb = b"".join(compressor.compress(zeros) for _ in range(200)) + compressor.flush()
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ActivityFileError, match="decompressed size over the limit"):
        read_activity(bomb, "bomb.gpx.gz", max_bytes=4 * 1024 * 1024)


def test_samples_are_float_columns():
    samples = read("runpandas_fr620_run.tcx").samples
    assert all(samples[column].dtype == np.float64 for column in SAMPLE_COLUMNS)


@settings(max_examples=50, deadline=None)
@given(
    data=st.binary(max_size=2048), extension=st.sampled_from([".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz"])
)
def test_random_bytes_raise_only_activity_file_errors(data, extension):
    with contextlib.suppress(ActivityFileError):
        read_activity(data, "random" + extension)


#: Files of the corpus that hold no activity (tests/data/activities/README.md).
NOT_ACTIVITIES = {"fitparse_Settings.fit", "fitparse_MonitoringFile.fit"}


def test_moving_time_never_exceeds_elapsed_time() -> None:
    for path in sorted(DATA.glob("*.*")):
        if path.suffix in {".fit", ".gpx", ".tcx"} and path.name not in NOT_ACTIVITIES:
            for parsed in read_file(path.read_bytes(), path.name).legs:
                if parsed.moving_time_s is not None and parsed.duration_s is not None:
                    assert parsed.moving_time_s <= parsed.duration_s, path.name
