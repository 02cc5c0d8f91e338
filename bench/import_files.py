"""Activity import speed on the real sample files, next to the bare library parse.

    python -m bench.import_files [--repeat 20]

Per format, on the files of tests/data/activities:

* bare parse: fitdecode reading every frame, gpxpy.parse, or defusedxml
  parsing the TCX tree: what any importer must pay;
* parse: ``analytics.readers.read_activity`` (normalised samples and summary);
* parse + features: the above plus what the sync adds per file: samples
  encoded and decoded (the stored form) and their features (best efforts,
  zones, TRIMP, VDOT, VMA). Target: at most 2x the bare parse.
* full import, files/s: ``import_file`` (checksum, dedupe, Django row, the
  original stored) then the sync that stores samples and features, on SQLite,
  as ``foulee import`` runs it.
"""

from __future__ import annotations

import argparse
import functools
import io
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import defusedxml.ElementTree as SafeElementTree
import fitdecode
import gpxpy

from bench.common import foulee_on_sqlite

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "activities"
TARGET_RATIO = 2.0


def bare_parse(path: Path, data: bytes) -> None:
    if path.suffix == ".fit":
        with fitdecode.FitReader(io.BytesIO(data)) as reader:
            for _frame in reader:
                pass
    elif path.suffix == ".gpx":
        gpxpy.parse(data.decode("utf-8"))
    else:
        SafeElementTree.fromstring(data)


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
    files = sorted(
        path
        for path in DATA.iterdir()
        if path.suffix in {".fit", ".gpx", ".tcx"} and "invalid" not in path.name
    )

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
        totals["bare"] += bare
        totals["parse"] += parse
        totals["full"] += full

    print(
        f"\n{'format':<6} {'files':>5} {'bare files/s':>13} {'parse+features files/s':>23} {'ratio':>6}  target"
    )
    for suffix, totals in sorted(per_format.items()):
        ratio = totals["full"] / totals["bare"]
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"{suffix:<6} {int(totals['files']):>5} {1000 * totals['files'] / totals['bare']:>13.1f} "
            f"{1000 * totals['files'] / totals['full']:>23.1f} {ratio:>6.2f}  <= {TARGET_RATIO:g}x: {verdict}"
        )
    full_import(files, repeat=max(1, repeat // 4))


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
