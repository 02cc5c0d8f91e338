"""Django settings for the test suite: the real settings, with throwaway stores.

The data dir is a temporary folder. The analytics store follows the system of
record's backend: a SQLite file in the data dir, or, when the suite runs on
PostgreSQL (``DATABASE_URL``), a database of its own on the same server,
created here and dropped when the run ends.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from tests import pg

_data_dir = tempfile.mkdtemp(prefix="foulee-test-")
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)
os.environ["FOULEE_DATA_DIR"] = _data_dir
# Sync on commit stays on, as in production: a test that commits (transactional_db, the live
# servers) syncs the way a user's change does; tests inside a rolled-back transaction sync
# explicitly, since nothing of theirs ever commits.
os.environ.pop("FOULEE_SYNC_ON_COMMIT", None)

if pg.suite_on_postgres():
    os.environ["ANALYTICS_DATABASE_URL"] = pg.create_database("foulee_analytics_test")
else:
    os.environ.pop("ANALYTICS_DATABASE_URL", None)

from web.settings import *  # noqa: E402, F403

# Password hashing is deliberately slow in production; tests only need it to work.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
