"""URL routes: the site (web/site) at the root, the admin for coaches' power use, language switching."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from web import admin_site  # noqa: F401  (site titles)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("strava/", include("web.strava.urls")),
    path("", include("web.site.urls")),
]
