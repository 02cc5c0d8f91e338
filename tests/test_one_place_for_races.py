"""Race distances, their bounds and the pace clamp are written once (foulee/races.py, foulee/limits.py).

A new duplicate (``42195.0`` typed in a view, ``Field(ge=400.0, le=100_000.0)`` in a route) fails
here with the file and line, so the one definition stays the only one. Numbers are read as Python
tokens: a docstring's example ("``distance_m=21097.5``") is prose, not a definition.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from foulee import limits, races

ROOT = Path(__file__).resolve().parent.parent
#: The packages whose code must read the one definition; tests, benchmarks and migrations may spell values.
PACKAGES = ("foulee", "analytics", "web", "agent", "bot", "api", "knowledge")
#: Where each fact is written.
HOMES = {ROOT / "foulee" / "races.py", ROOT / "foulee" / "limits.py"}
#: Values that are a standard race distance and nothing else in Foulée's code.
RACE_VALUES = {races.MILE_M, races.HALF_MARATHON_M, races.MARATHON_M, 21_095.0}
#: The race-distance bounds and the pace clamp, written as code does.
BOUND_PATTERNS = (
    re.compile(r"\b(?:ge|gt)\s*=\s*400(?:\.0)?\b"),
    re.compile(r"\b(?:le|lt)\s*=\s*100_?000(?:\.0)?\b"),
    re.compile(r"\b400(?:\.0)?\s*<="),
    re.compile(r"<=\s*100_?000(?:\.0)?\b"),
    re.compile(r"\b(?:Min|Max)ValueValidator\(\s*1_?200(?:\.0)?\s*\)"),
    re.compile(r"\b(?:Min|Max)ValueValidator\(\s*120(?:\.0)?\s*\)"),
    re.compile(r"min\(\s*1_?200(?:\.0)?\s*,\s*max\(\s*120(?:\.0)?"),
)


def source_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts and path not in HOMES:
                files.append(path)
    return files


def number_tokens(path: Path) -> list[tuple[int, float]]:
    found = []
    text = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.NUMBER and not token.string.lower().endswith("j"):
            try:
                found.append((token.start[0], float(token.string.replace("_", ""))))
            except ValueError:  # hexadecimal, octal: not a distance
                continue
    return found


def test_race_distances_are_written_only_in_foulee_races() -> None:
    duplicates = [
        f"{path.relative_to(ROOT)}:{line}: {value:g}"
        for path in source_files()
        for line, value in number_tokens(path)
        if value in RACE_VALUES
    ]
    assert not duplicates, "use foulee.races instead of:\n" + "\n".join(duplicates)


def test_race_bounds_and_pace_clamp_are_written_only_once() -> None:
    duplicates = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in source_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(pattern.search(line) for pattern in BOUND_PATTERNS)
    ]
    assert not duplicates, "use foulee.races / foulee.limits instead of:\n" + "\n".join(duplicates)


def test_the_one_definitions() -> None:
    assert races.HALF_MARATHON_M * 2 == races.MARATHON_M
    assert [race.metres for race in races.RACES] == sorted(race.metres for race in races.RACES)
    assert races.is_race_distance(races.RACE_DISTANCE_MIN_M)
    assert not races.is_race_distance(races.RACE_DISTANCE_MAX_M + 1)
    assert limits.clamp_pace(60.0) == limits.TARGET_PACE_RANGE_S_PER_KM[0]
    assert limits.clamp_pace(5000.0) == limits.TARGET_PACE_RANGE_S_PER_KM[1]
    assert limits.clamp_pace(300.0) == 300.0


def test_the_check_finds_a_duplicate(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""42195 in prose is fine."""\nMARATHON = 42_195.0\n', encoding="utf-8")
    assert number_tokens(sample) == [(2, 42195.0)]
    assert BOUND_PATTERNS[0].search("Field(ge=400.0, le=100_000.0)")
