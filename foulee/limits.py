"""Plausibility bounds shared by every validator (Django models, importers, analytics).

One place for each bound, so that a value the web form accepts is never one the
analytics engine rejects. The ranges are deliberately wide: they catch sensor
glitches and typing mistakes, not unusual athletes.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Final

# Heart rate, beats per minute. The lowest resting HR on record is in the high
# 20s; maximal HR above ~230 is not physiological (Tanaka et al., 2001, JACC).
HR_MIN_BPM: Final = 25
HR_MAX_BPM: Final = 240

# Resting and maximal HR as athlete profile settings.
HR_REST_RANGE_BPM: Final = (25, 120)
HR_MAX_RANGE_BPM: Final = (100, 240)

# Body mass, kilograms.
WEIGHT_RANGE_KG: Final = (20.0, 300.0)

# Oldest birth year we accept, and the youngest age an account may have.
BIRTH_YEAR_MIN: Final = 1900
MIN_AGE_YEARS: Final = 10

# When an activity may have started: from 1970 (no watch recorded earlier; a date before it is
# a device with its clock unset) to a day ahead of now (time zones), never in the future beyond.
ACTIVITY_EARLIEST_START: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ACTIVITY_FUTURE_SLACK: Final = dt.timedelta(days=1)

# One activity: at most 1,000 km and 7 days (multi-day ultras fit, typos don't).
ACTIVITY_MAX_DISTANCE_M: Final = 1_000_000.0
ACTIVITY_MAX_DURATION_S: Final = 7 * 24 * 3600.0

# Speed, metres per second: 40 m/s (144 km/h) covers descending on a bike.
MAX_SPEED_MPS: Final = 40.0

# A recording no human made (a car trip, a train): a typical moving speed above 60 km/h (the hour
# record on a bike is 56.8 km/h), or a fastest tenth of the moving time above 90 km/h (a fast
# descent on a bike lasts minutes, not a tenth of the ride). Time-weighted over the track.
HUMAN_MAX_TYPICAL_SPEED_MPS: Final = 60 / 3.6
HUMAN_MAX_FAST_SPEED_MPS: Final = 90 / 3.6

# A recording that holds nothing: under 30 s and under 50 m ("0.00 km in 0:02", a watch started by
# mistake). Both must hold: a short interval rep or a standing warm-up is still an activity.
EMPTY_RECORDING_MAX_S: Final = 30.0
EMPTY_RECORDING_MAX_M: Final = 50.0

# Cadence, steps (or pedal strokes) per minute.
MAX_CADENCE_SPM: Final = 300.0

# Calories for one activity, kcal.
MAX_CALORIES_KCAL: Final = 50_000.0

# Elevation gain of one activity, metres.
MAX_ELEVATION_GAIN_M: Final = 30_000.0

# A planned session's target pace, seconds per km: 2:00 (faster than any world record) to 20:00
# (a brisk walk). Paces a plan computes are clamped into it (:func:`clamp_pace`).
TARGET_PACE_RANGE_S_PER_KM: Final = (120.0, 1200.0)

# Heart-rate zones are numbered 1 to 5.
HR_ZONE_RANGE: Final = (1, 5)

# Largest activity file accepted, in MiB, before and after gzip: a watch file of a multi-day
# ultra is a few MiB, so 50 leaves room for dense GPX exports while refusing attacks and mistakes.
# FOULEE_MAX_UPLOAD_MB overrides it (foulee.config).
MAX_UPLOAD_MB: Final = 50
BYTES_PER_MB: Final = 1024 * 1024

# One message to the coach, in characters: a long paragraph; more is pasted text, not a question.
# Counted without the whitespace around it (:func:`coach_message_text`), so a message of spaces
# alone is empty, and refused, at every door (web.coaching.models.validate_coach_message).
MAX_COACH_MESSAGE_CHARS: Final = 2000


def coach_message_text(text: str) -> str:
    """What counts of a message to the coach: its text without the whitespace around it.

    The web form strips its input (Django's ``CharField``); the API and the bot pass
    what they received: one rule, so the three refuse and count the same messages.
    """
    return text.strip()


def clamp_pace(seconds_per_km: float) -> float:
    """A pace moved into :data:`TARGET_PACE_RANGE_S_PER_KM`, the range a planned session accepts."""
    low, high = TARGET_PACE_RANGE_S_PER_KM
    return min(high, max(low, seconds_per_km))


# Text typed or sent by people (names, descriptions, notes, messages) holds no control character:
# none of C0 (U+0000-U+001F), DEL (U+007F) or C1 (U+0080-U+009F), Unicode's category Cc. PostgreSQL
# refuses NUL in text outright (a 500 where SQLite stored it), and the others are invisible, break
# exports, logs and terminals, and are never typed on purpose. Multi-line text (a TextField: a
# description, a message) keeps tab, line feed and carriage return. Lone surrogates (category Cs,
# only reachable through a JSON escape such as "\ud800") are refused too: they cannot be encoded as
# UTF-8, so neither database can store them. Text that people type is refused with the field named
# (web.text); text that comes from a file (a Strava export's names) is cleaned instead, so one odd
# character never costs the whole file.
MULTILINE_CONTROLS: Final = frozenset("\t\n\r")


def is_forbidden_character(character: str, *, multiline: bool) -> bool:
    """Whether ``character`` may not appear in stored text (single-line unless ``multiline``)."""
    if multiline and character in MULTILINE_CONTROLS:
        return False
    return unicodedata.category(character) in ("Cc", "Cs")


def forbidden_characters(text: str, *, multiline: bool) -> list[str]:
    """The characters of ``text`` that may not be stored, each once, in order of appearance."""
    return list(dict.fromkeys(char for char in text if is_forbidden_character(char, multiline=multiline)))


def without_forbidden_characters(text: str, *, multiline: bool) -> str:
    """``text`` with the characters that may not be stored removed (for text read from files)."""
    return "".join(char for char in text if not is_forbidden_character(char, multiline=multiline))


def character_code(character: str) -> str:
    """How a person is told which character it was: ``U+0000``."""
    return f"U+{ord(character):04X}"


# An uploaded file's name, in UTF-8 bytes, extension included. File systems allow 255 bytes for one
# name (ext4, XFS, APFS), and the stored name, ``activities/<user id>/<name>``, must fit its
# 255-character column with room for the 8 characters Django adds when the name is taken
# (``_a1B2c3D``): 160 bytes is a long name, and leaves both limits well clear.
MAX_FILENAME_BYTES: Final = 255
MAX_UPLOAD_NAME_BYTES: Final = 160


# Retention (docs/gdpr/register.md): what `foulee purge` keeps, by default; settings may change them.
#: Coaching messages are kept two years, then deleted (the conversation's later messages stay).
RETENTION_CONVERSATION_DAYS: Final = 730
#: An expired or revoked API token is kept a month (its owner sees why a client stopped), then deleted.
RETENTION_TOKEN_DAYS: Final = 30


# A race-results page fetched at an athlete's request (web.activities.results.fetch): the body read at
# most (a results table of 20,000 finishers is about 3 MiB of HTML; more is refused, not cut), the
# redirects followed at most (each one checked again), and the seconds to connect and between bytes
# (FOULEE_RESULTS_TIMEOUT overrides it); the whole fetch may take at most four times that.
RESULTS_PAGE_MAX_BYTES: Final = 5 * BYTES_PER_MB
RESULTS_MAX_REDIRECTS: Final = 5
RESULTS_TIMEOUT_S: Final = 10.0

#: A coach's access to an athlete's data is shown to the athlete for a year, then deleted.
RETENTION_ACCESS_LOG_DAYS: Final = 365
#: An athlete with no activity for three years is warned that their account will be deleted...
RETENTION_INACTIVE_DAYS: Final = 3 * 365
#: ...and it is deleted this long after the warning, unless they came back.
RETENTION_INACTIVE_GRACE_DAYS: Final = 30
#: An account that was never used (no log-in, no data) is deleted a month after sign-up.
RETENTION_UNCONFIRMED_DAYS: Final = 30
