"""The site's routes. Pages about an athlete exist twice: the viewer's own, and ``athletes/<id>/``
for a coach looking at one of their athletes."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from web.site.views import (
    access,
    accounts,
    activities,
    chat,
    coach,
    dashboard,
    notes,
    plans,
    privacy,
    results,
)

app_name = "site"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("signup/", accounts.signup, name="signup"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/", accounts.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("profile/", accounts.profile, name="profile"),
    path("profile/consent/", accounts.consent_change, name="consent"),
    path("profile/telegram/", accounts.telegram_code, name="telegram_code"),
    path("profile/tokens/", accounts.token_issue, name="token_issue"),
    path("profile/tokens/<int:pk>/revoke/", accounts.token_revoke, name="token_revoke"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("activities/", activities.activity_list, name="activities"),
    path("activities/upload/", activities.upload, name="upload"),
    path("activities/race-result/", results.race_result, name="race_result"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activities.activity_delete, name="activity_delete"),
    path("plan/", plans.plan, name="plan"),
    path("plan/new/", plans.create, name="plan_create"),
    path("plan/adjust/", plans.adjust, name="plan_adjust"),
    path("plan/sessions/<int:pk>/done/", plans.mark_done, name="session_done"),
    path("plan/sessions/<int:pk>/edit/", plans.edit_session, name="session_edit"),
    path("chat/", chat.chat, name="chat"),
    path("coach/", coach.athletes, name="coach"),
    path("athletes/<int:athlete_id>/", dashboard.dashboard, name="athlete_dashboard"),
    path("athletes/<int:athlete_id>/activities/", activities.activity_list, name="athlete_activities"),
    path("athletes/<int:athlete_id>/activities/upload/", activities.upload, name="athlete_upload"),
    path(
        "athletes/<int:athlete_id>/activities/race-result/",
        results.race_result,
        name="athlete_race_result",
    ),
    path("athletes/<int:athlete_id>/plan/", plans.plan, name="athlete_plan"),
    path("athletes/<int:athlete_id>/plan/new/", plans.create, name="athlete_plan_create"),
    path("athletes/<int:athlete_id>/plan/adjust/", plans.adjust, name="athlete_plan_adjust"),
    path("athletes/<int:athlete_id>/chat/", chat.chat, name="athlete_chat"),
    path("athletes/<int:athlete_id>/notes/", notes.add_note, name="add_note"),
    path("notes/<int:pk>/delete/", notes.delete_note, name="delete_note"),
    path("privacy/", privacy.privacy, name="privacy"),
    path("privacy/export/", privacy.export, name="export"),
    path("privacy/access/", access.access_log, name="access_log"),
    path("privacy/delete/", privacy.delete_account, name="delete_account"),
]
