"""The admin's upload page: a coach imports activity files (or a Strava export) for an athlete.

A thin door over :mod:`analytics.importing`, like ``foulee import``: the same
service, the same results, one line per file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from analytics.importing.batch import BatchSummary, plan_zip
from analytics.importing.service import ImportResult, import_file
from foulee.config import get_settings
from foulee.filenames import upload_name
from web.accounts.models import Role, User


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".fit,.gpx,.tcx,.gz,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                # An empty list would validate item by item as nothing at all: no file is no upload.
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    athlete = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Athlete"))
    uploads = MultipleFileField(
        label=_("Files"),
        help_text=_(".fit, .gpx or .tcx files (gzipped too), or the zip of a Strava bulk export."),
    )

    def __init__(self, *args: Any, athletes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["athlete"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (for the type checker)
        field.queryset = athletes.filter(role=Role.ATHLETE).order_by("full_name", "email")


def import_uploads(
    athlete: User, uploads: list[UploadedFile], summary: BatchSummary
) -> Iterator[ImportResult]:
    """Import each upload for ``athlete``: a zip through the batch importer, a file directly."""
    max_bytes = get_settings().max_upload_bytes
    for upload in uploads:
        name = upload_name(upload.name)
        if name.lower().endswith(".zip"):
            yield from _import_zip(athlete, upload, name, summary)
            continue
        if upload.size is not None and upload.size > max_bytes:
            result = ImportResult.refused(name, "file size over the limit")
        else:
            result = import_file(athlete, upload.read(), name)
        summary.add(result)
        yield result


def _import_zip(
    athlete: User, upload: UploadedFile, name: str, summary: BatchSummary
) -> Iterator[ImportResult]:
    # The zip is read where it lies on disk, member by member: spool the upload to a file first.
    with tempfile.NamedTemporaryFile(suffix=".zip") as spooled:
        for chunk in upload.chunks():
            spooled.write(chunk)
        spooled.flush()
        plan = plan_zip(athlete, Path(spooled.name), summary, label=name)
        for result in plan.run():
            summary.add(result)
            yield result
