"""Strava's use cases, as plain idempotent functions a background task can call later.

There is no task queue yet: the backfill runs in a daemon thread of the process
that took the connection (:func:`start_backfill`), and webhook events, which
are small (one or two Strava requests), are handled inside their request
(:func:`handle_event`). Each function can be run again after any failure: the
backfill resumes where its last committed activity left it, and an activity
already linked to its Strava id is never imported twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Final, Literal

from django.db import close_old_connections, transaction
from django.utils.translation import gettext as _
from stravalib import exc

from analytics.importing.service import import_file
from analytics.readers import ActivityFileError, read_file
from analytics.readers.streams import document
from web.accounts.models import User
from web.activities.models import Activity, Source
from web.strava import client as strava
from web.strava import crypto
from web.strava.models import StravaActivityLink, StravaConnection
from web.strava.ratelimit import RateLimited

logger = logging.getLogger(__name__)

STREAMS: Final = ("time", "distance", "heartrate", "cadence", "altitude", "latlng", "moving")
#: Activities per page of the backfill's listing (Strava allows up to 200).
PAGE_SIZE: Final = 100
#: A token is refreshed this long before it expires, so no request meets an expired one.
REFRESH_MARGIN: Final = dt.timedelta(minutes=5)
#: How long a backfill waits after Strava failed, before it tries again.
UNAVAILABLE_RETRY_S: Final = 60.0


class ConnectError(Exception):
    """The connection could not be made; the message is for the athlete."""


def fresh_token(connection: StravaConnection) -> str:
    """The athlete's access token, refreshed (and stored encrypted) when it expires soon.

    Raises ``StravaRevoked`` when Strava refuses the refresh token (access revoked on Strava).
    """
    try:
        if connection.expires_at - REFRESH_MARGIN > dt.datetime.now(dt.UTC):
            return connection.access_token
        refresh_token = connection.refresh_token
    except crypto.InvalidToken as error:  # STRAVA_TOKEN_KEY changed: the athlete connects again
        raise strava.StravaRevoked("the stored tokens no longer decrypt") from error
    from django.conf import settings

    tokens = strava.call(
        strava.client().refresh_access_token,
        client_id=strava.client_id(),
        client_secret=settings.STRAVA_CLIENT_SECRET,
        refresh_token=refresh_token,
    )
    connection.set_tokens(tokens["access_token"], tokens["refresh_token"], tokens["expires_at"])
    connection.save(update_fields=["access_token_encrypted", "refresh_token_encrypted", "expires_at"])
    return connection.access_token


def connect(user: User, code: str, granted_scope: str) -> StravaConnection:
    """Exchange the authorisation ``code`` for tokens and store the connection (ConnectError if not)."""
    from django.conf import settings

    granted = set(granted_scope.split(","))
    if not set(strava.SCOPES) <= granted:
        raise ConnectError(
            _("Foulée needs to read all your activities and your profile: allow both on Strava.")
        )
    try:
        tokens, athlete = strava.call(
            strava.client().exchange_code_for_token,
            client_id=strava.client_id(),
            client_secret=settings.STRAVA_CLIENT_SECRET,
            code=code,
            return_athlete=True,
        )
        if not athlete:
            athlete = strava.call(strava.client(tokens["access_token"]).protocol.get, "/athlete")
    except (strava.StravaRevoked, strava.StravaUnavailable, RateLimited) as error:
        raise ConnectError(_("Strava did not accept the connection.")) from error
    athlete_id = int(athlete["id"] if isinstance(athlete, dict) else athlete.id)
    with transaction.atomic():
        taken = StravaConnection.objects.filter(strava_athlete_id=athlete_id).exclude(user=user).exists()
        if taken:
            raise ConnectError(_("This Strava account is already connected to another Foulée account."))
        connection = StravaConnection.objects.filter(user=user).first() or StravaConnection(user=user)
        connection.strava_athlete_id = athlete_id
        connection.scopes = ",".join(sorted(granted))[:200]
        connection.set_tokens(tokens["access_token"], tokens["refresh_token"], tokens["expires_at"])
        connection.save()
    return connection


def disconnect(user: User, *, tell_strava: bool = True) -> int:
    """Forget the athlete's Strava connection and delete every activity that came from Strava.

    ``tell_strava`` revokes the authorisation on Strava too (the athlete disconnected here); a
    deauthorisation event (revoked on Strava) does not. Returns the number of activities deleted.
    """
    connection = StravaConnection.objects.filter(user=user).first()
    if connection is None:
        return 0
    if tell_strava:
        try:
            strava.call(strava.client(fresh_token(connection)).deauthorize)
        except (strava.StravaRevoked, strava.StravaUnavailable, RateLimited, exc.ObjectNotFound) as error:
            logger.info("Strava deauthorisation of user %s failed (%s); disconnecting anyway", user.pk, error)
    with transaction.atomic():
        came = Activity.objects.filter(user=user, strava_link__from_strava=True)
        deleted = 0
        for activity in came:  # one by one: each deletion leaves its tombstone and frees its file
            activity.delete()
            deleted += 1
        StravaActivityLink.objects.filter(user=user).delete()
        connection.delete()
    return deleted


ImportOutcome = Literal["imported", "matched", "known", "skipped"]


def import_activity(connection: StravaConnection, summary: dict[str, Any]) -> ImportOutcome:
    """Import one Strava activity (its summary as Strava lists it) with its streams.

    ``known``: already linked. ``matched``: the same run was imported from a file and kept
    (the richer source, see :func:`_richer`). ``skipped``: nothing recorded (an activity
    entered by hand on Strava has no streams). Raises RateLimited, StravaUnavailable, StravaRevoked.
    """
    strava_id = int(summary["id"])
    if StravaActivityLink.objects.filter(strava_activity_id=strava_id).exists():
        return "known"
    api = strava.client(fresh_token(connection)).protocol
    try:
        streams = strava.call(
            api.get, "/activities/{id}/streams", id=strava_id, keys=",".join(STREAMS), key_by_type="true"
        )
    except exc.ObjectNotFound:
        return "skipped"
    by_type = {name: value.get("data", []) for name, value in streams.items() if isinstance(value, dict)}
    if not by_type.get("time"):
        return "skipped"
    data = document(summary, by_type)
    filename = f"strava-{strava_id}.strava"
    user = connection.user
    result = import_file(user, data, filename, name=str(summary.get("name") or ""))
    if result.activity_id is None:
        logger.info("Strava activity %s of user %s not imported: %s", strava_id, user.pk, result.error)
        return "skipped"
    activity = Activity.objects.get(pk=result.activity_id, user=user)
    # Imported now, or by an earlier call stopped before its link was saved: the same document.
    from_strava = activity.original_file.name.endswith(".strava")
    outcome: ImportOutcome = "imported" if from_strava else "matched"
    if not from_strava and _richer(data, filename, activity):
        _replace_with(activity, data, filename)
        from_strava, outcome = True, "imported"
    with transaction.atomic():
        if from_strava and activity.source != Source.STRAVA:
            activity.source = Source.STRAVA
            activity.save(update_fields=["source", "updated_at"])
        StravaActivityLink.objects.get_or_create(
            strava_activity_id=strava_id,
            defaults={
                "user": user,
                "activity": activity,
                "from_strava": from_strava,
                "private": bool(summary.get("private")),
            },
        )
    return outcome


def _sample_cells(data: bytes, filename: str) -> int:
    try:
        samples = read_file(data, filename).legs[0].samples
    except ActivityFileError:
        return 0
    return int(samples.notna().to_numpy().sum())


def _richer(data: bytes, filename: str, existing: Activity) -> bool:
    """Whether the Strava copy records more than the file already imported: more sample values
    (samples times the sensors recorded). A file that cannot be read back counts as empty."""
    if existing.source != Source.FILE or not existing.original_file or existing.file_leg:
        return False  # a leg of a multisport file stays with its event; other sources are kept
    try:
        with existing.original_file.open("rb") as original:
            kept = original.read()
    except OSError:
        kept = b""
    return _sample_cells(data, filename) > _sample_cells(kept, existing.original_file.name)


def _replace_with(activity: Activity, data: bytes, filename: str) -> None:
    """Make ``activity`` the Strava copy: its document replaces the poorer file (the row, with
    the athlete's notes and plan links, stays). The old file is removed once committed."""
    import hashlib

    from django.core.files.base import ContentFile

    parsed = read_file(data, filename).legs[0]
    old_name, storage = activity.original_file.name, activity.original_file.storage
    with transaction.atomic():
        activity.original_file.save(filename, ContentFile(data), save=False)
        activity.file_checksum = hashlib.sha256(data).hexdigest()
        activity.source = Source.STRAVA
        for field in ("distance_m", "duration_s", "moving_time_s", "avg_hr", "max_hr", "elevation_gain_m"):
            value = getattr(parsed, field)
            if value is not None:
                setattr(activity, field, value)
        activity.save()
        transaction.on_commit(lambda: storage.delete(old_name), robust=True)


@dataclass(frozen=True)
class BackfillStep:
    """What one :func:`backfill` call did: ``state`` is ``done``, ``budget`` (more to do),
    ``waiting`` (until ``resume_at``) or ``revoked``."""

    state: Literal["done", "budget", "waiting", "revoked"]
    imported: int = 0
    resume_at: dt.datetime | None = None


def backfill(connection: StravaConnection, budget: int) -> BackfillStep:
    """Import the athlete's history newest first, using at most ``budget`` Strava requests.

    Progress is stored after each activity, so a call stopped anywhere (rate limit, Strava
    down, process killed) is resumed by the next one without a gap or a duplicate.
    """
    imported = 0
    requests_left = budget
    try:
        while requests_left > 0:
            connection.refresh_from_db()
            if connection.backfill_done:
                break
            api = strava.client(fresh_token(connection)).protocol
            params: dict[str, Any] = {"per_page": PAGE_SIZE, "page": 1}
            if connection.backfill_before is not None:
                params["before"] = connection.backfill_before
            page = strava.call(api.get, "/athlete/activities", **params)
            requests_left -= 1
            if not page:
                _progress(connection, done=True)
                break
            for summary in page:
                if requests_left <= 0:
                    break
                outcome = import_activity(connection, summary)
                if outcome != "known":
                    requests_left -= 1
                imported += outcome == "imported"
                start = dt.datetime.fromisoformat(str(summary["start_date"]))
                _progress(
                    connection,
                    before=int(start.timestamp()) + 1,
                    seen=int(outcome != "known"),
                    imported=outcome == "imported",
                )
            else:
                oldest = dt.datetime.fromisoformat(str(page[-1]["start_date"]))
                _progress(connection, before=int(oldest.timestamp()))
    except RateLimited as limited:
        _progress(connection, waiting="rate limit", resume_at=limited.resume_at)
        return BackfillStep("waiting", imported, limited.resume_at)
    except strava.StravaUnavailable as error:
        logger.warning("Strava unavailable during the backfill of user %s: %s", connection.user_id, error)
        resume_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=UNAVAILABLE_RETRY_S)
        _progress(connection, waiting="Strava unavailable", resume_at=resume_at)
        return BackfillStep("waiting", imported, resume_at)
    except strava.StravaRevoked:
        return BackfillStep("revoked", imported)
    connection.refresh_from_db()
    _progress(connection, waiting="", resume_at=None)
    return BackfillStep("done" if connection.backfill_done else "budget", imported)


def _progress(
    connection: StravaConnection,
    *,
    before: int | None = None,
    seen: int = 0,
    imported: bool = False,
    done: bool | None = None,
    waiting: str | None = None,
    resume_at: dt.datetime | None = None,
) -> None:
    from django.db.models import F

    values: dict[str, Any] = {}
    if before is not None:
        values["backfill_before"] = before
    if seen:
        values["backfill_seen"] = F("backfill_seen") + seen
    if imported:
        values["backfill_imported"] = F("backfill_imported") + 1
    if done is not None:
        values["backfill_done"] = done
    if waiting is not None:
        values["backfill_waiting"] = waiting
        values["backfill_resume_at"] = resume_at
    if values:
        StravaConnection.objects.filter(pk=connection.pk).update(**values)


#: Requests per backfill call of the background loop: progress is saved between calls.
STEP_BUDGET: Final = 50


def run_backfill(user_id: int, *, sleep: Any = time.sleep) -> BackfillStep:
    """Backfill until done, waiting out rate limits and Strava's outages: never fails."""
    while True:
        connection = StravaConnection.objects.filter(user_id=user_id).first()
        if connection is None:
            return BackfillStep("revoked")
        step = backfill(connection, STEP_BUDGET)
        if step.state in ("done", "revoked"):
            return step
        if step.state == "waiting" and step.resume_at is not None:
            sleep(max(0.0, (step.resume_at - dt.datetime.now(dt.UTC)).total_seconds()))


def start_backfill(user_id: int) -> threading.Thread:
    """Run :func:`run_backfill` in a daemon thread (until a task queue takes it over)."""

    def work() -> None:
        try:
            run_backfill(user_id)
        except Exception:
            logger.exception("Strava backfill of user %s stopped; reconnecting resumes it", user_id)
        finally:
            close_old_connections()

    thread = threading.Thread(target=work, name=f"strava-backfill-{user_id}", daemon=True)
    thread.start()
    return thread


#: Strava's activity types → Foulée's sports, for an update event's new ``type``.
def _sport(strava_type: str) -> str:
    from analytics.readers.sport import gpx_sport

    return gpx_sport(strava_type) or "other"


def handle_event(event: dict[str, Any]) -> str:
    """Apply one webhook event; returns what was done (for the log).

    Strava does not sign its events, so an event is a hint and Strava's API the truth: a
    deauthorisation is applied once the athlete's token is refused, a delete once the activity
    is gone, an update with the activity's name, type and privacy as Strava now gives them. A
    forged POST thus deletes or changes nothing. Raises RateLimited or StravaUnavailable when
    Strava cannot answer now (the webhook answers 503 and Strava sends the event again).
    """
    object_type, aspect = event.get("object_type"), event.get("aspect_type")
    try:
        owner, object_id = int(event["owner_id"]), int(event["object_id"])
    except (KeyError, TypeError, ValueError):
        return "ignored: malformed"
    connection = StravaConnection.objects.filter(strava_athlete_id=owner).select_related("user").first()
    if connection is None:
        return "ignored: unknown athlete"
    if object_type == "athlete":
        return _athlete_event(connection, aspect, event.get("updates") or {})
    if object_type != "activity" or aspect not in ("create", "update", "delete"):
        return "ignored"
    try:
        api = strava.client(fresh_token(connection)).protocol
        summary = strava.call(api.get, "/activities/{id}", id=object_id)
    except exc.ObjectNotFound:
        summary = None
    except strava.StravaRevoked:
        return "ignored: access revoked"
    link = StravaActivityLink.objects.filter(strava_activity_id=object_id, user=connection.user).first()
    if summary is None:
        if link is None:
            return "ignored: gone"
        if link.from_strava:
            link.activity.delete()  # the link goes with it (cascade)
        else:
            link.delete()
        return "deleted"
    if link is None:
        return import_activity(connection, summary)
    return _update(link, summary)


def _athlete_event(connection: StravaConnection, aspect: object, updates: dict[str, Any]) -> str:
    if aspect != "update" or str(updates.get("authorized", "")).lower() != "false":
        return "ignored"
    try:
        strava.call(strava.client(fresh_token(connection)).protocol.get, "/athlete")
    except strava.StravaRevoked:
        disconnect(connection.user, tell_strava=False)
        return "deauthorized"
    return "ignored: still authorised"


def _update(link: StravaActivityLink, summary: dict[str, Any]) -> str:
    """Bring a linked activity's name, sport and privacy in step with Strava's."""
    activity = link.activity
    changed: list[str] = []
    if link.from_strava:
        name = str(summary.get("name") or "")[: Activity._meta.get_field("name").max_length]
        sport = _sport(str(summary.get("sport_type") or summary.get("type") or ""))
        if name != activity.name:
            activity.name, changed = name, [*changed, "name"]
        if sport != activity.sport:
            activity.sport, changed = sport, [*changed, "sport"]
    private = bool(summary.get("private"))
    with transaction.atomic():
        if changed:
            activity.full_clean(validate_unique=False, validate_constraints=False)
            activity.save(update_fields=[*changed, "updated_at"])
        if private != link.private:
            link.private = private
            link.save(update_fields=["private"])
    return "updated"


@dataclass(frozen=True)
class Progress:
    """An athlete's Strava connection as the bot tells it: not connected is ``None``."""

    imported: int
    done: bool
    waiting: bool


def progress(user_id: int) -> Progress | None:
    connection = StravaConnection.objects.filter(user_id=user_id).first()
    if connection is None:
        return None
    return Progress(connection.backfill_imported, connection.backfill_done, bool(connection.backfill_waiting))


def subscribe(callback_url: str) -> int:
    """Register the application's push subscription with Strava; returns its id."""
    from django.conf import settings

    subscription = strava.call(
        strava.client().create_subscription,
        client_id=strava.client_id(),
        client_secret=settings.STRAVA_CLIENT_SECRET,
        callback_url=callback_url,
        verify_token=settings.STRAVA_WEBHOOK_VERIFY_TOKEN,
    )
    return int(subscription.id)
