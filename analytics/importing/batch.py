"""Importing many files at once: paths, folders (recursively) and zips, Strava exports included.

A batch never stops at a bad file: each file gets its own result, in order,
and its own transaction (:func:`analytics.importing.service.import_file`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from analytics.importing import archive
from analytics.importing.service import ImportResult, import_file
from analytics.readers import is_activity_file
from foulee.config import get_settings
from web.accounts.models import User

#: The answer for a zip that holds no .fit, .gpx or .tcx file (gzipped or not) at all.
NO_ACTIVITY_IN_ZIP: Final = "no activity file in this zip"

#: Called with (files done, files in the batch) after each file.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _PlainFile:
    path: Path


@dataclass(frozen=True)
class _Zip:
    path: Path


@dataclass(frozen=True)
class _Missing:
    path: Path


_Source = _PlainFile | _Zip | _Missing


@dataclass
class BatchSummary:
    imported: int = 0
    duplicates: int = 0
    errors: int = 0
    #: Strava rows with no file (activities entered by hand on Strava): nothing to import.
    skipped_without_file: int = 0

    def add(self, result: ImportResult) -> None:
        if result.status == "imported":
            self.imported += 1
        elif result.status == "duplicate":
            self.duplicates += 1
        else:
            self.errors += 1

    def line(self) -> str:
        text = f"{self.imported} imported, {self.duplicates} duplicates, {self.errors} errors"
        if self.skipped_without_file:
            text += f"; {self.skipped_without_file} Strava entries without a file skipped"
        return text


def import_paths(
    user: User, paths: Sequence[Path], summary: BatchSummary, progress: Progress | None = None
) -> Iterator[ImportResult]:
    """Import every activity file under ``paths`` for ``user``, yielding one result per file.

    A folder contributes the activity files and zips under it (other files are
    ignored); a path given by name is always tried, whatever its extension, so
    a wrong one gets its error.
    """
    max_bytes = get_settings().max_upload_bytes
    # Every zip is listed before the first import, so the progress bar knows the batch's size.
    plans = [_plan(user, source, summary, max_bytes) for source in _sources(paths)]
    total = sum(plan.count for plan in plans)
    done = 0
    for plan in plans:
        for result in plan.run():
            summary.add(result)
            done += 1
            if progress is not None:
                progress(done, total)
            yield result


@dataclass(frozen=True)
class ImportPlan:
    """How many results a source will give, and how to get them (call ``run`` once)."""

    count: int
    run: Callable[[], Iterator[ImportResult]]


def _plan(user: User, source: _Source, summary: BatchSummary, max_bytes: int) -> ImportPlan:
    if isinstance(source, _Missing):
        missing = ImportResult.refused(str(source.path), "no such file or directory")
        return ImportPlan(1, lambda: iter([missing]))
    if isinstance(source, _PlainFile):
        return ImportPlan(1, lambda: iter([_from_file(user, source.path, max_bytes)]))
    return plan_zip(user, source.path, summary, label=str(source.path))


def plan_zip(user: User, path: Path, summary: BatchSummary, *, label: str) -> ImportPlan:
    """The import of a zip (a Strava export or a zip of files), named ``label`` in results.

    Its members are listed now (so their number is known) and imported when
    the plan runs. Doors that receive an upload use this with the upload's name.
    """
    max_bytes = get_settings().max_upload_bytes
    try:
        zipped = archive.open_archive(path)
    except archive.ArchiveError as error:
        reason = str(error)
        return ImportPlan(1, lambda: iter([ImportResult.refused(label, reason)]))
    try:
        contents = archive.list_members(zipped, label, max_bytes)
    except archive.ArchiveError as error:
        zipped.close()
        reason = str(error)
        return ImportPlan(1, lambda: iter([ImportResult.refused(label, reason)]))
    summary.skipped_without_file += contents.skipped_without_file
    if not contents.members and not contents.skipped_without_file:
        # Nothing to import must still be said (a zip of photos, of PDFs): one line, not silence.
        zipped.close()
        return ImportPlan(1, lambda: iter([ImportResult.refused(label, NO_ACTIVITY_IN_ZIP)]))
    return ImportPlan(len(contents.members), lambda: _from_zip(user, zipped, contents, max_bytes))


def _sources(paths: Sequence[Path]) -> list[_Source]:
    sources: list[_Source] = []
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and not found.name.startswith("."):
                    if found.suffix.lower() == ".zip":
                        sources.append(_Zip(found))
                    elif is_activity_file(found.name):
                        sources.append(_PlainFile(found))
        elif path.is_file():
            sources.append(_Zip(path) if path.suffix.lower() == ".zip" else _PlainFile(path))
        else:
            sources.append(_Missing(path))
    return sources


def _from_file(user: User, path: Path, max_bytes: int) -> ImportResult:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return ImportResult.refused(str(path), "file size over the limit")
        data = path.read_bytes()
    except OSError as error:
        return ImportResult.refused(str(path), f"cannot read the file ({error.strerror})")
    return import_file(user, data, path.name, label=str(path))


def _from_zip(
    user: User, zipped: zipfile.ZipFile, contents: archive.ArchiveContents, max_bytes: int
) -> Iterator[ImportResult]:
    with zipped:
        for member in contents.members:
            if member.problem:
                yield ImportResult.refused(member.label, member.problem)
                continue
            try:
                data = archive.read_member(zipped, member, max_bytes)
            except archive.ArchiveError as error:
                yield ImportResult.refused(member.label, str(error))
                continue
            yield import_file(
                user,
                data,
                member.name,
                label=member.label,
                name=member.title,
                description=member.description,
            )
