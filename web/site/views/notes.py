"""A coach's notes to an athlete: written from the athlete's dashboard, read by both."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from web.accounts.models import User
from web.site.forms import NoteForm
from web.site.models import CoachNote
from web.site.views.common import athlete_for, site_page, viewer


def may_write_notes(writer: User, athlete: User) -> bool:
    """The athlete's coach (or a superuser) writes notes; nobody writes to themselves."""
    return writer.pk != athlete.pk and (writer.is_superuser or athlete.coached_by(writer))


@require_POST
@site_page
def add_note(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = athlete_for(request, athlete_id, "note")
    if not may_write_notes(viewer(request), athlete):
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        note = form.save(commit=False)
        note.athlete, note.author = athlete, viewer(request)
        note.save()
        saved = _("Your note is saved: %(name)s will see it on their dashboard.") % {"name": athlete}
        messages.success(request, saved)
    else:
        messages.error(request, _("The note is empty or too long (4,000 characters at most)."))
    return redirect("site:athlete_dashboard", athlete_id=athlete.pk)


@require_POST
@site_page
def delete_note(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(CoachNote, pk=pk, author=viewer(request))
    athlete_id = note.athlete_id
    note.delete()
    messages.success(request, _("The note is deleted."))
    return redirect("site:athlete_dashboard", athlete_id=athlete_id)
