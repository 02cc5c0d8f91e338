"""The one exception the readers raise, so that callers catch a single type."""

from __future__ import annotations


class ActivityFileError(ValueError):
    """An activity file that cannot be read; the message is one line naming the reason.

    The importer shows this message to the athlete as is, so it must never
    carry a traceback or library jargon beyond the reason itself.
    """
