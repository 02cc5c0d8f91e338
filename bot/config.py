"""How one bot process is set up: where Telegram is, and the knobs tests and operators turn."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.ratelimit import RateLimit
from foulee.config import Settings

#: Reminders go out the evening before a session, at this local time.
REMINDER_TIME = dt.time(20, 0)
#: How often the reminder schedule is rebuilt from the database (plans change on the web and in chat).
REMINDER_REFRESH = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class BotConfig:
    token: str
    base_url: str | None = None
    base_file_url: str | None = None
    rate_limit: RateLimit = field(default_factory=RateLimit)
    reminder_time: dt.time = REMINDER_TIME
    reminder_refresh: dt.timedelta = REMINDER_REFRESH
    #: Long-polling timeout (seconds) of each getUpdates.
    poll_timeout: float = 10.0
    #: Load the coach (its router or model) in the background at start-up.
    warm_up_coach: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> BotConfig:
        if not settings.telegram_bot_token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        return cls(
            token=settings.telegram_bot_token,
            base_url=settings.telegram_base_url,
            base_file_url=settings.telegram_base_file_url,
        )
