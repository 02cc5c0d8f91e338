"""Measures the offline coach: on its own labelled set, and on the blind evaluation set.

``foulee ask --eval`` prints both, each labelled with the set it comes from.

- ``agent/data/intents.yaml`` (the training utterances): intent accuracy on a
  held-out split, and argument extraction, exact-match per utterance: every
  labelled argument must come out with the right value and no other may appear
  (the free text of ``remember_fact`` aside). These figures measure how well the
  router learnt its own phrasing.
- ``agent/evalset/`` (written blind, never trained on, never used to write a rule:
  agent/evalset/README.md): ``evaluate_evalset()`` measures the production coach
  on messages it has never seen. Two of its metrics need contracts other branches
  deliver, ``OfflineCoach.route(text, today, previous)`` (follow-ups) and
  ``agent.safety.classify(text)`` (health messages); until they exist the metric is
  reported "not measurable yet", never guessed.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, Protocol

import yaml

from agent import router
from agent.offline import OfflineCoach, extract_arguments
from agent.tools import TOOLS
from foulee.language import detect_language

#: Arguments that carry the message itself rather than a value extracted from it.
FREE_TEXT_ARGUMENTS = frozenset({"text", "query"})

AGENT_DIR: Final = Path(__file__).resolve().parent
EVALSET_DIR: Final = AGENT_DIR / "evalset"
#: The development set (agent/devset/README.md): ``tune`` may be looked at, ``check`` is for the report.
DEVSET_DIR: Final = AGENT_DIR / "devset"
DEVSET_HALVES: Final = ("tune", "check")
#: Every intent a label may name: the tools, and the conversational intents that call none.
INTENTS: Final = frozenset(TOOLS) | router.CONVERSATIONAL
#: The tools that change what is stored about the athlete.
STATE_CHANGING: Final = frozenset({"adjust_plan", "log_activity", "remember_fact", "update_profile"})
SAFETY_LABELS: Final = ("red_flag", "injury", "none")
LANGUAGES: Final = ("fr", "en")
#: A time window's bounds (inclusive ISO dates), accepted on top of each tool's own arguments.
WINDOW_ARGUMENTS: Final = frozenset({"start", "end"})
_LABEL_KEYS: Final = frozenset({"text", "intent", "lang", "args", "safety", "state_change"})


@dataclass(frozen=True)
class ArgumentEvaluation:
    cases: int
    accuracy: float
    errors: list[tuple[str, dict[str, Any], dict[str, Any]]]  # (text, expected, extracted)


def _same(expected: Any, found: Any) -> bool:
    if isinstance(expected, dt.date):
        expected = expected.isoformat()
    if isinstance(found, dt.date):
        found = found.isoformat()
    if isinstance(expected, (int, float)) and isinstance(found, (int, float)):
        return math.isclose(float(expected), float(found), rel_tol=1e-6, abs_tol=1e-6)
    return bool(expected == found)


def evaluate_arguments(data: dict[str, Any] | None = None) -> ArgumentEvaluation:
    data = data or router.load_dataset()
    section = data["arguments"]
    today = section["today"]
    errors = []
    for case in section["cases"]:
        expected = dict(case["args"])
        found = {
            key: value
            for key, value in extract_arguments(case["intent"], case["text"], today).items()
            if key not in FREE_TEXT_ARGUMENTS
        }
        if set(found) != set(expected) or not all(_same(expected[key], found[key]) for key in expected):
            errors.append((str(case["text"]), expected, found))
    cases = len(section["cases"])
    return ArgumentEvaluation(cases, 1.0 - len(errors) / cases, errors)


def evaluate_all(cache_dir: Path | None = None) -> tuple[router.Evaluation, ArgumentEvaluation]:
    return router.evaluate(cache_dir=cache_dir), evaluate_arguments()


# --- the blind evaluation set ---------------------------------------------------------------------


@dataclass(frozen=True)
class Labelled:
    """One message and what the coach should make of it (agent/evalset/README.md)."""

    text: str
    intent: str
    lang: str
    args: Mapping[str, Any] = field(default_factory=dict)
    safety: str = "none"
    #: False where no state-changing tool may run (health, unclear, instructions aimed at the coach).
    state_change: bool = True


@dataclass(frozen=True)
class Dialogue:
    id: str
    turns: tuple[Labelled, ...]


@dataclass(frozen=True)
class EvalSet:
    today: dt.date
    messages: tuple[Labelled, ...]
    dialogues: tuple[Dialogue, ...]
    #: Where it comes from, as the report names it ("evalset", "devset/tune").
    source: str = "evalset"

    def every_text(self) -> Iterable[Labelled]:
        """The messages, then every dialogue turn: what safety is measured on."""
        yield from self.messages
        for dialogue in self.dialogues:
            yield from dialogue.turns


def _labelled(entry: Mapping[str, Any], where: str) -> Labelled:
    unknown = set(entry) - _LABEL_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown label(s) {sorted(unknown)}")
    labelled = Labelled(
        text=str(entry["text"]),
        intent=str(entry["intent"]),
        lang=str(entry["lang"]),
        args=dict(entry.get("args") or {}),
        safety=str(entry.get("safety", "none")),
        state_change=bool(entry.get("state_change", True)),
    )
    if labelled.intent not in INTENTS:
        raise ValueError(f"{where}: unknown intent {labelled.intent!r}")
    if labelled.lang not in LANGUAGES or labelled.safety not in SAFETY_LABELS:
        raise ValueError(f"{where}: lang {labelled.lang!r} / safety {labelled.safety!r}")
    return labelled


def load_evalset(directory: Path = EVALSET_DIR) -> EvalSet:
    """The messages and dialogues of the blind set (or of a development half, same format); a label
    outside the format is an error."""
    messages = yaml.safe_load((directory / "messages.yaml").read_text(encoding="utf-8"))
    dialogues = yaml.safe_load((directory / "dialogues.yaml").read_text(encoding="utf-8"))
    if messages["today"] != dialogues["today"]:
        raise ValueError("messages.yaml and dialogues.yaml must fix the same today")
    return EvalSet(
        today=messages["today"],
        messages=tuple(
            _labelled(entry, f"messages[{index}]") for index, entry in enumerate(messages["messages"])
        ),
        dialogues=tuple(
            Dialogue(
                str(dialogue["id"]),
                tuple(
                    _labelled(turn, f"{dialogue['id']}[{index}]")
                    for index, turn in enumerate(dialogue["turns"])
                ),
            )
            for dialogue in dialogues["dialogues"]
        ),
        source=_source(directory),
    )


def _source(directory: Path) -> str:
    """ "evalset", "devset/tune": the set's directory as the report names it."""
    try:
        return directory.resolve().relative_to(AGENT_DIR).as_posix()
    except ValueError:
        return directory.name


class IntentSource(Protocol):
    def intents(self, text: str) -> list[tuple[str, str, float]]: ...


class RoutedTurn(Protocol):
    """The contract of coach-windows' ``Turn``: an intent and its arguments."""

    @property
    def intent(self) -> str: ...

    @property
    def args(self) -> Mapping[str, Any]: ...


class SafetyVerdict(Protocol):
    """The contract of coach-safety's ``agent.safety.Safety``."""

    @property
    def kind(self) -> str: ...

    @property
    def state_change_allowed(self) -> bool: ...


Route = Callable[[str, dt.date, Any], Sequence[RoutedTurn]]
Classify = Callable[[str], SafetyVerdict]


def contract_route(coach: object) -> Route | None:
    """``coach.route(text, today, previous)`` once the follow-up work has landed, else None."""
    route = getattr(coach, "route", None)
    return route if callable(route) else None


def contract_classify() -> Classify | None:
    """``agent.safety.classify`` once the safety work has landed, else None."""
    try:
        module = importlib.import_module("agent.safety")
    except ModuleNotFoundError:
        return None
    classify = getattr(module, "classify", None)
    return classify if callable(classify) else None


@dataclass(frozen=True)
class Metric:
    """One line of the report: ``right`` of ``total`` on ``source``, or why it cannot be measured yet."""

    name: str
    source: str
    right: int = 0
    total: int = 0
    errors: tuple[str, ...] = ()
    #: Why the metric cannot be measured yet (a contract not delivered); None when it was measured.
    unmeasurable: str | None = None

    @property
    def rate(self) -> float | None:
        if self.unmeasurable is not None or self.total == 0:
            return None
        return self.right / self.total


def _comparable(key: str, value: Any, today: dt.date) -> Any:
    if isinstance(value, str) and key in WINDOW_ARGUMENTS | {"date", "race_date"}:
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if key == "end" and isinstance(value, dt.date):
        # A window ending after today selects the same days as one ending today: "this month" is
        # right whether it is read as 1-30 November or as 1 November to today.
        value = min(value, today)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return float(value)


def arguments_match(expected: Mapping[str, Any], found: Mapping[str, Any], today: dt.date) -> bool:
    """Every labelled argument came out with its value (arguments not labelled are not judged)."""
    for key, value in expected.items():
        if key not in found:
            return False
        want, got = _comparable(key, value, today), _comparable(key, found[key], today)
        if isinstance(want, float) and isinstance(got, float):
            if not math.isclose(want, got, rel_tol=1e-6, abs_tol=1e-6):
                return False
        elif want != got:
            return False
    return True


def _shown(item: Labelled, got: object) -> str:
    return f"{item.text!r}: expected {item.intent} {dict(item.args) or ''}, got {got}"


def _intent_metric(evalset: EvalSet, coach: IntentSource) -> Metric:
    errors = []
    for item in evalset.messages:
        top = coach.intents(item.text)[0][0]
        if top != item.intent:
            errors.append(_shown(item, top))
    total = len(evalset.messages)
    return Metric(
        "intent (top of OfflineCoach.intents)",
        f"{evalset.source}/messages",
        total - len(errors),
        total,
        tuple(errors),
    )


def _argument_metric(evalset: EvalSet) -> Metric:
    cases = [item for item in evalset.messages if item.args]
    errors = []
    for item in cases:
        found = extract_arguments(item.intent, item.text, evalset.today)
        if not arguments_match(item.args, found, evalset.today):
            errors.append(_shown(item, found))
    return Metric(
        "arguments (labelled ones, true intent)",
        f"{evalset.source}/messages",
        len(cases) - len(errors),
        len(cases),
        tuple(errors),
    )


def _language_metric(evalset: EvalSet) -> Metric:
    errors = []
    for item in evalset.messages:
        # The prior is the other language: only what the message itself says can make it right.
        other: Literal["fr", "en"] = "en" if item.lang == "fr" else "fr"
        found = detect_language(item.text, prior=other)
        if found != item.lang:
            errors.append(f"{item.text!r}: expected {item.lang}, got {found}")
    total = len(evalset.messages)
    return Metric(
        "language (the message alone)",
        f"{evalset.source}/messages",
        total - len(errors),
        total,
        tuple(errors),
    )


def _follow_up_metric(evalset: EvalSet, route: Route | None) -> Metric:
    name, source = "follow-up turns (intent and labelled args)", f"{evalset.source}/dialogues"
    if route is None:
        return Metric(name, source, unmeasurable="OfflineCoach.route(text, today, previous) is not there yet")
    right = total = 0
    errors = []
    for dialogue in evalset.dialogues:
        previous: RoutedTurn | None = None
        for index, item in enumerate(dialogue.turns):
            turns = list(route(item.text, evalset.today, previous))
            first = turns[0] if turns else None
            if index > 0:
                total += 1
                if (
                    first is not None
                    and first.intent == item.intent
                    and arguments_match(item.args, first.args, evalset.today)
                ):
                    right += 1
                else:
                    got = None if first is None else f"{first.intent} {dict(first.args)}"
                    errors.append(f"{dialogue.id}: " + _shown(item, got))
            previous = first
    return Metric(name, source, right, total, tuple(errors))


def _safety_metrics(evalset: EvalSet, classify: Classify | None) -> list[Metric]:
    source = f"{evalset.source} (messages and turns)"
    names = {
        "red_flag": "red-flag recall (agent.safety.classify)",
        "injury": "injury recall (agent.safety.classify)",
        "none": "no false health alarm on other messages",
    }
    if classify is None:
        reason = "agent.safety.classify(text) is not there yet"
        return [Metric(name, source, unmeasurable=reason) for name in names.values()]
    metrics = []
    items = list(evalset.every_text())
    for label, name in names.items():
        cases = [item for item in items if item.safety == label]
        errors = []
        for item in cases:
            kind = str(classify(item.text).kind)
            wrong = kind in ("red_flag", "injury") if label == "none" else kind != label
            if wrong:
                errors.append(f"{item.text!r}: expected {label}, got {kind}")
        metrics.append(Metric(name, source, len(cases) - len(errors), len(cases), tuple(errors)))
    return metrics


def _state_change_metrics(evalset: EvalSet, coach: IntentSource, classify: Classify | None) -> list[Metric]:
    source = f"{evalset.source} (messages and turns)"
    cases = [item for item in evalset.every_text() if not item.state_change]
    routed = []
    for item in cases:
        writes = sorted({name for name, _, _ in coach.intents(item.text)} & STATE_CHANGING)
        routed.append((item, writes))
    violations = [f"{item.text!r}: routed {writes}" for item, writes in routed if writes]
    metrics = [
        Metric(
            "no state-changing intent routed",
            source,
            len(cases) - len(violations),
            len(cases),
            tuple(violations),
        )
    ]
    gated_name = "no state change after the safety gate"
    if classify is None:
        metrics.append(
            Metric(gated_name, source, unmeasurable="agent.safety.classify(text) is not there yet")
        )
    else:
        gated = [
            f"{item.text!r}: routed {writes} and allowed"
            for item, writes in routed
            if writes and classify(item.text).state_change_allowed
        ]
        metrics.append(Metric(gated_name, source, len(cases) - len(gated), len(cases), tuple(gated)))
    return metrics


def evaluate_evalset(
    coach: IntentSource | None = None,
    *,
    route: Route | None = None,
    classify: Classify | None = None,
    directory: Path = EVALSET_DIR,
) -> list[Metric]:
    """The production coach on the blind set. ``route`` and ``classify`` default to the contracts'
    implementations when they exist (``contract_route``, ``contract_classify``)."""
    evalset = load_evalset(directory)
    coach = coach or OfflineCoach()
    route = route or contract_route(coach)
    classify = classify or contract_classify()
    return [
        _intent_metric(evalset, coach),
        _argument_metric(evalset),
        _language_metric(evalset),
        _follow_up_metric(evalset, route),
        *_safety_metrics(evalset, classify),
        *_state_change_metrics(evalset, coach, classify),
    ]
