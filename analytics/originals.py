"""Original activity files, as the sync reads them back from the system of record's storage.

The analytics store is derived from Django, samples included: the sync reads
an activity's samples from its original file, so a store rebuilt from scratch
(``foulee sync`` on an empty database) gets them back. The importer has just
parsed the file, so it hands the parsed activity over here, keyed by the file's
checksum, before it saves the activity (the save's on-commit sync runs at once),
and the sync that follows the import does not parse it again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Final

from django.core.files.storage import default_storage

from analytics.readers import ParsedActivity, read_activity
from foulee.config import get_settings

#: Parsed activities kept for the sync that follows their import. A few are enough: the sync
#: runs after each import commits; a bigger batch falls back to reading the files again.
RECENT_CAPACITY: Final = 16

_recent: OrderedDict[str, ParsedActivity] = OrderedDict()
_lock = threading.Lock()


def remember(checksum: str, parsed: ParsedActivity) -> None:
    """Keep a just-imported activity for the sync, evicting the oldest beyond the capacity."""
    with _lock:
        _recent[checksum] = parsed
        _recent.move_to_end(checksum)
        while len(_recent) > RECENT_CAPACITY:
            _recent.popitem(last=False)


def forget(checksum: str) -> None:
    """Drop what :func:`remember` kept for an import that did not happen."""
    with _lock:
        _recent.pop(checksum, None)


def load(name: str, checksum: str) -> ParsedActivity:
    """The parsed original file ``name`` (a storage path): from memory if just imported, else read.

    Raises ``OSError`` when the file is gone and ``ActivityFileError`` when it
    no longer parses.
    """
    with _lock:
        parsed = _recent.pop(checksum, None)
    if parsed is not None:
        return parsed
    with default_storage.open(name, "rb") as original:
        data = original.read()
    return read_activity(data, name, max_bytes=get_settings().max_upload_bytes)
