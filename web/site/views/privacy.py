"""Privacy: download everything, or delete the account and everything with it."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from web.accounts import services as account_services
from web.site.forms import DeleteAccountForm
from web.site.views.common import site_page, viewer


@site_page
def privacy(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=viewer(request))
    return render(request, "site/privacy.html", {"form": form})


@require_POST
@site_page
def export(request: HttpRequest) -> FileResponse:
    user = viewer(request)
    # Spooled to a temporary file: an athlete's originals may be hundreds of megabytes.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    account_services.export_account(user, spool)
    spool.seek(0)
    name = f"foulee-export-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")


@require_POST
@site_page
def delete_account(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    form = DeleteAccountForm(request.POST, user=user)
    if not form.is_valid():
        return render(request, "site/privacy.html", {"form": form}, status=400)
    account_services.delete_account(user)
    logout(request)
    messages.success(request, _("Your account and all your data are deleted."))
    return redirect("site:login")
