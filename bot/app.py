"""The python-telegram-bot ``Application``: handlers, per-chat ordering and rate limit, errors, reminders.

Updates from different chats run concurrently, updates from one chat in the
order they came (``PerChatUpdateProcessor``): an athlete's answers to the
onboarding questions must not overtake each other, and a slow import in one
chat must not hold up the others. A rate limit per chat runs before every
handler (group -1).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
from collections.abc import Awaitable
from typing import Any, Final

from asgiref.sync import sync_to_async
from django.db import connections
from telegram import BotCommand, Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import chat, coach, commands, onboarding, reminders
from bot.config import BotConfig
from bot.errors import on_error
from bot.ratelimit import ChatRateLimiter
from bot.send import chat_language, send_text
from bot.texts import say
from foulee.language import detect_language

logger = logging.getLogger(__name__)

#: Updates handled at the same time, all chats together (PTB's default for ``concurrent_updates=True``).
MAX_CONCURRENT_UPDATES: Final = 256


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, sequential within a chat.

    Each chat with updates in flight has a lock and a count of its updates in
    flight; both go when the count falls to zero, so idle chats cost nothing.
    Everything runs on the application's event loop: no thread can interleave.
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat_id = update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
        if chat_id is None:
            await coroutine
            return
        lock, in_flight = self._chats.get(chat_id, (asyncio.Lock(), 0))
        self._chats[chat_id] = (lock, in_flight + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, in_flight = self._chats[chat_id]
            if in_flight == 1:
                del self._chats[chat_id]
            else:
                self._chats[chat_id] = (lock, in_flight - 1)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _gate(limiter: ChatRateLimiter) -> Any:
    """Before any handler: private chats only, and within the chat's rate limit.

    In a group, an athlete's answers (their HR, their weight, their plan) would be read by
    everyone in it, so the bot ignores groups and channels altogether.
    """

    async def check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_ = update.effective_chat
        if chat_ is None:
            return
        if chat_.type != ChatType.PRIVATE:
            logger.info("ignored update %s from a %s chat", update.update_id, chat_.type)
            raise ApplicationHandlerStop
        allowed, wait_s = limiter.allow(chat_.id)
        if allowed:
            return
        logger.info("rate limit: dropped update %s of chat %s", update.update_id, chat_.id)
        # Never silence: every refused update is told to wait, in the language it was written in.
        language = chat_language(update, context, None)
        message = update.effective_message
        if message is not None and message.text:
            detected = detect_language(message.text, prior=language)
            language = "en" if detected == "en" else "fr" if detected == "fr" else language
        text = say(language, "slow_down", seconds=max(1, math.ceil(wait_s)))
        if update.callback_query is not None:
            await update.callback_query.answer(text)
        else:
            await send_text(context, chat_.id, text)
        raise ApplicationHandlerStop

    return check


def _bot_commands(language: str) -> list[BotCommand]:
    descriptions = {
        "fr": {"help": "ce que je sais faire", "week": "ta semaine", "zones": "tes zones cardiaques",
               "prediction": "temps prédits", "form": "fatigue et fraîcheur", "plan": "séances à venir",
               "next": "prochaine séance", "profile": "ton profil", "lang": "langue", "export": "tes données",
               "delete": "effacer ton compte", "privacy": "tes données",
               "consent": "accord données de santé",
               "strava": "connecter Strava"},
        "en": {"help": "what I can do", "week": "your week", "zones": "your HR zones",
               "prediction": "predicted times", "form": "fatigue and freshness", "plan": "coming sessions",
               "next": "next session", "profile": "your profile", "lang": "language", "export": "your data",
               "delete": "erase your account", "privacy": "your data and rights",
               "consent": "health-data consent", "strava": "connect Strava"},
    }  # fmt: skip
    index = 0 if language == "fr" else -1
    return [BotCommand(names[index], descriptions[language][key]) for key, names in commands.COMMANDS.items()]


def build_application(config: BotConfig, *, polling: bool = True) -> Application:  # type: ignore[type-arg]
    """The bot, ready for ``run_polling()`` (or ``initialize``/``start`` under another loop).

    ``polling=False`` builds it without an updater, for webhook delivery (``bot.webhook``).
    """
    builder = ApplicationBuilder().token(config.token).concurrent_updates(PerChatUpdateProcessor())
    if config.base_url:
        builder = builder.base_url(config.base_url)
    if config.base_file_url:
        builder = builder.base_file_url(config.base_file_url)
    if not polling:
        builder = builder.updater(None)

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await application.bot.set_my_commands(_bot_commands("en"))
        await application.bot.set_my_commands(_bot_commands("fr"), language_code="fr")
        await reminders.schedule(application, config)
        if config.warm_up_coach:
            # Loading the coach's router takes seconds: do it now, not in the first athlete's wait.
            asyncio.get_running_loop().run_in_executor(None, coach.warm_up)

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        # The ORM ran in asgiref's sync thread: close its connections there, or PostgreSQL keeps them.
        await sync_to_async(connections.close_all)()

    application = builder.post_init(post_init).post_shutdown(post_shutdown).build()
    application.add_handler(TypeHandler(Update, _gate(ChatRateLimiter(config.rate_limit))), group=-1)

    application.add_handler(CommandHandler("start", onboarding.start))
    handlers = {
        "help": commands.help_command,
        "week": commands.week,
        "zones": commands.zones,
        "prediction": commands.prediction,
        "form": commands.form,
        "plan": commands.plan,
        "next": commands.next_session,
        "profile": commands.profile,
        "lang": commands.lang,
        "export": commands.export,
        "delete": commands.delete,
        "privacy": commands.privacy,
        "consent": commands.consent,
        "strava": commands.strava,
    }
    for key, names in commands.COMMANDS.items():
        application.add_handler(CommandHandler(list(names), handlers[key]))
    application.add_handler(CallbackQueryHandler(onboarding.choose_language, pattern=r"^lang:(fr|en)$"))
    application.add_handler(CallbackQueryHandler(onboarding.new_or_link, pattern=r"^onb:(new|link)$"))
    application.add_handler(CallbackQueryHandler(onboarding.consent_button, pattern=r"^hc:(yes|no)$"))
    application.add_handler(CallbackQueryHandler(onboarding.profile_button, pattern=r"^(sex:[MF]|skip:\w+)$"))
    application.add_handler(CallbackQueryHandler(commands.prediction_button, pattern=r"^pred:[\d.]+$"))
    application.add_handler(CallbackQueryHandler(commands.done_button, pattern=r"^done:\d+$"))
    application.add_handler(CallbackQueryHandler(commands.delete_button, pattern=r"^del:(yes|no)$"))
    # New messages only: an edited question or file would otherwise be answered or imported twice.
    new = filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(new & filters.Document.ALL, chat.document_message))
    application.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, chat.text_message))
    application.add_error_handler(on_error)
    return application


async def serve(config: BotConfig, stop: asyncio.Event, started: asyncio.Event | None = None) -> None:
    """Poll until ``stop`` is set, under the caller's event loop (tests, the benchmark, an ASGI host).

    The same steps as PTB's ``run_polling`` (initialize, post_init, start polling, start; then the
    reverse), without its signal handling, which only the main thread may install.
    """
    application = build_application(config)
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        updater = application.updater
        if updater is None:  # only when built with .updater(None), which build_application never does
            raise RuntimeError("the bot has no updater to poll with")
        await updater.start_polling(
            poll_interval=0.0,
            timeout=dt.timedelta(seconds=config.poll_timeout),
            allowed_updates=Update.ALL_TYPES,
        )
        await application.start()
        if started is not None:
            started.set()
        try:
            await stop.wait()
        finally:
            await updater.stop()
            await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def run(config: BotConfig) -> None:
    """Long polling until interrupted (Ctrl-C, SIGTERM)."""
    application = build_application(config)
    application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=int(config.poll_timeout))


__all__ = ["PerChatUpdateProcessor", "build_application", "run", "serve"]
