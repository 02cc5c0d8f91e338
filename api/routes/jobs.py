"""``/v1/jobs/{id}``: how a background job (an upload's import) is going, and its result.

Scoped like every read: the caller's own jobs and their athletes'; any other
id answers 404, as one that does not exist.
"""

from __future__ import annotations

import json

from django.db.models import Q
from fastapi import APIRouter, Response

from api.db import django_db
from api.deps import CurrentUser, PathId
from api.errors import AUTHENTICATED, not_found, responses
from api.routes.activities import upload_outcome
from api.schemas.jobs import JobOut
from web.accounts.scoping import visible_athletes
from web.jobs.models import Job, JobKind, JobStatus

router = APIRouter(prefix="/jobs", tags=["jobs"], responses=responses(*AUTHENTICATED, 404))


@router.get("/{job_id:int}", summary="Follow a background job")
@django_db
def get_job(user: CurrentUser, job_id: PathId) -> JobOut:
    """Its status; once an import is `done`, `result` is what the upload would have answered."""
    job = Job.objects.filter(Q(owner=user) | Q(owner__in=visible_athletes(user)), pk=job_id).first()
    if job is None:
        raise not_found("job")
    result = None
    if job.kind == JobKind.IMPORT and job.status == JobStatus.DONE and job.owner_id is not None:
        answer = upload_outcome(Response(), job.owner_id, job)
        result = (
            json.loads(bytes(answer.body)) if isinstance(answer, Response) else answer.model_dump(mode="json")
        )
    return JobOut.of(job, result)
