"""The LLM coach beside the offline coach on the blind evaluation set: intent, language, figures, latency.

    python -m bench.llm_coach [--base-url URL --model NAME] [--mode agent|compose] [--limit N]

The messages come from ``agent.evaluation.load_evalset`` (the loader ``foulee ask --eval`` uses);
only totals are printed, never a message. Each one is asked of the offline coach and of the LLM
coach (``FOULEE_LLM=openai:MODEL`` with ``FOULEE_LLM_BASE_URL``), each with a fresh conversation,
on the demo world, and compared: the intent (the first tool called, against the label), the
reply's language (against the label), the figures the numbers check caught, the replies the
offline coach had to give instead, and the latency per reply (p50/p95).

Without ``--base-url`` the model is ``tests.agent.fake_openai``'s server on loopback, playing a
small model: it calls the first tool offered (or, in compose mode, rewrites the draft), and every
fourth reply invents a figure. That measures the machinery (the check, the fallbacks, the overhead),
not a model: no real model can be run here (docs/agent.md, "Local models").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from collections import Counter
from typing import Any

from bench.common import Timing, foulee_on_sqlite


def small_model(body: dict[str, Any]) -> Any:
    """The fake server's part: a tool call, then a reply quoting the results, now and then inventing."""
    from tests.agent.fake_openai import Reply

    small_model.calls += 1  # type: ignore[attr-defined]
    invented = " That is about 987.6 km a year." if small_model.calls % 4 == 0 else ""  # type: ignore[attr-defined]
    messages = body["messages"]
    last = str(messages[-1].get("content") or "")
    if "Draft reply:\n" in last:
        return Reply(last.split("Draft reply:\n", 1)[1] + invented)
    if messages[-1]["role"] != "tool" and body.get("tools"):
        name = body["tools"][0]["function"]["name"]
        return Reply(f'<tool_call>{{"name": "{name}", "arguments": {{}}}}</tool_call>')
    return Reply("Noted, keep your easy runs easy." + invented)


small_model.calls = 0  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", help="an OpenAI-compatible server; default: the fake one")
    parser.add_argument("--model", default="fake-small-model")
    parser.add_argument("--mode", choices=("agent", "compose"), default="agent")
    parser.add_argument("--timeout", default="30", help="FOULEE_LLM_TIMEOUT, seconds a reply")
    parser.add_argument("--limit", type=int, default=0, help="the first N messages only (0: all)")
    args = parser.parse_args()
    os.environ["FOULEE_LLM_MODE"] = args.mode
    os.environ["FOULEE_LLM_TIMEOUT"] = args.timeout
    fake = None
    if args.base_url is None:
        from tests.agent.fake_openai import FakeOpenAI

        fake = FakeOpenAI(respond=small_model)
        args.base_url = fake.url
    os.environ["FOULEE_LLM_BASE_URL"] = args.base_url
    try:
        with foulee_on_sqlite("foulee-bench-llm-"):
            run(args.model, args.limit, args.mode, "fake server" if fake else args.base_url)
    finally:
        if fake is not None:
            fake.close()


def run(model: str, limit: int, mode: str, where: str) -> None:
    from agent.coach import Coach, OfflineEngine
    from agent.evaluation import load_evalset
    from agent.llm import LlmEngine
    from analytics.sync import sync
    from foulee.config import get_settings
    from foulee.language import detect_language
    from web.accounts.models import User
    from web.coaching.models import CoachingSession
    from web.demo.world import load_demo

    evalset = load_evalset()
    today: dt.date = evalset.today
    load_demo(today)
    sync()
    athlete = User.objects.get(email="sam@foulee.example")
    get_settings.cache_clear()
    llm = LlmEngine.from_spec(f"openai:{model}")
    coaches = {"offline": Coach(OfflineEngine(), charts=False), f"llm ({mode})": Coach(llm, charts=False)}
    messages = list(evalset.messages)[: limit or None]
    Coach(OfflineEngine(), charts=False).reply(athlete, "bonjour", today=today)  # warm-up
    for name, coach in coaches.items():
        right: Counter[str] = Counter()
        latencies: list[float] = []
        for item in messages:
            CoachingSession.objects.filter(athlete=athlete).delete()  # a fresh conversation each
            started = time.perf_counter()
            reply = coach.reply(athlete, item.text, today=today)
            latencies.append((time.perf_counter() - started) * 1000)
            first = reply.tool_calls[0]["name"] if reply.tool_calls else "none"
            right["intent"] += first == item.intent
            right["language"] += detect_language(reply.reply, prior=reply.language) == item.lang
        total = len(messages)
        print(f"{name}: {total} messages from the evaluation set, model server: {where}")
        print(
            f"  intent (first tool called) {right['intent']}/{total}; reply language {right['language']}/{total}"
        )
        print(f"  {Timing(name, latencies).line()}")
    print(f"  llm counters: {json.dumps(dict(sorted(llm.stats.items())))}")


if __name__ == "__main__":
    main()
