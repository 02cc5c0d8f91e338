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
from collections.abc import Iterable
from typing import Final

from django.core.files.storage import default_storage

from analytics.readers import ActivityFileError, ParsedActivity, ParsedFile, read_file
from foulee.config import get_settings

#: Parsed activities kept for the sync that follows their import. A few are enough: the sync
#: runs after each import commits; a bigger batch falls back to reading the files again.
RECENT_CAPACITY: Final = 16

#: Each file with the legs the sync has yet to load (a multisport file's legs are activities each).
_recent: OrderedDict[str, tuple[ParsedFile, set[int]]] = OrderedDict()
_lock = threading.Lock()


def remember(checksum: str, parsed: ParsedFile, legs: Iterable[int] = (0,)) -> None:
    """Keep a just-imported file for the sync of its ``legs``, evicting the oldest beyond the capacity."""
    with _lock:
        _recent[checksum] = (parsed, set(legs))
        _recent.move_to_end(checksum)
        while len(_recent) > RECENT_CAPACITY:
            _recent.popitem(last=False)


def forget(checksum: str) -> None:
    """Drop what :func:`remember` kept for an import that did not happen."""
    with _lock:
        _recent.pop(checksum, None)


def load(name: str, checksum: str, leg: int = 0) -> ParsedActivity:
    """Leg ``leg`` of the parsed original file ``name`` (a storage path): from memory if just
    imported, else read. A file stays in memory until each of its imported legs was loaded.

    Raises ``OSError`` when the file is gone and ``ActivityFileError`` when it
    no longer parses (or no longer has that leg).
    """
    with _lock:
        entry = _recent.get(checksum)
        if entry is not None and leg in entry[1]:
            entry[1].discard(leg)
            if not entry[1]:
                del _recent[checksum]
            return entry[0].legs[leg]
    with default_storage.open(name, "rb") as original:
        data = original.read()
    parsed = read_file(data, name, max_bytes=get_settings().max_upload_bytes)
    if leg >= len(parsed.legs):
        raise ActivityFileError(f"the file has no leg {leg + 1}")
    return parsed.legs[leg]
