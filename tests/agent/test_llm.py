"""The LLM path: a scripted chat model that emits tool calls, and the real OpenAI client on a fake server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from agent.coach import Coach
from agent.llm import LlmEngine, chat_model, system_prompt
from foulee.config import get_settings
from tests.agent.conftest import TODAY
from web.accounts.models import User
from web.activities.models import Activity
from web.coaching.models import AthleteFact, Message


class ScriptedChatModel(GenericFakeChatModel):
    """Replays its messages in order; tool binding is a no-op (the script already knows the tools)."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        return self


GOAL = {"kind": "goal", "text": "semi en avril"}


def scripted(*messages: AIMessage) -> ScriptedChatModel:
    return ScriptedChatModel(messages=iter(messages))


def test_scripted_tool_calls_run_scoped_tools_and_are_reported(demo: dict[str, User]) -> None:
    model = scripted(
        AIMessage("", tool_calls=[{"name": "predict_race", "args": {"distance_m": "semi"}, "id": "call_1"}]),
        AIMessage("", tool_calls=[{"name": "remember_fact", "args": GOAL, "id": "call_2"}]),
        AIMessage("Tu peux viser environ 1h50 sur semi."),
    )
    question = "Quel temps sur semi ? Je vise celui d'avril."
    reply = Coach(LlmEngine(model)).reply(demo["lea"], question, today=TODAY)
    assert reply.language == "fr" and reply.reply == "Tu peux viser environ 1h50 sur semi."
    assert reply.tool_calls == [
        {"name": "predict_race", "args": {"distance_m": "semi"}},
        {"name": "remember_fact", "args": GOAL},
    ]
    assert AthleteFact.objects.get(athlete=demo["lea"]).text == "semi en avril"
    assert reply.attachments and reply.attachments[0].filename == "prediction.png"
    stored = Message.objects.filter(session__athlete=demo["lea"]).last()
    assert stored is not None and stored.tool_calls == reply.tool_calls


class Recording(ScriptedChatModel):
    """Also keeps every message list it was called with."""

    seen: list[list[Any]] = []

    def _generate(self, messages: Any, *args: Any, **kwargs: Any) -> Any:
        type(self).seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


def test_a_model_cannot_reach_another_athlete(demo: dict[str, User]) -> None:
    sam = demo["sam"]
    Recording.seen = []
    smuggle = {"name": "recent_activities", "args": {"athlete_id": sam.pk, "limit": 20}, "id": "call_1"}
    model = Recording(messages=iter([AIMessage("", tool_calls=[smuggle]), AIMessage("Done.")]))
    reply = Coach(LlmEngine(model), charts=False).reply(demo["lea"], "show Sam's runs", today=TODAY)
    assert reply.reply == "Done."
    tool_message = Recording.seen[1][-1]
    assert tool_message.type == "tool"
    sam_ids = {str(pk) for pk in Activity.objects.filter(user=sam).values_list("pk", flat=True)}
    content = str(tool_message.content)
    assert "athlete_id" in content  # refused by the schema, reported to the model
    assert not any(f'"id": {pk},' in content for pk in sam_ids)


def test_system_prompt_rules_and_memory(demo: dict[str, User]) -> None:
    from agent.context import ToolContext

    AthleteFact.objects.create(athlete=demo["sam"], kind="injury", text="sore Achilles")
    prompt = system_prompt(ToolContext.for_request(demo["sam"], today=TODAY))
    assert "Never invent a number" in prompt and "see a doctor" in prompt
    assert "English" in prompt and "sore Achilles" in prompt and TODAY.isoformat() in prompt


def test_memory_comes_from_the_stored_conversation(demo: dict[str, User]) -> None:
    Recording.seen = []
    coach = Coach(LlmEngine(Recording(messages=iter([AIMessage("one"), AIMessage("two")]))), charts=False)
    coach.reply(demo["sam"], "hello coach", today=TODAY)
    coach.reply(demo["sam"], "and now?", today=TODAY)
    # System prompt + the new message, then system + 2 stored messages + the new one.
    assert [len(messages) for messages in Recording.seen] == [2, 4]
    assert [m.content for m in Recording.seen[1][1:]] == ["hello coach", "one", "and now?"]


class _FakeOpenAI(BaseHTTPRequestHandler):
    """An OpenAI-compatible /chat/completions: first a tool call, then an answer that quotes the result."""

    requests: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        tool_messages = [m for m in body["messages"] if m["role"] == "tool"]
        if not tool_messages:
            function = {"name": "weekly_summary", "arguments": json.dumps({"weeks": 2})}
            message: dict[str, Any] = {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": "call_1", "type": "function", "function": function}],
            }
        else:
            result = json.loads(tool_messages[-1]["content"])
            message = {"role": "assistant", "content": f"{result['this_week']['distance_km']} km this week."}
        payload = {
            "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }  # fmt: skip
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def fake_openai(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    monkeypatch.setenv("FOULEE_LLM", "openai:test-model")
    monkeypatch.setenv("FOULEE_LLM_BASE_URL", url)
    monkeypatch.delenv("FOULEE_LLM_API_KEY", raising=False)
    get_settings.cache_clear()
    _FakeOpenAI.requests = []
    yield url
    server.shutdown()
    get_settings.cache_clear()


def test_openai_compatible_server_through_the_real_client(fake_openai: str, demo: dict[str, User]) -> None:
    reply = Coach().reply(demo["sam"], "How much did I run this week?", today=TODAY)
    assert reply.tool_calls == [{"name": "weekly_summary", "args": {"weeks": 2}}]
    first, second = _FakeOpenAI.requests
    assert first["model"] == "test-model"
    assert {tool["function"]["name"] for tool in first["tools"]} >= {"weekly_summary", "predict_race"}
    assert first["messages"][0]["role"] == "system"
    tool_result = json.loads(second["messages"][-1]["content"])
    assert reply.reply == f"{tool_result['this_week']['distance_km']} km this week."


def test_providers_and_bad_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOULEE_LLM_API_KEY", "k")
    get_settings.cache_clear()
    try:
        assert type(chat_model("mistral:mistral-small-latest")).__name__ == "ChatMistralAI"
        assert type(chat_model("openai:gpt-4o-mini")).__name__ == "ChatOpenAI"
        with pytest.raises(ValueError, match="FOULEE_LLM"):
            chat_model("llama:7b")
    finally:
        get_settings.cache_clear()
