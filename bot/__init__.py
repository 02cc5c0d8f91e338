"""The Telegram bot: python-telegram-bot handlers that turn chat into calls of Foulée's services.

Handlers stay thin: identity and profile changes live in ``bot.accounts``,
file imports in ``bot.uploads``, analytics answers in the coach's tools
(``bot.coach``), and the words the athlete reads in ``bot.texts``. See
docs/bot.md.
"""
