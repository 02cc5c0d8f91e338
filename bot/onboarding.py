"""/start: language first, then a new profile (birth year, sex, HR max, HR rest) or a linked web account.

The step an athlete is at lives in ``chat_data["step"]`` (memory only). Every
answer is saved on the profile as soon as it is given, so a restart
mid-onboarding loses only the pending question; /profil sets the rest.

A question typed at any step, instead of the answer asked for, gets its answer (the
coach's once there is an account, ``agent.guest``'s before), in the language of the
question; then the pending step is asked again, so onboarding goes on where it was.
"Je ne sais pas" to a profile question skips it.
"""

from __future__ import annotations

import re
from typing import Final

from asgiref.sync import sync_to_async
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import accounts, coach
from bot.accounts import Athlete
from bot.send import chat_language, current_athlete, send_answer, send_text
from bot.texts import Language, say

STEP: Final = "step"
#: The profile questions, in order; each may be skipped (sex has buttons, the others a typed number).
PROFILE_STEPS: Final = ("birth_year", "sex", "hr_max", "hr_rest")
LINK_STEP: Final = "link_code"
#: The health-data consent, asked right after the account is made (``web.accounts.consent``).
CONSENT_STEP: Final = "health_consent"
#: The profile questions about health data: skipped for an athlete who did not consent.
HEALTH_STEPS: Final = frozenset({"hr_max", "hr_rest"})
#: "I don't know" to a profile question: skip it (the estimate stays).
_DONT_KNOW: Final = re.compile(
    r"^\W*(?:je (?:ne )?(?:sais|connais) pas|(?:j'en )?sais pas|sais pas|aucune id[ée]e|pas d'id[ée]e"
    r"|je passe|passer?|skip|no idea|(?:i )?(?:don'?t|do not) know|not sure|dunno|idk|pass|next)\b",
    re.IGNORECASE,
)
#: A word: two letters or more. Two words or more (apart, as a link code's letters never are), or a
#: question mark, make a question (or a sentence), not the number or code asked for.
_WORD: Final = re.compile(r"[^\W\d_]{2,}")


def is_question(text: str) -> bool:
    """Whether ``text`` is a sentence of its own rather than the one value an onboarding step asks."""
    return "?" in text or sum(1 for token in text.split() if _WORD.search(token)) >= 2


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🇫🇷 Français", callback_data="lang:fr"),
                InlineKeyboardButton("🇬🇧 English", callback_data="lang:en"),
            ]
        ]
    )


def _skip(language: Language, step: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(say(language, "button_skip"), callback_data=f"skip:{step}")]]
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome back a known athlete; otherwise ask the language. ``/start CODE`` links a web account."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return
    athlete = await current_athlete(update)
    if context.args and athlete is None:
        context.chat_data["language"] = chat_language(update, context, None)  # type: ignore[index]
        await _redeem(update, context, context.args[0])
        return
    if athlete is not None:
        await send_text(context, chat.id, say(athlete.language, "welcome_back", name=athlete.name))
        return
    context.chat_data.pop(STEP, None)  # type: ignore[union-attr]
    language = chat_language(update, context, None)  # the Telegram app's, until they choose
    await context.bot.send_message(
        chat.id, say(language, "choose_language"), reply_markup=language_keyboard()
    )


async def choose_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``lang:xx``: during onboarding, the first answer; afterwards, /lang's keyboard."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    language: Language = "en" if query.data == "lang:en" else "fr"
    await query.answer()
    athlete = await current_athlete(update)
    if athlete is not None:
        await sync_to_async(accounts.set_language)(athlete, language)
        await query.edit_message_text(say(language, "language_set"))
        return
    context.chat_data["language"] = language  # type: ignore[index]
    await query.edit_message_text(
        say(language, "language_set") + "\n" + say(language, "new_or_link"),
        reply_markup=_new_or_link_keyboard(language),
    )


def _new_or_link_keyboard(language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(say(language, "button_new"), callback_data="onb:new"),
          InlineKeyboardButton(say(language, "button_link"), callback_data="onb:link")]]
    )  # fmt: skip


async def new_or_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``onb:new`` creates the athlete's account at once; ``onb:link`` waits for a web code."""
    query = update.callback_query
    chat = update.effective_chat
    user = update.effective_user
    if query is None or chat is None or user is None:
        return
    await query.answer()
    language = chat_language(update, context, None)
    if query.data == "onb:link":
        context.chat_data[STEP] = LINK_STEP  # type: ignore[index]
        await query.edit_message_text(say(language, "ask_link_code"))
        return
    await sync_to_async(accounts.create_athlete)(
        user.id, chat.id, first_name=user.first_name, username=user.username or "", language=language
    )
    # The health-data consent comes first and on its own: the HR questions depend on it.
    context.chat_data[STEP] = CONSENT_STEP  # type: ignore[index]
    await query.edit_message_text(
        say(language, "ask_health_consent"), reply_markup=consent_keyboard(language, given=None)
    )


def consent_keyboard(language: Language, *, given: bool | None) -> InlineKeyboardMarkup:
    """Yes and no at onboarding (``given`` None); afterwards the one button that changes the state."""
    yes = InlineKeyboardButton(say(language, "button_consent_yes"), callback_data="hc:yes")
    no_text = say(language, "button_consent_no" if given is None else "button_consent_withdraw")
    no = InlineKeyboardButton(no_text, callback_data="hc:no")
    return InlineKeyboardMarkup([[yes, no] if given is None else [no if given else yes]])


async def consent_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``hc:yes``/``hc:no``: record the decision (a new record each time); in onboarding, go on."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None:
        return
    await query.answer()
    athlete = await current_athlete(update)
    if athlete is None:
        return
    granted = query.data == "hc:yes"
    await sync_to_async(accounts.decide_health_consent)(athlete, granted)
    await query.edit_message_text(say(athlete.language, "consent_given" if granted else "consent_refused"))
    if context.chat_data is not None and context.chat_data.get(STEP) == CONSENT_STEP:
        await _ask(context, chat.id, athlete, PROFILE_STEPS[0])


async def _ask(context: ContextTypes.DEFAULT_TYPE, chat_id: int, athlete: Athlete, step: str) -> None:
    """Ask the question of ``step`` (or close onboarding after the last one)."""
    language = athlete.language
    if step in HEALTH_STEPS and not await sync_to_async(accounts.health_consent)(athlete):
        step = "done"  # HR max and rest are health data: not asked without consent
    context.chat_data[STEP] = step  # type: ignore[index]
    if step == "birth_year":  # asked again after a question typed in its place
        await send_text(context, chat_id, say(language, "ask_birth_year"), _skip(language, step))
        return
    if step == "sex":
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(say(language, "button_female"), callback_data="sex:F"),
              InlineKeyboardButton(say(language, "button_male"), callback_data="sex:M"),
              InlineKeyboardButton(say(language, "button_skip"), callback_data="skip:sex")]]
        )  # fmt: skip
        await send_text(context, chat_id, say(language, "ask_sex"), keyboard)
        return
    if step in ("hr_max", "hr_rest"):
        view = await sync_to_async(accounts.profile_view)(athlete)
        estimate = view.hr_max if step == "hr_max" else view.hr_rest
        source = view.hr_max_source if step == "hr_max" else view.hr_rest_source
        text = say(
            language, f"ask_{step}", estimate=f"{estimate:.0f}", source=say(language, f"source_{source}")
        )
        await send_text(context, chat_id, text, _skip(language, step))
        return
    context.chat_data.pop(STEP, None)  # type: ignore[union-attr]
    await send_text(context, chat_id, say(language, "onboarding_done"))


def _after(step: str) -> str:
    index = PROFILE_STEPS.index(step)
    return PROFILE_STEPS[index + 1] if index + 1 < len(PROFILE_STEPS) else "done"


async def profile_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``sex:M``/``sex:F`` and ``skip:<step>``: answer or skip one onboarding question."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None:
        return
    await query.answer()
    athlete = await current_athlete(update)
    if athlete is None:
        return
    kind, _, value = query.data.partition(":")
    step = "sex" if kind == "sex" else value
    if step not in PROFILE_STEPS:
        return
    if kind == "sex":
        await sync_to_async(accounts.update_profile)(athlete, sex=value)
    await query.edit_message_reply_markup(None)
    await _ask(context, chat.id, athlete, _after(step))


async def onboarding_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Handle a typed answer to the pending onboarding question; False when none is pending."""
    step = context.chat_data.get(STEP) if context.chat_data is not None else None
    message = update.effective_message
    chat = update.effective_chat
    if step is None or message is None or message.text is None or chat is None:
        return False
    if step == LINK_STEP:
        if is_question(message.text):
            await _answer_newcomer(update, context, message.text)
            await send_text(context, chat.id, say(chat_language(update, context, None), "ask_link_code"))
            return True
        await _redeem(update, context, message.text)
        return True
    athlete = await current_athlete(update)
    if athlete is None or step not in PROFILE_STEPS:
        return False
    try:
        value = accounts.parse_profile_value(step, message.text)
    except ValueError:
        if _DONT_KNOW.search(message.text):
            await _ask(context, chat.id, athlete, _after(step))
            return True
        if is_question(message.text):
            await _answer_athlete(update, context, athlete, message.text)
            await _ask(context, chat.id, athlete, step)
            return True
        await send_text(
            context, chat.id, say(athlete.language, "not_a_number"), _skip(athlete.language, step)
        )
        return True
    error = await sync_to_async(accounts.update_profile)(athlete, **{step: value})
    if error:
        await send_text(
            context,
            chat.id,
            say(athlete.language, "invalid_value", reason=error),
            _skip(athlete.language, step),
        )
        return True
    await _ask(context, chat.id, athlete, _after(step))
    return True


async def _redeem(update: Update, context: ContextTypes.DEFAULT_TYPE, code: str) -> None:
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return
    language = chat_language(update, context, None)
    outcome = await sync_to_async(accounts.redeem_code)(code, user.id, chat.id, user.username or "")
    if outcome is None:
        await send_text(context, chat.id, say(language, "link_bad"))
    elif isinstance(outcome, str):  # "taken"
        context.chat_data.pop(STEP, None)  # type: ignore[union-attr]
        await send_text(context, chat.id, say(language, "link_taken"))
    else:
        context.chat_data.pop(STEP, None)  # type: ignore[union-attr]
        await send_text(context, chat.id, say(outcome.language, "link_ok", email=outcome.email))


async def _answer_athlete(
    update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, text: str
) -> None:
    """The coach's answer to a question typed mid-onboarding, in the question's language."""
    chat = update.effective_chat
    if chat is None:
        return
    refused = coach.refusal(text, athlete.language)
    if refused is not None:
        await send_text(context, chat.id, refused)
        return
    answer = await sync_to_async(coach.ask)(athlete, text)
    await send_answer(context, chat.id, answer)


async def _answer_newcomer(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """``agent.guest``'s answer for someone without an account yet, in the question's language."""
    chat = update.effective_chat
    if chat is None:
        return
    language = chat_language(update, context, None)
    refused = coach.refusal(text, language)
    if refused is not None:
        await send_text(context, chat.id, refused)
        return
    answer = await sync_to_async(coach.ask_guest)(text, language)
    await send_answer(context, chat.id, answer)


async def newcomer_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text from someone without an account: answer it, then go on with (or begin) onboarding.

    Before a language is chosen the language keyboard comes back (in the language of the
    message), after it the "new profile or link" one.
    """
    message = update.effective_message
    chat = update.effective_chat
    if message is None or message.text is None or chat is None:
        return
    await _answer_newcomer(update, context, message.text)
    chosen = context.chat_data.get("language") if context.chat_data is not None else None
    if chosen in ("fr", "en"):
        await send_text(context, chat.id, say(chosen, "new_or_link"), _new_or_link_keyboard(chosen))
        return
    from foulee.language import detect_language

    fallback = chat_language(update, context, None)
    detected = detect_language(message.text, prior=fallback)
    language: Language = "en" if detected == "en" else "fr" if detected == "fr" else fallback
    await context.bot.send_message(
        chat.id, say(language, "choose_language"), reply_markup=language_keyboard()
    )
