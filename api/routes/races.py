"""``/v1/races``: a race result read from a public results page.

The route parses the request and renders the outcome; the work is the service's
(``web.activities.results.service``), the one the web form calls too.
"""

from __future__ import annotations

from django.utils import translation
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from api.db import django_db
from api.deps import CurrentUser, TargetAthlete
from api.errors import AUTHENTICATED, CODES, ErrorDetail, FieldError, responses
from api.routes.activities import activities_out
from api.schemas.races import (
    CandidateOut,
    RaceImportAmbiguous,
    RaceImportIn,
    RaceImportOut,
    RaceImportRefused,
)
from web.activities.results.fetch import ResultsError
from web.activities.results.service import import_race_result

router = APIRouter(prefix="/races", tags=["races"], responses=responses(*AUTHENTICATED, 404))


@router.post(
    "/import-url",
    status_code=201,
    summary="Import a race result from a results page",
    response_model=RaceImportOut,
    responses={
        200: {
            "model": RaceImportOut,
            "description": "Imported before: `status: duplicate`, the same activity.",
        },
        409: {"model": RaceImportAmbiguous, "description": "Several rows name the athlete: pick one."},
        422: {"model": RaceImportRefused, "description": "Nothing to import, and why (`reason`)."},
    },
)
@django_db
def import_from_url(
    response: Response, user: CurrentUser, athlete: TargetAthlete, body: RaceImportIn
) -> RaceImportOut | JSONResponse:
    """Fetch the page (now, once), find the athlete's row by their account name, record it as a race.

    The race then shows first in the records (`personal_records`) and, once synced, counts in the
    predictions. Addresses of private or reserved networks are refused (docs/results.md).
    """
    try:
        outcome = import_race_result(
            athlete, body.url, race_date=body.date, distance_m=body.distance_m, choice=body.choice
        )
    except ResultsError as error:
        with translation.override("en"):
            message = str(error.reason)
        refused = RaceImportRefused(
            error=ErrorDetail(
                status=422,
                code=CODES[422],
                message=message,
                fields=[FieldError(field="body.url", message=message)],
            ),
            reason=error.code,
        )
        return JSONResponse(refused.model_dump(mode="json"), status_code=422)
    if outcome.status == "ambiguous":
        message = f"{len(outcome.candidates)} rows of the page name the athlete: send one's `choice`."
        ambiguous = RaceImportAmbiguous(
            error=ErrorDetail(status=409, code=CODES[409], message=message),
            candidates=[CandidateOut.of(candidate) for candidate in outcome.candidates],
        )
        return JSONResponse(ambiguous.model_dump(mode="json"), status_code=409)
    assert outcome.activity is not None  # noqa: S101 - imported and duplicate carry their activity
    if outcome.status == "duplicate":
        response.status_code = 200
    return RaceImportOut(
        status=outcome.status, activity=activities_out(user, athlete.pk, [outcome.activity])[0]
    )
