"""When a handler fails: log it with who and what, apologise to the athlete, keep going.

PTB calls the error handler for an exception in any handler or job and then
carries on with the next update, so one bad update never stops the bot; this
only makes sure the failure is visible in the logs and to the person waiting.
"""

from __future__ import annotations

import logging

from asgiref.sync import sync_to_async
from django.db import DatabaseError, connections
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.send import chat_language, current_athlete, send_text
from bot.texts import say

logger = logging.getLogger(__name__)


def describe(update: Update) -> str:
    """What the update was, for the log: commands, buttons and file names in full; free text by
    its length only, since athletes write about their health and the log is not the place for it.
    """
    if update.callback_query is not None:
        return f"button {update.callback_query.data!r}"
    message = update.effective_message
    if message is None:
        return "update without a message"
    if message.document is not None:
        return f"document {message.document.file_name!r} ({message.document.file_size} bytes)"
    text = message.text or ""
    if text.startswith("/"):
        return f"command {text.split(maxsplit=1)[0]!r}"
    return f"text of {len(text)} characters"


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if isinstance(context.error, DatabaseError):
        # A dropped database connection stays broken in the thread that holds it: let the next
        # update reconnect. (Django does this between requests; a bot has no requests.)
        await sync_to_async(connections.close_all)()
    if not isinstance(update, Update):
        logger.error("bot job or polling failed", exc_info=context.error)
        return
    chat = update.effective_chat
    user = update.effective_user
    logger.error(
        "update %s failed (chat %s, user %s, %s)",
        update.update_id,
        chat.id if chat else None,
        user.id if user else None,
        describe(update),
        exc_info=context.error,
    )
    if chat is None:
        return
    try:
        athlete = await current_athlete(update)
        await send_text(context, chat.id, say(chat_language(update, context, athlete), "apology"))
    except (TelegramError, OSError, RuntimeError):  # Telegram or the database is down: the log is all we have
        logger.warning("could not send the apology to chat %s", chat.id, exc_info=True)
