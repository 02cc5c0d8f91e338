"""``/v1/activities``: list, read, log by hand, upload files, delete.

Writes go through the same services as every other door: the manual entry
service (``web.activities.services``) and the import service
(``analytics.importing``), so an activity the API accepts is one the admin,
the bot and ``foulee import`` would accept too.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from django.db.models import Q, QuerySet
from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile

from analytics.importing.batch import BatchSummary, plan_zip
from analytics.importing.service import ImportResult, import_file
from api.db import django_db
from api.deps import (
    DEFAULT_PAGE_SIZE,
    CurrentUser,
    IsoDateTime,
    PageLimit,
    PageOffset,
    PathId,
    TargetAthlete,
)
from api.errors import AUTHENTICATED, ApiError, FieldError, not_found, responses
from api.schemas.activities import (
    ActivityOut,
    ActivityPage,
    ImportResultOut,
    ManualActivity,
    UploadResponse,
    UploadSummary,
)
from foulee.config import get_settings
from foulee.filenames import upload_name
from web.accounts.models import User
from web.accounts.scoping import visible_athletes
from web.activities.models import Activity, Sport
from web.activities.services import log_manual_activity

router = APIRouter(prefix="/activities", tags=["activities"], responses=responses(*AUTHENTICATED, 404))


def visible_activities(user: User) -> QuerySet[Activity]:
    """Activities ``user`` may read: their own and those of the athletes scoping lets them see."""
    return Activity.objects.filter(Q(user=user) | Q(user__in=visible_athletes(user)))


@router.get("", summary="List activities")
@django_db
def list_activities(
    athlete: TargetAthlete,
    limit: PageLimit = DEFAULT_PAGE_SIZE,
    offset: PageOffset = 0,
    sport: Annotated[Sport | None, Query(description="Only this sport.")] = None,
    since: Annotated[IsoDateTime | None, Query(description="Started at or after (with offset).")] = None,
    until: Annotated[IsoDateTime | None, Query(description="Started before (with offset).")] = None,
) -> ActivityPage:
    """The athlete's activities, newest first, a page at a time."""
    activities = Activity.objects.filter(user=athlete)
    if sport is not None:
        activities = activities.filter(sport=sport)
    if since is not None:
        activities = activities.filter(start_time__gte=since)
    if until is not None:
        activities = activities.filter(start_time__lt=until)
    total = activities.count()
    page = list(activities.order_by("-start_time", "-id")[offset : offset + limit])
    following = offset + limit
    return ActivityPage(
        items=[ActivityOut.of(activity) for activity in page],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=following if following < total else None,
    )


@router.get("/{activity_id:int}", summary="Get an activity")
@django_db
def get_activity(user: CurrentUser, activity_id: PathId) -> ActivityOut:
    activity = visible_activities(user).filter(pk=activity_id).first()
    if activity is None:
        raise not_found("activity")
    return ActivityOut.of(activity)


@router.post("", status_code=201, summary="Log an activity by hand")
@django_db
def create_activity(athlete: TargetAthlete, body: ManualActivity) -> ActivityOut:
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
    return ActivityOut.of(activity)


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
    responses=responses(413),
    dependencies=[Depends(one_file_part)],
)
@django_db
def upload_activity(
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
) -> UploadResponse:
    """Import through the same service as `foulee import`: one result per file, a bad file says why.

    The same file, or the same run from another device, is imported once: the
    second time its result is `duplicate`, naming the activity it matches.
    """
    summary = BatchSummary()
    name = upload_name(file.filename)
    results = list(_import_upload(athlete, file, name, summary))
    if not results:
        results = [ImportResult.refused(name, "the zip holds no activity file")]
        summary.add(results[0])
    return UploadResponse(
        athlete_id=athlete.pk,
        results=[ImportResultOut.model_validate(result.to_json()) for result in results],
        summary=UploadSummary(
            imported=summary.imported,
            duplicates=summary.duplicates,
            errors=summary.errors,
            skipped_without_file=summary.skipped_without_file,
        ),
    )


def _import_upload(athlete: User, upload: UploadFile, name: str, summary: BatchSummary) -> list[ImportResult]:
    max_bytes = get_settings().max_upload_bytes
    if upload.size is not None and upload.size > max_bytes:
        result = ImportResult.refused(name, "file size over the limit")
        summary.add(result)
        return [result]
    if not name.lower().endswith(".zip"):
        # One byte over the limit is enough for the reader to refuse it; never read more.
        result = import_file(athlete, upload.file.read(max_bytes + 1), name)
        summary.add(result)
        return [result]
    # The zip is read member by member where it lies on disk: spool the upload to a file first.
    results = []
    with tempfile.NamedTemporaryFile(suffix=".zip") as spooled:
        shutil.copyfileobj(upload.file, spooled)
        spooled.flush()
        plan = plan_zip(athlete, Path(spooled.name), summary, label=name)
        for result in plan.run():
            summary.add(result)
            results.append(result)
    return results


@router.delete("/{activity_id:int}", status_code=204, summary="Delete an activity")
@django_db
def delete_activity(user: CurrentUser, activity_id: PathId) -> Response:
    """The analytics store forgets it at its next sync (a tombstone records the deletion)."""
    activity = visible_activities(user).filter(pk=activity_id).first()
    if activity is None:
        raise not_found("activity")
    activity.delete()
    return Response(status_code=204)
