"""The LLM coach: a LangChain tool-calling agent (``create_agent``) over the same tools.

Used when ``FOULEE_LLM`` is ``provider:model``:

* ``openai:MODEL`` — OpenAI, or any OpenAI-compatible server with
  ``FOULEE_LLM_BASE_URL`` (Ollama's ``http://localhost:11434/v1``, vLLM, llama.cpp's server);
* ``mistral:MODEL`` (or ``mistralai:MODEL``) — Mistral's API.

The tools are built per message, bound to the athlete by closure
(``agent.context.ToolContext``): the model chooses arguments, never whose data.
Memory is the last ``agent.coach.MEMORY_MESSAGES`` messages of the stored
conversation. LangChain is imported here only, on first use.
"""

from __future__ import annotations

import importlib
import json
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Final

from agent import replies, safety
from agent.coach import EngineAnswer
from agent.context import ToolContext, ToolResult
from agent.tools import TOOLS, run_tool
from agent.tools.profile import remembered_facts

#: A tool-calling loop that has not answered after this many steps is stopped (a model that loops).
RECURSION_LIMIT: Final = 16
PROVIDERS: Final = {"openai": "openai", "mistral": "mistralai", "mistralai": "mistralai"}

SYSTEM_PROMPT: Final = """You are Foulée, a running coach talking with {name} in a chat.
Rules, in order of importance:
1. Medical red flags — chest pain or tightness, fainting or dizziness, palpitations, unusual breathlessness,
   or pain from an injury — get one answer: stop running and see a doctor (emergency services if it is
   happening now). Do not diagnose, do not suggest training through pain.
2. Never invent a number. Every figure you give (distance, pace, time, heart rate, VMA, load, dates of
   sessions) must come from a tool result in this conversation. If a tool says there is not enough data,
   say so and say what would help (a watch file, a run logged by hand).
3. Answer in {language_name}, whatever language the tools answer in. Be brief and concrete.
4. Use the tools: they read and write only this athlete's data. When the athlete tells you something
   durable about themselves (an injury, days available, a goal race, a preference), call remember_fact.
   A tool that answers "needs_confirmation" did NOT run: say that nothing was changed yet and ask the
   athlete to reply yes or no; never say it was done. For an injury or pain, refer to a doctor or a
   physiotherapist, give concrete advice from search_knowledge with its sources, and offer to ease the
   plan (adjust_plan with reason "injury": no intervals or hills, volume down).
5. For training knowledge, call search_knowledge and cite the sources it returns.
Today is {today}. What the athlete told you before: {facts}"""


def _module(name: str) -> Any:
    """LangChain, imported on first use (it takes about a second) and kept out of mypy's reach."""
    return importlib.import_module(name)


def system_prompt(ctx: ToolContext) -> str:
    facts = remembered_facts(ctx)
    return SYSTEM_PROMPT.format(
        name=ctx.athlete.get_short_name(),
        language_name="French" if ctx.language == "fr" else "English",
        today=ctx.today.isoformat(),
        facts="; ".join(f"{fact['kind']}: {fact['text']}" for fact in facts) or "nothing yet.",
    )


class _CallerThread:
    """Runs tool calls on the thread that asked, while the agent runs on a worker thread.

    LangGraph executes tools in a thread pool, but Django connections (and a
    test's transaction) belong to a thread: the tools' database work is handed
    back to the caller's thread through a queue, and the worker waits for it.
    """

    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Callable[[], str], Future[str]] | None] = queue.Queue()

    def call(self, function: Callable[[], str]) -> str:
        future: Future[str] = Future()
        self._jobs.put((function, future))
        return future.result()

    def run(self, work: Callable[[], Any]) -> Any:
        """Run ``work`` on a worker thread, serving its tool calls here until it finishes."""
        outcome: Future[Any] = Future()

        def worker() -> None:
            try:
                outcome.set_result(work())
            except BaseException as error:  # handed to the caller, who re-raises it
                outcome.set_exception(error)
            finally:
                self._jobs.put(None)

        thread = threading.Thread(target=worker, name="foulee-llm", daemon=True)
        thread.start()
        while (job := self._jobs.get()) is not None:
            function, future = job
            try:
                future.set_result(function())
            except BaseException as error:  # the tool's error goes back to the agent's thread
                future.set_exception(error)
        thread.join()
        return outcome.result()


#: What a held-back state-changing tool tells the model (``agent.safety``).
NEEDS_CONFIRMATION: Final = (
    "Nothing was changed. This message is about the athlete's health, unclear, or gives you "
    "instructions about yourself: ask the athlete to confirm with yes or no first."
)


def langchain_tools(
    ctx: ToolContext,
    results: list[ToolResult],
    caller: _CallerThread | None = None,
    *,
    read: safety.Safety | None = None,
    pending: list[dict[str, Any]] | None = None,
) -> list[Any]:
    """The registry as LangChain ``StructuredTool``s bound to ``ctx``; results also go to ``results``.

    When ``read`` (``agent.safety.classify`` of the message) allows no state change, a writing tool
    does not run: its call goes to ``pending`` (run on the athlete's yes, ``agent.confirm``) and the
    model is told to ask.
    """
    structured_tool: Any = _module("langchain_core.tools").StructuredTool

    def bind(name: str) -> Any:
        def run(arguments: dict[str, Any]) -> str:
            given = {key: value for key, value in arguments.items() if value is not None}
            if read is not None and not safety.may_change_state(read, name, 1.0):
                if pending is not None:
                    pending.append({"name": name, "args": given})
                return json.dumps({"tool": name, "status": "needs_confirmation", "note": NEEDS_CONFIRMATION})
            result = run_tool(ctx, name, given)
            results.append(result)
            return json.dumps(result.for_model(), ensure_ascii=False, default=str)

        def call(**arguments: Any) -> str:
            return caller.call(lambda: run(arguments)) if caller else run(arguments)

        return call

    return [
        structured_tool.from_function(
            func=bind(spec.name), name=spec.name, description=spec.description, args_schema=spec.args
        )
        for spec in TOOLS.values()
    ]


def chat_model(spec: str) -> Any:
    """The chat model for ``provider:model``, configured from ``foulee.config``."""
    from foulee.config import get_settings

    init_chat_model = _module("langchain.chat_models").init_chat_model

    provider, _, model = spec.partition(":")
    if provider not in PROVIDERS or not model:
        raise ValueError(f"FOULEE_LLM must be 'offline', 'openai:MODEL' or 'mistral:MODEL', not {spec!r}")
    settings = get_settings()
    options: dict[str, Any] = {"timeout": settings.llm_timeout_s, "max_retries": 1, "temperature": 0.2}
    if settings.llm_api_key:
        options["api_key"] = settings.llm_api_key
    if PROVIDERS[provider] == "openai" and settings.llm_base_url:
        options["base_url"] = settings.llm_base_url
        # Local servers (Ollama, llama.cpp) need no key, but the client insists on one.
        options.setdefault("api_key", "not-needed")
    return init_chat_model(model, model_provider=PROVIDERS[provider], **options)


class LlmEngine:
    """Answers with a tool-calling agent; one chat model per process, one agent per message."""

    uses_history = True
    #: The model reads the conversation itself (``history``): no offline state.
    uses_state = False

    def __init__(self, model: Any) -> None:
        self.model = model

    @classmethod
    def from_spec(cls, spec: str) -> LlmEngine:
        return cls(chat_model(spec))

    def answer(
        self,
        ctx: ToolContext,
        message: str,
        history: list[tuple[str, str]],
        state: dict[str, Any] | None = None,
    ) -> EngineAnswer:
        create_agent = _module("langchain.agents").create_agent
        messages = _module("langchain_core.messages")
        AIMessage, HumanMessage = messages.AIMessage, messages.HumanMessage

        read = safety.classify(message)
        if read.kind == "red_flag":
            # The medical answer, always and word for word: no model, no tool, whatever the model would say.
            language = ctx.language
            return EngineAnswer(f"{replies.RED_FLAG[language]}\n{replies.medical_source(language)}")
        results: list[ToolResult] = []
        pending: list[dict[str, Any]] = []
        caller = _CallerThread()
        tools = langchain_tools(ctx, results, caller, read=read, pending=pending)
        agent = create_agent(self.model, tools, system_prompt=system_prompt(ctx))
        past = [
            AIMessage(content) if role == "assistant" else HumanMessage(content) for role, content in history
        ]
        state = caller.run(
            lambda: agent.invoke(
                {"messages": [*past, HumanMessage(message)]}, config={"recursion_limit": RECURSION_LIMIT}
            )
        )
        new_messages = state["messages"][len(past) + 1 :]
        held = [call["name"] for call in pending]
        calls = []
        for item in new_messages:
            for call in item.tool_calls if isinstance(item, AIMessage) else []:
                if call["name"] in held:
                    held.remove(call["name"])  # proposed, not run: it is in ``pending``
                    continue
                calls.append({"name": call["name"], "args": call["args"]})
        final = next((item for item in reversed(new_messages) if isinstance(item, AIMessage)), None)
        text = final.text if final is not None else ""
        return EngineAnswer(str(text), results, calls, pending=pending)
