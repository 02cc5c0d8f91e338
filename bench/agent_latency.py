"""Offline coach: reply latency on the demo world after warm-up, and cold start.

    python -m bench.agent_latency [--rounds 3]

A fresh data dir (SQLite), the demo world loaded and synced, then:

* cold start, in-process: the first reply with nothing loaded and an empty router cache (the
  embedding model loads, the labelled set is embedded), then a router rebuilt from the disk cache;
* cold start, a new process: ``python -m foulee ask`` end to end, wall time (interpreter, Django,
  migrations check, model, router from the cache, one reply);
* latency: p50/p95 of ``Coach.reply`` over FR/EN questions covering every read tool, after warm-up
  (model loading excluded), charts on and off. Target: p95 under 150 ms. The questions repeat, so
  their embeddings come from the embedder's cache; the router's cost on new messages is measured
  on its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial

from bench.common import Timing, foulee_on_sqlite

TARGET_P95_MS = 150.0
QUESTIONS = (
    "Comment s'est passée ma semaine ?",
    "How did my week go?",
    "Est-ce que je progresse ?",
    "am I getting faster",
    "mes zones cardiaques",
    "what are my heart rate zones?",
    "c'est quoi ma VMA ?",
    "what's my VO2max?",
    "Quel temps je peux faire sur un semi ?",
    "predict my marathon time",
    "Est-ce que je suis fatigué ?",
    "am I fresh or tired",
    "mes dernières sorties",
    "show my last runs",
    "Analyse ma dernière sortie",
    "how was my run this morning?",
    "mes records personnels",
    "what's my 5k PB?",
    "C'est quoi ma prochaine séance ?",
    "what should I run tomorrow",
    "comment bien récupérer après un marathon",
    "how should I taper before a race",
    "Bonjour",
    "what can you do?",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    args = parser.parse_args()
    os.environ["FOULEE_LLM"] = "offline"
    with foulee_on_sqlite("foulee-bench-agent-"):
        run(args.rounds)


def run(rounds: int) -> None:
    from analytics.sync import sync
    from web.accounts.models import User
    from web.demo.world import load_demo

    today = dt.date.today()  # noqa: DTZ011 - the demo's history ends on the local today, as `foulee demo`
    load_demo(today)
    sync()
    lea = User.objects.get(email="lea@foulee.example")
    sam = User.objects.get(email="sam@foulee.example")

    from agent import router
    from agent.coach import Coach

    started = time.perf_counter()
    coach = Coach()
    coach.reply(lea, "Comment s'est passée ma semaine ?")
    print(
        f"cold start, in-process, empty router cache (model load + embed labelled set + train + reply): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    router._router = None
    started = time.perf_counter()
    router.get_router()
    print(
        f"router rebuilt from the disk cache (model already loaded): {(time.perf_counter() - started) * 1000:.0f} ms"
    )

    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "foulee",
            "ask",
            "--user",
            "lea@foulee.example",
            "Comment s'est passée ma semaine ?",
        ],
        check=True,
        capture_output=True,
    )
    print(
        f"cold start, new process (`foulee ask`, cache warm), wall time: {(time.perf_counter() - started) * 1000:.0f} ms"
    )

    for label, charts in (("with charts", True), ("without charts", False)):
        coach.charts = charts
        calls = [
            partial(coach.reply, user, text)
            for _ in range(rounds)
            for text in QUESTIONS
            for user in (lea, sam)
        ]
        timing = _time(f"reply {label}", calls)
        print(timing.line(TARGET_P95_MS))

    from agent.offline import OfflineCoach

    offline = OfflineCoach()
    classify = [partial(offline.router.classify, text) for _ in range(rounds) for text in QUESTIONS]
    print(_time("router only, repeated questions", classify).line())
    # The embedder remembers recent questions (knowledge.query_cache), so the lines above mostly
    # reuse embeddings; a message never seen before is embedded: this line measures that cost.
    fresh = [
        partial(offline.router.classify, f"{text} (variant {index})")
        for index in range(rounds)
        for text in QUESTIONS
    ]
    print(_time("router only, new messages", fresh).line())


def _time(name: str, calls: Sequence[Callable[[], object]]) -> Timing:
    from bench.common import time_calls

    return time_calls(name, calls, warmup=5)


if __name__ == "__main__":
    main()
