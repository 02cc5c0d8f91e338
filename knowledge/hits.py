"""What a knowledge-base search returns: one passage and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hit:
    """A retrieved passage; ``source`` is the citation the coach shows next to what it says."""

    doc_id: str
    title: str
    language: str
    topics: tuple[str, ...]
    section: str
    score: float
    """The fused reciprocal-rank score: comparable within one search, not across searches."""
    source: str
    text: str

    def to_json(self) -> dict[str, Any]:
        """The shape DESIGN.md fixes for ``foulee kb search --json``."""
        return {
            "title": self.title,
            "language": self.language,
            "topics": list(self.topics),
            "section": self.section,
            "score": round(self.score, 6),
            "source": self.source,
            "text": self.text,
        }
