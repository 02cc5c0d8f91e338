"""``GET /v1/jobs/{id}``: an upload's job, its result, scoped to its owner (and their coach)."""

from __future__ import annotations

from tests.api.test_endpoints import RUN_FILE
from web.activities.models import Activity


def test_an_upload_names_its_job_which_holds_the_same_answer(client, token_for, athlete, coach) -> None:
    """No broker here: the job ran before the answer, which names it; the job shows the same result."""
    http = client(token_for(athlete))
    upload = http.post("/v1/activities/upload", files={"file": (RUN_FILE.name, RUN_FILE.read_bytes())})
    assert upload.status_code == 200, upload.text
    answer = upload.json()
    job = http.get(f"/v1/jobs/{answer['job_id']}")
    assert job.status_code == 200, job.text
    shown = job.json()
    assert shown["status"] == "done" and shown["kind"] == "import" and shown["attempts"] == 1
    assert shown["athlete_id"] == athlete.pk
    assert shown["result"]["results"] == answer["results"]
    assert Activity.objects.filter(user=athlete).count() == 1
    # Their coach may follow it too.
    assert client(token_for(coach)).get(f"/v1/jobs/{answer['job_id']}").status_code == 200


def test_someone_elses_job_is_404_like_one_that_does_not_exist(client, token_for, athlete, stranger) -> None:
    mine = client(token_for(athlete)).post(
        "/v1/activities/upload", files={"file": (RUN_FILE.name, RUN_FILE.read_bytes())}
    )
    job_id = mine.json()["job_id"]
    theirs = client(token_for(stranger)).get(f"/v1/jobs/{job_id}")
    assert theirs.status_code == 404
    assert theirs.json() == client(token_for(stranger)).get(f"/v1/jobs/{job_id + 1000}").json()
