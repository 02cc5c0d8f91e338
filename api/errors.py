"""One JSON error shape for every failure under ``/v1``, whatever raised it.

Clients (the bot, scripts, other programs) handle one shape::

    {"error": {"status": 422, "code": "validation_error", "message": "...",
               "fields": [{"field": "query.distance_m", "message": "..."}]}}

``fields`` names each invalid input, so a form can point at it. Nothing
internal (a traceback, a SQL statement) ever reaches the body: an unexpected
exception is logged and answered with a bare 500 in the same shape. A store
that is down (the database, the analytics store: :func:`foulee.stores.unavailable_store`)
is not a bug of the route: 503 ``unavailable``, naming which store, logged in one line.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from foulee.stores import describe, outage_errors, unavailable_store

logger = logging.getLogger(__name__)


class FieldError(BaseModel):
    field: str = Field(description="Where the bad value is: `body.distance_m`, `query.weeks`, `file`…")
    message: str


class ErrorDetail(BaseModel):
    status: int = Field(description="The HTTP status, repeated for clients that only see the body.")
    code: str = Field(description="A stable machine-readable code: `not_found`, `validation_error`…")
    message: str = Field(description="What went wrong, for a person.")
    fields: list[FieldError] = Field(default_factory=list, description="One entry per invalid input.")


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


#: Codes by status: the message varies, the code does not.
CODES: Mapping[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "content_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(HTTPException):
    """An error a route raises on purpose; its message is safe to show."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        fields: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=message, headers=dict(headers) if headers else None)
        self.fields = list(fields)


def not_found(what: str = "resource") -> ApiError:
    """404 for anything missing *or* not the caller's: the two must look the same to a prober."""
    return ApiError(404, f"No such {what}.")


def error_response(
    status: int,
    message: str,
    fields: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(
        error=ErrorDetail(
            status=status, code=CODES.get(status, "error"), message=message, fields=list(fields)
        )
    )
    return JSONResponse(body.model_dump(), status_code=status, headers=dict(headers) if headers else None)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of the error statuses a route may answer, all with ``ErrorBody``."""
    return {
        status: {"model": ErrorBody, "description": HTTPStatus(status).phrase} for status in sorted(statuses)
    }


#: What any authenticated route may answer besides its own errors (503: a store is down).
AUTHENTICATED = (400, 401, 413, 422, 429, 503)


def _location(loc: Sequence[str | int]) -> str:
    return ".".join(str(part) for part in loc)


def django_fields(error: DjangoValidationError, prefix: str = "body") -> list[FieldError]:
    """A Django model's validation errors, one entry per field (``__all__`` becomes the prefix)."""
    if hasattr(error, "error_dict"):
        return [
            FieldError(
                field=prefix if name == "__all__" else f"{prefix}.{name}",
                message=" ".join(str(message) for message in messages),
            )
            for name, messages in error.message_dict.items()
        ]
    return [FieldError(field=prefix, message=" ".join(str(message) for message in error.messages))]


def undecodable_json(error: BaseException | None) -> JSONResponse | None:
    """400 for a JSON body whose bytes are not text (invalid UTF-8), with where; None otherwise.

    FastAPI answers it "There was an error parsing the body", the decoding error as its cause.
    """
    if not isinstance(error, UnicodeDecodeError):
        return None
    data, offset = bytes(error.object), error.start
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    message = (
        f"bytes that are not {error.encoding.upper()} text at line {line}, column {column} (byte {offset})"
    )
    return error_response(
        400,
        f"The body is not valid JSON: {message}.",
        [FieldError(field="body", message=f"Not valid JSON: {message}.")],
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)  # noqa: S101 (registered for this class only)
    if exc.status_code == 400 and (undecodable := undecodable_json(exc.__cause__)) is not None:
        return undecodable
    fields = exc.fields if isinstance(exc, ApiError) else []
    message = str(exc.detail) if exc.detail else HTTPStatus(exc.status_code).phrase
    return error_response(exc.status_code, message, fields, exc.headers)


def invalid_json(document: object, errors: Sequence[Any]) -> JSONResponse | None:
    """400 for a body that is not JSON at all, with where the parser stopped; None for any other error.

    FastAPI reports it as a validation error located at ``body.<character offset>``,
    which reads like a field of the body; it is the body as a whole that is wrong.
    """
    problem = next((error for error in errors if error.get("type") == "json_invalid"), None)
    if problem is None:
        return None
    offset = problem["loc"][-1] if isinstance(problem["loc"][-1], int) else 0
    reason = str(problem.get("ctx", {}).get("error", "JSON decode error"))
    if isinstance(document, str):
        # The parser's own arithmetic: the line and column of the offset in that document.
        where = json.JSONDecodeError(reason, document, offset)
        line, column = where.lineno, where.colno
    else:
        line, column = 1, offset + 1
    message = f"{reason} at line {line}, column {column}"
    return error_response(
        400,
        f"The body is not valid JSON: {message}.",
        [FieldError(field="body", message=f"Not valid JSON: {message}.")],
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 (registered for this class only)
    malformed = invalid_json(exc.body, exc.errors())
    if malformed is not None:
        return malformed
    # A parameter shared by two dependencies of one route (``TargetAthlete`` under ``HealthAllowed``) is
    # validated, and reported, once per dependency: one entry per distinct error is what a client wants.
    errors = {(_location(item["loc"]), str(item["msg"])): None for item in exc.errors()}
    fields = [FieldError(field=field, message=message) for field, message in errors]
    names = ", ".join(sorted({field.field for field in fields}))
    return error_response(422, f"Invalid input: {names}.", fields)


async def _django_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DjangoValidationError)  # noqa: S101 (registered for this class only)
    fields = django_fields(exc)
    return error_response(422, "Invalid input: " + ", ".join(field.field for field in fields) + ".", fields)


async def _store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    store = unavailable_store(exc)
    assert store is not None  # noqa: S101 (registered for the outage errors only)
    # One line: an outage is the operator's to fix, not a bug whose traceback would help.
    logger.error(
        "%s unavailable on %s %s: %s", store.setting, request.method, request.url.path, describe(exc)
    )
    return error_response(503, f"Service unavailable: {store.label} does not answer; retry later.")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "Internal error; it has been logged.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DjangoValidationError, _django_validation_error)
    for outage in outage_errors():
        app.add_exception_handler(outage, _store_unavailable)
    app.add_exception_handler(Exception, _unexpected)
