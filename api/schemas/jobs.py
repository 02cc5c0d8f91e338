"""A background job as the API shows it (``GET /v1/jobs/{id}``, an upload's ``202``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from web.jobs.models import Job, JobStatus

#: What a job that gave up says; its error itself is in the admin, for the coach and the admins.
DEAD_MESSAGE = "The job failed on every attempt; the admins and your coach can see why in the admin."


class JobOut(BaseModel):
    id: int
    kind: Literal["import", "sync", "purge"]
    status: Literal["queued", "running", "done", "failed", "dead"] = Field(
        description=(
            "`queued`, `running`, `done`; `failed` when an attempt failed and another is coming, "
            "`dead` when every attempt did (nothing more will happen)."
        )
    )
    athlete_id: int | None
    attempts: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    url: str = Field(description="Where to follow it.")
    progress: int = Field(description="For an import, the files whose result is known so far.")
    message: str | None = Field(default=None, description="For a dead job, what to do.")
    result: Any | None = Field(
        default=None,
        description="For a finished import, the upload's answer (its results, one per file, and summary).",
    )

    @classmethod
    def of(cls, job: Job, result: Any | None = None) -> JobOut:
        return cls(
            id=job.pk,
            kind=job.kind,  # type: ignore[arg-type]
            status=job.status,  # type: ignore[arg-type]
            athlete_id=job.owner_id,
            attempts=job.attempts,
            created_at=job.created_at,
            finished_at=job.finished_at,
            url=f"/v1/jobs/{job.pk}",
            progress=len(job.result.get("results", [])),
            message=DEAD_MESSAGE if job.status == JobStatus.DEAD else None,
            result=result,
        )
