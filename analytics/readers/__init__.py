"""Activity file readers: a ``.fit``, ``.gpx`` or ``.tcx`` file (or gzipped) → one ParsedActivity.

Pure functions, no database: the importer calls :func:`read_activity` and
stores what it returns. Every failure is an :class:`ActivityFileError` whose
message is shown to the athlete.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Final

from analytics.readers.errors import ActivityFileError
from analytics.readers.fit import read_fit
from analytics.readers.gpx import read_gpx
from analytics.readers.limits import MAX_FILE_BYTES, gunzip_bounded, is_gzip
from analytics.readers.model import ParsedActivity, ParsedFile, Transition
from analytics.readers.streams import read_strava_streams
from analytics.readers.tcx import read_tcx

__all__ = [
    "MAX_FILE_BYTES",
    "ActivityFileError",
    "ParsedActivity",
    "ParsedFile",
    "Transition",
    "file_format",
    "is_activity_file",
    "read_activity",
    "read_file",
]

_READERS: Final[dict[str, Callable[[bytes], ParsedFile]]] = {
    ".fit": read_fit,
    ".gpx": read_gpx,
    ".tcx": read_tcx,
    # What web.strava keeps of a Strava activity (analytics/readers/streams.py).
    ".strava": read_strava_streams,
}


def _format_of(filename: str) -> tuple[str, bool]:
    """The format extension of ``filename`` (``.fit``…) and whether it is gzipped."""
    suffixes = [suffix.lower() for suffix in PurePath(filename).suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    extension = (
        (suffixes[-2] if len(suffixes) >= 2 else "") if compressed else (suffixes[-1] if suffixes else "")
    )
    return extension, compressed


def is_activity_file(filename: str) -> bool:
    """Whether ``filename`` has an extension a reader takes (``.fit``, ``.gpx.gz``…)."""
    return _format_of(filename)[0] in _READERS


def file_format(filename: str) -> str:
    """The format of ``filename`` as people name it: ``FIT``, ``GPX``, ``TCX`` (gzipped or not)."""
    return _format_of(filename)[0].lstrip(".").upper() or "activity"


def read_activity(data: bytes, filename: str, *, max_bytes: int = MAX_FILE_BYTES) -> ParsedActivity:
    """The first leg of :func:`read_file` (the whole activity of a single-sport file)."""
    return read_file(data, filename, max_bytes=max_bytes).legs[0]


def read_file(data: bytes, filename: str, *, max_bytes: int = MAX_FILE_BYTES) -> ParsedFile:
    """Read one activity file, every leg of it, choosing the format from ``filename``'s extension.

    ``.gz`` files must start with the gzip magic bytes and are decompressed
    with the same ``max_bytes`` bound as plain files; the extension decides the
    format because FIT has no reliable magic at offset 0 and GPX/TCX are both XML.
    """
    extension, compressed = _format_of(filename)
    if extension not in _READERS:
        shown = extension or (".gz" if compressed else "(none)")
        raise ActivityFileError(f"unsupported file type {shown}")
    if not data:
        raise ActivityFileError("empty file")
    if len(data) > max_bytes:
        raise ActivityFileError("file size over the limit")
    if compressed:
        if not is_gzip(data):
            raise ActivityFileError("not a gzip file")
        data = gunzip_bounded(data, max_bytes)
        if not data:
            raise ActivityFileError("empty file")
    return _READERS[extension](data)
