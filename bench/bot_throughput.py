"""Telegram bot throughput: updates handled per second end to end, through the fake Bot API server.

    python -m bench.bot_throughput [--chats 20] [--messages 10]

The real bot (``bot.app.serve``) long-polls the fake server of the tests
(``tests/bot/fake_telegram.py``) over local HTTP, on a throwaway SQLite data
dir. All updates are queued at once, from ``--chats`` athletes; the clock
stops when every reply has reached the server. Three workloads:

* ``/help``: the bot alone (identity lookup, one sendMessage);
* ``/week``: one coach tool (``weekly_summary``) over the analytics store;
* free text with the offline coach (router + tool + template + the
  conversation stored), the path most messages take; measured after warm-up.

Baseline: Telegram itself delivers at most ~30 messages/s per bot across
chats (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this),
so a bot that handles well above that is never the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Final

from bench.common import foulee_on_sqlite

if TYPE_CHECKING:
    from bot.config import BotConfig

TELEGRAM_BROADCAST_LIMIT_PER_S: Final = 30.0


class Runner:
    def __init__(self, config: BotConfig) -> None:
        self.config = config
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from bot.app import serve

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            started = asyncio.Event()
            task = asyncio.create_task(serve(self.config, self._stop, started))
            await started.wait()
            self._started.set()
            await task

        asyncio.run(main())

    def __enter__(self) -> Runner:
        self._thread.start()
        if not self._started.wait(60):
            raise TimeoutError("the bot did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=20)
    parser.add_argument("--messages", type=int, default=10, help="updates per chat and workload")
    args = parser.parse_args()

    with foulee_on_sqlite("foulee-bench-bot-"):
        import logging

        from bot import accounts, coach
        from bot.config import BotConfig
        from bot.ratelimit import RateLimit
        from tests.bot.fake_telegram import FakeTelegram, FakeUser

        logging.disable(logging.INFO)
        print("Loading the offline coach (router model) ...", flush=True)
        started = time.perf_counter()
        coach.warm_up()
        print(f"  {time.perf_counter() - started:.1f} s (once per process, at start-up in `foulee bot`)")

        users = [FakeUser(9_000_000 + index, language_code="en") for index in range(args.chats)]
        for user in users:
            accounts.create_athlete(user.id, user.id, first_name="Bench", username="", language="en")

        with FakeTelegram() as telegram:
            config = BotConfig(
                token=telegram.token,
                base_url=telegram.base_url,
                base_file_url=telegram.base_file_url,
                rate_limit=RateLimit(burst=10_000, rate_per_s=10_000.0),
                poll_timeout=1.0,
                warm_up_coach=False,
            )
            workloads: list[tuple[str, Callable[[FakeUser], object]]] = [
                ("/help", partial(telegram.push_command, command="/help")),
                ("/week (coach tool)", partial(telegram.push_command, command="/week")),
                (
                    "free text (offline coach)",
                    partial(telegram.push_text, text="how far did I run this week?"),
                ),
            ]
            with Runner(config):
                # Warm-up: one of each per chat, not timed.
                for _, push in workloads:
                    for user in users:
                        push(user)
                    for user in users:
                        telegram.wait_for_messages(user.id, 1, timeout=120)
                total = args.chats * args.messages
                print(f"{args.chats} chats x {args.messages} updates each = {total} updates per workload")
                for name, push in workloads:
                    started = time.perf_counter()
                    for _ in range(args.messages):
                        for user in users:
                            push(user)
                    for user in users:
                        telegram.wait_for_messages(user.id, args.messages, timeout=600)
                    elapsed = time.perf_counter() - started
                    rate = total / elapsed
                    verdict = "above" if rate > TELEGRAM_BROADCAST_LIMIT_PER_S else "BELOW"
                    print(
                        f"  {name:<28} {rate:8.1f} updates/s  ({elapsed:.2f} s; {verdict} Telegram's "
                        f"~{TELEGRAM_BROADCAST_LIMIT_PER_S:g} messages/s send limit)"
                    )


if __name__ == "__main__":
    main()
