"""Offline coach: the CPU one message costs, for ordinary and for worst-case messages.

    python -m bench.coach_cost [--rounds 3] [--profile NAME]

A fresh data dir (SQLite), the demo world loaded and synced, the embedding model, the router and
the knowledge base loaded and warmed up, then each message below is sent to ``Coach.reply`` (the
path every front takes) ``rounds`` times. Every message is new to the process (a counter makes it
unique), so the query cache never answers for the model. The figure is the process's CPU time
(``time.process_time``: every thread, the embedder's OpenMP threads included), the cost one
message puts on the machine; the wall time is printed beside it.

The worst cases are messages of the maximum length a front accepts
(``foulee.limits.MAX_COACH_MESSAGE_CHARS``) written to be expensive: accented Latin, CJK, emoji,
one word without spaces, one word repeated, mixed scripts, many short clauses, digits. The baseline is
the ordinary questions of ``bench.agent_latency``. Target: worst case under 300 ms of CPU.
``--profile NAME`` prints a cProfile of the named message instead.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import itertools
import os
import pstats
import time
from collections.abc import Callable

from bench.agent_latency import QUESTIONS
from bench.common import foulee_on_sqlite
from foulee.limits import MAX_COACH_MESSAGE_CHARS

TARGET_CPU_MS = 300.0


def _fill(pattern: str, length: int = MAX_COACH_MESSAGE_CHARS) -> str:
    """``pattern`` repeated to exactly ``length`` characters."""
    return (pattern * (length // len(pattern) + 1))[:length]


WORST_CASES: dict[str, str] = {
    "accented latin": _fill("Récupération après une séance très éprouvante à côté du lac, où ça grêle. "),
    "accented, no spaces": _fill("éèêëàâîïôûùçœæ"),
    "cjk": _fill("我的跑步训练怎么样马拉松恢复心率区间配速"),
    "emoji": _fill("🏃‍♀️🔥💪🏽❤️‍🩹"),
    "one long word": _fill("abcdefghijklmnopqrstuvwxyz"),
    "one word repeated": _fill("marathon "),
    "mixed scripts": _fill("run бег 跑步 جري τρέξιμο दौड़ ランニング 달리기 séance "),  # noqa: RUF001
    "many clauses": _fill("how was my week and what are my zones and "),
    "many clauses, fr": _fill("comment va ma semaine et quelles sont mes zones et "),
    "digits": _fill("1"),
    "numbers and units": _fill("1'"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="times each message is sent")
    parser.add_argument("--profile", choices=sorted(WORST_CASES), help="profile one worst case")
    args = parser.parse_args()
    os.environ["FOULEE_LLM"] = "offline"
    with foulee_on_sqlite("foulee-bench-coach-cost-"):
        run(args.rounds, args.profile)


def run(rounds: int, profile: str | None) -> None:
    from analytics.sync import sync
    from web.accounts.models import User
    from web.demo.world import load_demo

    today = dt.date.today()  # noqa: DTZ011 - the demo's history ends on the local today, as `foulee demo`
    load_demo(today)
    sync()
    lea = User.objects.get(email="lea@foulee.example")

    from agent.coach import Coach

    coach = Coach(charts=False)
    counter = itertools.count()

    def unique(text: str) -> str:
        # A different message every time, from its first word (the embedder reads a message's
        # start), of the same length: the query cache never answers.
        tag = f"{next(counter)} "
        return tag + text[: len(text) - len(tag)] if len(text) > len(tag) else tag + text

    def send(text: str) -> Callable[[], object]:
        return lambda: coach.reply(lea, unique(text))

    import knowledge

    knowledge.search("VMA", language="fr")  # the knowledge base loaded (or built) beforehand
    for text in (*QUESTIONS[:4], "c'est quoi le seuil ?", "how do I taper"):
        send(text)()  # model and router loaded; first calls out of the way

    if profile is not None:
        profiler = cProfile.Profile()
        profiler.runcall(send(WORST_CASES[profile]))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return

    print(f"one message, CPU (all threads) and wall time, ms; {rounds} rounds; charts off")
    baseline = [_measure(send(text)) for _ in range(rounds) for text in QUESTIONS]
    base_cpu = max(cpu for cpu, _ in baseline)
    print(_line("baseline: ordinary questions (max)", baseline))
    worst = 0.0
    for name, text in WORST_CASES.items():
        samples = [_measure(send(text)) for _ in range(rounds)]
        worst = max(worst, max(cpu for cpu, _ in samples))
        print(_line(f"{name} ({len(text)} chars)", samples))
    verdict = "met" if worst < TARGET_CPU_MS else "MISSED"
    print(
        f"worst case {worst:.0f} ms CPU, {worst / max(base_cpu, 1e-9):.1f}x the slowest ordinary question; "
        f"target < {TARGET_CPU_MS:g} ms: {verdict}"
    )


def _measure(call: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    return (time.process_time() - cpu) * 1000.0, (time.perf_counter() - wall) * 1000.0


def _line(name: str, samples: list[tuple[float, float]]) -> str:
    cpu = max(value for value, _ in samples)
    wall = max(value for _, value in samples)
    return f"{name:<42} CPU max {cpu:9.1f}   wall max {wall:9.1f}   (n={len(samples)})"


if __name__ == "__main__":
    main()
