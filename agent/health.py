"""The offline coach's answers to a health message (``agent.safety.classify``), before any routing.

* a red flag: the medical answer, and nothing else runs;
* an injury: the referral, then concrete advice from the knowledge base with its source
  (``search_knowledge``, read-only), then a *proposal* — note the injury and ease the active plan
  (``web.plans.services.adjust_plan(reason="injury")``) — that runs only on the athlete's yes
  (``agent.confirm``);
* an illness: the advice, then the proposal to ease the plan for the days said.

Nothing here writes: what would write comes back as ``pending`` calls for the coach to store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agent import extract, replies
from agent.context import ToolContext, ToolResult
from agent.safety import Safety

#: The longest fact ``agent.tools.schemas.RememberFactArgs`` keeps.
FACT_CHARS = 500
#: Runs a read-only tool and records it (``agent.offline.OfflineCoach._run``).
RunTool = Callable[[str, dict[str, Any]], ToolResult]


@dataclass
class HealthAnswer:
    text: str
    intent: str
    #: State-changing calls proposed to the athlete, run only after their yes.
    pending: list[dict[str, Any]] = field(default_factory=list)


def _has_plan(ctx: ToolContext) -> bool:
    from web.plans.services import active_plan

    return active_plan(ctx.athlete) is not None


def _advice(ctx: ToolContext, text: str, run: RunTool) -> str:
    query = text.strip()[:500] or "injury"
    result = run("search_knowledge", {"query": query, "k": 2})
    if result.status != "ok":
        return ""
    return replies.render(result, ctx.language)


def answer(ctx: ToolContext, text: str, safety: Safety, run: RunTool) -> HealthAnswer | None:
    """The answer to a health message, or ``None`` when ``safety`` says the message is not one."""
    language = ctx.language
    if safety.kind == "red_flag":
        return HealthAnswer(f"{replies.RED_FLAG[language]}\n{replies.medical_source(language)}", "red_flag")
    if safety.kind == "injury":
        from web.accounts.consent import may_process_health

        # Without consent to health data the injury is answered, never kept (``web.accounts.consent``).
        keep = may_process_health(ctx.athlete)
        pending: list[dict[str, Any]] = (
            [{"name": "remember_fact", "args": {"kind": "injury", "text": text.strip()[:FACT_CHARS]}}]
            if keep
            else []
        )
        if _has_plan(ctx):
            pending.append({"name": "adjust_plan", "args": {"reason": "injury"}})
        if ctx.read_only:
            # A coach's own thread proposes nothing on an athlete's data: the athlete's chat does.
            pending = []
        offer = (
            replies.read_only(ctx.about or "", language)
            if ctx.read_only
            else replies.proposal(pending, language)
            if pending
            else ""
        )
        not_kept = "" if keep or ctx.read_only else replies.injury_not_kept(language)
        parts = [replies.INJURY[language], _advice(ctx, text, run), not_kept, offer]
        return HealthAnswer("\n\n".join(part for part in parts if part), "injury", pending)
    if safety.kind == "illness":
        pending = []
        if _has_plan(ctx):
            args: dict[str, Any] = extract.illness_arguments(text, ctx.today)
            pending.append({"name": "adjust_plan", "args": args})
        if ctx.read_only:
            pending = []
        parts = [replies.ILLNESS[language], replies.proposal(pending, language) if pending else ""]
        return HealthAnswer("\n\n".join(part for part in parts if part), "illness", pending)
    return None
