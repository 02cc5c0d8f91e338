"""The commands (French and English names) and their inline buttons. Each is one service call.

Analytics answers (/semaine, /zones, /prediction, /forme, /prochaine) are the
coach's tools (``bot.coach.run_tool``): the same numbers and words as when
the athlete asks in their own words.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Final

from asgiref.sync import sync_to_async
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot import accounts, coach, plans
from bot.accounts import Athlete
from bot.onboarding import consent_keyboard, language_keyboard
from bot.send import chat_language, current_athlete, send_answer, send_text
from bot.texts import say
from foulee import races

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]

#: The distances offered by /prediction's keyboard, with the words the coach's tool also accepts.
PREDICTION_DISTANCES: Final = (
    ("5 km", races.FIVE_K_M),
    ("10 km", races.TEN_K_M),
    ("semi / half", races.HALF_MARATHON_M),
    ("marathon", races.MARATHON_M),
)
#: Command names, French and English, for each handler key (the bot's command menu shows the first of each).
COMMANDS: Final[dict[str, tuple[str, ...]]] = {
    "help": ("aide", "help"),
    "week": ("semaine", "week"),
    "zones": ("zones",),
    "prediction": ("prediction",),
    "form": ("forme", "form"),
    "plan": ("plan",),
    "next": ("prochaine", "next"),
    "profile": ("profil", "profile"),
    "lang": ("lang", "langue"),
    "export": ("export",),
    "delete": ("supprimer", "delete"),
    "privacy": ("confidentialite", "privacy"),
    "consent": ("consentement", "consent"),
    "strava": ("strava",),
}


def athlete_only(
    handler: Callable[[Update, ContextTypes.DEFAULT_TYPE, Athlete, int], Coroutine[Any, Any, None]],
) -> Handler:
    """Run ``handler(update, context, athlete, chat_id)`` for a known athlete only.

    A stranger is asked to /start, and reaches nothing.
    """

    async def wrapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        athlete = await current_athlete(update)
        if athlete is None:
            if update.callback_query is not None:
                await update.callback_query.answer()
            await send_text(context, chat.id, say(chat_language(update, context, None), "need_start"))
            return
        await handler(update, context, athlete, chat.id)

    wrapped.__name__ = handler.__name__
    wrapped.__doc__ = handler.__doc__
    return wrapped


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    athlete = await current_athlete(update)
    await send_text(context, chat.id, say(chat_language(update, context, athlete), "help"))


async def _tool(
    context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int, name: str, **args: Any
) -> None:
    await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    answer = await sync_to_async(coach.run_tool)(athlete, name, args)
    await send_answer(context, chat_id, answer)


@athlete_only
async def week(update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int) -> None:
    await _tool(context, athlete, chat_id, "weekly_summary")


@athlete_only
async def zones(update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int) -> None:
    await _tool(context, athlete, chat_id, "zones_analysis")


@athlete_only
async def form(update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int) -> None:
    await _tool(context, athlete, chat_id, "training_load")


@athlete_only
async def prediction(
    update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int
) -> None:
    """``/prediction 10k`` answers at once; ``/prediction`` alone offers the usual distances."""
    if context.args:
        await _tool(context, athlete, chat_id, "predict_race", distance_m=" ".join(context.args))
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=f"pred:{metres:g}")
                for label, metres in PREDICTION_DISTANCES
            ]
        ]
    )
    await send_text(context, chat_id, say(athlete.language, "choose_distance"), keyboard)


@athlete_only
async def prediction_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int
) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _tool(context, athlete, chat_id, "predict_race", distance_m=float(query.data.removeprefix("pred:")))


def _done_keyboard(athlete: Athlete, session_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(say(athlete.language, "button_done"), callback_data=f"done:{session_id}")]]
    )


@athlete_only
async def next_session(
    update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int
) -> None:
    """The coach's next-session answer, with a button to mark it done."""
    answer = await sync_to_async(coach.run_tool)(athlete, "next_session", {})
    line = await sync_to_async(plans.next_session_line)(athlete, athlete.language)
    await send_answer(context, chat_id, answer, _done_keyboard(athlete, line.session_id) if line else None)


@athlete_only
async def plan(update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int) -> None:
    name, lines = await sync_to_async(plans.upcoming)(athlete, athlete.language)
    if name is None:
        await send_text(context, chat_id, say(athlete.language, "no_plan"))
    elif not lines:
        await send_text(context, chat_id, say(athlete.language, "plan_empty"))
    else:
        text = "\n".join(
            [say(athlete.language, "plan_header", name=name), *(f"• {line.text}" for line in lines)]
        )
        await send_text(context, chat_id, text, _done_keyboard(athlete, lines[0].session_id))


@athlete_only
async def done_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int
) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    try:
        session_id = int(query.data.removeprefix("done:"))
    except ValueError:
        return
    day = await sync_to_async(plans.mark_done)(athlete, session_id)
    await query.edit_message_reply_markup(None)
    if day is None:
        await send_text(context, chat_id, say(athlete.language, "session_not_found"))
    else:
        await send_text(context, chat_id, say(athlete.language, "session_marked_done", date=f"{day:%d/%m}"))


@athlete_only
async def profile(update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int) -> None:
    """``/profil`` shows the profile with the estimates in use; ``/profil fcmax 188`` fixes one value."""
    language = athlete.language
    if context.args:
        field = accounts.PROFILE_FIELDS.get(context.args[0].lower())
        if field is None or len(context.args) != 2:
            await send_text(context, chat_id, say(language, "profile_usage"))
            return
        try:
            value = accounts.parse_profile_value(field, context.args[1])
        except ValueError:
            await send_text(context, chat_id, say(language, "profile_usage"))
            return
        error = await sync_to_async(accounts.update_profile)(athlete, **{field: value})
        if error:
            await send_text(context, chat_id, say(language, "invalid_value", reason=error))
            return
        await send_text(context, chat_id, say(language, "profile_updated"))
    view = await sync_to_async(accounts.profile_view)(athlete)
    unknown = say(language, "unknown_value")
    sexes = {"M": say(language, "button_male"), "F": say(language, "button_female")}
    text = say(
        language,
        "profile",
        birth_year=view.birth_year or unknown,
        sex=sexes.get(view.sex, unknown),
        hr_max=say(
            language,
            "bpm_with_source",
            value=f"{view.hr_max:.0f}",
            source=say(language, f"source_{view.hr_max_source}"),
        ),
        hr_rest=say(
            language,
            "bpm_with_source",
            value=f"{view.hr_rest:.0f}",
            source=say(language, f"source_{view.hr_rest_source}"),
        ),
        timezone=view.timezone,
    )
    await send_text(context, chat_id, text)


async def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    language = chat_language(update, context, await current_athlete(update))
    await context.bot.send_message(
        chat.id, say(language, "choose_language"), reply_markup=language_keyboard()
    )


@athlete_only
async def export(update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int) -> None:
    """The athlete's data in the chat: the same zip as the web's export."""
    spool, activities = await sync_to_async(accounts.export_zip)(athlete)
    caption = say(athlete.language, "export_caption", activities=activities)
    with spool:
        await context.bot.send_document(
            chat_id, document=spool, filename="foulee-export.zip", caption=caption
        )


@athlete_only
async def delete(update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int) -> None:
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(say(athlete.language, "button_delete_yes"), callback_data="del:yes"),
          InlineKeyboardButton(say(athlete.language, "button_delete_no"), callback_data="del:no")]]
    )  # fmt: skip
    await send_text(context, chat_id, say(athlete.language, "confirm_delete"), keyboard)


@athlete_only
async def delete_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int
) -> None:
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    if query.data != "del:yes":
        await query.edit_message_text(say(athlete.language, "delete_cancelled"))
        return
    await sync_to_async(accounts.delete_account)(athlete)
    if context.chat_data is not None:
        context.chat_data.clear()
    if context.job_queue is not None:
        for job in context.job_queue.get_jobs_by_name(f"reminder:{athlete.user_id}"):
            job.schedule_removal()
    await query.edit_message_text(say(athlete.language, "deleted"))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The privacy notice, for anyone (before an account too): who, why, on what basis, how long."""
    chat = update.effective_chat
    if chat is None:
        return
    athlete = await current_athlete(update)
    language = chat_language(update, context, athlete)
    await send_text(context, chat.id, await sync_to_async(accounts.privacy_notice)(language))


@athlete_only
async def consent(update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int) -> None:
    """Where the athlete stands, and the one button that changes it (``onboarding.consent_button``)."""
    given = await sync_to_async(accounts.health_consent)(athlete)
    text = say(athlete.language, "consent_state_yes" if given else "consent_state_no")
    await send_text(context, chat_id, text, consent_keyboard(athlete.language, given=given))


@athlete_only
async def strava(update: Update, context: ContextTypes.DEFAULT_TYPE, athlete: Athlete, chat_id: int) -> None:
    """``/strava``: how to connect (from the profile page, where the OAuth ``state`` is bound to the
    web session), or how far the history's import is."""
    from web.strava import services as strava_services

    state = await sync_to_async(strava_services.progress)(athlete.user_id)
    if state is None:
        await send_text(context, chat_id, say(athlete.language, "strava_connect"))
    elif state.done:
        await send_text(context, chat_id, say(athlete.language, "strava_done", count=state.imported))
    else:
        await send_text(context, chat_id, say(athlete.language, "strava_importing", count=state.imported))
