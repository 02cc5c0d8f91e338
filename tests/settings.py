"""Django settings for the test suite: the real settings, with a throwaway data dir."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

_data_dir = tempfile.mkdtemp(prefix="foulee-test-")
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)
os.environ["FOULEE_DATA_DIR"] = _data_dir

from web.settings import *  # noqa: E402, F403

# Password hashing is deliberately slow in production; tests only need it to work.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
