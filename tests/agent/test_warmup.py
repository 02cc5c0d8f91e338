"""The coach's models are loaded when a process starts, never inside its first reply."""

from __future__ import annotations

import pytest

from agent import router
from agent.warmup import warm_up
from knowledge import retrieval


def test_warm_up_loads_the_router_and_opens_the_knowledge_base(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(router, "_router", None)
    monkeypatch.setattr(retrieval, "_cache", {})
    warm_up()
    assert router._router is not None
    assert retrieval._cache, "the knowledge base was not opened"


def test_an_llm_coach_loads_the_router_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from foulee.config import get_settings

    monkeypatch.setenv("FOULEE_LLM", "openai:gpt-4o-mini")
    get_settings.cache_clear()
    monkeypatch.setattr(router, "_router", None)
    try:
        warm_up()
    finally:
        get_settings.cache_clear()
    # The LLM coach's candidate tools and its offline floor both come from the router.
    assert router._router is not None


def test_the_asgi_entry_point_warms_up(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib
    import sys

    monkeypatch.setattr(router, "_router", None)
    monkeypatch.delitem(sys.modules, "web.asgi", raising=False)
    importlib.import_module("web.asgi")
    assert router._router is not None
