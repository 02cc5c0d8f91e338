"""The LLM coach's turn: safety first, the model within the deadline, the offline coach as the floor.

Two modes (``FOULEE_LLM_MODE``, docs/agent.md):

* ``agent`` — the model picks the tools, among the router's candidates only
  (``agent.router.Router.ranked``): native tool calls, or calls written as text
  (``agent.llm.textcalls``), validated against the tools' schemas; invalid ones get one repair turn;
* ``compose`` — the offline coach routes, extracts and calls the tools; the model only writes the
  reply from their results (and the offline draft), one call.

In both, before any model: a health message (red flag, injury, illness) gets the offline coach's
deterministic answer and proposals; a state-changing call runs only when ``agent.safety`` allows it,
and only with the values the athlete stated (``athlete_values``). After the model: a reply with a
figure no tool result supports (``agent.llm.grounding``) is regenerated once, then replaced by the
offline coach's words for the same results. A model that is down, slow, rate-limited or writing
garbage ends in the offline coach's reply with a short note, logged once, without a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections import Counter
from typing import Any, Final, Literal

from django.utils import timezone
from django.utils.translation import gettext, override

from agent import replies, safety
from agent.coach import EngineAnswer
from agent.context import ToolContext, ToolResult
from agent.llm import grounding, prompts, textcalls
from agent.llm.model import Deadline, ModelFailure, chat_model, invoke, module
from agent.router import CONVERSATIONAL
from agent.tools import TOOLS, run_tool

logger = logging.getLogger(__name__)

Mode = Literal["agent", "compose"]
#: Model calls in one agent turn at most (tool steps, one repair, one regeneration).
MAX_STEPS: Final = 5
#: Tools offered to the model: the router's likeliest intents for the message.
CANDIDATES: Final = 3
#: Past turns whose tool calls and results the model sees again (stored in the conversation's state).
MEMORY_TURNS: Final = 3
#: A remembered tool result is cut to this many characters of JSON.
MEMORY_RESULT_CHARS: Final = 1200
MEMORY_KEY: Final = "llm_memory"


def unavailable_note(language: str) -> str:
    with override(language):
        return gettext("(The language model did not answer: this is the offline coach's reply.)")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def athlete_values(name: str, args: dict[str, Any], message: str, today: dt.date) -> dict[str, Any]:
    """``args`` of a state-changing call without the values the athlete did not state.

    A number stays only if a figure of ``message`` gives it (through the coach's unit conversions:
    "10 km" → 10000, "1h45" → 6300); a date only if the message names that day; any other optional
    value only if the offline extraction reads the same from the message. A required value that is
    dropped makes the call invalid: the model is asked again, then the offline coach answers.
    """
    from agent import extract
    from agent.offline import extract_arguments

    schema = TOOLS[name].args
    required = {key for key, info in schema.model_fields.items() if info.is_required()}
    extracted = extract_arguments(name, message, today)
    kept: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, bool):
            stated = extracted.get(key) == value
        elif isinstance(value, int | float):
            stated = grounding.stated(float(value), message)
        elif key in ("date", "race_date", "start", "end"):
            said = extracted.get(key) or extract.parse_date(message, today)
            stated = str(value) == (said.isoformat() if isinstance(said, dt.date) else str(said))
        elif isinstance(value, str) and key in required:
            stated = True  # a kind, a reason, the fact's own words: validated by the schema
        elif isinstance(value, str) and key in ("distance_m", "duration_s", "target_time_s"):
            stated = value.strip().lower() in message.lower()
        else:
            stated = extracted.get(key) == value
        if stated:
            kept[key] = value
    return kept


class LlmEngine:
    """Answers with a chat model, in ``agent`` or ``compose`` mode; one model per process."""

    uses_history = True
    #: The offline coach's follow-up state, and the model's memory of tool calls, live in the state.
    uses_state = True

    def __init__(
        self, model: Any, mode: Mode = "agent", *, timeout_s: float = 60.0, router: Any | None = None
    ) -> None:
        from agent.offline import OfflineCoach

        self.model = model
        self.mode: Mode = mode
        self.timeout_s = timeout_s
        self.offline = OfflineCoach(router)
        #: Counts since the process started: replies, failures, figures caught, regenerations...
        self.stats: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._client_timeout = type(model).__name__ == "ChatOpenAI"

    @classmethod
    def from_spec(cls, spec: str) -> LlmEngine:
        from foulee.config import get_settings

        settings = get_settings()
        return cls(chat_model(spec), settings.resolved_llm_mode, timeout_s=settings.llm_timeout_s)

    def _count(self, key: str, amount: int = 1) -> None:
        with self._lock:
            self.stats[key] += amount

    # --- the turn ---------------------------------------------------------------------------------

    def answer(
        self,
        ctx: ToolContext,
        message: str,
        history: list[tuple[str, str]],
        state: dict[str, Any] | None = None,
    ) -> EngineAnswer:
        deadline = Deadline(self.timeout_s)
        state = dict(state or {})
        memory = [entry for entry in state.pop(MEMORY_KEY, []) if isinstance(entry, dict)]
        self._count("replies")
        read = safety.classify(message)
        if read.kind != "none":
            # Health first, by rule: the offline coach's answer and proposals, no model.
            return self._offline(ctx, message, state, memory)
        try:
            if self.mode == "compose":
                answer = self._compose(ctx, message, history, state, memory, deadline)
            else:
                answer = self._agent(ctx, message, history, read, memory, deadline)
        except ModelFailure as failure:
            self._count("model_failures")
            logger.warning(
                "LLM %s: no usable answer (%s) after %.1f s; the offline coach answered",
                self.mode,
                failure.reason,
                deadline.seconds - deadline.remaining(),
            )
            answer = self._offline(ctx, message, state, memory)
            answer.text = f"{answer.text}\n\n{unavailable_note(ctx.language)}"
            return answer
        return self._remember(answer, memory)

    def _offline(
        self, ctx: ToolContext, message: str, state: dict[str, Any], memory: list[dict[str, Any]]
    ) -> EngineAnswer:
        from agent.conversation import Turn
        from agent.offline import FOLLOWABLE

        previous = Turn.from_state(state, timezone.now())
        said = self.offline.answer(ctx, message, previous)
        last = said.turns[-1] if said.turns else Turn("red_flag", when=timezone.now())
        kept = last if last.intent in FOLLOWABLE else Turn(last.intent, when=last.when)
        answer = EngineAnswer(
            said.text, said.results, said.calls, state=kept.to_state(), pending=said.pending
        )
        return self._remember(answer, memory)

    def _remember(self, answer: EngineAnswer, memory: list[dict[str, Any]]) -> EngineAnswer:
        """The answer with the conversation's memory of tool calls and results, bounded."""
        if answer.calls:
            entry = {
                "reply": answer.text,
                "calls": answer.calls,
                "results": [_json(result.for_model())[:MEMORY_RESULT_CHARS] for result in answer.results],
            }
            memory = [*memory, entry][-MEMORY_TURNS:]
        state = dict(answer.state) if answer.state is not None else {}
        state[MEMORY_KEY] = memory
        answer.state = state
        return answer

    def _past(self, history: list[tuple[str, str]], memory: list[dict[str, Any]]) -> list[Any]:
        """The stored conversation as chat messages, with the tool calls and results behind a reply."""
        messages = module("langchain_core.messages")
        by_reply = {str(entry.get("reply")): entry for entry in memory}
        past: list[Any] = []
        for index, (role, content) in enumerate(history):
            if not content.strip():
                continue
            if role != "assistant":
                past.append(messages.HumanMessage(content))
                continue
            entry = by_reply.get(content)
            if entry is not None:
                calls = [
                    {"name": call.get("name", ""), "args": call.get("args", {}), "id": f"past_{index}_{n}"}
                    for n, call in enumerate(entry.get("calls", []))
                ]
                results = list(entry.get("results", []))
                past.append(messages.AIMessage("", tool_calls=calls))
                for n, call in enumerate(calls):
                    text = results[n] if n < len(results) else _json({"tool": call["name"]})
                    past.append(messages.ToolMessage(str(text), tool_call_id=call["id"]))
            past.append(messages.AIMessage(content))
        return past

    def _checked(self, text: str, results: list[ToolResult], message: str) -> list[str]:
        unsupported = grounding.unsupported(text, [result.for_model() for result in results], message)
        if unsupported:
            self._count("figures_caught", len(unsupported))
            logger.info("LLM reply: %d unsupported figure(s) caught: %s", len(unsupported), unsupported)
        return unsupported

    def _rendered(self, ctx: ToolContext, results: list[ToolResult]) -> str:
        """The offline coach's words for ``results`` (what replaces a reply with invented figures)."""
        parts = [replies.render(result, ctx.language, today=ctx.today, about=ctx.about) for result in results]
        return "\n\n".join(part for part in parts if part)

    # --- compose: the router picks, the model writes ----------------------------------------------

    def _compose(
        self,
        ctx: ToolContext,
        message: str,
        history: list[tuple[str, str]],
        state: dict[str, Any],
        memory: list[dict[str, Any]],
        deadline: Deadline,
    ) -> EngineAnswer:
        draft = self._offline(ctx, message, state, [])
        if not draft.results or draft.pending:
            return draft  # nothing was looked up (a greeting, a question asked back, a proposal)
        messages = module("langchain_core.messages")
        material = prompts.COMPOSE_MATERIAL.format(
            results=_json([result.for_model() for result in draft.results]), draft=draft.text
        )
        conversation = [
            messages.SystemMessage(prompts.system_prompt(ctx, prompts.COMPOSE_PROMPT)),
            *self._past(history, memory),
            messages.HumanMessage(f"{message}\n\n{material}"),
        ]
        for attempt in range(2):
            reply = invoke(self.model, conversation, deadline, client_timeout=self._client_timeout)
            text = str(reply.text).strip()
            if not text or textcalls.is_markup(text):
                raise ModelFailure("not a reply")
            # The draft's own figures are the offline coach's (its advice: "30/30", "80 %"): allowed.
            unsupported = self._checked(text, draft.results, f"{message}\n{draft.text}")
            if not unsupported:
                draft.text = text
                return draft
            if attempt == 0:
                self._count("regenerations")
                conversation += [
                    reply,
                    messages.HumanMessage(prompts.REGENERATE.format(figures=", ".join(unsupported))),
                ]
        self._count("replaced")
        return draft  # the offline coach's own words for the same results

    # --- agent: the model picks among the router's candidates -------------------------------------

    def _candidates(self, ctx: ToolContext, message: str) -> dict[str, float]:
        ranked = self.offline.router.ranked(message, CANDIDATES)
        offered = {
            intent.name: intent.confidence
            for intent in ranked
            if intent.name in TOOLS and intent.name not in CONVERSATIONAL
        }
        if ctx.read_only:
            offered = {name: p for name, p in offered.items() if name not in safety.STATE_CHANGING_TOOLS}
        return offered

    def _agent(
        self,
        ctx: ToolContext,
        message: str,
        history: list[tuple[str, str]],
        read: safety.Safety,
        memory: list[dict[str, Any]],
        deadline: Deadline,
    ) -> EngineAnswer:
        messages = module("langchain_core.messages")
        offered = self._candidates(ctx, message)
        schemas = [
            {"name": name, "description": TOOLS[name].description, "parameters": _parameters(name)}
            for name in offered
        ]
        model = self.model.bind_tools([{"type": "function", "function": spec} for spec in schemas])
        model = model if schemas else self.model
        conversation: list[Any] = [
            messages.SystemMessage(prompts.system_prompt(ctx)),
            *self._past(history, memory),
            messages.HumanMessage(message),
        ]
        answer = EngineAnswer("")
        repaired = regenerated = False
        for step in range(MAX_STEPS):
            reply = invoke(model, conversation, deadline, client_timeout=self._client_timeout)
            calls = [
                textcalls.TextCall(call["name"], dict(call.get("args") or {}))
                for call in getattr(reply, "tool_calls", None) or []
            ]
            broken = bool(getattr(reply, "invalid_tool_calls", None))
            text = str(reply.text).strip()
            if not calls and not broken:
                calls = textcalls.parse(text)
                if calls:
                    self._count("text_tool_calls")
            ids = [f"call_{step}_{n}" for n in range(len(calls))]
            if calls or broken:
                reply = messages.AIMessage(
                    "",
                    tool_calls=[
                        {"name": call.name, "args": call.args, "id": ids[n]} for n, call in enumerate(calls)
                    ],
                )
            if broken:
                errors: dict[str, list[str]] | None = {"__all__": ["the arguments are not valid JSON"]}
            else:
                errors = next(
                    (
                        found
                        for call in calls
                        if (found := self._errors(call, offered, message, ctx.today)) is not None
                    ),
                    None,
                )
            if errors is not None:
                if repaired:
                    raise ModelFailure("invalid tool arguments after one repair turn")
                repaired = True
                self._count("repairs")
                note = prompts.REPAIR_ARGUMENTS.format(errors=_json(errors))
                conversation.append(reply)
                conversation += (
                    [messages.ToolMessage(note, tool_call_id=call_id) for call_id in ids]
                    if ids
                    else [messages.HumanMessage(note)]
                )
                continue
            if calls:
                conversation.append(reply)
                for call, call_id in zip(calls, ids, strict=True):
                    output = self._run(ctx, call, message, read, offered, answer)
                    conversation.append(messages.ToolMessage(output, tool_call_id=call_id))
                continue
            if not text or textcalls.is_markup(text):
                if repaired:
                    raise ModelFailure("not a reply")
                repaired = True
                self._count("repairs")
                conversation += [
                    reply,
                    messages.HumanMessage(
                        prompts.REPAIR_TEXT.format(language_name=prompts.language_name(ctx))
                    ),
                ]
                continue
            unsupported = self._checked(text, answer.results, message)
            if not unsupported:
                answer.text = text
                return answer
            if regenerated:
                break
            regenerated = True
            self._count("regenerations")
            conversation += [
                reply,
                messages.HumanMessage(prompts.REGENERATE.format(figures=", ".join(unsupported))),
            ]
        if regenerated and answer.results:
            self._count("replaced")
            answer.text = self._rendered(ctx, answer.results)
            if answer.text:
                return answer
        raise ModelFailure("no reply within the steps" if not regenerated else "unsupported figures")

    def _errors(
        self, call: textcalls.TextCall, offered: dict[str, float], message: str, today: dt.date
    ) -> dict[str, list[str]] | None:
        args = call.args
        if call.name in safety.STATE_CHANGING_TOOLS and call.name in TOOLS:
            args = athlete_values(call.name, args, message, today)
        return textcalls.validate(call.name, args, offered)

    def _run(
        self,
        ctx: ToolContext,
        call: textcalls.TextCall,
        message: str,
        read: safety.Safety,
        offered: dict[str, float],
        answer: EngineAnswer,
    ) -> str:
        """Run one valid call (or hold it back for a yes); what the model reads back."""
        args = call.args
        if call.name in safety.STATE_CHANGING_TOOLS:
            args = athlete_values(call.name, args, message, ctx.today)
            if not safety.may_change_state(read, call.name, offered.get(call.name, 0.0)):
                answer.pending.append({"name": call.name, "args": args})
                return _json(
                    {"tool": call.name, "status": "needs_confirmation", "note": prompts.NEEDS_CONFIRMATION}
                )
        result = run_tool(ctx, call.name, args)
        answer.results.append(result)
        answer.calls.append({"name": call.name, "args": args})
        return _json(result.for_model())


def _parameters(name: str) -> dict[str, Any]:
    """The tool's arguments as JSON Schema (``agent.tools.schemas``: standard keywords only)."""
    schema = TOOLS[name].args.model_json_schema()
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
    return schema
