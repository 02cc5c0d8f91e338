"""Measures the offline coach on its labelled set: intent accuracy (held-out) and argument extraction.

``foulee ask --eval`` prints both. Argument extraction is exact-match per
utterance: every labelled argument must come out with the right value, and no
other argument may appear (the free text of ``remember_fact`` aside).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent import router
from agent.offline import extract_arguments

#: Arguments that carry the message itself rather than a value extracted from it.
FREE_TEXT_ARGUMENTS = frozenset({"text", "query"})


@dataclass(frozen=True)
class ArgumentEvaluation:
    cases: int
    accuracy: float
    errors: list[tuple[str, dict[str, Any], dict[str, Any]]]  # (text, expected, extracted)


def _same(expected: Any, found: Any) -> bool:
    if isinstance(expected, dt.date):
        expected = expected.isoformat()
    if isinstance(found, dt.date):
        found = found.isoformat()
    if isinstance(expected, (int, float)) and isinstance(found, (int, float)):
        return math.isclose(float(expected), float(found), rel_tol=1e-6, abs_tol=1e-6)
    return bool(expected == found)


def evaluate_arguments(data: dict[str, Any] | None = None) -> ArgumentEvaluation:
    data = data or router.load_dataset()
    section = data["arguments"]
    today = section["today"]
    errors = []
    for case in section["cases"]:
        expected = dict(case["args"])
        found = {
            key: value
            for key, value in extract_arguments(case["intent"], case["text"], today).items()
            if key not in FREE_TEXT_ARGUMENTS
        }
        if set(found) != set(expected) or not all(_same(expected[key], found[key]) for key in expected):
            errors.append((str(case["text"]), expected, found))
    cases = len(section["cases"])
    return ArgumentEvaluation(cases, 1.0 - len(errors) / cases, errors)


def evaluate_all(cache_dir: Path | None = None) -> tuple[router.Evaluation, ArgumentEvaluation]:
    return router.evaluate(cache_dir=cache_dir), evaluate_arguments()
