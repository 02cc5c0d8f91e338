"""Batches: folders, zips and Strava bulk exports, and the zips that must not be trusted."""

from __future__ import annotations

import contextlib
import gzip
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.importing import archive
from analytics.importing.batch import BatchSummary, import_paths
from web.activities.models import Activity

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"
RUN = "runpandas_fr620_run.tcx"
OTHER_RUN = "tcxparser_fr410_run.tcx"
STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Filename\n"
)


def run_batch(user, *paths: Path, progress=None):
    summary = BatchSummary()
    return list(import_paths(user, list(paths), summary, progress)), summary


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, content in members.items():
            zipped.writestr(name, content)
    return path


def strava_export(path: Path) -> Path:
    index = STRAVA_HEADER + (
        '101,"Dec 26, 2012, 9:29:53 PM",Sortie du soir,Run,"Footing, frais",1992,activities/101.tcx.gz\n'
        '102,"Nov 25, 2018, 7:20:49 AM",Morning Run,Run,,816,activities/102.tcx\n'
        '103,"Nov 26, 2018, 7:00:00 AM",Yoga,Yoga,Entered by hand,3600,\n'
    )
    return write_zip(
        path,
        {
            "activities.csv": index.encode(),
            "activities/101.tcx.gz": gzip.compress((DATA / OTHER_RUN).read_bytes()),
            "activities/102.tcx": (DATA / RUN).read_bytes(),
            "profile.csv": b"not an activity",
        },
    )


def test_a_folder_is_imported_recursively_past_bad_files(athlete, tmp_path) -> None:
    folder = tmp_path / "watch"
    (folder / "2018").mkdir(parents=True)
    shutil.copy(DATA / RUN, folder / "2018" / RUN)
    shutil.copy(DATA / OTHER_RUN, folder / OTHER_RUN)
    shutil.copy(DATA / "fitparse_invalid_unexpected_eof.fit", folder / "broken.fit")
    (folder / "notes.txt").write_text("ignored: not an activity file")
    seen: list[tuple[int, int]] = []
    results, summary = run_batch(athlete, folder, progress=lambda done, total: seen.append((done, total)))
    assert [Path(result.file).name for result in results] == [RUN, "broken.fit", OTHER_RUN]
    assert [result.status for result in results] == ["imported", "error", "imported"]
    assert results[1].error == "truncated or corrupt FIT file"
    assert (summary.imported, summary.duplicates, summary.errors) == (2, 0, 1)
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_path_given_by_name_is_tried_whatever_its_extension(athlete, tmp_path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    results, _ = run_batch(athlete, notes, tmp_path / "missing.fit")
    assert [(result.status, result.error) for result in results] == [
        ("error", "unsupported file type .txt"),
        ("error", "no such file or directory"),
    ]


def test_a_strava_export_takes_names_and_descriptions_from_its_csv(athlete, tmp_path) -> None:
    export = strava_export(tmp_path / "export_123.zip")
    results, summary = run_batch(athlete, export)
    assert [result.file for result in results] == [
        f"{export}:activities/101.tcx.gz",
        f"{export}:activities/102.tcx",
    ]
    assert all(result.status == "imported" for result in results)
    first = Activity.objects.get(pk=results[0].activity_id)
    assert (first.name, first.description) == ("Sortie du soir", "Footing, frais")
    assert first.distance_m == pytest.approx(4689.24, abs=0.01)
    assert Activity.objects.get(pk=results[1].activity_id).name == "Morning Run"
    assert summary.skipped_without_file == 1
    assert "1 Strava entries without a file skipped" in summary.line()
    again, summary = run_batch(athlete, export)
    assert [result.status for result in again] == ["duplicate", "duplicate"]


def test_a_plain_zip_of_activity_files(athlete, tmp_path) -> None:
    zipped = write_zip(tmp_path / "runs.zip", {"a/run.tcx": (DATA / RUN).read_bytes(), "readme.md": b"x"})
    results, _ = run_batch(athlete, zipped)
    assert [(result.file, result.status) for result in results] == [(f"{zipped}:a/run.tcx", "imported")]


def test_path_traversal_inside_a_zip_is_refused_by_name(athlete, tmp_path) -> None:
    members = {"../../evil.tcx": (DATA / RUN).read_bytes(), "/etc/cron.tcx": b"x", "ok.tcx": b"x"}
    results, _ = run_batch(athlete, write_zip(tmp_path / "evil.zip", members))
    by_name = {result.file.rsplit(":", 1)[1]: result for result in results}
    assert by_name["../../evil.tcx"].error == "unsafe path in the zip (absolute or with '..')"
    assert by_name["/etc/cron.tcx"].error == "unsafe path in the zip (absolute or with '..')"
    assert by_name["ok.tcx"].status == "error"  # not a TCX file, but read
    assert not Activity.objects.filter(user=athlete).exists()
    assert not (tmp_path.parent / "evil.tcx").exists()


def test_a_strava_index_cannot_point_outside_the_zip(athlete, tmp_path) -> None:
    index = STRAVA_HEADER + "1,x,Evil,Run,,1,../../etc/passwd\n2,x,Gone,Run,,1,activities/2.fit\n"
    results, _ = run_batch(athlete, write_zip(tmp_path / "export.zip", {"activities.csv": index.encode()}))
    assert [result.error for result in results] == [
        "unsafe path in the zip (absolute or with '..')",
        "listed in activities.csv but missing from the zip",
    ]


def test_a_zip_bomb_is_refused_before_it_is_read(athlete, tmp_path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("huge.gpx", bytes(40 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    results, _ = run_batch(athlete, bomb)
    assert results[0].status == "error" and "a zip bomb" in (results[0].error or "")


def test_a_member_that_lies_about_its_size_cannot_slip_past(tmp_path) -> None:
    path = write_zip(tmp_path / "liar.zip", {"run.gpx": bytes(2 * 1024 * 1024)})
    with zipfile.ZipFile(path) as zipped:
        info = zipped.getinfo("run.gpx")
        member = archive.Member("run.gpx", "liar.zip:run.gpx", info=info)
        # Declaring less than it holds: the bounded read stops at the limit...
        with pytest.raises(archive.ArchiveError, match="decompressed size over the limit"):
            archive.read_member(zipped, member, max_bytes=1024 * 1024)
        # ...and a forged size makes the checksum fail: never a silent truncation.
        info.file_size = 100
        with pytest.raises(archive.ArchiveError, match="corrupt zip member"):
            archive.read_member(zipped, member, max_bytes=1024 * 1024)


def test_a_member_over_the_limit_is_refused(athlete, tmp_path, monkeypatch) -> None:
    from foulee.config import get_settings

    monkeypatch.setenv("FOULEE_MAX_UPLOAD_MB", "0.001")
    get_settings.cache_clear()
    try:
        big = write_zip(tmp_path / "big.zip", {"run.tcx": (DATA / RUN).read_bytes()})
        results, _ = run_batch(athlete, big)
    finally:
        monkeypatch.delenv("FOULEE_MAX_UPLOAD_MB")
        get_settings.cache_clear()
    assert results[0].error == "file size over the limit"


def test_a_corrupt_zip_is_one_clear_error(athlete, tmp_path) -> None:
    broken = tmp_path / "export.zip"
    broken.write_bytes(b"PK\x03\x04 this is not a zip")
    results, summary = run_batch(athlete, broken)
    assert len(results) == 1 and results[0].status == "error"
    assert (results[0].error or "").startswith("not a readable zip file")
    assert summary.errors == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096))
def test_random_bytes_as_a_zip_raise_only_archive_errors(tmp_path, data) -> None:
    path = tmp_path / "random.zip"
    path.write_bytes(b"PK\x03\x04" + data)
    with contextlib.suppress(archive.ArchiveError):
        zipped = archive.open_archive(path)
        with zipped:
            contents = archive.list_members(zipped, "random.zip", 1024 * 1024)
            for member in contents.members:
                if member.problem is None:
                    with contextlib.suppress(archive.ArchiveError):
                        archive.read_member(zipped, member, 1024 * 1024)


def test_strava_csv_must_be_text(athlete, tmp_path) -> None:
    export = write_zip(tmp_path / "export.zip", {"activities.csv": b"\xff\xfe\x00garbage"})
    results, _ = run_batch(athlete, export)
    assert results[0].status == "error" and "activities.csv is not a readable CSV file" in (
        results[0].error or ""
    )


def test_zip_members_read_through_a_stream(tmp_path) -> None:
    # The archive is read where it lies: nothing is extracted next to it.
    path = strava_export(tmp_path / "export.zip")
    before = sorted(tmp_path.iterdir())
    with archive.open_archive(path) as zipped:
        contents = archive.list_members(zipped, "export.zip", 1024 * 1024)
        payload = archive.read_member(zipped, contents.members[0], 1024 * 1024)
    assert gzip.decompress(payload) == (DATA / OTHER_RUN).read_bytes()
    assert sorted(tmp_path.iterdir()) == before
