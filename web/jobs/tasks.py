"""Foulée's background tasks: an upload's import, the analytics sync, the retention purge.

Each task works on a :class:`~web.jobs.models.Job` row given by id. A
redelivered message of a finished job does nothing; an import run again
keeps the results it already has (a file imported by the first attempt is
never reported twice); errors of a store that is down are retried with
backoff, and a job that keeps failing ends ``dead`` with its error.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any, Final

from celery import Task
from django.db import transaction
from django.utils import timezone

from analytics.importing.batch import BatchSummary, plan_zip
from analytics.importing.service import ImportResult, import_file
from foulee import stores
from foulee.config import get_settings
from web.jobs.celery_app import app
from web.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)

#: Errors worth another attempt: a store that does not answer (the caller's data is not at fault).
TRANSIENT: Final = tuple(stores.outage_errors())
MAX_RETRIES: Final = 5
#: Backoff: 2, 4, 8… seconds (with jitter), never more than this between attempts.
RETRY_BACKOFF_MAX_S: Final = 300


class JobTask(Task):  # type: ignore[misc]
    """A task whose first argument is its Job's id: the row follows each attempt."""

    autoretry_for = TRANSIENT
    max_retries = MAX_RETRIES
    retry_backoff = 2
    retry_backoff_max = RETRY_BACKOFF_MAX_S
    retry_jitter = True
    acks_late = True
    reject_on_worker_lost = True

    def on_retry(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        _record(args[0], JobStatus.FAILED, exc)

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        logger.error("job %s is dead after %s: %s", args[0], type(exc).__name__, exc)
        _record(args[0], JobStatus.DEAD, exc)


def _record(job_id: int, status: JobStatus, exc: BaseException) -> None:
    try:
        job = Job.objects.get(pk=job_id)
    except Job.DoesNotExist:
        return
    except TRANSIENT:
        logger.exception("job %s: its state (%s) could not be recorded", job_id, status)
        return
    job.mark(status, error=f"{type(exc).__name__}: {exc}"[:2000])


def _start(job_id: int) -> Job | None:
    """The job, now ``running``; None when it is already finished (a redelivered message)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        job.attempts += 1
        job.mark(JobStatus.RUNNING, attempts=job.attempts, started_at=job.started_at or timezone.now())
    return job


def spool_dir(job: Job) -> Path:
    """Where an upload's files wait for the worker: the data dir, which web and workers share."""
    return get_settings().media_dir / "jobs" / str(job.pk)


@app.task(base=JobTask, bind=True, name="foulee.import")
def import_upload(self: JobTask, job_id: int) -> dict[str, Any] | None:
    """Import each spooled file of the job for its owner; one result per file, as every door shows."""
    job = _start(job_id)
    if job is None or job.owner is None:
        return None
    kept = list(job.result.get("results", []))
    done = set(job.result.get("done", []))
    seen = {result["file"] for result in kept}
    skipped = int(job.result.get("skipped_without_file", 0))
    max_bytes = get_settings().max_upload_bytes

    def save() -> None:
        job.result = {"results": kept, "done": sorted(done), "skipped_without_file": skipped}
        job.save(update_fields=["result"])

    def keep(result: ImportResult) -> None:
        # Saved file by file: a worker lost halfway loses nothing it did.
        if result.file not in seen:
            seen.add(result.file)
            kept.append(result.to_json())
            save()

    for index, entry in enumerate(job.payload.get("files", [])):
        if index in done:
            continue
        name, path = entry["name"], Path(entry["path"])
        if entry.get("refused"):
            kept.append(ImportResult.refused(name, entry["refused"]).to_json())
        elif name.lower().endswith(".zip"):
            counts = BatchSummary()
            for result in plan_zip(job.owner, path, counts, label=name).run():
                keep(result)
            skipped += counts.skipped_without_file
        else:
            with path.open("rb") as spooled:
                kept.append(import_file(job.owner, spooled.read(max_bytes + 1), name).to_json())
        done.add(index)
        save()
    if not kept:
        label = job.payload.get("label", "upload")
        kept.append(ImportResult.refused(label, "the zip holds no activity file").to_json())
    job.mark(JobStatus.DONE, result={"results": kept, "skipped_without_file": skipped}, error="")
    shutil.rmtree(spool_dir(job), ignore_errors=True)
    return {"job": job.pk, "files": len(kept)}


@app.task(base=JobTask, bind=True, name="foulee.sync.job")
def sync_job(self: JobTask, job_id: int) -> dict[str, Any] | None:
    """The incremental Django -> analytics sync, as a job (safe to repeat: it is incremental)."""
    from analytics.sync import sync

    job = _start(job_id)
    if job is None:
        return None
    report = sync()
    summary = {"summary": report.summary()}
    job.mark(JobStatus.DONE, result=summary, error="")
    return summary


@app.task(base=JobTask, bind=True, name="foulee.purge.job")
def purge_job(self: JobTask, job_id: int) -> dict[str, Any] | None:
    """``foulee purge --apply``: each rule deletes what is past its period (safe to repeat)."""
    from web.accounts.retention import purge

    job = _start(job_id)
    if job is None:
        return None
    outcomes = {result.rule.name: str(result.outcome) for result in purge(apply=True)}
    job.mark(JobStatus.DONE, result={"rules": outcomes}, error="")
    return {"rules": outcomes}


@app.task(name="foulee.sync")
def scheduled_sync() -> int:
    """The beat's sync: a Job row, then the job (so a failing sync shows in the admin)."""
    from web.jobs.submit import submit_sync

    return submit_sync().pk


@app.task(name="foulee.purge")
def scheduled_purge() -> int:
    from web.jobs.submit import submit_purge

    return submit_purge().pk
