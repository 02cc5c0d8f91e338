"""A user's data, all of it, as a zip: JSON of every row that belongs to them, and their original files.

"Everything" is what is deleted with the account, found by walking the models
rather than listing them: every model whose foreign key to the user cascades
(profile, activities, plans, coaching sessions, links, tokens…), then every
model cascading from those (planned sessions, messages). A plan a coach wrote
for an athlete is the athlete's (its ``created_by`` does not cascade), so it
is in the athlete's export, not the coach's. A model another part of Foulée adds later is exported
without changing this file. Secrets (the password hash, token and link-code
hashes) are left out: they are credentials, not the user's data.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import IO, Any, Final

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from web.accounts.models import User

#: Fields never exported: credentials and their hashes.
SECRET_FIELDS: Final = frozenset({"password", "key_hash", "link_code_hash"})


def _row(instance: models.Model) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        value = field.value_from_object(instance)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        elif isinstance(value, bytes | memoryview):
            continue
        row[field.attname] = value
    return row


def _owned_by(model: type[models.Model], parents: Iterable[tuple[type[models.Model], list[Any]]]) -> Any:
    """The rows of ``model`` deleted with any of the given parent rows (a cascading foreign key)."""
    query = models.Q()
    found = False
    for field in model._meta.get_fields():
        if not isinstance(field, models.ForeignKey) or field.remote_field.on_delete is not models.CASCADE:
            continue
        for parent_model, keys in parents:
            if field.related_model is parent_model and keys:
                query |= models.Q(**{f"{field.name}__in": keys})
                found = True
    return model._default_manager.filter(query).order_by("pk") if found else None


def collect(user: User) -> dict[str, list[dict[str, Any]]]:
    """Every row of the user's, keyed ``app_label.model``; two levels of ownership deep."""
    tables: dict[str, list[dict[str, Any]]] = {"accounts.user": [_row(user)]}
    direct: list[tuple[type[models.Model], list[Any]]] = []
    for relation in User._meta.related_objects:
        model = relation.related_model
        if not isinstance(model, type) or model is User or model._meta.label_lower in tables:
            continue
        rows = _owned_by(model, [(User, [user.pk])])
        if rows is None:
            continue
        instances = list(rows)
        tables[model._meta.label_lower] = [_row(i) for i in instances]
        direct.append((model, [i.pk for i in instances]))
    for parent_model, _keys in direct:
        for relation in parent_model._meta.related_objects:
            model = relation.related_model
            if not isinstance(model, type) or model is User or model._meta.label_lower in tables:
                continue
            rows = _owned_by(model, direct)
            if rows is not None:
                tables[model._meta.label_lower] = [_row(i) for i in rows]
    return tables


#: The export's format, named in ``data.json`` so a reader knows what it holds.
EXPORT_FORMAT: Final = "foulee-export-v1"


def document(user: User) -> dict[str, Any]:
    """``data.json``: when, which format, and every row of the user's (``collect``)."""
    return {"exported_at": dt.datetime.now(dt.UTC), "format": EXPORT_FORMAT, "tables": collect(user)}


def write_export(user: User, target: IO[bytes]) -> int:
    """Write the zip: ``data.json`` and ``files/<name>`` for each original activity file.

    Returns the number of activities exported, which the bot says in its caption.
    """
    data_document = document(user)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        data = json.dumps(data_document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        archive.writestr("data.json", data)
        written: set[str] = set()
        for activity in user.activities.exclude(original_file="").order_by("pk"):
            if activity.original_file.name in written:
                continue  # the legs of a multisport file share one original, exported once
            written.add(activity.original_file.name)
            name = PurePosixPath(activity.original_file.name).name
            try:
                with activity.original_file.open("rb") as original:
                    archive.writestr(f"files/{activity.pk}-{name}", original.read())
            except FileNotFoundError:
                continue
    return len(data_document["tables"].get("activities.activity", []))
