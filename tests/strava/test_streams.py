"""A Strava activity's document reads into the same samples as a file of the same run."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analytics.readers import ActivityFileError, read_file
from analytics.readers.streams import document
from tests.strava.fake_strava import run_streams, run_summary
from tests.strava.test_strava import _gpx

START = dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)


def test_the_same_run_from_strava_and_from_a_gpx_file_has_the_same_samples() -> None:
    streams = {name: value["data"] for name, value in run_streams(60).items()}
    strava = read_file(document(run_summary(1, START, 60), streams), "strava-1.strava").legs[0]
    gpx = read_file(_gpx(START, 60, 10), "run.gpx").legs[0]
    assert strava.sport == gpx.sport == "run"
    assert strava.start_time == gpx.start_time
    for column in ("time_s", "lat", "lon"):
        np.testing.assert_allclose(strava.samples[column], gpx.samples[column])
    np.testing.assert_allclose(strava.samples["distance_m"], gpx.samples["distance_m"], rtol=0.01, atol=1.0)
    assert strava.samples["cadence_spm"].iloc[0] == 170.0  # one leg on Strava, steps per minute here
    assert strava.avg_hr == 150.0 and strava.summary_source["avg_hr"] == "device"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{", "invalid JSON"),
        (b'{"format": "other"}', "not a Strava streams document"),
        (document({"start_date": "2026-11-30T07:00:00"}, {"time": [0, 1]}), "no time zone"),
        (document({"start_date": "2026-11-30T07:00:00Z"}, {}), "no time stream"),
    ],
)
def test_a_bad_document_is_refused_with_its_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ActivityFileError, match=reason):
        read_file(data, "strava-1.strava")


def test_tokens_do_not_decrypt_with_another_key(settings: object) -> None:
    from web.strava import crypto

    sealed = crypto.encrypt("secret-token")
    assert "secret-token" not in sealed and crypto.decrypt(sealed) == "secret-token"
    settings.STRAVA_TOKEN_KEY = "another key"  # type: ignore[attr-defined]
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(sealed)
