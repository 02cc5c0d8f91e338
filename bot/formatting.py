"""Fitting text into Telegram messages: length limits and escaping.

Decision: the bot sends HTML (``parse_mode="HTML"``), never MarkdownV2.
MarkdownV2 needs eighteen characters escaped, including ``.``, ``-``, ``(``
and ``!`` that fill every coaching sentence and number, and one miss makes
Telegram refuse the whole message; HTML needs three (``<``, ``>``, ``&``),
which ``html.escape`` covers. Every piece of text that comes from elsewhere
(the coach, a file name, an importer's reason) goes through :func:`escape`.

Limits are the Bot API's (https://core.telegram.org/bots/api#sendmessage,
#sendphoto): 4096 characters for a message and 1024 for a caption, counted
after entity parsing, so text is split *before* escaping (``&amp;`` counts as
one character once parsed).
"""

from __future__ import annotations

import html
from typing import Final

MESSAGE_LIMIT: Final = 4096
CAPTION_LIMIT: Final = 1024


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters, at paragraph, line or word breaks.

    A word longer than the limit (a URL, say) is cut where it must be.
    """
    text = text.strip()
    if not text:
        return []
    pieces: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator, 0, limit + 1)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def html_pieces(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Plain ``text`` as escaped HTML messages, each within ``limit`` visible characters."""
    return [escape(piece) for piece in split_text(text, limit)]
