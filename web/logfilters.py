"""Logging filters of the web app.

A request with a Host header not in ``FOULEE_ALLOWED_HOSTS`` is a scanner or a
misconfigured proxy, not a bug: Django answers 400 and logs it on
``django.security.DisallowedHost`` with the whole traceback of where it
noticed. :class:`WithoutTraceback` keeps the one line that says which host.
"""

from __future__ import annotations

import logging


class WithoutTraceback(logging.Filter):
    """Let the record through without its exception: the message alone."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
