"""``/v1/me``: the caller's account, profile, export and deletion."""

from __future__ import annotations

from web.accounts.models import ApiToken, AthleteProfile, User
from web.activities.models import Activity, DeletedRecord
from web.coaching.models import CoachingSession, Message


def test_read_and_update_my_profile(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    me = http.get("/v1/me").json()
    assert me["email"] == athlete.email and me["role"] == "athlete" and me["coach_id"] == athlete.coach_id
    response = http.patch("/v1/me/profile", json={"hr_max": 190, "hr_rest": 50, "language": "en"})
    assert response.status_code == 200, response.text
    assert response.json()["profile"]["hr_max"] == 190
    profile = AthleteProfile.objects.get(user=athlete)
    assert (profile.hr_max, profile.hr_rest, profile.language) == (190, 50, "en")
    cleared = http.patch("/v1/me/profile", json={"hr_rest": None}).json()
    assert cleared["profile"]["hr_rest"] is None and cleared["profile"]["hr_max"] == 190


def test_a_profile_the_model_refuses_names_the_field(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    http.patch("/v1/me/profile", json={"hr_max": 110})
    for body, field in (
        ({"hr_rest": 115}, "body.hr_rest"),  # the model: rest below max
        ({"timezone": "Mars/Olympus"}, "body.timezone"),
        ({"hr_max": 999}, "body.hr_max"),
        ({"email": "me@example.org"}, "body.email"),
    ):
        response = http.patch("/v1/me/profile", json=body)
        assert response.status_code == 422, (body, response.text)
        assert field in [item["field"] for item in response.json()["error"]["fields"]], body


def test_export_holds_my_data_and_no_one_else_s(client, token_for, athlete, stranger, make_activity) -> None:
    mine = make_activity(athlete)
    make_activity(stranger)
    session = CoachingSession.objects.create(athlete=athlete, channel="api")
    Message.objects.create(session=session, role="athlete", content="Bonjour coach")
    token = token_for(athlete)
    response = client(token).get("/v1/me/export")
    assert response.status_code == 200, response.text
    export = response.json()
    assert export["account"]["id"] == athlete.pk
    tables = export["tables"]
    assert [row["id"] for row in tables["activities.activity"]] == [mine.pk]
    assert [row["content"] for row in tables["coaching.message"]] == ["Bonjour coach"]
    assert tables["accounts.apitoken"][0]["key_prefix"] == token[:10]
    assert token not in response.text and "key_hash" not in response.text and "password" not in response.text


def test_delete_my_account_needs_confirmation_then_removes_everything(
    client, token_for, athlete, make_activity
) -> None:
    run = make_activity(athlete)
    token = token_for(athlete)
    http = client(token)
    refused = http.delete("/v1/me", params={"confirm": "someone@else.org"})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"][0]["field"] == "query.confirm"
    assert User.objects.filter(pk=athlete.pk).exists()
    assert http.delete("/v1/me", params={"confirm": athlete.email.upper()}).status_code == 204
    assert not User.objects.filter(pk=athlete.pk).exists()
    assert not Activity.objects.filter(pk=run.pk).exists()
    assert not ApiToken.objects.filter(user_id=athlete.pk).exists()
    # The account service syncs at once: the tombstone is applied to the analytics store, not left pending.
    assert not DeletedRecord.objects.filter(kind="athlete", object_id=athlete.pk).exists()
    assert http.get("/v1/me").status_code == 401


def test_deleting_my_account_removes_my_uploaded_files(client, token_for, athlete, media_root) -> None:
    from tests.api.test_endpoints import RUN_FILE

    http = client(token_for(athlete))
    http.post("/v1/activities/upload", files={"file": (RUN_FILE.name, RUN_FILE.read_bytes())})
    stored = [path for path in media_root.rglob("*") if path.is_file()]
    assert len(stored) == 1
    assert http.delete("/v1/me", params={"confirm": athlete.email}).status_code == 204
    assert not stored[0].exists()
