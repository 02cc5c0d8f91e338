"""Privacy: the public notice (who, why, on what basis, how long, which rights); signed in, download
everything, or delete the account and everything with it."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foulee.config import get_settings
from web.accounts import consent, retention
from web.accounts import services as account_services
from web.site.forms import DeleteAccountForm
from web.site.views.common import site_page, viewer


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice (GDPR art. 13), public; signed in, the athlete's export and deletion too."""
    form = DeleteAccountForm(user=viewer(request)) if request.user.is_authenticated else None
    return render(request, "site/privacy.html", _notice_context(form))


def _notice_context(form: DeleteAccountForm | None) -> dict[str, Any]:
    current = get_settings()
    return {
        "form": form,
        "controller_name": current.controller_name,
        "controller_contact": current.controller_contact,
        "retention": retention.periods(current),
        "notice_version": consent.NOTICE_VERSION,
        "what_stops": consent.WHAT_STOPS,
        "what_works": consent.WHAT_WORKS,
    }


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
        return render(request, "site/privacy.html", _notice_context(form), status=400)
    account_services.delete_account(user)
    logout(request)
    messages.success(request, _("Your account and all your data are deleted."))
    return redirect("site:login")
