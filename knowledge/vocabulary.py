"""The fixed vocabularies a corpus document is checked against (the knowledge issue's lists).

One place for them: the loader validates against these, the CLI offers them as choices, the
agent may filter by them.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("en", "fr")

LEVELS: Final = ("beginner", "intermediate", "advanced", "all")

TOPICS: Final = (
    "vma",
    "vo2max",
    "testing",
    "heart-rate",
    "pace",
    "zones",
    "easy-running",
    "long-run",
    "threshold",
    "intervals",
    "periodisation",
    "taper",
    "plan",
    "5k",
    "10k",
    "half-marathon",
    "marathon",
    "race-day",
    "recovery",
    "sleep",
    "overtraining",
    "injury",
    "medical",
    "strength",
    "mobility",
    "nutrition",
    "hydration",
    "heat",
    "altitude",
    "beginner",
    "masters",
    "women",
    "pregnancy",
    "cross-training",
)
