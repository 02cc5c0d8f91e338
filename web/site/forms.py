"""The site's forms. Validation lives in the models (``full_clean``); these only choose the fields."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.core.validators import BaseValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agent.extract import parse_duration
from foulee import limits, races
from foulee.units import METRES_PER_KM, format_duration, format_pace
from web.accounts.models import AthleteProfile, Role, User, normalise_email
from web.activities.models import Activity, Sport
from web.plans import services as plan_services
from web.plans.models import PlannedSession
from web.site.models import CoachNote
from web.text import MULTI_LINE


class SignUpForm(BaseUserCreationForm):  # type: ignore[type-arg]
    """A new account: an athlete by default, or a coach (who then follows athletes)."""

    role = forms.ChoiceField(
        label=_("I am"),
        choices=[(Role.ATHLETE, _("an athlete")), (Role.COACH, _("a coach"))],
        initial=Role.ATHLETE,
        widget=forms.RadioSelect,
    )

    health_consent = forms.BooleanField(
        label=_(
            "I agree that Foulée processes my health data (heart rate, injuries, illnesses) to compute my "
            "heart-rate zones, training load and form, and to adapt my coaching."
        ),
        required=False,
        initial=False,
        help_text=_(
            "Optional, and separate from the account. Without it, distance, pace, VMA, race predictions "
            "and plans still work. You can change your mind at any time on your profile."
        ),
    )

    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        """One answer for an address in use, whatever its case, that gives no more away than it must.

        Sign-up cannot hide that an address has an account (it cannot make a
        second one) without confirming addresses by mail first, which Foulée
        does not do yet; the wording points the owner to log-in and reset, and
        sign-up posts are throttled per address (web/throttle.py).
        """
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("This address cannot be used to sign up. If it is yours, log in or reset your password."),
                code="unavailable",
            )
        return email

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.role = self.cleaned_data["role"]
        # Coaches reach the admin too, as `UserManager.create_user` gives them.
        user.is_staff = user.role == Role.COACH
        if commit:
            user.save()
        return user


class ConsentForm(forms.Form):
    """Give or withdraw consent to health data from the profile page."""

    granted = forms.TypedChoiceField(
        choices=[("yes", _("Give consent")), ("no", _("Withdraw consent"))],
        coerce=lambda value: value == "yes",
    )


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AthleteProfile
        fields = ("birth_year", "sex", "weight_kg", "hr_max", "hr_rest", "language", "timezone")


class NameForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("full_name",)


class NoteForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CoachNote
        fields = ("text",)
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("What this token is for."))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class ActivityEditForm(forms.ModelForm):  # type: ignore[type-arg]
    """What a person may correct; the measures come from the file or the watch."""

    class Meta:
        model = Activity
        fields = ("name", "sport", "description")


class ActivityFilterForm(forms.Form):
    sport = forms.ChoiceField(label=_("Sport"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sport = self.fields["sport"]
        assert isinstance(sport, forms.ChoiceField)  # noqa: S101 (for the type checker)
        sport.choices = [("", _("All sports")), *Sport.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if isinstance(since, dt.date) and isinstance(until, dt.date) and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and all my data will be deleted for good."), required=True
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class ChatForm(forms.Form):
    """One message to the coach."""

    message = forms.CharField(
        label=_("Your message"),
        max_length=limits.MAX_COACH_MESSAGE_CHARS,
        validators=[MULTI_LINE],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In French or English: your week, your zones, a race prediction, your next session…"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One error for a message that is empty (or only spaces) or too long: the field's own, which
        # says both bounds, and no banner besides it.
        bounds = gettext("Write a message of 1 to %(n)s characters.") % {"n": limits.MAX_COACH_MESSAGE_CHARS}
        self.fields["message"].error_messages.update({"required": bounds, "max_length": bounds})


def _goal_distances() -> list[tuple[str, str]]:
    """The goal races a plan is built for (``foulee.races.GOAL_RACES``), by their names."""
    return [(f"{race.metres:g}", str(race.label)) for race in races.GOAL_RACES]


_PACE = re.compile(r"^\s*(\d{1,2})\s*[:'’]\s*(\d{2})\s*\"?\s*(?:/\s*km|min/km)?\s*$")


class PlanForm(forms.Form):
    """A goal race; ``web.plans.services.create_plan`` builds the plan from it and the athlete's level."""

    distance = forms.ChoiceField(label=_("Goal race"))
    race_date = forms.DateField(label=_("Race date"), widget=forms.DateInput(attrs={"type": "date"}))
    target_time = forms.CharField(
        label=_("Target time"),
        required=False,
        max_length=20,
        help_text=_("Optional, for example 1:45:00 or 49:30. Leave empty to train for the distance."),
    )
    #: Empty, the plan takes the days the athlete told the coach (``create_plan_for_athlete``).
    days_per_week = forms.IntegerField(
        label=_("Runs a week"),
        min_value=1,
        max_value=7,
        required=False,
        initial=plan_services.DEFAULT_DAYS_PER_WEEK,
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        distance = self.fields["distance"]
        assert isinstance(distance, forms.ChoiceField)  # noqa: S101 (for the type checker)
        distance.choices = _goal_distances()

    def clean_race_date(self) -> dt.date:
        race: dt.date = self.cleaned_data["race_date"]
        if race <= self.today:
            raise forms.ValidationError(_("The race date must be in the future."))
        weeks = plan_services.plan_weeks(self.today + dt.timedelta(days=1), race)
        low, high = plan_services.MIN_PLAN_WEEKS, plan_services.MAX_PLAN_WEEKS
        if not low <= weeks <= high:
            message = _("A plan lasts %(low)s to %(high)s weeks; this race is in %(weeks)s.")
            raise forms.ValidationError(message % {"low": low, "high": high, "weeks": weeks})
        return race

    def clean_target_time(self) -> float | None:
        text: str = self.cleaned_data.get("target_time") or ""
        if not text.strip():
            return None
        seconds = parse_duration(text)
        if seconds is None:
            raise forms.ValidationError(_("Write the time as 1:45:00, 49:30 or 1h45."))
        return seconds

    def distance_m(self) -> float:
        return float(self.cleaned_data["distance"])


class AdjustPlanForm(forms.Form):
    """What happened: the rules are ``web.plans.services.adjust_plan``'s."""

    reason = forms.ChoiceField(
        label=_("What happened?"),
        choices=[
            ("missed", _("I missed my last session")),
            ("illness", _("I am ill or injured")),
        ],
        widget=forms.RadioSelect,
    )
    when = forms.ChoiceField(
        label=_("When?"),
        choices=[("now", _("From today")), ("past", _("The days before today"))],
        initial="now",
        required=False,
        widget=forms.RadioSelect,
        help_text=_("An illness that is over cancels the past days; one that starts now, the coming ones."),
    )
    days = forms.IntegerField(
        label=_("Days off"),
        min_value=1,
        max_value=28,
        required=False,
        help_text=_("For an illness: how many days without running (7 if empty)."),
    )


def parse_pace(text: str) -> float | None:
    """A pace per km written "5:30" or "5'30" in seconds; None when it is not one."""
    match = _PACE.match(text)
    if match is None or int(match.group(2)) >= 60:
        return None
    return int(match.group(1)) * 60.0 + int(match.group(2))


class SessionForm(forms.ModelForm):  # type: ignore[type-arg]
    """One planned session, as an athlete or their coach corrects it: km and min/km, not metres and s/km."""

    distance_km = forms.FloatField(label=_("Distance (km)"), required=False, min_value=0.1, max_value=300)
    pace = forms.CharField(
        label=_("Target pace (min/km)"), required=False, max_length=8, help_text=_("For example 5:30.")
    )

    class Meta:
        model = PlannedSession
        fields = ("date", "session_type", "description", "target_hr_zone", "status")
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session: PlannedSession = self.instance
        if session.target_distance_m:
            self.initial.setdefault("distance_km", round(session.target_distance_m / METRES_PER_KM, 1))
        if session.target_pace_s_per_km:
            # "5:13", as the field reads it back (``parse_pace``), not "5:13 /km".
            self.initial.setdefault("pace", format_duration(session.target_pace_s_per_km))
        self.order_fields(["date", "session_type", "description", "distance_km", "pace", "target_hr_zone"])

    def clean_pace(self) -> float | None:
        text: str = self.cleaned_data.get("pace") or ""
        if not text.strip():
            return None
        seconds = parse_pace(text)
        if seconds is None:
            raise forms.ValidationError(_("Write the pace as minutes:seconds, for example 5:30."))
        # The model's bounds, which its full_clean skips for fields the form does not list.
        field = PlannedSession._meta.get_field("target_pace_s_per_km")
        try:
            field.run_validators(seconds)
        except forms.ValidationError:
            low, high = sorted(v.limit_value for v in field.validators if isinstance(v, BaseValidator))
            message = _("A pace between %(low)s and %(high)s per km.")
            raise forms.ValidationError(
                message % {"low": format_pace(low), "high": format_pace(high)}
            ) from None
        return seconds

    def clean_distance_km(self) -> float | None:
        distance: float | None = self.cleaned_data.get("distance_km")
        if distance is not None:
            PlannedSession._meta.get_field("target_distance_m").run_validators(distance * METRES_PER_KM)
        return distance

    def clean(self) -> dict[str, Any]:
        # Set before the model's own validation, which follows (rest days have no targets).
        data = super().clean() or {}
        distance = data.get("distance_km")
        self.instance.target_distance_m = distance * METRES_PER_KM if distance else None
        self.instance.target_pace_s_per_km = data.get("pace")
        return data


class RaceResultForm(forms.Form):
    """A results page's address; the date and the distance only when the page does not say them."""

    url = forms.CharField(
        label=_("Address of the results page"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://…", "autocomplete": "url"}),
        help_text=_(
            "A public page of results (a table with names and times). Foulée fetches it once, now, "
            "looks for your account's name and records your row only."
        ),
    )
    race_date = forms.DateField(
        label=_("Race date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only if the page does not say it."),
    )
    distance_km = forms.FloatField(
        label=_("Distance (km)"),
        required=False,
        min_value=races.RACE_DISTANCE_MIN_M / METRES_PER_KM,
        max_value=races.RACE_DISTANCE_MAX_M / METRES_PER_KM,
        help_text=_("Only if the page does not say it."),
    )
    #: Which row, when several name the athlete (the candidates' radio buttons send it).
    choice = forms.RegexField(regex=r"^t\d{1,4}r\d{1,6}$", required=False, widget=forms.HiddenInput)

    def distance_m(self) -> float | None:
        km: float | None = self.cleaned_data.get("distance_km")
        return km * METRES_PER_KM if km is not None else None
