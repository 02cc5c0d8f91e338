"""Django's database connections under FastAPI's thread pool.

Django keeps one connection per thread and relies on its own request cycle
(the ``request_started``/``request_finished`` signals) to close stale ones.
FastAPI runs sync routes and dependencies in a pool of worker threads that
Django knows nothing about, so without help a worker would keep a connection
the server closed long ago, or one past ``CONN_MAX_AGE``, for ever. Every
piece of code that touches the ORM here runs through :func:`django_db`, which
does what Django's request cycle does, in the thread that owns the connection:
close what is stale before, and what has aged out after (with the default
``CONN_MAX_AGE = 0``, that is every connection, so nothing is left open
between requests).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import close_old_connections

P = ParamSpec("P")
R = TypeVar("R")


def django_db(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a sync route or dependency so its thread's Django connections are kept healthy."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        close_old_connections()
        try:
            return func(*args, **kwargs)
        finally:
            close_old_connections()

    return wrapper
