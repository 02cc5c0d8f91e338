"""Sign up, log in and out, password reset, and the profile (zones, language, Telegram, API tokens)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from web.accounts import consent
from web.accounts import services as account_services
from web.accounts.models import ApiToken, ConsentChannel, TelegramLink, User
from web.accounts.services import profile_of
from web.site import insights
from web.site.forms import ConsentForm, NameForm, ProfileForm, SignUpForm, TokenForm
from web.site.views.common import site_page, viewer


def _with_language(response: HttpResponseBase, user: User) -> HttpResponseBase:
    """Remember the user's chosen language in the cookie Django's LocaleMiddleware reads."""
    language = profile_of(user).language
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


def home(request: HttpRequest) -> HttpResponse:
    """Coaches start with their athletes, athletes with their dashboard, strangers at the door."""
    if not request.user.is_authenticated:
        return redirect("site:login")
    return redirect("site:coach" if viewer(request).is_coach else "site:dashboard")


def signup(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated:
        return redirect("site:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            consent.record(user, granted=form.cleaned_data["health_consent"], channel=ConsentChannel.WEB)
        profile = profile_of(user)
        profile.language = translation.get_language() or profile.language
        if profile.language not in dict(settings.LANGUAGES):
            profile.language = settings.LANGUAGE_CODE
        profile.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return _with_language(redirect("site:profile"), user)
    return render(request, "site/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "site/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        _with_language(response, form.get_user())
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The reset link travels by mail; with no mail server configured the page says so and sends nothing."""

    template_name = "site/password_reset.html"
    email_template_name = "site/password_reset_email.txt"
    subject_template_name = "site/password_reset_subject.txt"
    success_url = reverse_lazy("site:password_reset_done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "mail_enabled": settings.FOULEE_MAIL_ENABLED}

    def form_valid(self, form: Any) -> HttpResponse:
        if not settings.FOULEE_MAIL_ENABLED:
            return self.render_to_response(self.get_context_data(form=form), status=503)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "site/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "site/password_reset_confirm.html"
    success_url = reverse_lazy("site:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "site/password_reset_complete.html"


@site_page
def profile(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    athlete_profile = profile_of(user)
    form = ProfileForm(request.POST or None, instance=athlete_profile, prefix="profile")
    name_form = NameForm(request.POST or None, instance=user, prefix="name")
    if request.method == "POST" and form.is_valid() and name_form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        change = account_services.update_profile(user, values)
        if change.ok:
            name_form.save()
            messages.success(request, _("Your profile is saved."))
            return _with_language(redirect("site:profile"), user)  # type: ignore[return-value]
        for refusal in change.refused:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.wording())
    return _profile_page(request, form=form, name_form=name_form)


def _profile_page(request: HttpRequest, **context: Any) -> HttpResponse:
    """The profile page; a new secret (link code, token) comes in ``context`` and is never stored."""
    user = viewer(request)
    context.setdefault("form", ProfileForm(instance=profile_of(user), prefix="profile"))
    context.setdefault("name_form", NameForm(instance=user, prefix="name"))
    context.setdefault("token_form", TokenForm())
    health = consent.may_process_health(user)
    # Heart-rate zones are health data: without consent the card says so and links to the switch.
    zones = insights.hr_zones(user.pk) if health else None
    context.update(
        zones=zones[0] if zones else None,
        zone_method=zones[1] if zones else None,
        telegram=TelegramLink.objects.filter(user=user).first(),
        tokens=ApiToken.objects.filter(user=user).order_by("-created_at"),
        health_consent=health,
        consent_history=consent.history(user),
        what_stops=consent.WHAT_STOPS,
        what_works=consent.WHAT_WORKS,
        now=dt.datetime.now(dt.UTC),
    )
    response = render(request, "site/profile.html", context)
    # A page showing a secret once must not be kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@site_page
def telegram_code(request: HttpRequest) -> HttpResponse:
    """A fresh one-time code to send the bot; shown once, on the next page, and stored hashed."""
    link, _created = TelegramLink.objects.get_or_create(user=viewer(request))
    code = link.new_link_code()
    link.save()
    return _profile_page(request, telegram_code=code)


@require_POST
@site_page
def token_issue(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, token_form=form)
    _token, secret = ApiToken.issue(
        viewer(request), form.cleaned_data["name"], dt.timedelta(days=form.cleaned_data["days"])
    )
    return _profile_page(request, new_token=secret)


@require_POST
@site_page
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=viewer(request), revoked_at__isnull=True)
    token.revoke()
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return HttpResponseRedirect(reverse_lazy("site:profile") + "#tokens")


@require_POST
@site_page
def consent_change(request: HttpRequest) -> HttpResponse:
    """Give or withdraw consent to health data: a new record each time, never an edit."""
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to give or to withdraw consent."))
        return HttpResponseRedirect(reverse_lazy("site:profile") + "#consent")
    granted = form.cleaned_data["granted"]
    consent.record(viewer(request), granted=granted, channel=ConsentChannel.WEB)
    if granted:
        messages.success(request, _("Thank you: your health data is used again for your coaching."))
    else:
        messages.success(
            request,
            _("Consent withdrawn: your health data is no longer processed, and noted injuries are erased.")
            + " "
            + str(consent.WHAT_WORKS),
        )
    return HttpResponseRedirect(reverse_lazy("site:profile") + "#consent")
