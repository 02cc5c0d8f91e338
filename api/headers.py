"""The API's responses (and its docs) carry :mod:`foulee.headers`'s security headers."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foulee.headers import security_headers


class SecurityHeadersMiddleware:
    """Adds each header of the policy a response does not set itself (Django's pages set their own)."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = security_headers(https=https)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # Django sends its names capitalised; ASGI leaves the case to the app.
                present = {name.lower() for name in headers}
                for name, value in self.headers.items():
                    if name not in present:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
