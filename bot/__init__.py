"""The Telegram bot. Not built yet (see the bot issue)."""
