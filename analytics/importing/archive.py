"""Reading activity files out of a zip, a Strava bulk export included, without trusting the zip.

Nothing is extracted to disk: members are read into memory one at a time, so a
member named ``../../etc/passwd`` can write nowhere; it is refused all the same,
with its name, because no honest export contains one. Each member is bounded
by the upload limit, checked on the size it declares and again while it is
decompressed (the declared size can lie), and a member that compresses better
than any activity file could is refused as a zip bomb before it is read.

A Strava bulk export is a zip with ``activities.csv`` at its root; that file
names each activity's file (``activities/123.fit.gz``) and gives the name and
description the athlete typed on Strava. Rows without a file (activities
entered by hand on Strava) have nothing to import and are counted as skipped.
"""

from __future__ import annotations

import csv
import io
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

from analytics.readers import is_activity_file

#: Activity files (FIT, GPX, TCX, even gzipped) compress 2 to 30 times; a member compressed
#: beyond this ratio is a zip bomb (deflate's ceiling is about 1000:1).
MAX_COMPRESSION_RATIO: Final = 100
#: Small members may compress very well (a GPX of one repeated point); the ratio applies above this.
RATIO_CHECKED_FROM_BYTES: Final = 1024 * 1024
#: A Strava export holds one file per activity: tens of thousands at most.
MAX_MEMBERS: Final = 100_000
STRAVA_INDEX: Final = "activities.csv"
_CHUNK_BYTES: Final = 1024 * 1024


class ArchiveError(ValueError):
    """The zip as a whole cannot be read; the message names the reason."""


@dataclass(frozen=True)
class Member:
    """One activity file inside an archive, read lazily; ``problem`` is set when it must not be read."""

    name: str
    label: str
    title: str = ""
    description: str = ""
    problem: str | None = None
    info: zipfile.ZipInfo | None = field(default=None, repr=False)


@dataclass
class ArchiveContents:
    members: list[Member]
    #: Rows of a Strava index with no file to import (entered by hand on Strava).
    skipped_without_file: int = 0


def open_archive(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"not a readable zip file ({error})") from error
    if len(archive.infolist()) > MAX_MEMBERS:
        archive.close()
        raise ArchiveError(f"more than {MAX_MEMBERS} files in the zip")
    return archive


def list_members(archive: zipfile.ZipFile, label: str, max_bytes: int) -> ArchiveContents:
    """The activity files of ``archive``, with Strava's names and descriptions when it is an export."""
    infos = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    if STRAVA_INDEX in infos:
        return _strava_members(archive, infos, label, max_bytes)
    members = [
        _member(info.filename, infos, label, max_bytes)
        for info in sorted(infos.values(), key=lambda item: item.filename)
        if is_activity_file(info.filename) or _unsafe_name(info.filename)
    ]
    return ArchiveContents(members)


def read_member(archive: zipfile.ZipFile, member: Member, max_bytes: int) -> bytes:
    """The member's bytes, stopping as soon as more than ``max_bytes`` come out."""
    if member.info is None:
        raise ArchiveError(member.problem or "not in the zip")
    output = bytearray()
    try:
        with archive.open(member.info) as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                output += chunk
                if len(output) > max_bytes:
                    raise ArchiveError("decompressed size over the limit")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
        # RuntimeError: encrypted member; NotImplementedError: an unknown compression method.
        raise ArchiveError(f"corrupt zip member ({error})") from error
    return bytes(output)


def _strava_members(
    archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], label: str, max_bytes: int
) -> ArchiveContents:
    index = infos[STRAVA_INDEX]
    problem = _problem(index, max_bytes)
    if problem:
        raise ArchiveError(f"{STRAVA_INDEX}: {problem}")
    text = read_member(archive, Member(STRAVA_INDEX, label, info=index), max_bytes)
    try:
        rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error) as error:
        raise ArchiveError(f"{STRAVA_INDEX} is not a readable CSV file ({error})") from error
    members: list[Member] = []
    skipped = 0
    for row in rows:
        filename = (row.get("Filename") or "").strip()
        if not filename:
            skipped += 1
            continue
        title = (row.get("Activity Name") or "").strip()
        description = (row.get("Activity Description") or "").strip()
        member = _member(filename, infos, label, max_bytes)
        members.append(
            Member(member.name, member.label, title, description, problem=member.problem, info=member.info)
        )
    return ArchiveContents(members, skipped_without_file=skipped)


def _member(name: str, infos: dict[str, zipfile.ZipInfo], label: str, max_bytes: int) -> Member:
    shown = f"{label}:{name}"
    if _unsafe_name(name):
        return Member(name, shown, problem="unsafe path in the zip (absolute or with '..')")
    info = infos.get(name)
    if info is None:
        return Member(name, shown, problem="listed in activities.csv but missing from the zip")
    problem = _problem(info, max_bytes)
    return Member(name, shown, problem=problem, info=None if problem else info)


def _problem(info: zipfile.ZipInfo, max_bytes: int) -> str | None:
    """Why ``info`` must not be read, judged on what the zip declares, or None."""
    if stat.S_ISLNK(info.external_attr >> 16):
        return "symbolic link in the zip"
    if info.flag_bits & 0x1:
        return "encrypted zip member"
    if info.file_size > max_bytes:
        return "file size over the limit"
    if info.file_size > RATIO_CHECKED_FROM_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
        info.compress_size, 1
    ):
        return f"compressed {info.file_size // max(info.compress_size, 1)}:1, a zip bomb"
    return None


def _unsafe_name(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":")
