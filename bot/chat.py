"""Messages that are not commands: typed text (onboarding answers, else the coach) and activity files."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from telegram import Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import ContextTypes

from bot import coach, uploads
from bot.formatting import CAPTION_LIMIT, escape
from bot.onboarding import newcomer_text, onboarding_text
from bot.send import chat_language, current_athlete, send_answer, send_text
from bot.texts import say
from foulee.filenames import upload_name


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An onboarding answer if one is awaited; otherwise a question for the coach."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or message.text is None or chat is None:
        return
    if await onboarding_text(update, context):
        return
    athlete = await current_athlete(update)
    if athlete is None:
        # Someone not signed up yet: their question is answered, then the sign-up goes on.
        await newcomer_text(update, context)
        return
    refused = coach.refusal(message.text, athlete.language)
    if refused is not None:
        await send_text(context, chat.id, refused)
        return
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    answer = await sync_to_async(coach.ask)(athlete, message.text)
    await send_answer(context, chat.id, answer)


async def document_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An activity file: download it (within the Bot API's limit), import it, summarise the run."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or message.document is None or chat is None:
        return
    athlete = await current_athlete(update)
    if athlete is None:
        await send_text(context, chat.id, say(chat_language(update, context, None), "need_start"))
        return
    language = athlete.language
    document = message.document
    name = upload_name(document.file_name)
    if not uploads.accepts(name):
        await send_text(context, chat.id, say(language, "upload_unsupported", name=name))
        return
    if document.file_size is not None and document.file_size > uploads.TELEGRAM_DOWNLOAD_LIMIT_BYTES:
        limit = uploads.TELEGRAM_DOWNLOAD_LIMIT_BYTES // 1_000_000
        await send_text(context, chat.id, say(language, "upload_too_big", limit=limit))
        return
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
    telegram_file = await document.get_file()
    data = bytes(await telegram_file.download_as_bytearray())
    outcome = await sync_to_async(uploads.import_upload)(athlete, data, name)
    if outcome.status == "error":
        await send_text(context, chat.id, say(language, "upload_error", name=name, reason=outcome.error))
    elif outcome.status == "duplicate":
        await send_text(context, chat.id, say(language, "upload_duplicate", activity_id=outcome.activity_id))
    else:
        await send_text(context, chat.id, say(language, "upload_imported", summary=outcome.summary))
        if outcome.picture is not None:
            await context.bot.send_photo(
                chat.id,
                photo=outcome.picture.data,
                filename=outcome.picture.filename,
                caption=escape(outcome.picture.title[:CAPTION_LIMIT]),
                parse_mode=ParseMode.HTML,
            )
