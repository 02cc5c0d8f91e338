"""Training plans: create one from a goal race, the weeks of sessions, mark done, adjust, edit.

The plan is built, adjusted and marked by ``web.plans.services`` (the same
services the coach agent, the bot and the API call); the pages only choose
which athlete, check the forms and show the result. Showing the plan first
matches the athlete's imported runs to its sessions (``match_activities``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from foulee import formatting
from web.accounts.models import User
from web.accounts.scoping import can_view_athlete
from web.plans import services
from web.plans.models import PlannedSession, SessionStatus, TrainingPlan
from web.plans.weeks import week_first_day, weeks_before_race
from web.site.forms import AdjustPlanForm, PlanForm, SessionForm
from web.site.views.common import athlete_for, athlete_page, site_page, viewer


def _plan_page(athlete: User, own: bool) -> HttpResponse:
    if own:
        return redirect("site:plan")
    return redirect("site:athlete_plan", athlete_id=athlete.pk)


def _plan_initial(athlete: User) -> dict[str, Any]:
    """The form starts from the days a week the athlete told the coach, as a plan made in the chat does."""
    return {"days_per_week": services.remembered_days_per_week(athlete) or services.DEFAULT_DAYS_PER_WEEK}


def weeks_of(plan: TrainingPlan, today: dt.date) -> list[dict[str, Any]]:
    """The plan's sessions by plan week (seven days ending on the race's weekday: ``web.plans.weeks``)."""
    sessions = plan.sessions.select_related("completed_activity").order_by("date", "id")
    weeks = []
    for before, group in itertools.groupby(sessions, key=lambda s: weeks_before_race(plan.goal_date, s.date)):
        rows = list(group)
        first = week_first_day(plan.goal_date, before)
        weeks.append(
            {
                "monday": first,
                "sessions": rows,
                "km": sum(s.target_distance_m or 0.0 for s in rows) / 1000.0,
                "current": first <= today < first + dt.timedelta(days=7),
                "past": first + dt.timedelta(days=7) <= today,
            }
        )
    return weeks


@site_page
@athlete_page
def plan(request: HttpRequest, athlete_id: int | None = None) -> HttpResponse:
    athlete = athlete_for(request, athlete_id, "plan")
    own = athlete.pk == viewer(request).pk
    today = timezone.localdate()
    plans = services.plans_of(athlete)
    active = services.active_plan(athlete)
    current = active
    asked = request.GET.get("plan", "")
    if asked:
        # Only this athlete's plans: any other id is not found, as if it did not exist.
        current = next((p for p in plans if str(p.pk) == asked), None)
        if current is None:
            raise Http404
    if current is not None and current == active:
        services.match_activities(current)
    weeks = weeks_of(current, today) if current is not None else []
    context = {
        "athlete": athlete,
        "own": own,
        "plan": current,
        "plans": plans,
        "is_active": current is not None and current == active,
        "past_weeks": [week for week in weeks if week["past"]],
        "weeks": [week for week in weeks if not week["past"]],
        "today": today,
        "next_session": services.next_session(athlete, today),
        "done": sum(1 for week in weeks for s in week["sessions"] if s.status == SessionStatus.DONE),
        "total": sum(len(week["sessions"]) for week in weeks),
        "plan_form": PlanForm(today=today, initial=_plan_initial(athlete)),
        "adjust_form": AdjustPlanForm(),
    }
    return render(request, "site/plan.html", context)


@site_page
@athlete_page
def create(request: HttpRequest, athlete_id: int | None = None) -> HttpResponse:
    """A new plan for a goal race, from the athlete's recent volume and VDOT; it replaces the active one."""
    athlete = athlete_for(request, athlete_id, "plan:new")
    me = viewer(request)
    own = athlete.pk == me.pk
    today = timezone.localdate()
    form = PlanForm(request.POST or None, today=today, initial=_plan_initial(athlete))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_plan_for_athlete(
                athlete,
                goal_distance_m=form.distance_m(),
                goal_date=form.cleaned_data["race_date"],
                target_time_s=form.cleaned_data["target_time"],
                today=today,
                days_per_week=form.cleaned_data["days_per_week"],
                created_by=me,
            )
            made = created.plan
        except (ValueError, ValidationError):
            form.add_error(None, _("This plan cannot be built: check the race date and the target time."))
        else:
            messages.success(
                request,
                _("Your plan is ready: %(n)s sessions until race day.") % {"n": made.sessions.count()},
            )
            judged = created.realism
            if judged.verdict == "beyond" and judged.predicted_s and judged.fastest_s:
                messages.warning(
                    request,
                    _(
                        "This goal is beyond what the weeks to the race allow: predicted now %(now)s, "
                        "at best %(best)s on race day. The plan trains at paces you can hold."
                    )
                    % {
                        "now": formatting.duration(judged.predicted_s),
                        "best": formatting.duration(judged.fastest_s),
                    },
                )
            return _plan_page(athlete, own)
    context = {"athlete": athlete, "own": own, "form": form}
    return render(request, "site/plan_create.html", context)


@require_POST
@site_page
@athlete_page
def adjust(request: HttpRequest, athlete_id: int | None = None) -> HttpResponse:
    athlete = athlete_for(request, athlete_id, "plan:adjust")
    own = athlete.pk == viewer(request).pk
    form = AdjustPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what happened: a missed session or an illness."))
        return _plan_page(athlete, own)
    try:
        change = services.adjust_plan(
            athlete,
            reason=form.cleaned_data["reason"],
            today=timezone.localdate(),
            days=form.cleaned_data["days"],
            past=form.cleaned_data.get("when") == "past",
            language=services.athlete_language(athlete),
        )
    except services.NoActivePlanError:
        messages.error(request, _("There is no active plan to adjust."))
        return _plan_page(athlete, own)
    if change.reason == "missed":
        if change.missed:
            when = formats.date_format(change.missed[0].date, "DATE_FORMAT")
            messages.success(
                request, _("The session of %(day)s is marked missed; it is not made up.") % {"day": when}
            )
        else:
            messages.success(request, _("No past session was left to mark missed."))
    else:
        cancelled = ngettext(
            "%(count)s session cancelled", "%(count)s sessions cancelled", len(change.cancelled)
        ) % {"count": len(change.cancelled)}
        eased = ngettext(
            "%(count)s eased for your return", "%(count)s eased for your return", len(change.eased)
        ) % {"count": len(change.eased)}
        messages.success(request, f"{cancelled}, {eased}.")
    return _plan_page(athlete, own)


def _session_of(request: HttpRequest, pk: int) -> PlannedSession:
    """A session of a plan the viewer may see (404 otherwise, as if it did not exist)."""
    session: PlannedSession = get_object_or_404(PlannedSession.objects.select_related("plan__athlete"), pk=pk)
    if not can_view_athlete(viewer(request), session.plan.athlete_id, what=f"plan:session:{pk}"):
        raise Http404
    return session


@require_POST
@site_page
def mark_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Done, with that day's run when there is one (the same rule as ``match_activities``)."""
    session = _session_of(request, pk)
    athlete = session.plan.athlete
    run = services.runs_by_day(athlete, session.date, session.date).get(session.date)
    services.mark_session_done(session, run)
    messages.success(request, _("The session is marked done."))
    return _plan_page(athlete, athlete.pk == viewer(request).pk)


@site_page
def edit_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_of(request, pk)
    athlete = session.plan.athlete
    own = athlete.pk == viewer(request).pk
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The session is saved."))
        return _plan_page(athlete, own)
    context = {"athlete": athlete, "own": own, "form": form, "session": session}
    return render(request, "site/plan_session_edit.html", context)
