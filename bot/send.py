"""Sending to Telegram: HTML-escaped, split within limits, pictures as photos; and who is writing."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import accounts
from bot.accounts import Athlete
from bot.coach import Answer
from bot.formatting import CAPTION_LIMIT, escape, html_pieces
from bot.texts import Language, as_language

find_athlete = sync_to_async(accounts.find_athlete)


async def current_athlete(update: Update) -> Athlete | None:
    """The Foulée athlete behind this update's Telegram user, or None for a stranger."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    return await find_athlete(user.id)


def chat_language(update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete | None) -> Language:
    """The athlete's language; before they have a profile, what they chose, or their Telegram app's."""
    if athlete is not None:
        return athlete.language
    chosen = context.chat_data.get("language") if context.chat_data is not None else None
    if chosen in ("fr", "en"):
        return chosen  # type: ignore[no-any-return]
    user = update.effective_user
    return as_language(user.language_code if user else None)


async def send_text(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Plain ``text`` (escaped here) in as many messages as it takes; the keyboard goes on the last."""
    pieces = html_pieces(text)
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        await context.bot.send_message(
            chat_id, piece, parse_mode=ParseMode.HTML, reply_markup=markup if last else None
        )


async def send_answer(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    answer: Answer,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """The coach's text, then its charts as photos with their titles as captions."""
    await send_text(context, chat_id, answer.text, markup)
    for picture in answer.pictures:
        await context.bot.send_photo(
            chat_id,
            photo=picture.data,
            filename=picture.filename,
            caption=escape(picture.title[:CAPTION_LIMIT]),
            parse_mode=ParseMode.HTML,
        )
