"""`foulee import PATH... --user EMAIL [--json]`: activity files, folders and zips for one athlete.

Human output is one line per file and a summary, with the failures repeated
at the end; ``--json`` prints one JSON object per file (the shape is fixed in
DESIGN.md) and nothing else on stdout. A progress bar goes to stderr when it
is a terminal. The exit status is 1 if any file failed, 2 for a bad command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from analytics.importing.service import ImportResult

_BAR_WIDTH = 30
_MARKS = {"imported": "+", "duplicate": "=", "error": "!"}


def register(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        "import",
        help="import activity files (.fit, .gpx, .tcx, gzipped too), folders and zips (Strava exports)",
        description=(
            "Import activity files for one athlete. Folders are searched recursively; a zip with "
            "activities.csv at its root is read as a Strava bulk export (names and descriptions "
            "come from the CSV). Files already imported, or the same run recorded twice, are "
            "reported as duplicates and not imported again."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files, folders or zips")
    parser.add_argument("--user", required=True, help="the email of the athlete who owns the activities")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from foulee.cli import setup_django

    setup_django()
    from analytics.importing.batch import BatchSummary, import_paths
    from analytics.sync import sync
    from web.accounts.models import User, normalise_email

    user = User.objects.filter(email=normalise_email(args.user), is_active=True).first()
    if user is None:
        print(f"error: no active user with the email {args.user}", file=sys.stderr)
        return 2
    summary = BatchSummary()
    failures: list[ImportResult] = []
    bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    for result in import_paths(user, args.paths, summary, progress=bar.update if bar else None):
        if bar:
            bar.clear()
        if result.failed:
            failures.append(result)
        line = json.dumps(result.to_json(), ensure_ascii=False) if args.json else _describe(result)
        print(line, flush=True)
    if bar:
        bar.clear()
    report = sync()
    out = sys.stderr if args.json else sys.stdout
    print(f"{summary.line()}. Analytics: {report.summary()}.", file=out)
    if failures and not args.json:
        print("Not imported:", file=out)
        for failure in failures:
            print(f"  {failure.file}: {failure.error}", file=out)
    return 1 if failures else 0


def _describe(result: ImportResult) -> str:
    from foulee.units import format_duration, km

    mark = _MARKS[result.status]
    if result.failed:
        return f"{mark} {result.file}: error: {result.error}"
    distance, duration = km(result.distance_m or 0.0), format_duration(result.duration_s or 0.0)
    detail = f"{result.sport} {distance:.2f} km in {duration}"
    if result.avg_hr is not None:
        detail += f", avg HR {result.avg_hr:.0f}"
    if result.status == "duplicate":
        return f"{mark} {result.file}: duplicate, {result.error} ({detail})"
    return f"{mark} {result.file}: imported as activity {result.activity_id} ({detail})"


class _ProgressBar:
    """A one-line bar redrawn in place on a terminal: ``[#####.....]  120/800 files``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        filled = _BAR_WIDTH * done // max(total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {done}/{total} files")
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * (_BAR_WIDTH + 30) + "\r")
            self.stream.flush()
            self.drawn = False
