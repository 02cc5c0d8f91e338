"""The data model of both stores as Mermaid diagrams, generated from the code (docs/data-model.md).

Three levels, as Merise has them: the conceptual model (entities and the
associations between them, with their cardinalities), the logical model (each
entity's attributes, keys and references) and the physical model (the tables
as PostgreSQL creates them: column types, nullability, indexes). Both stores
are drawn: Django's system of record, from its models, and the analytics store,
from its SQLAlchemy metadata. ``foulee datamodel`` rewrites the generated parts
of docs/data-model.md (between ``<!-- generated:NAME -->`` markers, so the prose
around them stays hand-written); ``foulee datamodel --check`` fails when they
differ from the code, and the test suite runs that check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

from django.apps import apps
from django.db import models
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql

from analytics import schema

#: Foulée's own Django apps; Django's (admin log, permissions, content types, sessions) are left out.
APPS: Final = ("accounts", "activities", "plans", "coaching", "jobs", "site", "strava")
DOCUMENT: Final = Path(__file__).resolve().parents[1] / "docs" / "data-model.md"
_MARKER = re.compile(r"(<!-- generated:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /generated -->)", re.S)


def django_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model._meta.app_label in APPS]


def _entity(model: type[models.Model]) -> str:
    return model._meta.object_name or model.__name__


def _references(model: type[models.Model]) -> Iterator[models.ForeignKey[Any, Any]]:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is not None:
            yield field


def _cardinality(field: models.ForeignKey[Any, Any]) -> str:
    """Mermaid's crow's feet, read from the referenced entity to the referencing one."""
    parent = "|o" if field.null else "||"
    child = "o|" if isinstance(field, models.OneToOneField) else "o{"
    return f"{parent}--{child}"


def _label(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def conceptual() -> str:
    lines = ["erDiagram"]
    for model in django_models():
        for field in _references(model):
            parent = field.related_model
            if not isinstance(parent, type):
                continue
            lines.append(
                f"    {_entity(parent)} {_cardinality(field)} {_entity(model)} : {_label(field.name)}"
            )
    # The analytics store keys its rows by the system of record's ids, without a foreign key across stores.
    lines.append(f'    User ||--o| {_table_entity(schema.athlete_table)} : "synced as (same id)"')
    lines.append(f'    Activity ||--o| {_table_entity(schema.activity_table)} : "synced as (same id)"')
    for table in schema.Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            referenced = _table_entity(key.column.table)
            child = "o|" if set(table.primary_key.columns) == {key.parent} else "o{"
            lines.append(f"    {referenced} ||--{child} {_table_entity(table)} : {_label(key.parent.name)}")
        if "athlete_id" in table.c and not table.c.athlete_id.foreign_keys:
            lines.append(
                f'    {_table_entity(schema.athlete_table)} ||--o{{ {_table_entity(table)} : "athlete_id"'
            )
    return "\n".join(lines)


def _table_entity(table: Table) -> str:
    return "".join(part.capitalize() for part in table.name.split("_"))


def _logical_type(field: models.Field[Any, Any]) -> str:
    kind = field.get_internal_type()
    return {
        "AutoField": "id",
        "BigAutoField": "id",
        "CharField": "text",
        "TextField": "text",
        "EmailField": "text",
        "SlugField": "text",
        "FileField": "file",
        "JSONField": "json",
        "BooleanField": "bool",
        "DateTimeField": "instant",
        "DateField": "date",
        "DurationField": "duration",
        "FloatField": "real",
        "DecimalField": "decimal",
    }.get(kind, "int" if "Integer" in kind or kind in ("ForeignKey", "OneToOneField") else kind.lower())


def _keys(field: models.Field[Any, Any]) -> str:
    marks = []
    if field.primary_key:
        marks.append("PK")
    if isinstance(field, models.ForeignKey):
        marks.append("FK")
    if field.unique and not field.primary_key:
        marks.append("UK")
    return " " + ", ".join(marks) if marks else ""


def logical() -> str:
    lines = ["erDiagram"]
    for model in django_models():
        lines.append(f"    {_entity(model)} {{")
        for field in model._meta.concrete_fields:
            lines.append(f"        {_logical_type(field)} {field.attname}{_keys(field)}")
        lines.append("    }")
    return "\n".join(lines)


def _physical_lines(name: str, columns: Iterable[tuple[str, str, bool, str]]) -> list[str]:
    lines = [f"    {name} {{"]
    for column, sql_type, nullable, keys in columns:
        sql = re.sub(r"[^A-Za-z0-9_]", "_", sql_type.lower()).strip("_")
        note = ' "null"' if nullable else ""
        lines.append(f"        {sql} {column}{keys}{note}")
    lines.append("    }")
    return lines


def physical_django() -> str:
    lines = ["erDiagram"]
    for model in django_models():
        columns = []
        for field in model._meta.concrete_fields:
            columns.append((field.column, _postgres_type(field), field.null, _keys(field)))
        lines += _physical_lines(model._meta.db_table, columns)
    return "\n".join(lines)


_POSTGRES_TYPES: Final = {
    "AutoField": "integer",
    "BigAutoField": "bigint",
    "BigIntegerField": "bigint",
    "BooleanField": "boolean",
    "CharField": "varchar",
    "DateField": "date",
    "DateTimeField": "timestamptz",
    "EmailField": "varchar",
    "FileField": "varchar",
    "FloatField": "double precision",
    "IntegerField": "integer",
    "JSONField": "jsonb",
    "PositiveIntegerField": "integer",
    "PositiveSmallIntegerField": "smallint",
    "SmallIntegerField": "smallint",
    "TextField": "text",
    "DurationField": "interval",
}


def _postgres_type(field: models.Field[Any, Any]) -> str:
    """The column type PostgreSQL gets, whatever backend this process runs on (the doc must not vary)."""
    if isinstance(field, models.ForeignKey):
        return _postgres_type(field.target_field)
    kind = field.get_internal_type()
    if kind not in _POSTGRES_TYPES:
        raise ValueError(f"web/datamodel.py knows no PostgreSQL type for a {kind}: add it to _POSTGRES_TYPES")
    base = _POSTGRES_TYPES[kind]
    return f"varchar({field.max_length})" if base == "varchar" and field.max_length else base


def physical_analytics() -> str:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    lines = ["erDiagram"]
    for table in schema.Base.metadata.sorted_tables:
        columns = []
        for column in table.c:
            keys = []
            if column.primary_key:
                keys.append("PK")
            if column.foreign_keys:
                keys.append("FK")
            marks = " " + ", ".join(keys) if keys else ""
            columns.append((column.name, column.type.compile(dialect=dialect), bool(column.nullable), marks))
        lines += _physical_lines(table.name, columns)
    return "\n".join(lines)


def indexes() -> str:
    """Every index of both stores, as a Markdown table (Mermaid draws no indexes)."""
    rows = ["| store | table | index | columns |", "| --- | --- | --- | --- |"]
    for model in django_models():
        for index in model._meta.indexes:
            rows.append(f"| Django | {model._meta.db_table} | {index.name} | {', '.join(index.fields)} |")
    for table in schema.Base.metadata.sorted_tables:
        for sa_index in sorted(table.indexes, key=lambda i: str(i.name)):
            names = ", ".join(column.name for column in sa_index.columns)
            rows.append(f"| analytics | {table.name} | {sa_index.name} | {names} |")
    return "\n".join(rows)


SECTIONS: Final = {
    "conceptual": lambda: f"```mermaid\n{conceptual()}\n```\n",
    "logical": lambda: f"```mermaid\n{logical()}\n```\n",
    "physical-django": lambda: f"```mermaid\n{physical_django()}\n```\n",
    "physical-analytics": lambda: f"```mermaid\n{physical_analytics()}\n```\n",
    "indexes": lambda: f"{indexes()}\n",
}


def render(document: str) -> str:
    """``document`` with every generated section replaced by what the code gives now."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in SECTIONS:
            raise ValueError(f"docs/data-model.md names an unknown generated section {name!r}")
        return f"{match.group(1)}{SECTIONS[name]()}{match.group(4)}"

    return _MARKER.sub(replace, document)


def stale_sections(document: str) -> list[str]:
    """The generated sections of ``document`` that differ from the code."""
    return [
        match.group("name")
        for match in _MARKER.finditer(document)
        if match.group("body") != SECTIONS[match.group("name")]()
    ]
