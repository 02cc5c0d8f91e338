from __future__ import annotations

from django.urls import path

from web.strava import views

app_name = "strava"

urlpatterns = [
    path("connect/", views.connect, name="connect"),
    path("callback/", views.callback, name="callback"),
    path("disconnect/", views.disconnect, name="disconnect"),
    path("webhook/", views.webhook, name="webhook"),
]
