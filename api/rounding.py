"""How many decimals each quantity of a response keeps: one table, applied as responses are built.

The formulas give floats with every digit they have (``moving_time_h: 4.352222222222222``);
no reader needs a millionth of an hour, and the noise makes two equal values
look different. Each number of a response is typed with its unit below
(``distance_km: Kilometres``): the type rounds the value when the response is
built, and says so in the OpenAPI document (``x-decimals``, and a sentence added
to the field's description by :func:`describe`), so the values and their
documentation cannot disagree. ``docs/api.md`` has the table for people.

The decimals are what the unit needs for the value to mean something, and no
more: a GPS distance to the decimetre, a time to the tenth of a second, a heart
rate or a training load (TRIMP) to the unit, as the web pages show them.
Values are rounded half to even (Python's ``round``); ``-0.0`` becomes ``0.0``.
The export (``GET /v1/me/export``) is the stored record and is not rounded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import FastAPI
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

#: The OpenAPI keys a rounded number carries (an extension: ignored by validators).
DECIMALS_KEY = "x-decimals"
UNIT_KEY = "x-unit"


@dataclass(frozen=True)
class Precision:
    """A unit and the decimals its values keep; in ``Annotated[float, …]`` it rounds them."""

    decimals: int
    unit: str = ""

    def round(self, value: float) -> float:
        return round(float(value), self.decimals) + 0.0  # + 0.0: no "-0.0" in a response

    def sentence(self) -> str:
        """How the documentation says it: ``Rounded to 0.01 km.``"""
        step = f"{10.0**-self.decimals:.{self.decimals}f}" if self.decimals > 0 else "1"
        return f"Rounded to {step}{' ' + self.unit if self.unit else ''}."

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.round, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema[DECIMALS_KEY] = self.decimals
        if self.unit:
            json_schema[UNIT_KEY] = self.unit
        return json_schema


# Distances and times.
Metres = Annotated[float, Precision(1, "m")]
Kilometres = Annotated[float, Precision(2, "km")]
Seconds = Annotated[float, Precision(1, "s")]
Minutes = Annotated[float, Precision(1, "min")]
Hours = Annotated[float, Precision(2, "h")]
# Speeds and paces.
MetresPerSecond = Annotated[float, Precision(3, "m/s")]
KilometresPerHour = Annotated[float, Precision(2, "km/h")]
SecondsPerKilometre = Annotated[float, Precision(0, "s/km")]
# The body.
BeatsPerMinute = Annotated[float, Precision(0, "bpm")]
StepsPerMinute = Annotated[float, Precision(0, "spm")]
Kilocalories = Annotated[float, Precision(0, "kcal")]
Kilograms = Annotated[float, Precision(1, "kg")]
Vo2max = Annotated[float, Precision(1, "ml/kg/min")]
Vdot = Annotated[float, Precision(1)]
# Training load: TRIMP points to the unit (as the web shows them); the PMC's averages to a tenth.
TrainingLoad = Annotated[float, Precision(0, "TRIMP")]
LoadAverage = Annotated[float, Precision(1, "TRIMP")]
# Pure numbers.
Share = Annotated[float, Precision(3)]  # 0 to 1: a tenth of a percent
Confidence = Annotated[float, Precision(2)]
Exponent = Annotated[float, Precision(3)]
Score = Annotated[float, Precision(4)]
#: A record's target and value: metres or seconds, by its kind (both to a tenth).
MetresOrSeconds = Annotated[float, Precision(1, "m or s")]


def describe(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (OpenAPI) with each rounded property's description saying how it is rounded."""
    for schema in document.get("components", {}).get("schemas", {}).values():
        for prop in schema.get("properties", {}).values():
            precision = next(_precisions(prop), None)
            if precision is None:
                continue
            sentence = precision.sentence()
            description = prop.get("description", "")
            if sentence not in description:
                prop["description"] = f"{description} {sentence}".strip()
    return document


def _precisions(schema: Any) -> Iterator[Precision]:
    """The precision a property's schema carries: on itself, in a nullable ``anyOf``, or its values'."""
    if not isinstance(schema, dict):
        return
    if DECIMALS_KEY in schema:
        yield Precision(int(schema[DECIMALS_KEY]), str(schema.get(UNIT_KEY, "")))
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, []):
            yield from _precisions(option)
    for key in ("items", "additionalProperties"):
        yield from _precisions(schema.get(key))


def install(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI document describe the rounding of each field (built once, then cached)."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
