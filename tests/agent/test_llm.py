"""The LLM path: a scripted chat model that emits tool calls, and the real OpenAI client on a fake server."""

from __future__ import annotations

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


def scripted(*messages: AIMessage) -> ScriptedChatModel:
    return ScriptedChatModel(messages=iter(messages))


def test_scripted_tool_calls_run_scoped_tools_and_are_reported(demo: dict[str, User]) -> None:
    model = scripted(
        AIMessage("", tool_calls=[{"name": "predict_race", "args": {"distance_m": "semi"}, "id": "call_1"}]),
        AIMessage("Tu peux viser ce temps sur semi."),
    )
    question = "Quel temps sur semi ?"
    reply = Coach(LlmEngine(model)).reply(demo["lea"], question, today=TODAY)
    assert reply.language == "fr" and reply.reply == "Tu peux viser ce temps sur semi."
    assert reply.tool_calls == [{"name": "predict_race", "args": {"distance_m": "semi"}}]
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
