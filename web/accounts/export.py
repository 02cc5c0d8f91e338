"""A user's data, all of it, as a zip: JSON of every row that belongs to them, and their original files.

"Everything" is what is deleted with the account, found by walking the models
rather than listing them: every model whose foreign key to the user cascades
(profile, activities, plans, coaching sessions, links, tokens…), then every
model cascading from those (planned sessions, messages). A plan a coach wrote
for an athlete is the athlete's (its ``created_by`` does not cascade), so it
is in the athlete's export, not the coach's. A model another part of Foulée adds later is exported
without changing this file. Secrets (the password hash, token and link-code
hashes) are left out: they are credentials, not the user's data.

What Foulée derived from those rows is exported too: ``data.json`` holds the
analytics store's rows of the athlete (``analytics``: the synced activities,
their features, best efforts and zones, the daily load), found the same way
(every table keyed by the athlete or by one of their activities), and
``samples/<activity id>.csv`` holds each activity's recorded samples as the
analytics store keeps them. The format is described by
``docs/export.schema.json`` (JSON Schema), checked by the tests.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import IO, Any, Final

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from sqlalchemy import LargeBinary, Table, select

from analytics import samples, schema
from analytics.db import get_engine
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


def _owned_in_analytics(table: Table, athlete_id: int) -> Any:
    """The condition selecting the athlete's rows of an analytics table, or None if it holds none."""
    if table is schema.athlete_table:
        return table.c.id == athlete_id
    if "athlete_id" in table.c:
        return table.c.athlete_id == athlete_id
    if "activity_id" in table.c:
        activity = schema.activity_table
        return table.c.activity_id.in_(select(activity.c.id).where(activity.c.athlete_id == athlete_id))
    return None


def collect_analytics(user: User) -> dict[str, list[dict[str, Any]]]:
    """The analytics store's rows of the user's, by table; binary columns (samples) are left to the CSVs."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with get_engine().connect() as conn:
        for table in schema.Base.metadata.sorted_tables:
            condition = _owned_in_analytics(table, user.pk)
            if condition is None:
                continue
            columns = [column for column in table.c if not isinstance(column.type, LargeBinary)]
            query = select(*columns).where(condition).order_by(*table.primary_key.columns)
            tables[table.name] = [dict(row) for row in conn.execute(query).mappings()]
    return tables


def _samples_csvs(user: User) -> Iterator[tuple[int, str]]:
    """``(activity id, CSV)`` for each of the user's activities with samples in the analytics store."""
    table = schema.samples_table
    condition = _owned_in_analytics(table, user.pk)
    with get_engine().connect() as conn:
        rows = conn.execute(
            select(table.c.activity_id, table.c.encoding, table.c.data, table.c.sample_count)
            .where(condition)
            .order_by(table.c.activity_id)
        )
        for row in rows:
            table_of_samples = samples.decode(row.encoding, row.data, row.sample_count)
            yield int(row.activity_id), table_of_samples.to_csv(index=False)


#: The export's format, named in ``data.json`` so a reader knows what it holds (docs/export.schema.json).
EXPORT_FORMAT: Final = "foulee-export-v2"


def document(user: User) -> dict[str, Any]:
    """``data.json``: when, which format, every row of the user's (``collect``) and what was derived."""
    return {
        "exported_at": dt.datetime.now(dt.UTC),
        "format": EXPORT_FORMAT,
        "tables": collect(user),
        "analytics": collect_analytics(user),
    }


def write_export(user: User, target: IO[bytes]) -> int:
    """Write the zip: ``data.json``, ``files/<id>-<name>`` for each original activity file and
    ``samples/<id>.csv`` for each activity's samples.

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
        for activity_id, csv in _samples_csvs(user):
            archive.writestr(f"samples/{activity_id}.csv", csv)
    return len(data_document["tables"].get("activities.activity", []))
