"""``/v1/plans``: training plans: list, create for a goal race, read, mark a session done.

A plan is created by ``web.plans.services.create_plan_for_athlete``, the use
case the coach's ``create_training_plan`` tool and the web form call too: every
door builds the same plan from the same level (recent volume, VDOT) and the
same remembered availability and injuries.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Q, QuerySet
from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from api.db import django_db
from api.deps import MAX_ID, CurrentUser, PathId, TargetAthlete, api_what
from api.errors import AUTHENTICATED, ApiError, FieldError, django_fields, not_found, responses
from api.rounding import Metres, Seconds, SecondsPerKilometre
from foulee import limits, races
from web.accounts.access import record_access
from web.accounts.models import User
from web.accounts.scoping import visible_athletes
from web.activities.models import Activity
from web.plans import services as plan_services
from web.plans.models import PlannedSession, TrainingPlan

router = APIRouter(prefix="/plans", tags=["plans"], responses=responses(*AUTHENTICATED, 404))

MAX_PLANS = 100


class SessionOut(BaseModel):
    id: int
    date: dt.date
    session_type: str
    description: str
    target_duration_s: Seconds | None
    target_distance_m: Metres | None
    target_pace_s_per_km: SecondsPerKilometre | None
    target_hr_zone: int | None
    status: str = Field(description="`planned`, `done`, `missed` or `cancelled` (called off for an illness).")
    structure: list[dict[str, Any]] = Field(
        description="The steps: `warmup`, `steady`, `work`, `reps` (with `reps`, `recovery_m`), `cooldown`; "
        "each with `distance_m` and `pace` (s/km, null when unknown)."
    )
    completed_activity_id: int | None

    @classmethod
    def of(cls, session: PlannedSession) -> SessionOut:
        return cls(
            id=session.pk,
            date=session.date,
            session_type=session.session_type,
            description=session.description,
            target_duration_s=session.target_duration_s,
            target_distance_m=session.target_distance_m,
            target_pace_s_per_km=session.target_pace_s_per_km,
            target_hr_zone=session.target_hr_zone,
            status=session.status,
            structure=session.structure,
            completed_activity_id=session.completed_activity_id,
        )


class PlanSummary(BaseModel):
    id: int
    athlete_id: int
    name: str
    goal_distance_m: Metres
    goal_date: dt.date
    target_time_s: Seconds | None
    start_date: dt.date
    status: str = Field(description="`active`, `completed` or `abandoned`.")
    notes: str
    created_at: dt.datetime


class PlanOut(PlanSummary):
    sessions: list[SessionOut] = Field(description="In date order.")


class PlanList(BaseModel):
    athlete_id: int
    items: list[PlanSummary] = Field(description=f"Newest first, at most {MAX_PLANS}.")


class PlanIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"goal_distance_m": races.HALF_MARATHON_M, "goal_date": "2027-04-11", "target_time_s": 6300}
            ]
        },
    )

    goal_distance_m: float = Field(
        ge=races.RACE_DISTANCE_MIN_M, le=races.RACE_DISTANCE_MAX_M, allow_inf_nan=False, description="Metres."
    )
    goal_date: dt.date = Field(description="The race day.")
    target_time_s: float | None = Field(
        default=None, gt=0.0, le=limits.ACTIVITY_MAX_DURATION_S, allow_inf_nan=False
    )
    days_per_week: int | None = Field(
        default=None, ge=1, le=7, description="Sessions a week; the remembered availability when omitted."
    )


class SessionDone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    activity_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The activity that fulfilled the session, if any."
    )


def _summary(plan: TrainingPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "athlete_id": plan.athlete_id,
        "name": plan.name,
        "goal_distance_m": plan.goal_distance_m,
        "goal_date": plan.goal_date,
        "target_time_s": plan.target_time_s,
        "start_date": plan.start_date,
        "status": plan.status,
        "notes": plan.notes,
        "created_at": plan.created_at,
    }


def _plan_out(plan: TrainingPlan) -> PlanOut:
    sessions = [SessionOut.of(session) for session in plan.sessions.order_by("date", "id")]
    return PlanOut.model_validate({**_summary(plan), "sessions": sessions})


def visible_plans(user: User) -> QuerySet[TrainingPlan]:
    return TrainingPlan.objects.filter(Q(athlete=user) | Q(athlete__in=visible_athletes(user)))


@router.get("", summary="List plans")
@django_db
def list_plans(athlete: TargetAthlete) -> PlanList:
    plans = TrainingPlan.objects.filter(athlete=athlete).order_by("-created_at", "-id")[:MAX_PLANS]
    return PlanList.model_validate({"athlete_id": athlete.pk, "items": [_summary(plan) for plan in plans]})


@router.post("", status_code=201, summary="Create a plan for a goal race")
@django_db
def create_plan(user: CurrentUser, athlete: TargetAthlete, body: PlanIn) -> PlanOut:
    """A periodised plan from the athlete's level and remembered facts; it replaces the active one."""
    from django.core.exceptions import ValidationError

    try:
        made = plan_services.create_plan_for_athlete(
            athlete,
            goal_distance_m=body.goal_distance_m,
            goal_date=body.goal_date,
            target_time_s=body.target_time_s,
            days_per_week=body.days_per_week,
            created_by=user,
        )
    except (ValueError, ValidationError) as error:
        reason = str(error)
        raise ApiError(
            422, f"No plan: {reason}.", fields=[FieldError(field="body.goal_date", message=reason)]
        ) from error
    return _plan_out(made.plan)


@router.get("/{plan_id:int}", summary="Get a plan")
@django_db
def get_plan(request: Request, user: CurrentUser, plan_id: PathId) -> PlanOut:
    plan = visible_plans(user).filter(pk=plan_id).first()
    if plan is None:
        raise not_found("plan")
    record_access(user, plan.athlete_id, api_what(request, str(plan_id)))
    return _plan_out(plan)


@router.post("/{plan_id:int}/sessions/{session_id:int}/done", summary="Mark a session done")
@django_db
def session_done(
    request: Request,
    user: CurrentUser,
    plan_id: PathId,
    session_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The session's id.")],
    body: SessionDone,
) -> SessionOut:
    """Record that the athlete did the session, optionally with the activity that fulfilled it."""
    session = (
        PlannedSession.objects.filter(plan__in=visible_plans(user), plan_id=plan_id, pk=session_id)
        .select_related("plan")
        .first()
    )
    if session is None:
        raise not_found("session")
    record_access(user, session.plan.athlete_id, api_what(request, f"{plan_id}/{session_id}"))
    activity = None
    if body.activity_id is not None:
        activity = Activity.objects.filter(pk=body.activity_id, user_id=session.plan.athlete_id).first()
        if activity is None:
            raise ApiError(
                422,
                "No such activity for this athlete.",
                fields=[
                    FieldError(
                        field="body.activity_id", message="Not one of the plan's athlete's activities."
                    )
                ],
            )
    from django.core.exceptions import ValidationError

    try:
        done = plan_services.mark_session_done(session, activity)
    except ValidationError as error:
        raise ApiError(422, "The session cannot be marked done.", fields=django_fields(error)) from error
    return SessionOut.of(done)
