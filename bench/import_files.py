"""Activity import speed on the real sample files, next to the bare library parse.

    python -m bench.import_files [--repeat 20]

Per format, on the files of tests/data/activities:

* bare parse: fitdecode reading every frame, gpxpy.parse, or defusedxml
  parsing the TCX tree: what any importer must pay;
* parse: ``analytics.readers.read_activity`` (normalised samples and summary);
* parse + features: the above plus what the sync adds per file: samples
  encoded and decoded (the stored form) and their features (best efforts,
  zones, TRIMP, VDOT, VMA). Target: at most 1.3x the bare parse.
* full import, files/s: ``import_file`` (checksum, dedupe, Django row, the
  original stored) then the sync that stores samples and features, on SQLite,
  as ``foulee import`` runs it;
* a 40 MB GPX (``bench.big_files``, generated in a temporary file): its
  read time and peak memory (``ru_maxrss`` of a fresh subprocess, so nothing
  else counts), next to ``gpxpy.parse`` in another one. Target: under 200 MB.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import defusedxml.ElementTree as SafeElementTree
import fitdecode
import gpxpy

from bench.common import foulee_on_sqlite

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "activities"
TARGET_RATIO = 1.3
BIG_GPX_POINTS = 120_000  # about 40 MB
TARGET_PEAK_MB = 200.0
#: Run in a fresh interpreter: read the file at argv[1] with argv[2] ("ours" or "gpxpy").
_MEASURE = """
import json, resource, sys, time
path, mode = sys.argv[1], sys.argv[2]
if mode == "ours":
    from analytics.readers import read_file
else:
    import gpxpy
data = open(path, "rb").read()
started = time.perf_counter()
if mode == "ours":
    points = len(read_file(data, "big.gpx").legs[0].samples)
else:
    points = gpxpy.parse(data.decode()).get_points_no()
seconds = time.perf_counter() - started
# VmHWM: this process's own high-water mark (ru_maxrss keeps the forking parent's across exec).
try:
    status = open("/proc/self/status").read()
    peak_mb = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError):
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "points": points}))
"""


def bare_parse(path: Path, data: bytes) -> None:
    if path.suffix == ".fit":
        try:
            with fitdecode.FitReader(io.BytesIO(data)) as reader:
                for _frame in reader:
                    pass
        except fitdecode.FitError:
            pass  # a cut file: the bare parse reads up to the cut, as ours does
    elif path.suffix == ".gpx":
        gpxpy.parse(data.decode("utf-8"))
    else:
        SafeElementTree.fromstring(data)


def _an_activity(path: Path) -> bool:
    """Whether ``path`` is a corpus file the import takes: the corpus also holds refused files
    (settings, monitoring, cut, implausible, a few seconds long), which are no speed case."""
    from analytics.importing.service import recording_refusal
    from analytics.readers import ActivityFileError, read_file

    if path.suffix not in {".fit", ".gpx", ".tcx"}:
        return False
    try:
        parsed = read_file(path.read_bytes(), path.name)
    except ActivityFileError:
        return False
    return not any(
        recording_refusal(leg, truncated=parsed.truncated, filename=path.name) for leg in parsed.legs
    )


def mean_ms(call: Callable[[], object], repeat: int) -> float:
    call()  # warm-up: imports, caches
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000.0)
    return statistics.mean(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with foulee_on_sqlite("foulee-bench-import-"):
        run(args.repeat)


def run(repeat: int) -> None:
    from analytics import samples as sample_codec
    from analytics.physiology import resolve
    from analytics.readers import read_activity

    body = resolve(sex="F", birth_year=1990, hr_max=190, hr_rest=50)
    files = [path for path in sorted(DATA.iterdir()) if _an_activity(path)]

    def with_features(path: Path, data: bytes) -> None:
        parsed = read_activity(data, path.name)
        encoded = sample_codec.encode(parsed.samples)
        stored = sample_codec.decode(sample_codec.ENCODING, encoded, len(parsed.samples))
        sample_codec.compute(stored, body, pace_ok=parsed.sport == "run", hr_ok=True, whole_vdot=None)

    per_format: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    print(f"{'file':<40} {'samples':>7} {'bare ms':>8} {'parse ms':>9} {'+features':>10} {'ratio':>6}")
    for path in files:
        data = path.read_bytes()
        count = len(read_activity(data, path.name).samples)
        bare = mean_ms(functools.partial(bare_parse, path, data), repeat)
        parse = mean_ms(functools.partial(read_activity, data, path.name), repeat)
        full = mean_ms(functools.partial(with_features, path, data), repeat)
        print(f"{path.name:<40} {count:>7} {bare:>8.2f} {parse:>9.2f} {full:>10.2f} {full / bare:>6.2f}")
        totals = per_format[path.suffix]
        totals["files"] += 1
        totals["bytes"] += len(data)
        totals["bare"] += bare
        totals["parse"] += parse
        totals["full"] += full

    print(
        f"\n{'format':<6} {'files':>5} {'bare files/s':>13} {'ours files/s':>13} {'ours MB/s':>10} "
        f"{'ratio':>6}  target"
    )
    for suffix, totals in sorted(per_format.items()):
        ratio = totals["full"] / totals["bare"]
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"{suffix:<6} {int(totals['files']):>5} {1000 * totals['files'] / totals['bare']:>13.1f} "
            f"{1000 * totals['files'] / totals['full']:>13.1f} "
            f"{totals['bytes'] / 1e3 / totals['full']:>10.2f} {ratio:>6.2f}  <= {TARGET_RATIO:g}x: {verdict}"
        )
    big_gpx()
    full_import(files, repeat=max(1, repeat // 4))


def big_gpx() -> None:
    """A 40 MB GPX read by us and by gpxpy, each in a fresh interpreter: time and peak memory."""
    from bench.big_files import big_gpx as generate

    root = Path(__file__).resolve().parents[1]
    with tempfile.NamedTemporaryFile(suffix=".gpx") as file:
        file.write(generate(BIG_GPX_POINTS))
        file.flush()
        size_mb = Path(file.name).stat().st_size / 1e6
        results = {}
        for mode in ("gpxpy", "ours"):
            out = subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, "-c", _MEASURE, file.name, mode],
                cwd=root,
                check=True,
                capture_output=True,
                text=True,
            )
            results[mode] = json.loads(out.stdout)
    ours, bare = results["ours"], results["gpxpy"]
    verdict = "met" if ours["peak_mb"] < TARGET_PEAK_MB else "MISSED"
    print(f"\nA {size_mb:.1f} MB GPX ({ours['points']} points), each read in a fresh interpreter:")
    print(
        f"gpxpy.parse   {bare['seconds']:6.2f} s  {size_mb / bare['seconds']:5.1f} MB/s  peak {bare['peak_mb']:6.0f} MB"
    )
    print(
        f"read_file     {ours['seconds']:6.2f} s  {size_mb / ours['seconds']:5.1f} MB/s  peak {ours['peak_mb']:6.0f} MB"
        f"  (ratio {ours['seconds'] / bare['seconds']:.2f}; peak < {TARGET_PEAK_MB:g} MB: {verdict})"
    )


def full_import(files: list[Path], repeat: int) -> None:
    """Every file imported and synced once per fresh athlete (dedupe is per athlete)."""
    from analytics.importing.service import import_file
    from analytics.sync import sync
    from web.accounts.models import User

    contents = [(path, path.read_bytes()) for path in files]
    timings: dict[str, list[float]] = defaultdict(list)
    for round_number in range(repeat):
        user = User.objects.create_user(email=f"bench{round_number}@example.org", password=None)
        for path, data in contents:
            started = time.perf_counter()
            result = import_file(user, data, path.name)
            sync()
            timings[path.suffix].append((time.perf_counter() - started) * 1000.0)
            if result.status == "error":
                raise SystemExit(f"{path.name}: {result.error}")
    print("\nFull import (import_file + sync, SQLite, one file at a time):")
    for suffix, samples in sorted(timings.items()):
        mean = statistics.mean(samples)
        print(f"{suffix:<6} {len(samples):>4} imports   mean {mean:7.1f} ms   {1000 / mean:6.1f} files/s")


if __name__ == "__main__":
    main()
