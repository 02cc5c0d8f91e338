"""A job that keeps failing ends ``dead`` with its error, and shows in the admin to the right people."""

from __future__ import annotations

import io

import pytest

from web.jobs.models import Job, JobStatus
from web.jobs.submit import Upload, submit_import, submit_sync
from web.jobs.tasks import MAX_RETRIES


@pytest.mark.django_db
def test_a_sync_whose_store_is_down_is_retried_then_dead(
    analytics_down, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = submit_sync()
    job.refresh_from_db()
    assert job.status == JobStatus.DEAD
    assert job.attempts == MAX_RETRIES + 1
    assert "OperationalError" in job.error
    assert job.finished_at is not None


@pytest.mark.django_db
def test_a_redelivered_message_of_a_finished_job_does_nothing(
    athlete, django_capture_on_commit_callbacks
) -> None:
    from web.jobs.tasks import import_upload

    with django_capture_on_commit_callbacks(execute=True):
        job = submit_import(athlete, [Upload("notes.txt", io.BytesIO(b"not an activity"))], label="notes.txt")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    before = job.result
    import_upload.apply((job.pk,))
    job.refresh_from_db()
    assert job.attempts == 1 and job.result == before
    assert [result["status"] for result in job.result["results"]] == ["error"]


@pytest.mark.django_db
def test_the_admin_shows_a_dead_job_to_its_owners_coach_not_to_another(
    athlete, coach, other_coach, login
) -> None:
    dead = Job.objects.create(kind="import", owner=athlete, status=JobStatus.DEAD, error="BoomError: down")
    page = login(coach).get("/admin/jobs/job/")
    assert page.status_code == 200
    assert f"/admin/jobs/job/{dead.pk}/" in page.content.decode()
    detail = login(coach).get(f"/admin/jobs/job/{dead.pk}/change/")
    assert detail.status_code == 200 and "BoomError: down" in detail.content.decode()
    assert login(other_coach).get(f"/admin/jobs/job/{dead.pk}/change/").status_code in (302, 403, 404)
    assert f"/admin/jobs/job/{dead.pk}/" not in login(other_coach).get("/admin/jobs/job/").content.decode()
