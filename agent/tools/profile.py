"""Tools over the knowledge base, the athlete's profile and what the coach remembers about them."""

from __future__ import annotations

import importlib
from typing import Any

from django.db import transaction

from agent.context import ToolContext, ToolResult
from agent.tools import schemas
from web.accounts import services as account_services
from web.coaching.models import AthleteFact, FactKind

#: Remembered facts shown in answers and given to the LLM: the most recent few.
FACTS_SHOWN = 10


def search_knowledge(ctx: ToolContext, args: schemas.SearchKnowledgeArgs) -> ToolResult:
    """Passages of the coaching knowledge base, with their citations; the athlete's language first."""
    module: Any = importlib.import_module("knowledge")
    search = getattr(module, "search", None)
    if search is None:
        return ToolResult("search_knowledge", "unavailable", {"query": args.query})
    try:
        hits = search(args.query, language=ctx.language, k=args.k)
    except (FileNotFoundError, RuntimeError) as error:  # no index built yet, backend missing
        return ToolResult("search_knowledge", "unavailable", {"query": args.query, "error": str(error)})
    results = [
        {
            "title": hit.title,
            "language": hit.language,
            "section": hit.section,
            "source": hit.source,
            "score": round(float(hit.score), 3),
            "text": hit.text,
        }
        for hit in hits
    ]
    return ToolResult(
        "search_knowledge", "ok" if results else "not_found", {"query": args.query, "hits": results}
    )


def update_profile(ctx: ToolContext, args: schemas.UpdateProfileArgs) -> ToolResult:
    """The account service's update (``web.accounts.services``); the refusals worded for the reply."""
    changes = {name: value for name, value in args.model_dump().items() if value is not None}
    if not changes:
        return ToolResult("update_profile", "invalid", {"errors": {"__all__": ["nothing to change"]}})
    change = account_services.update_profile(ctx.athlete, changes)
    if not change.ok:
        return ToolResult("update_profile", "invalid", {"errors": change.messages()})
    return ToolResult("update_profile", "ok", {"changed": changes})


def remember_fact(ctx: ToolContext, args: schemas.RememberFactArgs) -> ToolResult:
    """Keep what the athlete said; a new availability retires the previous one (it replaces it)."""
    with transaction.atomic():
        if args.kind == "availability":
            AthleteFact.objects.filter(athlete=ctx.athlete, kind=FactKind.AVAILABILITY, active=True).update(
                active=False
            )
        fact = AthleteFact(
            athlete=ctx.athlete, kind=args.kind, text=args.text.strip(), days_per_week=args.days_per_week
        )
        fact.full_clean()
        fact.save()
    return ToolResult(
        "remember_fact",
        "ok",
        {"kind": fact.kind, "text": fact.text, "days_per_week": fact.days_per_week, "id": fact.pk},
    )


def remembered_facts(ctx: ToolContext) -> list[dict[str, Any]]:
    """The athlete's active facts, newest first, for answers and the LLM's system prompt."""
    facts = AthleteFact.objects.filter(athlete=ctx.athlete, active=True)[:FACTS_SHOWN]
    return [
        {"kind": fact.kind, "text": fact.text, "date": fact.created_at.date().isoformat()} for fact in facts
    ]
