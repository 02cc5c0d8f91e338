"""A page, not a 500, when a store is down: the web's side of :mod:`foulee.stores`.

An error that :func:`foulee.stores.unavailable_store` recognises (the database
or the analytics store does not answer) is answered with a short page and
status 503, logged in one line naming the setting to look at. The page reads
nothing from either store (not even the logged-in user), so it renders while
they are down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from foulee.stores import describe, unavailable_store

logger = logging.getLogger(__name__)


class StoreUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        store = unavailable_store(exception)
        if store is None:
            return None
        logger.error(
            "%s unavailable on %s %s: %s", store.setting, request.method, request.path, describe(exception)
        )
        page = render_to_string("site/unavailable.html", {"request_path": request.get_full_path()})
        return HttpResponse(page, status=503)
