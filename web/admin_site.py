"""Titles of the admin site, which is where coaches follow their athletes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Foulée — coaching admin")
admin.site.site_title = "Foulée"
admin.site.index_title = _("Your athletes and their training")
