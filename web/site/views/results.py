"""A race result from a results page: the form over ``web.activities.results.service``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from web.activities.results.fetch import ResultsError
from web.activities.results.service import import_race_result
from web.site.forms import RaceResultForm
from web.site.views.common import athlete_for, site_page, viewer


@site_page
def race_result(request: HttpRequest, athlete_id: int | None = None) -> HttpResponse:
    """Fetch the page the athlete names, find their row, record it; or show the rows to choose from."""
    athlete = athlete_for(request, athlete_id, "race-result")
    form = RaceResultForm(request.POST if request.method == "POST" else None)
    candidates = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            outcome = import_race_result(
                athlete,
                form.cleaned_data["url"],
                race_date=form.cleaned_data["race_date"],
                distance_m=form.distance_m(),
                choice=form.cleaned_data["choice"] or None,
            )
        except ResultsError as error:
            form.add_error("url" if error.code in URL_ERRORS else None, str(error.reason))
            status = 422
        else:
            if outcome.status == "ambiguous":
                candidates = outcome.candidates
            elif outcome.activity is not None:
                if outcome.status == "imported":
                    messages.success(request, _("Your race result is recorded."))
                else:
                    messages.info(request, _("This result was already recorded."))
                return redirect("site:activity", pk=outcome.activity.pk)
    elif request.method == "POST":
        status = 422
    context = {
        "athlete": athlete,
        "own": athlete.pk == viewer(request).pk,
        "form": form,
        "candidates": candidates,
    }
    return render(request, "site/race_result.html", context, status=status)


#: Refusals about the address itself, shown under its field; the others concern the page's content.
URL_ERRORS = frozenset(
    {"bad_url", "address_refused", "unreachable", "timeout", "not_found", "http_error", "not_html",
     "too_large", "too_many_redirects"}
)  # fmt: skip
