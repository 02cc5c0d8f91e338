from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StravaConfig(AppConfig):
    name = "web.strava"
    label = "strava"
    verbose_name = _("Strava")
