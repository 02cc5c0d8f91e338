"""Evening-before reminders of the next planned session, on PTB's JobQueue.

PTB keeps jobs in memory only, so the schedule is rebuilt from the database
at start-up and then every ``BotConfig.reminder_refresh`` (plans change on the
web and through the coach): one job per athlete, named ``reminder:<user id>``,
replaced when the session or its time changed.
"""

from __future__ import annotations

import datetime as dt
import logging

from asgiref.sync import sync_to_async
from telegram.ext import Application, ContextTypes

from bot import plans
from bot.config import BotConfig
from bot.send import send_text
from bot.texts import say

logger = logging.getLogger(__name__)


def _job_name(user_id: int) -> str:
    return f"reminder:{user_id}"


async def refresh(application: Application, config: BotConfig) -> int:  # type: ignore[type-arg]
    """(Re)schedule every athlete's next reminder; returns how many are scheduled."""
    queue = application.job_queue
    if queue is None:
        return 0
    due = await sync_to_async(plans.reminders_due)(dt.datetime.now(dt.UTC), config.reminder_time)
    wanted = {_job_name(reminder.user_id): reminder for reminder in due}
    for job in queue.jobs():
        if job.name and job.name.startswith("reminder:"):
            reminder = wanted.get(job.name)
            if reminder is None or job.data != reminder:
                job.schedule_removal()
            else:
                wanted.pop(job.name)
    for name, reminder in wanted.items():
        queue.run_once(send_reminder, when=reminder.at, data=reminder, name=name, chat_id=reminder.chat_id)
    logger.info("reminders scheduled: %d", len(due))
    return len(due)


async def send_reminder(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    if job is None or not isinstance(job.data, plans.Reminder):
        return
    reminder = job.data
    if not await sync_to_async(plans.still_planned)(reminder.session_id, reminder.user_id):
        return
    text = say(reminder.language, "reminder", date=f"{reminder.day:%d/%m}", session=reminder.session)
    await send_text(context, reminder.chat_id, text)


async def schedule(application: Application, config: BotConfig) -> None:  # type: ignore[type-arg]
    """Rebuild now (before polling starts), then every ``config.reminder_refresh``.

    The first rebuild is awaited here rather than queued with ``first=0``: APScheduler counts a
    job due before the scheduler starts as misfired and skips it.
    """
    queue = application.job_queue
    if queue is None:
        logger.warning("no JobQueue (install python-telegram-bot[job-queue]): no reminders")
        return

    async def rebuild(context: ContextTypes.DEFAULT_TYPE) -> None:
        await refresh(application, config)

    await refresh(application, config)
    queue.run_repeating(
        rebuild, interval=config.reminder_refresh, first=config.reminder_refresh, name="reminders:refresh"
    )
