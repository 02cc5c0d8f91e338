"""Request body caps for ``/v1``: small JSON bodies everywhere, the import limit for uploads.

A declared ``Content-Length`` over the cap is refused before a byte is read;
a body without one (chunked) is counted as it streams and refused as soon as
it passes the cap, so a client cannot make the server buffer more than the
cap either way (OWASP API4:2023). Django's own pages keep Django's limits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError, error_response

#: JSON bodies of this API are a few hundred bytes (an activity, a message, a profile).
MAX_JSON_BODY_BYTES: Final = 64 * 1024
#: Room for the multipart envelope around an uploaded file.
MULTIPART_OVERHEAD_BYTES: Final = 64 * 1024

TOO_LARGE: Final = "Request body too large: at most {limit} bytes here."


class BodyLimitMiddleware:
    """Caps the body of ``/v1`` requests; ``limit_for(path)`` says how much a path may take."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(path)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            status = 413 if declared.isdigit() else 400
            message = TOO_LARGE.format(limit=limit) if status == 413 else "Invalid Content-Length."
            await error_response(status, message)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI re-raises HTTP errors met while reading a body, so the
                    # exception handlers answer this in the usual error shape.
                    raise ApiError(413, TOO_LARGE.format(limit=limit))
            return message

        await self.app(scope, counted, send)
