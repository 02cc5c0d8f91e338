"""An uploaded file's name, made safe before it touches the disk, the database or a reply.

Every door that receives a file (the API, the site's and the admin's upload
pages, the bot, ``foulee import`` and the members of a Strava export) names it
through :func:`upload_name`, and the import service stores it under that name
again (it is idempotent), so no sender's name reaches storage as it came.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath
from typing import Final

from foulee import limits

#: A name that is empty once cleaned.
FALLBACK_NAME: Final = "upload"
#: Compression suffixes kept together with the format's: ``run.fit.gz`` keeps ``.fit.gz``.
COMPRESSION_SUFFIXES: Final = frozenset({".gz"})
#: Longest suffix kept as an extension, in bytes; anything longer is part of the name.
MAX_SUFFIX_BYTES: Final = 16


def upload_name(raw: str | None, *, max_bytes: int = limits.MAX_UPLOAD_NAME_BYTES) -> str:
    """``raw`` as a bare, printable, NFC file name of at most ``max_bytes`` UTF-8 bytes.

    Path parts are dropped (``../../etc/passwd`` is ``passwd``, ``C:\\x\\run.fit``
    is ``run.fit``), control characters removed (``foulee.limits``), the text
    composed (NFC, so ``é`` is one character whichever keyboard typed it) and
    trimmed; a name too long loses the end of its stem, never its extension,
    so the format is still known by it.
    """
    text = limits.without_forbidden_characters(raw or "", multiline=False)
    text = unicodedata.normalize("NFC", text.replace("\\", "/"))
    name = PurePosixPath(text).name.strip() if text.strip("/") else ""
    if name in ("", ".", ".."):
        return FALLBACK_NAME
    return _bounded(name, max_bytes)


def _bounded(name: str, max_bytes: int) -> str:
    if len(name.encode()) <= max_bytes:
        return name
    suffix = _extension(name)
    budget = max(max_bytes - len(suffix.encode()), 1)
    stem = name[: len(name) - len(suffix)].encode()[:budget].decode("utf-8", errors="ignore").rstrip()
    return (stem or FALLBACK_NAME[:budget]) + suffix


def _extension(name: str) -> str:
    """The name's extension: its last suffix, with the one before when the last is a compression."""
    suffixes = PurePosixPath(name).suffixes
    if not suffixes:
        return ""
    kept = (
        suffixes[-2:] if suffixes[-1].lower() in COMPRESSION_SUFFIXES and len(suffixes) > 1 else suffixes[-1:]
    )
    extension = "".join(kept)
    return extension if len(extension.encode()) <= MAX_SUFFIX_BYTES else ""
