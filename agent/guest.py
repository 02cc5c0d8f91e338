"""The coach's answer to someone without an account yet: a newcomer typing a question during onboarding.

There is no athlete, so no tool that reads data can run and nothing is stored; what can be
answered is what needs no data: safety first (``agent.safety``: the medical answer, the injury
referral), then training knowledge (the knowledge base, cited), in the language of the message.
Anything about their own running gets the promise that the coach will read it once they are in.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from agent import replies, safety
from agent.context import Language, ToolResult
from foulee.language import detect_language

#: Intents a guest's question can be answered for without data (everything else needs an account).
_KNOWLEDGE_INTENTS = frozenset({"search_knowledge"})
#: Below this router probability a guest's question is not taken for a knowledge question.
KNOWLEDGE_CONFIDENCE = 0.40


@dataclass(frozen=True)
class GuestReply:
    text: str
    language: Language


def _knowledge(message: str, language: Language) -> str:
    module: Any = importlib.import_module("knowledge")
    search = getattr(module, "search", None)
    if search is None:
        return ""
    try:
        hits = search(message.strip()[:500], language=language, k=2)
    except (FileNotFoundError, RuntimeError):
        return ""
    found = [
        {"title": hit.title, "language": hit.language, "section": hit.section, "source": hit.source,
         "score": float(hit.score), "text": hit.text}
        for hit in hits
    ]  # fmt: skip
    if not found:
        return ""
    return replies.render(ToolResult("search_knowledge", "ok", {"query": message, "hits": found}), language)


def reply(message: str, prior: Language = "fr") -> GuestReply:
    """What the coach can say to ``message`` from someone it does not know yet."""
    detected = detect_language(message, prior=prior)
    language: Language = prior if detected == "other" else detected
    read = safety.classify(message)
    if read.kind == "red_flag":
        return GuestReply(f"{replies.RED_FLAG[language]}\n{replies.medical_source(language)}", language)
    if read.kind == "injury":
        parts = [replies.INJURY[language], _knowledge(message, language)]
        return GuestReply("\n\n".join(part for part in parts if part), language)
    from agent.router import get_router

    intent = get_router().classify(message)
    if intent.name in _KNOWLEDGE_INTENTS and intent.confidence >= KNOWLEDGE_CONFIDENCE:
        advice = _knowledge(message, language)
        if advice:
            return GuestReply(advice, language)
    return GuestReply(replies.GUEST_NEEDS_ACCOUNT[language], language)
