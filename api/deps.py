"""Typed dependencies every route declares: who is calling, and whose data they may touch.

``CurrentUser`` authenticates the bearer token; ``TargetAthlete`` resolves the
optional ``athlete_id`` through ``web.accounts.scoping`` (the one rule for who
sees what). No route reads an athlete id from the request any other way, so
no route can skip the check.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Final

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)

from api.db import django_db
from api.errors import ApiError, FieldError, not_found
from web.accounts.models import ApiToken, User
from web.accounts.scoping import athlete_seen_by
from web.accounts.timezones import zone_of

#: Ids are 64-bit in both databases; a larger number is refused as invalid, not sent to SQL.
MAX_ID: Final = 2**63 - 1
#: The most items one page of a list returns.
MAX_PAGE_SIZE: Final = 100
DEFAULT_PAGE_SIZE: Final = 20
#: Far beyond any athlete's history, and far from integer overflow once a page size is added.
MAX_OFFSET: Final = 1_000_000_000

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiToken",
    description=(
        "An API token (`fle_…`) from `foulee token create --user EMAIL`. It expires "
        "and can be revoked; only its hash is stored."
    ),
)

_CHALLENGE: Final = {"WWW-Authenticate": "Bearer"}


@django_db
def _current_user(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> User:
    if credentials is None:
        raise ApiError(401, "A bearer token is required.", headers=_CHALLENGE)
    user = ApiToken.authenticate(credentials.credentials)
    if user is None:
        # Unknown, expired, revoked, or its user deactivated: the same answer for each.
        raise ApiError(401, "The token is invalid, expired or revoked.", headers=_CHALLENGE)
    return user


CurrentUser = Annotated[User, Depends(_current_user)]

AthleteIdQuery = Annotated[
    int | None,
    Query(
        ge=1,
        le=MAX_ID,
        description=(
            "For a coach: the athlete (one of yours) whose data to use. "
            "Omitted, the data is the caller's own."
        ),
        examples=[42],
    ),
]


def api_what(request: Request, detail: str = "") -> str:
    """The access record's code of an API call: ``api:`` and the route (``api:analytics/zones``).

    A call that changes data says its method (``api:POST activities``); ``detail`` adds the object.
    """
    route = request.scope.get("route")
    path = str(getattr(route, "path", request.url.path)).removeprefix("/v1").strip("/")
    path = re.sub(r"/?\{[^}]*\}", "", path) + (f":{detail}" if detail else "")
    return f"api:{path}" if request.method in {"GET", "HEAD"} else f"api:{request.method} {path}"


@django_db
def _target_athlete(request: Request, user: CurrentUser, athlete_id: AthleteIdQuery = None) -> User:
    if athlete_id is None or athlete_id == user.pk:
        return user
    athlete = athlete_seen_by(user, athlete_id, api_what(request))
    if athlete is None:
        # Not "forbidden": whether someone else's athlete exists is not the caller's to learn.
        raise not_found("athlete")
    return athlete


TargetAthlete = Annotated[User, Depends(_target_athlete)]


@django_db
def _health_athlete(athlete: TargetAthlete) -> User:
    """The target athlete, for a route that reads health data: 403 without their consent."""
    from django.utils import translation

    from web.accounts.consent import WITHHELD, may_process_health

    if not may_process_health(athlete):
        with translation.override("en"):
            raise ApiError(403, str(WITHHELD))
    return athlete


@django_db
def _health_allowed(athlete: TargetAthlete) -> bool:
    from web.accounts.consent import may_process_health

    return may_process_health(athlete)


#: Whether the target athlete's health data may be shown: a route with some HR figures drops them.
HealthAllowed = Annotated[bool, Depends(_health_allowed)]

#: ``TargetAthlete`` for the heart-rate routes (zones, load): the athlete's consent to health data
#: (``web.accounts.consent``) is checked for their coach too.
HealthAthlete = Annotated[User, Depends(_health_athlete)]

PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="The object's id.")]

_ISO_DATETIME: Final = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_only(value: object) -> object:
    """Refuse what pydantic would otherwise read as a date-time (a bare number is a Unix time to it)."""
    if isinstance(value, str) and not _ISO_DATETIME.match(value):
        raise ValueError("expected an ISO 8601 date-time with its offset, e.g. 2026-11-20T07:30:00+01:00")
    return value


def _in_utc(value: dt.datetime) -> dt.datetime:
    """The same instant in UTC: the databases take no offset beyond ±15:59, and no year before 1."""
    try:
        return value.astimezone(dt.UTC)
    except OverflowError as error:
        raise ValueError("date-time out of range") from error


#: A date-time in a query string: ISO 8601 with an offset, as the schema says; used in UTC.
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_only), AfterValidator(_in_utc)]

_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME: Final = TypeAdapter(IsoDateTime)
_DATE_OR_DATETIME_MESSAGE: Final = (
    "expected a date (2026-11-20) or an ISO 8601 date-time with its offset (2026-11-20T07:30:00+01:00)"
)


def _date_or_datetime(value: object) -> dt.date | dt.datetime:
    """A bare ``YYYY-MM-DD`` as a date; anything else read as :data:`IsoDateTime` is."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"{value} is not a date of the calendar") from error
    try:
        moment: dt.datetime = _DATETIME.validate_python(value)
    except ValidationError as error:
        raise ValueError(_DATE_OR_DATETIME_MESSAGE) from error
    return moment


#: A day or an instant in a query string: a date (``2026-11-20``) stands for the athlete's local
#: day, from its midnight (:func:`local_moment`), a date-time with its offset for itself.
DateOrDateTime = Annotated[
    dt.date | dt.datetime,
    PlainValidator(_date_or_datetime),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
    ),
]


def local_moment(
    value: dt.date | dt.datetime, athlete: User, field: str, *, end_of_day: bool = False
) -> dt.datetime:
    """``value`` as an instant in UTC: a date is the athlete's local midnight (their time zone).

    The midnight that starts the day, or with ``end_of_day`` the one that ends it
    (the next day's), so that ``until=`` a date includes that day, as the web's
    filter does. ``field`` (``query.since``) is named in the 422 when that
    midnight is outside the calendar.
    """
    if isinstance(value, dt.datetime):
        return value
    try:
        day = value + dt.timedelta(days=1) if end_of_day else value
        return dt.datetime.combine(day, dt.time(0), tzinfo=zone_of(athlete)).astimezone(dt.UTC)
    except OverflowError as error:
        message = "date out of range"
        raise ApiError(
            422, f"Invalid input: {field}.", fields=[FieldError(field=field, message=message)]
        ) from error


PageLimit = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}.")
]
PageOffset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]


def reject_unknown_query(request: Request) -> None:
    """Refuse query parameters the route does not declare: a typo (``athleteid=``) must not pass unseen.

    Installed on the whole API, so every route is strict the same way.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ApiError(
            422,
            "Unknown query parameter: " + ", ".join(unknown) + ".",
            fields=[
                FieldError(field=f"query.{name}", message="Not a parameter of this route.")
                for name in unknown
            ],
        )


#: Query names per route dependant (by id: routes live as long as the app).
_QUERY_NAMES: dict[int, frozenset[str]] = {}


def _query_names(dependant: Any) -> frozenset[str]:
    names = _QUERY_NAMES.get(id(dependant))
    if names is None:
        names = _QUERY_NAMES[id(dependant)] = frozenset(_walk_query_names(dependant))
    return names


def _walk_query_names(dependant: Any) -> list[str]:
    names = [field.alias for field in dependant.query_params]
    for sub in dependant.dependencies:
        names.extend(_walk_query_names(sub))
    return names
