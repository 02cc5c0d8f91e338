"""Who may read what Foulée writes: its owner, nobody else.

The data dir holds the databases, the athletes' original files and the secret
key that signs sessions. Decision: one mechanism, in layers, rather than a mode
for each file at each place that writes one:

* the processes Foulée starts (``foulee …``, ``manage.py``, ``web.asgi`` and
  ``web.wsgi`` under any server) set the umask to :data:`PRIVATE_UMASK` first
  thing, so every file and folder they create (SQLite files and their
  ``-wal``/``-shm``, uploads, indexes, caches) is 600 or 700;
* the data dir is created 700 (:data:`PRIVATE_DIR`), so its contents stay
  private even if some file in it were not;
* Django's storage sets uploads 600 and their folders 700 itself
  (``FILE_UPLOAD_PERMISSIONS``), and the generated secret key is created 600:
  the two the umask would otherwise be trusted alone with.

Existing data dirs and files keep their modes: nothing is changed behind an
operator's back (``chmod -R go= var`` tightens an old one).
"""

from __future__ import annotations

import os
from typing import Final

#: Mode of the files Foulée creates: read and write for the owner only.
PRIVATE_FILE: Final = 0o600
#: Mode of the folders Foulée creates: the owner only.
PRIVATE_DIR: Final = 0o700
#: The umask that gives every new file :data:`PRIVATE_FILE` and every new folder :data:`PRIVATE_DIR`.
PRIVATE_UMASK: Final = 0o077


def keep_files_private() -> None:
    """From now on, everything this process creates is its owner's only."""
    os.umask(PRIVATE_UMASK)
