"""Submitting a job: the row first, then the message once the row is committed.

With no broker the task runs right here (eager mode), so the returned job is
already finished; with one, it is ``queued`` and a worker takes it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.db import transaction

from foulee.config import get_settings
from foulee.filemodes import PRIVATE_DIR
from web.accounts.models import User
from web.jobs.models import Job, JobKind
from web.jobs.tasks import import_upload, purge_job, spool_dir, sync_job


@dataclass(frozen=True)
class Upload:
    """One uploaded file as a door received it: its safe name, its bytes, its declared size."""

    name: str
    file: IO[bytes]
    size: int | None = None


def _enqueue(job: Job, task: object) -> Job:
    transaction.on_commit(lambda: task.apply_async((job.pk,)))  # type: ignore[attr-defined]
    if not transaction.get_connection().in_atomic_block:
        job.refresh_from_db()
    return job


def submit_import(owner: User, uploads: Iterable[Upload], *, label: str = "upload") -> Job:
    """Spool ``uploads`` where every worker reads them, and queue their import for ``owner``.

    A file over ``FOULEE_MAX_UPLOAD_MB`` is refused here (its result says so), without being kept.
    """
    max_bytes = get_settings().max_upload_bytes
    job = Job.objects.create(kind=JobKind.IMPORT, owner=owner, payload={"label": label})
    folder = spool_dir(job)
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    files = []
    for index, upload in enumerate(uploads):
        if upload.size is not None and upload.size > max_bytes:
            files.append({"name": upload.name, "path": "", "refused": "file size over the limit"})
            continue
        path = folder / f"{index}.upload"
        with path.open("wb") as spooled:
            shutil.copyfileobj(upload.file, spooled)
        files.append({"name": upload.name, "path": str(path)})
    job.payload = {"label": label, "files": files}
    job.save(update_fields=["payload"])
    return _enqueue(job, import_upload)


def submit_sync() -> Job:
    return _enqueue(Job.objects.create(kind=JobKind.SYNC), sync_job)


def submit_purge() -> Job:
    return _enqueue(Job.objects.create(kind=JobKind.PURGE), purge_job)
