"""The import service: real files become activities with their original, samples and features.

Values come from the files' source projects (tests/data/activities/README.md
and test_readers.py check the readers against them); here we check what the
import does with them: the stored activity, the dedupe, the refusals, and
what the sync makes of the samples.
"""

from __future__ import annotations

import dataclasses
import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from sqlalchemy import Engine, delete, select

from analytics import metrics, originals, schema, sync
from analytics import samples as sample_codec
from analytics.importing import service
from analytics.importing.service import ImportResult, import_file
from analytics.readers import read_activity, read_file
from foulee.config import get_settings
from tests.analytics.test_readers import BILLION_LAUGHS, EMPTY_GPX, EXTERNAL_ENTITY_TCX
from web.activities.models import Activity, Source

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def id_of(result: ImportResult) -> int:
    assert result.activity_id is not None, result.error
    return result.activity_id


def stored_files(user) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "activities" / str(user.pk)
    assert folder.is_relative_to(Path(settings.MEDIA_ROOT))
    return sorted(folder.glob("*")) if folder.exists() else []


@pytest.fixture(autouse=True)
def forget_parsed() -> Iterator[None]:
    """Each test starts with no parsed file in memory, so the sync's own reading is tested too."""
    originals._recent.clear()
    yield
    originals._recent.clear()


@pytest.fixture
def upload_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("FOULEE_MAX_UPLOAD_MB", "0.01")  # 10 KiB
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("FOULEE_MAX_UPLOAD_MB")
    get_settings.cache_clear()


def test_a_fit_file_becomes_an_activity_with_its_original(athlete) -> None:
    raw = data("fitparse_fenix2_run.fit")
    result = import_file(athlete, raw, "fitparse_fenix2_run.fit")
    assert result.status == "imported" and result.error is None
    activity = Activity.objects.get(pk=id_of(result))
    assert activity.user == athlete and activity.source == Source.FILE and activity.sport == "run"
    parsed = read_activity(raw, "x.fit")
    assert activity.start_time == parsed.start_time
    assert activity.distance_m == pytest.approx(9008.22)
    assert activity.duration_s == pytest.approx(2832.0)
    assert activity.avg_hr == pytest.approx(parsed.avg_hr)
    with activity.original_file.open("rb") as original:
        assert original.read() == raw
    assert activity.original_file.name.startswith(f"activities/{athlete.pk}/")
    assert result.to_json() == {
        "file": "fitparse_fenix2_run.fit",
        "status": "imported",
        "activity_id": activity.pk,
        "sport": "run",
        "distance_m": activity.distance_m,
        "duration_s": activity.duration_s,
        "avg_hr": activity.avg_hr,
        "error": None,
    }


@pytest.mark.parametrize(
    ("name", "sport", "distance_m", "duration_s"),
    [
        ("fitparse_fr110_run_2013-02-06.fit", "run", 4835.38, 2625.14),
        ("runpandas_fr645m_run.fit", "run", 5839.77, 3164.606),
        ("tcxparser_fr410_run.tcx", "run", 4689.24, 1992.78),
        ("runpandas_strava_run_hr.gpx", "run", 12594.6, 5127.0),
        ("fitparse_edge500_cycling.fit", "ride", 88797.21, 11741.57),
    ],
)
def test_each_format_imports(athlete, name, sport, distance_m, duration_s) -> None:
    result = import_file(athlete, data(name), name)
    assert result.status == "imported", result.error
    assert result.sport == sport
    assert result.distance_m == pytest.approx(distance_m, rel=1e-4)
    assert result.duration_s == pytest.approx(duration_s, rel=1e-4)


def test_a_gzipped_file_imports_like_the_plain_one(athlete, stranger) -> None:
    raw = data("runpandas_run_2020-12-08.tcx")
    plain = import_file(stranger, raw, "run.tcx")
    zipped = import_file(athlete, gzip.compress(raw), "run.tcx.gz")
    assert zipped.status == plain.status == "imported"
    assert (zipped.distance_m, zipped.duration_s, zipped.avg_hr) == (
        plain.distance_m,
        plain.duration_s,
        plain.avg_hr,
    )


def test_the_same_file_twice_is_a_duplicate(athlete) -> None:
    raw = data("runpandas_fr620_run.tcx")
    first = import_file(athlete, raw, "a.tcx")
    again = import_file(athlete, raw, "renamed.tcx")
    assert again.status == "duplicate" and again.activity_id == first.activity_id
    assert again.error == f"same file as activity {first.activity_id}"
    assert Activity.objects.filter(user=athlete).count() == 1
    assert len(stored_files(athlete)) == 1


def test_the_same_run_from_another_device_file_is_a_duplicate(athlete) -> None:
    first = import_file(athlete, data("runpandas_tomtom_run_nohr.gpx"), "tomtom.gpx")
    again = import_file(athlete, data("runpandas_tomtom_run_nohr.tcx"), "tomtom.tcx")
    assert first.status == "imported"
    assert again.status == "duplicate" and again.error == f"same run as activity {first.activity_id}"


def test_a_run_entered_by_hand_is_found_again_in_its_file(athlete, make_activity) -> None:
    parsed = read_activity(data("tcxparser_fr410_run.tcx"), "x.tcx")
    typed = make_activity(
        athlete,
        start_time=parsed.start_time.replace(second=0),
        distance_m=4700.0,
        duration_s=2000.0,
        moving_time_s=None,
        avg_speed_mps=None,
        max_speed_mps=None,
    )
    result = import_file(athlete, data("tcxparser_fr410_run.tcx"), "x.tcx")
    assert result.status == "duplicate" and result.activity_id == typed.pk


def test_a_different_run_at_the_same_time_is_not_a_duplicate(athlete, make_activity) -> None:
    parsed = read_activity(data("tcxparser_fr410_run.tcx"), "x.tcx")
    make_activity(athlete, start_time=parsed.start_time, distance_m=10_000.0)
    assert import_file(athlete, data("tcxparser_fr410_run.tcx"), "x.tcx").status == "imported"


def test_dedupe_is_per_athlete(athlete, stranger) -> None:
    raw = data("runpandas_fr620_run.tcx")
    assert import_file(athlete, raw, "a.tcx").status == "imported"
    result = import_file(stranger, raw, "a.tcx")
    assert result.status == "imported"
    assert Activity.objects.get(pk=id_of(result)).user == stranger


@pytest.mark.parametrize(
    ("raw", "name", "reason"),
    [
        (b"", "run.fit", "empty file"),
        (b"%PDF-1.4", "run.pdf", "unsupported file type .pdf"),
        (data("fitparse_invalid_unexpected_eof.fit"), "x.fit", "truncated or corrupt FIT file"),
        (EMPTY_GPX.encode(), "run.gpx", "no track points"),
        (BILLION_LAUGHS.encode(), "run.gpx", "XML entities are not allowed"),
        (EXTERNAL_ENTITY_TCX.encode(), "run.tcx", "XML entities are not allowed"),
        (b"plain text", "run.gpx.gz", "not a gzip file"),
    ],
)
def test_bad_files_are_refused_with_their_reason_and_leave_nothing(athlete, raw, name, reason) -> None:
    result = import_file(athlete, raw, name, label=f"upload/{name}")
    assert result.status == "error" and result.file == f"upload/{name}"
    assert result.error is not None and reason in result.error
    assert result.activity_id is None
    assert not Activity.objects.filter(user=athlete).exists()
    assert stored_files(athlete) == []


def test_files_over_the_configured_limit_are_refused(athlete, upload_limit) -> None:
    result = import_file(athlete, data("runpandas_fr620_run.tcx"), "big.tcx")
    assert result.status == "error" and result.error == "file size over the limit"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = compressor.compress(bytes(1024 * 1024)) + compressor.flush()
    assert len(bomb) < 10_000
    result = import_file(athlete, bomb, "bomb.gpx.gz")
    assert result.status == "error" and result.error == "decompressed size over the limit"
    assert not Activity.objects.filter(user=athlete).exists()


def test_a_failed_save_removes_the_stored_original(athlete, monkeypatch) -> None:
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Activity, "save", broken_save)
    with pytest.raises(RuntimeError):
        import_file(athlete, data("runpandas_fr620_run.tcx"), "a.tcx")
    monkeypatch.undo()
    assert not Activity.objects.filter(user=athlete).exists()
    assert stored_files(athlete) == []


def test_sensor_glitches_drop_the_value_not_the_run(athlete, monkeypatch) -> None:
    real = read_file

    def glitchy(*args, **kwargs):
        parsed = real(*args, **kwargs)
        leg = parsed.legs[0]
        leg = type(leg)(**{**leg.__dict__, "max_hr": 255.0, "calories_kcal": -5.0})
        return dataclasses.replace(parsed, legs=(leg,))

    monkeypatch.setattr(service, "read_file", glitchy)
    result = import_file(athlete, data("runpandas_fr620_run.tcx"), "a.tcx")
    assert result.status == "imported"
    activity = Activity.objects.get(pk=id_of(result))
    assert activity.max_hr is None and activity.calories_kcal is None
    assert activity.avg_hr == pytest.approx(142.02, abs=0.01)


# --- what the sync makes of an imported file ------------------------------------------------------


def stored_samples(store: Engine, activity_id: int):
    with store.connect() as conn:
        return conn.execute(
            select(schema.samples_table).where(schema.samples_table.c.activity_id == activity_id)
        ).one_or_none()


def features(store: Engine, activity_id: int):
    """The activity's features row; there is one only when its samples were read."""
    with store.connect() as conn:
        return conn.execute(
            select(schema.features_table).where(schema.features_table.c.activity_id == activity_id)
        ).one_or_none()


def analysed(store: Engine, activity_id: int):
    with store.connect() as conn:
        return conn.execute(
            select(schema.activity_table).where(schema.activity_table.c.id == activity_id)
        ).one()


def test_sync_stores_the_samples_and_their_features(store, athlete) -> None:
    raw = data("fitparse_fenix2_run.fit")
    result = import_file(athlete, raw, "fenix2.fit")
    sync.sync(store)
    parsed = read_activity(raw, "x.fit")
    samples_row = stored_samples(store, id_of(result))
    assert samples_row.sample_count == len(parsed.samples) == 2809
    assert samples_row.file_checksum == Activity.objects.get(pk=id_of(result)).file_checksum
    assert len(samples_row.data) < 20 * samples_row.sample_count
    decoded = sample_codec.decode(samples_row.encoding, samples_row.data, samples_row.sample_count)
    assert decoded["hr"].to_numpy() == pytest.approx(parsed.samples["hr"].to_numpy(), nan_ok=True)
    row = features(store, id_of(result))
    assert 180 < row.best_1k_s < 400 and row.best_5k_s > 5 * row.best_1k_s * 0.95
    assert row.best_10k_s is None  # a 9 km run
    zone_seconds = sum(getattr(row, f"zone{number}_s") for number in range(1, 6))
    assert 0 < zone_seconds <= parsed.duration_s
    activity = analysed(store, id_of(result))
    assert activity.load_method == "hr_samples" and activity.training_load > 0
    # The activity's VDOT is its best performance: here the best 5 km in the samples beats the whole run.
    assert activity.vdot == pytest.approx(metrics.vdot(5000.0, row.best_5k_s))
    assert activity.vdot > metrics.vdot(activity.distance_m, activity.moving_time_s)
    assert activity.vma_kmh >= metrics.vma_from_vdot(activity.vdot)


def test_a_rebuilt_store_reads_the_samples_back_from_the_original(store, athlete) -> None:
    result = import_file(athlete, data("runpandas_fr620_run.tcx"), "a.tcx")
    sync.sync(store)
    before = features(store, id_of(result)), analysed(store, id_of(result))
    with store.begin() as conn:
        for table in reversed(schema.Base.metadata.sorted_tables):
            conn.execute(delete(table))
    originals._recent.clear()
    sync.sync(store)
    assert stored_samples(store, id_of(result)) is not None
    assert before[0] is not None
    assert (features(store, id_of(result)), analysed(store, id_of(result))) == before


def test_a_new_hr_max_recomputes_zones_from_the_stored_samples(store, athlete) -> None:
    result = import_file(athlete, data("runpandas_run_2020-12-08.tcx"), "a.tcx")
    sync.sync(store)
    before = features(store, id_of(result))
    profile = athlete.profile
    profile.hr_max, profile.hr_rest = 200, 40
    profile.save()
    # The original is gone: the zones can only come from the stored samples.
    Activity.objects.get(pk=id_of(result)).original_file.delete(save=False)
    sync.sync(store)
    after = features(store, id_of(result))
    assert [getattr(after, f"zone{n}_s") for n in range(1, 6)] != [
        getattr(before, f"zone{n}_s") for n in range(1, 6)
    ]
    assert after.best_1k_s == before.best_1k_s


def test_an_unreadable_original_leaves_summary_features_and_says_why(store, athlete) -> None:
    result = import_file(athlete, data("runpandas_fr620_run.tcx"), "a.tcx")
    Activity.objects.get(pk=id_of(result)).original_file.delete(save=False)
    originals._recent.clear()
    sync.sync(store)
    assert stored_samples(store, id_of(result)) is None
    assert features(store, id_of(result)) is None
    activity = analysed(store, id_of(result))
    assert "original file unreadable" in activity.quality_note
    # What the summary gives stays: the whole run's VDOT and the VMA it implies.
    assert activity.vdot == pytest.approx(metrics.vdot(activity.distance_m, activity.moving_time_s))
    assert activity.vma_kmh == pytest.approx(metrics.vma_from_vdot(activity.vdot))


def test_a_ride_is_imported_and_kept_out_of_running_metrics(store, athlete) -> None:
    result = import_file(athlete, data("fitparse_edge500_cycling.fit"), "ride.fit")
    sync.sync(store)
    activity = analysed(store, id_of(result))
    assert activity.sport == "ride" and not activity.is_running and not activity.pace_ok
    row = features(store, id_of(result))
    assert row.best_1k_s is None and activity.vdot is None and activity.vma_kmh is None
    assert activity.load_method == "hr_samples"  # a ride still loads the athlete


def test_deleting_an_activity_deletes_its_original_file(athlete, django_capture_on_commit_callbacks) -> None:
    result = import_file(athlete, data("runpandas_fr620_run.tcx"), "a.tcx")
    assert len(stored_files(athlete)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        Activity.objects.get(pk=id_of(result)).delete()
    assert stored_files(athlete) == []


def test_best_efforts_from_samples_feed_race_predictions(store, athlete) -> None:
    from analytics.queries import predict_race

    result = import_file(athlete, data("fitparse_fenix2_run.fit"), "fenix2.fit")
    sync.sync(store)
    best_5k = features(store, id_of(result)).best_5k_s
    day = analysed(store, id_of(result)).local_date
    with store.connect() as conn:
        prediction = predict_race(conn, athlete.pk, 5000.0, today=day)
    assert prediction.basis is not None
    assert prediction.basis.source == "best effort" and prediction.basis.time_s == best_5k
    assert prediction.riegel_time_s == pytest.approx(best_5k)


@pytest.mark.django_db(transaction=True)
def test_an_import_parses_its_file_once_with_the_production_sync_on_commit(
    store: Engine, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default set-up (sync on commit, no outer transaction): the sync reuses the import's parse."""
    assert settings.FOULEE_SYNC_ON_COMMIT is True  # the suite runs what production runs
    parses: list[str] = []

    def counted(data: bytes, filename: str, **options: object) -> object:
        parses.append(filename)
        return read_file(data, filename, **options)  # type: ignore[arg-type]

    # A spy on both doors the file can be read through: the import's and the sync's.
    monkeypatch.setattr(service, "read_file", counted)
    monkeypatch.setattr(originals, "read_file", counted)
    athlete = make_user()
    result = import_file(athlete, data("fitparse_fenix2_run.fit"), "fenix2.fit")
    assert result.status == "imported"
    assert parses == ["fenix2.fit"]
    # The sync ran at the commit and stored the samples of that one parse.
    assert stored_samples(store, id_of(result)).sample_count == 2809
    assert analysed(store, id_of(result)).load_method == "hr_samples"
