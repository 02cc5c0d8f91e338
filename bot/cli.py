"""The `foulee bot` sub-command: run the Telegram bot with long polling.

Imports nothing heavy at the top, so that `foulee --help` stays fast.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

#: Exit status when the bot cannot start for lack of configuration (as the unbuilt commands used).
NOT_CONFIGURED = 2


def register(commands: argparse._SubParsersAction[Any]) -> None:
    bot = commands.add_parser("bot", help="run the Telegram bot (long polling; needs TELEGRAM_BOT_TOKEN)")
    bot.set_defaults(handler=cmd_bot)


def cmd_bot(args: argparse.Namespace) -> int:
    from foulee.config import get_settings

    settings = get_settings()
    if not settings.telegram_bot_token:
        print(
            "error: TELEGRAM_BOT_TOKEN is not set.\n"
            "Create a bot with @BotFather on Telegram, then run:\n"
            "  TELEGRAM_BOT_TOKEN=123456:ABC... foulee bot\n"
            "(TELEGRAM_BASE_URL and TELEGRAM_BASE_FILE_URL point it at another Bot API server.)",
            file=sys.stderr,
        )
        return NOT_CONFIGURED
    from foulee.cli import setup_django

    setup_django()
    from bot.app import run
    from bot.config import BotConfig

    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per long poll otherwise
    print(
        f"Foulée bot polling {settings.telegram_base_url or 'https://api.telegram.org/bot'} (Ctrl-C to stop)."
    )
    run(BotConfig.from_settings(settings))
    return 0
