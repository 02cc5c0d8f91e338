"""``/v1/knowledge/search``: the coaching knowledge base, the same search as the coach's tool."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

import knowledge
from api.deps import CurrentUser
from api.errors import AUTHENTICATED, responses
from api.rounding import Score
from knowledge.vocabulary import TOPICS

router = APIRouter(prefix="/knowledge", tags=["knowledge"], responses=responses(*AUTHENTICATED))

#: The corpus's topic vocabulary, so an unknown topic is a validation error, not a failed search.
Topic = StrEnum("Topic", {topic: topic for topic in TOPICS})  # type: ignore[misc]

MAX_HITS: Final = 20
MAX_QUERY_CHARS: Final = 500


class KnowledgeHit(BaseModel):
    title: str
    language: str
    topics: list[str]
    section: str
    score: Score = Field(description="Comparable within one search, not across searches.")
    source: str = Field(description="What to cite.")
    text: str


class KnowledgeResults(BaseModel):
    query: str
    hits: list[KnowledgeHit]


@router.get("/search", summary="Search the knowledge base")
def search(
    user: CurrentUser,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY_CHARS,
            description="The question, in French or English.",
            examples=["c'est quoi la VMA ?"],
        ),
    ],
    language: Annotated[
        Literal["fr", "en"] | None, Query(description="The reader's language: passages in it first.")
    ] = None,
    topics: Annotated[
        list[Topic] | None, Query(max_length=10, description="Only documents tagged with one of these.")
    ] = None,
    k: Annotated[int, Query(ge=1, le=MAX_HITS, description="How many passages.")] = 5,
) -> KnowledgeResults:
    """The passages that best answer `q`, best first, each with its source."""
    chosen = [str(topic) for topic in topics] if topics else None
    hits = knowledge.search(q, language=language, topics=chosen, k=k)
    return KnowledgeResults.model_validate({"query": q, "hits": [hit.to_json() for hit in hits]})
