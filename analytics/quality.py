"""Why part of an activity was left out of a metric: the reasons, in one place.

The store keeps an activity's reasons in its ``quality_note`` column as their English sentences
joined by ``"; "`` (readable in SQL and in the logs). Channels that speak another language read
the note back as codes with :func:`reason_codes` and word each code themselves (the coach's
French wording is in ``agent/replies.py``).
"""

from __future__ import annotations

from typing import Final

SEPARATOR: Final = "; "

#: code → the English sentence stored in ``quality_note``.
REASONS: Final[dict[str, str]] = {
    "no_distance_or_time": "no distance or time: left out of pace metrics",
    "too_slow": "slower than 1 m/s: left out of pace metrics",
    "too_fast": "faster than any human: left out of pace metrics",
    "no_hr": "no heart rate",
    "hr_outside_human_range": "heart rate outside the human range: left out of HR metrics",
    "hr_avg_above_max": "average HR above maximum HR: left out of HR metrics",
    "hr_below_rest": "average HR at or below resting HR: left out of HR metrics",
    "hr_far_above_hr_max": "average HR far above the athlete's HR max: left out of HR metrics",
    "load_unknown": "load unknown without heart rate",
    "original_unreadable": "original file unreadable: features from the summary only",
    "samples_unusable": "samples unusable: features from the summary only",
}

_CODES: Final = {sentence: code for code, sentence in REASONS.items()}


def reason_codes(note: str | None) -> list[str]:
    """The codes of the reasons in a stored note, in order; a part that is no known reason is skipped."""
    if not note:
        return []
    return [_CODES[part] for part in note.split(SEPARATOR) if part in _CODES]


def join(note: str, code: str) -> str:
    """``note`` with the reason ``code`` appended."""
    return f"{note}{SEPARATOR}{REASONS[code]}" if note else REASONS[code]
