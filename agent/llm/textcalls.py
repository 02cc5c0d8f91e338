"""Tool calls a model wrote as text, and text that must never reach the athlete.

Small models often answer a tool call as text rather than through the API's ``tool_calls``:
a JSON object ``{"name": ..., "arguments": {...}}`` (alone, in a list or in a code fence), or
Hermes/Qwen's ``<tool_call>{...}</tool_call>`` tags. ``parse`` reads both; ``validate`` checks a
call against the tools offered and their pydantic schemas (``agent.tools``). ``is_markup`` says
whether a reply is such a call, a schema fragment or raw JSON: never something to show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import ValidationError

from agent.tools import TOOLS

_TAGGED: Final = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL)
_FENCE: Final = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)
_MARKUP: Final = re.compile(
    r"</?tool_call>|\"(?:name|arguments|parameters|properties|type)\"\s*:|```|^\s*[\[{]", re.MULTILINE
)


@dataclass(frozen=True)
class TextCall:
    name: str
    args: dict[str, Any] = field(default_factory=dict)


def _call(item: Any) -> TextCall | None:
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("function"), dict):  # {"type": "function", "function": {...}}
        item = item["function"]
    name = item.get("name")
    args = item.get("arguments", item.get("parameters", {}))
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except json.JSONDecodeError:
            return None
    if not isinstance(name, str) or not isinstance(args, dict):
        return None
    return TextCall(name, args)


def _json_calls(text: str) -> list[TextCall] | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    items = data if isinstance(data, list) else [data]
    calls = [_call(item) for item in items]
    return None if not calls or any(call is None for call in calls) else [c for c in calls if c]


def parse(text: str) -> list[TextCall]:
    """The tool calls ``text`` consists of; empty when it is prose (or anything else)."""
    stripped = text.strip()
    tagged = _TAGGED.findall(stripped)
    if tagged:
        calls = [_json_calls(chunk) for chunk in tagged]
        return [] if any(found is None for found in calls) else [c for found in calls for c in found or []]
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group(1)
    if stripped.startswith(("{", "[")):
        return _json_calls(stripped) or []
    return []


def is_markup(text: str) -> bool:
    """Whether ``text`` holds a tool call, JSON or a schema fragment rather than a reply to read."""
    return bool(_MARKUP.search(text))


def validate(name: str, args: dict[str, Any], offered: Collection[str]) -> dict[str, list[str]] | None:
    """The errors of a call (keyed by argument), or None when the tool was offered and its args fit."""
    if name not in offered or name not in TOOLS:
        return {"__all__": [f"unknown tool {name!r}; the tools are: {', '.join(sorted(offered))}"]}
    try:
        TOOLS[name].args.model_validate(args)
    except ValidationError as error:
        return {
            ".".join(str(part) for part in item["loc"]) or "__all__": [item["msg"]] for item in error.errors()
        }
    return None
