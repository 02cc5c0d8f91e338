"""The LLM coach through the real OpenAI client (langchain-openai's ChatOpenAI) and a fake server.

Each case — native tool calls, calls written as text, invalid arguments, invented figures, slow
answers past the deadline, 429/500, a server that is not there — ends in a correct reply.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from agent.coach import Coach
from agent.llm import LlmEngine
from agent.llm.engine import unavailable_note
from agent.llm.grounding import unsupported
from foulee.config import get_settings
from tests.agent.conftest import TODAY
from tests.agent.fake_openai import FakeOpenAI, Reply, last_tool_result
from tests.net import free_port
from web.accounts.models import User
from web.activities.models import Activity
from web.coaching.models import CoachingSession, Message

WEEK = "How much did I run this week?"


def _this_week_km(body: dict[str, Any]) -> str:
    return f"You ran {last_tool_result(body)['this_week']['distance_km']} km this week."


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI()
    yield fake
    fake.close()


def _engine(monkeypatch: pytest.MonkeyPatch, url: str, mode: str = "agent", timeout: str = "20") -> LlmEngine:
    monkeypatch.setenv("FOULEE_LLM_BASE_URL", url)
    monkeypatch.setenv("FOULEE_LLM_MODE", mode)
    monkeypatch.setenv("FOULEE_LLM_TIMEOUT", timeout)
    monkeypatch.setenv("FOULEE_LLM_MAX_TOKENS", "300")
    monkeypatch.delenv("FOULEE_LLM_API_KEY", raising=False)
    get_settings.cache_clear()
    try:
        return LlmEngine.from_spec("openai:test-model")
    finally:
        get_settings.cache_clear()


def _offline_week(demo: dict[str, User]) -> str:
    from agent.coach import OfflineEngine

    return Coach(OfflineEngine(), charts=False).reply(demo["sam"], WEEK, today=TODAY).reply


def test_native_tool_call_only_candidates_and_bounded_tokens(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    server.script = [
        Reply(tool_calls=[("weekly_summary", '{"weeks": 2}')]),
        Reply(from_request=_this_week_km),
    ]
    reply = Coach(_engine(monkeypatch, server.url), charts=False).reply(demo["sam"], WEEK, today=TODAY)
    first, second = server.requests
    assert reply.reply == _this_week_km(second)
    assert reply.tool_calls == [{"name": "weekly_summary", "args": {"weeks": 2}}]
    offered = [tool["function"]["name"] for tool in first["tools"]]
    assert "weekly_summary" in offered and len(offered) <= 3
    assert first.get("max_completion_tokens", first.get("max_tokens")) == 300
    assert first["model"] == "test-model"
    schema = json.dumps(first["tools"])
    assert '"ge"' not in schema and '"le"' not in schema and '"gt"' not in schema


@pytest.mark.parametrize(
    "written",
    [
        '<tool_call>\n{"name": "weekly_summary", "arguments": {"weeks": 2}}\n</tool_call>',
        '{"name": "weekly_summary", "arguments": {"weeks": 2}}',
        '```json\n{"name": "weekly_summary", "parameters": "{\\"weeks\\": 2}"}\n```',
    ],
)
def test_tool_calls_written_as_text_are_run_never_shown(
    written: str, server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    server.script = [Reply(written), Reply(from_request=_this_week_km)]
    reply = Coach(_engine(monkeypatch, server.url), charts=False).reply(demo["sam"], WEEK, today=TODAY)
    assert reply.tool_calls == [{"name": "weekly_summary", "args": {"weeks": 2}}]
    assert reply.reply == _this_week_km(server.requests[1])


def test_invalid_arguments_get_one_repair_then_the_offline_coach(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    server.script = [Reply(tool_calls=[("weekly_summary", '{"weeks": 900}')])]
    engine = _engine(monkeypatch, server.url)
    reply = Coach(engine, charts=False).reply(demo["sam"], WEEK, today=TODAY)
    assert len(server.requests) == 2  # the call, the repair turn
    repair = [m for m in server.requests[1]["messages"] if m["role"] == "tool"][-1]["content"]
    assert "weeks" in repair
    assert reply.reply == f"{_offline_week(demo)}\n\n{unavailable_note('en')}"
    assert engine.stats["repairs"] == 1 and engine.stats["model_failures"] == 1


def test_garbage_text_is_never_shown(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    server.script = [Reply('{"type": "object", "properties": {"weeks": {"type": "integer"}}}')]
    reply = Coach(_engine(monkeypatch, server.url), charts=False).reply(demo["sam"], WEEK, today=TODAY)
    assert "properties" not in reply.reply and reply.reply.endswith(unavailable_note("en"))


def test_invented_figures_are_regenerated_once_then_replaced(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    server.script = [
        Reply(tool_calls=[("weekly_summary", "{}")]),
        Reply("You ran 987.6 km this week, a half marathon in 10:45."),
    ]
    engine = _engine(monkeypatch, server.url)
    reply = Coach(engine, charts=False).reply(demo["sam"], WEEK, today=TODAY)
    assert len(server.requests) == 3
    assert "987.6" in server.requests[2]["messages"][-1]["content"]  # the regeneration says why
    assert "987.6" not in reply.reply and "10:45" not in reply.reply
    # The offline coach's words for the same result: every figure from it.
    assert reply.reply and unsupported(reply.reply, [last_tool_result(server.requests[1])]) == []
    assert engine.stats["figures_caught"] == 4 and engine.stats["replaced"] == 1


def test_a_slow_model_is_abandoned_at_the_deadline(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    server.script = [Reply("late", delay_s=30.0)]
    engine = _engine(monkeypatch, server.url, timeout="1")
    started = time.monotonic()
    reply = Coach(engine, charts=False).reply(demo["sam"], WEEK, today=TODAY)
    # The bound, not a benchmark: waiting for the server would take 30 s.
    assert time.monotonic() - started < 20
    assert reply.reply == f"{_offline_week(demo)}\n\n{unavailable_note('en')}"


@pytest.mark.parametrize("status", [429, 500])
def test_rate_limits_and_errors_are_retried_once_then_the_offline_coach(
    status: int, server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    server.script = [Reply(status=status)]
    reply = Coach(_engine(monkeypatch, server.url), charts=False).reply(demo["sam"], WEEK, today=TODAY)
    assert len(server.requests) == 2
    assert reply.reply.endswith(unavailable_note("en"))


def test_a_server_that_is_not_there(
    monkeypatch: pytest.MonkeyPatch, demo: dict[str, User], caplog: pytest.LogCaptureFixture
) -> None:
    engine = _engine(monkeypatch, f"http://127.0.0.1:{free_port()}/v1")
    reply = Coach(engine, charts=False).reply(demo["lea"], "Combien de km cette semaine ?", today=TODAY)
    assert reply.language == "fr" and reply.reply.endswith(unavailable_note("fr"))
    assert "modèle" in unavailable_note("fr")
    warnings = [record for record in caplog.records if record.name == "agent.llm.engine"]
    assert len(warnings) == 1 and warnings[0].exc_info is None
    stored = Message.objects.filter(session__athlete=demo["lea"]).last()
    assert stored is not None and stored.content == reply.reply


def test_red_flags_never_reach_the_model(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    reply = Coach(_engine(monkeypatch, server.url), charts=False).reply(
        demo["sam"], "I have chest pain when I run", today=TODAY
    )
    assert server.requests == [] and "doctor" in reply.reply


def test_a_model_filled_heart_rate_is_never_stored(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    args = '{"distance_m": 10000, "duration_s": 3000, "avg_hr": 180}'
    server.script = [Reply(tool_calls=[("log_activity", args)]), Reply("Logged.")]
    before = Activity.objects.filter(user=demo["sam"]).count()
    reply = Coach(_engine(monkeypatch, server.url), charts=False).reply(
        demo["sam"], "Log a run: I ran 10 km in 50 min today", today=TODAY
    )
    stored = Message.objects.filter(session__athlete=demo["sam"]).last()
    assert stored is not None
    proposed = [*reply.tool_calls, *stored.pending_action]
    assert proposed and all(call["name"] == "log_activity" for call in proposed)
    assert all(call["args"] == {"distance_m": 10000, "duration_s": 3000} for call in proposed)
    if reply.tool_calls:
        assert Activity.objects.filter(user=demo["sam"]).count() == before + 1
        assert Activity.objects.filter(user=demo["sam"]).order_by("-id")[0].avg_hr is None


def test_memory_keeps_tool_calls_and_results(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    server.script = [
        Reply(tool_calls=[("weekly_summary", '{"weeks": 2}')]),
        Reply(from_request=_this_week_km),
        Reply("Keep it easy."),
    ]
    coach = Coach(_engine(monkeypatch, server.url), charts=False)
    first = coach.reply(demo["sam"], WEEK, today=TODAY)
    coach.reply(demo["sam"], "Is that a lot for me?", today=TODAY)
    roles = [message["role"] for message in server.requests[2]["messages"]]
    assert roles == ["system", "user", "assistant", "tool", "assistant", "user"]
    assert server.requests[2]["messages"][4]["content"] == first.reply
    state = CoachingSession.objects.get(athlete=demo["sam"], channel="api").state
    assert len(state["llm_memory"]) == 1


def test_compose_mode_the_model_only_writes(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    server.script = [Reply(from_request=lambda body: "Nice week, well done.")]
    reply = Coach(_engine(monkeypatch, server.url, mode="compose"), charts=False).reply(
        demo["sam"], WEEK, today=TODAY
    )
    (request,) = server.requests
    assert "tools" not in request and "Tool results (JSON)" in request["messages"][-1]["content"]
    assert reply.reply == "Nice week, well done." and reply.tool_calls[0]["name"] == "weekly_summary"


def test_compose_mode_invented_figures_fall_back_to_the_draft(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, demo: dict[str, User]
) -> None:
    server.script = [Reply("You ran 987.6 km.")]
    engine = _engine(monkeypatch, server.url, mode="compose")
    reply = Coach(engine, charts=False).reply(demo["sam"], WEEK, today=TODAY)
    assert len(server.requests) == 2 and reply.reply == _offline_week(demo)
    assert engine.stats["regenerations"] == 1 and engine.stats["replaced"] == 1


def test_the_mode_follows_the_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOULEE_LLM_MODE", raising=False)
    monkeypatch.delenv("FOULEE_LLM_BASE_URL", raising=False)
    get_settings.cache_clear()
    assert get_settings().resolved_llm_mode == "agent"
    monkeypatch.setenv("FOULEE_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    get_settings.cache_clear()
    assert get_settings().resolved_llm_mode == "compose"
    get_settings.cache_clear()
