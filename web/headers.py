"""The site's pages (and the admin's) carry :mod:`foulee.headers`'s security headers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from foulee.headers import security_headers


class SecurityHeadersMiddleware:
    """Adds each header of the policy a response does not set itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = security_headers(https=settings.FOULEE_HTTPS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            if name not in response.headers:
                response.headers[name] = value
        return response
