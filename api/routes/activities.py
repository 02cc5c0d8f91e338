"""``/v1/activities``: list, read, log by hand, upload files, delete.

Writes go through the same services as every other door: the manual entry
service (``web.activities.services``) and the import service
(``analytics.importing``), so an activity the API accepts is one the admin,
the bot and ``foulee import`` would accept too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Annotated

from django.db.models import Q, QuerySet
from django.utils import translation
from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from analytics.db import get_engine
from analytics.importing.batch import BatchSummary
from analytics.importing.service import ImportResult
from analytics.queries.activities import ActivityLoad, activity_loads
from api.db import django_db
from api.deps import (
    DEFAULT_PAGE_SIZE,
    CurrentUser,
    DateOrDateTime,
    PageLimit,
    PageOffset,
    PathId,
    TargetAthlete,
    api_what,
    local_moment,
)
from api.errors import AUTHENTICATED, CODES, ApiError, ErrorDetail, FieldError, not_found, responses
from api.schemas.activities import (
    OUTCOME_STATUS,
    ActivityOut,
    ActivityPage,
    ImportResultOut,
    ManualActivity,
    UploadFailure,
    UploadResponse,
    UploadSummary,
    outcome_of,
)
from api.schemas.jobs import JobOut
from foulee import stores
from foulee.filenames import upload_name
from web.accounts import consent
from web.accounts.access import record_access
from web.accounts.models import User
from web.accounts.scoping import visible_athletes
from web.accounts.services import profile_of
from web.activities.models import Activity, Sport
from web.activities.services import log_manual_activity
from web.jobs.models import Job
from web.jobs.submit import Upload, submit_import

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/activities", tags=["activities"], responses=responses(*AUTHENTICATED, 404))


def visible_activities(user: User) -> QuerySet[Activity]:
    """Activities ``user`` may read: their own and those of the athletes scoping lets them see."""
    return Activity.objects.filter(Q(user=user) | Q(user__in=visible_athletes(user)))


def activities_out(caller: User, athlete_id: int, activities: Sequence[Activity]) -> list[ActivityOut]:
    """``activities`` (all ``athlete_id``'s) as the API shows them, as the web page shows them too.

    The training load is the analytics store's (one query for the page); the
    names of unnamed activities are in the caller's language, as their pages are.
    Heart rate and load are health data: null without the athlete's consent (``web.accounts.consent``),
    whoever reads.
    """
    health = consent.may_process_health(User.objects.get(pk=athlete_id))
    loads = _loads(athlete_id, [activity.pk for activity in activities]) if health else {}
    with translation.override(profile_of(caller).language):
        return [ActivityOut.of(activity, loads.get(activity.pk), health=health) for activity in activities]


def _loads(athlete_id: int, activity_ids: list[int]) -> dict[int, ActivityLoad]:
    """The store's loads; none when it does not answer, so the system of record's data still shows.

    A write (``POST``) has happened by then: answering 503 would invite a retry and a duplicate.
    """
    analytics_outage = tuple(
        error for error, store in stores.outage_errors().items() if store is stores.ANALYTICS
    )
    try:
        with get_engine().connect() as conn:
            return activity_loads(conn, athlete_id, activity_ids)
    except analytics_outage as error:
        logger.warning(
            "activity loads left out: the analytics store does not answer: %s", stores.describe(error)
        )
        return {}


@router.get("", summary="List activities")
@django_db
def list_activities(
    user: CurrentUser,
    athlete: TargetAthlete,
    limit: PageLimit = DEFAULT_PAGE_SIZE,
    offset: PageOffset = 0,
    sport: Annotated[Sport | None, Query(description="Only this sport.")] = None,
    since: Annotated[
        DateOrDateTime | None,
        Query(
            description=(
                "Started at or after: a date-time with its offset, or a date (from the athlete's local "
                "midnight that day, in their time zone)."
            ),
            examples=["2026-11-25"],
        ),
    ] = None,
    until: Annotated[
        DateOrDateTime | None,
        Query(
            description=(
                "Started before: a date-time with its offset, or a date, that day included (before the "
                "athlete's local midnight that ends it, in their time zone), as on the web."
            ),
            examples=["2026-11-20T07:30:00+01:00"],
        ),
    ] = None,
) -> ActivityPage:
    """The athlete's activities, newest first, a page at a time."""
    activities = Activity.objects.filter(user=athlete)
    if sport is not None:
        activities = activities.filter(sport=sport)
    if since is not None:
        activities = activities.filter(start_time__gte=local_moment(since, athlete, "query.since"))
    if until is not None:
        activities = activities.filter(
            start_time__lt=local_moment(until, athlete, "query.until", end_of_day=True)
        )
    total = activities.count()
    page = list(activities.order_by("-start_time", "-id")[offset : offset + limit])
    following = offset + limit
    return ActivityPage(
        items=activities_out(user, athlete.pk, page),
        total=total,
        limit=limit,
        offset=offset,
        next_offset=following if following < total else None,
    )


@router.get("/{activity_id:int}", summary="Get an activity")
@django_db
def get_activity(request: Request, user: CurrentUser, activity_id: PathId) -> ActivityOut:
    activity = visible_activities(user).filter(pk=activity_id).first()
    if activity is None:
        raise not_found("activity")
    record_access(user, activity.user_id, api_what(request, str(activity_id)))
    return activities_out(user, activity.user_id, [activity])[0]


@router.post("", status_code=201, summary="Log an activity by hand")
@django_db
def create_activity(user: CurrentUser, athlete: TargetAthlete, body: ManualActivity) -> ActivityOut:
    """A workout without a file; validated like the admin's form (the model's bounds, field by field)."""
    activity = log_manual_activity(
        athlete,
        start_time=body.start_time,
        distance_m=body.distance_m,
        duration_s=body.duration_s,
        sport=body.sport,
        avg_hr=body.avg_hr,
        name=body.name,
    )
    return activities_out(user, athlete.pk, [activity])[0]


async def one_file_part(request: Request) -> None:
    """Refuse a request with several ``file`` parts, which FastAPI would silently cut to the last one.

    One file per request keeps the body cap (the import limit) meaning one file;
    several files travel together as a zip, which the route imports member by member.
    """
    form = await request.form()  # parsed once: FastAPI reads the same, cached form
    parts = len(form.getlist("file"))
    if parts > 1:
        message = f"Send one file per request ({parts} `file` parts were sent); zip several files together."
        raise ApiError(422, message, fields=[FieldError(field="body.file", message=message)])


@router.post(
    "/upload",
    summary="Upload activity files",
    response_model=UploadResponse,
    responses={
        **responses(413),
        202: {
            "model": JobOut,
            "description": "Queued for a worker (a broker is configured): follow `GET /v1/jobs/{id}`.",
        },
        207: {
            "model": UploadResponse,
            "description": "Some files imported, some refused (`outcome: partial`).",
        },
        422: {"model": UploadFailure, "description": "No file could be imported; or no `file` part."},
    },
    dependencies=[Depends(one_file_part)],
)
@django_db
def upload_activity(
    response: Response,
    athlete: TargetAthlete,
    file: Annotated[
        UploadFile,
        File(
            description=(
                "One `.fit`, `.gpx` or `.tcx` file (gzipped too), or the zip of a Strava bulk export "
                "or of several files; at most FOULEE_MAX_UPLOAD_MB. One `file` part per request."
            )
        ),
    ],
) -> UploadResponse | JSONResponse:
    """Import through the same service as `foulee import`: one result per file, a bad file says why.

    With a broker configured (`FOULEE_BROKER_URL`), the upload is answered at once with `202` and
    its job (`Location: /v1/jobs/{id}`), whose `result` becomes this answer once a worker is done.
    Without one, the import runs before the answer, which is then the result:

    The status says how it went as a whole: 200 when no file failed, 207 when
    some did (`outcome: partial`), 422 in the error shape when every one did.
    The same file, or the same run from another device, is imported once: the
    second time its result is `duplicate`, naming the activity it matches (not a failure).
    """
    name = upload_name(file.filename)
    job = submit_import(athlete, [Upload(name, file.file, file.size)], label=name)
    if not job.finished:
        queued = JobOut.of(job).model_dump(mode="json")
        return JSONResponse(queued, status_code=202, headers={"Location": queued["url"]})
    return upload_outcome(response, athlete.pk, job)


def upload_outcome(response: Response, athlete_id: int, job: Job) -> UploadResponse | JSONResponse:
    """A finished import job as the upload answers it: 200, 207 or 422 with one result per file."""
    results = [ImportResult(**result) for result in job.result.get("results", [])]
    batch = BatchSummary(skipped_without_file=int(job.result.get("skipped_without_file", 0)))
    for result in results:
        batch.add(result)
    shown = [ImportResultOut.model_validate(result.to_json()) for result in results]
    summary = UploadSummary(
        imported=batch.imported,
        duplicates=batch.duplicates,
        errors=batch.errors,
        skipped_without_file=batch.skipped_without_file,
    )
    outcome = outcome_of(summary)
    message = _outcome_message(summary)
    if outcome == "failed":
        refused = [
            FieldError(field="body.file", message=f"{result.file}: {result.error}")
            for result in shown
            if result.status == "error"
        ]
        failure = UploadFailure(
            error=ErrorDetail(status=422, code=CODES[422], message=message, fields=refused),
            results=shown,
            summary=summary,
            job_id=job.pk,
        )
        return JSONResponse(failure.model_dump(mode="json"), status_code=422)
    response.status_code = OUTCOME_STATUS[outcome]
    return UploadResponse(
        athlete_id=athlete_id, outcome=outcome, message=message, results=shown, summary=summary, job_id=job.pk
    )


def _outcome_message(summary: UploadSummary) -> str:
    """``No file imported: 2 refused.``, ``1 imported, 1 refused.``: what a person reads first."""
    counts = [
        f"{count} {word}"
        for count, word in (
            (summary.imported, "imported"),
            (summary.duplicates, "already imported"),
            (summary.errors, "refused"),
        )
        if count
    ]
    if summary.errors and not (summary.imported or summary.duplicates):
        return "No file imported: " + ", ".join(counts) + " (each result says why)."
    if summary.errors:
        return "Partly imported: " + ", ".join(counts) + " (each refused file's result says why)."
    return ", ".join(counts).capitalize() + "."


@router.delete("/{activity_id:int}", status_code=204, summary="Delete an activity")
@django_db
def delete_activity(request: Request, user: CurrentUser, activity_id: PathId) -> Response:
    """The analytics store forgets it at its next sync (a tombstone records the deletion)."""
    activity = visible_activities(user).filter(pk=activity_id).first()
    if activity is None:
        raise not_found("activity")
    record_access(user, activity.user_id, api_what(request, str(activity_id)))
    activity.delete()
    return Response(status_code=204)
