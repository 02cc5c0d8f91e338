"""The offline coach (``FOULEE_LLM=offline``): route, extract arguments, call tools, fill templates.

No key, no network, no model that writes free text: the router
(``agent.router``) picks the tool, ``agent.extract`` fills its arguments,
``agent.replies`` turns the results into French or English. Health comes first
(``agent.safety`` reads the message, ``agent.health`` answers a red flag, an
injury or an illness), by rule, so it never depends on a classifier; and a
state-changing tool the safety rules hold back is proposed, not run.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Final

from agent import advice, athletes, conversation, extract, health, replies, safety, windows
from agent.context import Language, ToolContext, ToolResult
from agent.conversation import Turn
from agent.intent_rules import rule_intent, states_missed_or_ill
from agent.router import CONVERSATIONAL, MIN_CONFIDENCE, Router, get_router
from agent.tools import run_tool
from foulee import races

#: Distances predicted when the athlete asks for "my race predictions" without naming one.
DEFAULT_PREDICTIONS: Final = tuple(race.metres for race in races.GOAL_RACES)
#: A message split into clauses routes each clause on its own only above this confidence.
CLAUSE_CONFIDENCE: Final = 0.60
MAX_TOOLS_PER_MESSAGE: Final = 3
#: Clauses routed on their own at most, each one more (short) text to embed: the message's first
#: ones, taken from the part of it the classifier reads (``Router.reads``), so that a long message
#: costs the router about twice what its start does, never one embedding per clause of 2,000
#: characters. Twice the tools, so that a greeting or an unclear clause leaves room for others.
MAX_CLAUSES: Final = 2 * MAX_TOOLS_PER_MESSAGE
#: The tools that read a time window (``start``, ``end``): every one whose answer depends on the dates.
WINDOWED: Final = frozenset(
    {
        "weekly_summary",
        "performance_trends",
        "zones_analysis",
        "estimate_vma",
        "training_load",
        "recent_activities",
        "activity_analysis",
    }
)

#: What a coach asking how an athlete is going ("Comment va Karim ?") is told: form, then the week.
OVERVIEW: Final = ("training_load", "weekly_summary")
#: The questions a follow-up may continue: reads only, never a tool that changes something.
FOLLOWABLE: Final = WINDOWED | {"predict_race"}
#: The questions that take the previous turn's window when a follow-up names none ("and my zones?");
#: not the VMA, a best effort, nor the form, which is today's unless a window is said.
CARRY_WINDOW: Final = frozenset(
    {"weekly_summary", "zones_analysis", "recent_activities", "performance_trends"}
)
#: The arguments a follow-up may give anew ("et sur marathon ?": a distance; "what about last month?").
SLOTS: Final = frozenset({"start", "end", "weeks", "distance_m", "limit", "activity_id"})
#: A short message routed elsewhere above this confidence is a new question, not a follow-up.
SWITCH_CONFIDENCE: Final = 0.70

#: A question about volume ("combien de km", "how many k"), for a message the router is unsure of.
_VOLUME: Final = re.compile(
    r"\b(?:km|kms|k|kilometres?|kilometers?|kilometrage|bornes|mileage|miles|volume|distance|"
    r"how (?:much|many|far)|combien)\b"
)

_ILLNESS = re.compile(
    r"malade|grippe|covid|fièvre|fievre|rhume|enrhumé|angine|gastro|sick|\bill\b|flu|fever|cold|virus"
)
_LANGUAGE_EN = re.compile(r"\b(?:en anglais|in english|english|anglais)\b")
_LANGUAGE_FR = re.compile(r"\b(?:en français|en francais|in french|french|français|francais)\b")
_WEIGHT = re.compile(r"(\d{2,3}(?:[.,]\d)?)\s*(?:kg|kilos?)\b")
_AVG_HR = re.compile(
    r"(?:fc|hr|heart rate|fréquence cardiaque|pulse)\s*(?:moyenne?|avg|average|moy)?\s*"
    r"(?:de|of|:|=)?\s*(\d{2,3})"
    r"|(?:avg|average|moyenne?)\s*(?:fc|hr|heart rate)\s*(?:de|of|:|=)?\s*(\d{2,3})"
)
_ACTIVITY_ID = re.compile(r"(?:activit[éey]|activity|#)\s*(?:n°|no\.?|number)?\s*#?(\d+)")
_LIMIT = re.compile(
    r"\b(\d{1,2})\s+(?:dernières|derniers|dernieres|last|latest|recent)?\s*"
    r"(?:sorties|courses|activités|activites|activities|runs|workouts|séances|seances|entraînements)"
)
_MONTHS_WINDOW = re.compile(r"\b(\d+|un|une|deux|trois|six|one|two|three|six)\s+(?:mois|months?)\b")
_FACT_KINDS: Final = (
    (
        "availability",
        re.compile(
            r"dispo|disponible|available|jours? par semaine|days? a week|times? (?:a|per) week|"
            r"fois par semaine|le (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)|"
            r"on (?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)|"
            r"week-?end"
        ),
    ),
    ("injury", re.compile(r"asthm|opéré|opere|surgery|operated")),
    ("goal", re.compile(r"objectif|but\b|goal|viser|aim|inscrit|signed up|race|course|marathon|semi|10 ?k")),
    (
        "preference",
        re.compile(r"préf[eè]re|prefer|j'aime|i like|don't like|aime pas|n'aime|hate|déteste|love"),
    ),
)


@dataclass
class OfflineAnswer:
    text: str
    results: list[ToolResult] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    intents: list[str] = field(default_factory=list)
    #: What the message was routed to; the last one is the conversation's state for a follow-up.
    turns: list[Turn] = field(default_factory=list)
    #: State-changing calls held back by ``agent.safety`` and proposed instead (``agent.confirm``).
    pending: list[dict[str, Any]] = field(default_factory=list)


def _months_to_weeks(text: str) -> int | None:
    match = _MONTHS_WINDOW.search(extract.normalise(text))
    if not match:
        return None
    word = match.group(1)
    count = int(word) if word.isdigit() else {"un": 1, "une": 1, "one": 1, "deux": 2, "two": 2, "trois": 3,
                                              "three": 3, "six": 6}[word]  # fmt: skip
    return round(count * 30.44 / 7)


def window_arguments(text: str, today: dt.date) -> dict[str, dt.date]:
    """``start`` and ``end`` (both included) of the window ``text`` names, or nothing."""
    window = windows.parse_window(text, today)
    return {} if window is None else {"start": window.start, "end": window.end}


def extract_arguments(intent: str, text: str, today: dt.date) -> dict[str, Any]:
    """The arguments of ``intent``'s tool found in ``text`` (only those the text states).

    A window ("la semaine dernière", "since October", "jeudi") comes out as ``start`` and ``end``
    (``datetime.date``, both included) for every tool that reads one (``WINDOWED``).
    """
    lowered = extract.normalise(text)
    args: dict[str, Any] = {}
    if intent in WINDOWED:
        args.update(window_arguments(text, today))
    if intent in ("weekly_summary", "performance_trends", "zones_analysis", "estimate_vma"):
        weeks = None if args else extract.parse_weeks(text) or _months_to_weeks(text)
        if weeks:
            args["weeks"] = weeks
    elif intent == "predict_race":
        distance = extract.parse_distance(text)
        if distance is not None:
            args["distance_m"] = distance
    elif intent == "log_activity":
        distance, duration = extract.parse_distance(text), extract.parse_duration(text)
        if distance is not None:
            args["distance_m"] = distance
        if duration is not None:
            args["duration_s"] = duration
        day = extract.parse_date(text, today, prefer="past")
        if day is not None:
            args["date"] = day.isoformat()
        if match := _AVG_HR.search(lowered):
            args["avg_hr"] = float(match.group(1) or match.group(2))
        if re.search(r"tapis|treadmill", lowered):
            args["sport"] = "treadmill"
        elif re.search(r"\btrail\b", lowered):
            args["sport"] = "trail_run"
        elif re.search(r"marché|marche\b|walk", lowered):
            args["sport"] = "walk"
    elif intent == "create_training_plan":
        distance = extract.parse_distance(text)
        # The target time follows the distance ("10 km en 45 min"): look for it after the distance's words.
        if distance is not None:
            args["distance_m"] = distance
        day = extract.parse_date(text, today)
        if day is not None:
            args["race_date"] = day.isoformat()
        without_relative = re.sub(
            r"\b(?:dans|in)\s+\S+\s+(?:semaines?|weeks?|mois|months?|jours?|days?)\b", " ", lowered
        )
        duration = extract.parse_duration(without_relative)
        if duration is not None:
            args["target_time_s"] = duration
        days = extract.parse_days_per_week(text)
        if days is not None:
            args["days_per_week"] = days
    elif intent == "adjust_plan":
        if _ILLNESS.search(lowered):
            args.update(extract.illness_arguments(text, today))
        else:
            args["reason"] = "missed"
    elif intent == "update_profile":
        args.update(extract.parse_heart_rates(text))
        if _LANGUAGE_EN.search(lowered):
            args["language"] = "en"
        elif _LANGUAGE_FR.search(lowered):
            args["language"] = "fr"
        if match := _WEIGHT.search(lowered):
            args["weight_kg"] = float(match.group(1).replace(",", "."))
    elif intent == "remember_fact":
        args["kind"] = (
            "injury"
            if safety.classify(text).kind == "injury"
            else next((kind for kind, pattern in _FACT_KINDS if pattern.search(lowered)), "other")
        )
        args["text"] = text.strip()[:500]
        days = extract.parse_days_per_week(text)
        if days is not None:
            args["kind"] = "availability"
            args["days_per_week"] = days
    elif intent == "recent_activities":
        if match := _LIMIT.search(lowered):
            args["limit"] = min(20, max(1, int(match.group(1))))
    elif intent == "activity_analysis":
        if match := _ACTIVITY_ID.search(lowered):
            args["activity_id"] = int(match.group(1))
    elif intent == "search_knowledge":
        args["query"] = text.strip()[:500]
    return args


def _with_window(args: dict[str, Any], window: windows.Window | None) -> dict[str, Any]:
    """``args`` with its window replaced by ``window`` (removed when None); a window supersedes ``weeks``."""
    kept = {key: value for key, value in args.items() if key not in ("start", "end", "weeks")}
    if window is not None:
        kept.update(start=window.start, end=window.end)
    return kept


#: Where one question ends and another begins: "et", "and", "puis", "+", "&", a question mark, and a
#: comma followed by a question word ("what's my form like, how did my week go").
_CLAUSE_BREAK: Final = re.compile(
    r"\s+(?:et|and|puis|then|aussi|also|sinon|plus)\s+|\s*[+&]\s*|[?;!.]\s*"
    r"|,\s*(?=(?:how|what|what's|whats|am|is|are|do|did|can|could|when|quel|quelle|quels|quelles|combien|"
    r"comment|est[- ]ce|suis[- ]je|et|and|also|aussi)\b)",
    re.IGNORECASE,
)


#: A two-word part is a question only as "ma VMA", "my zones": anything shorter, or two words of another
#: kind ("c'était dur"), is part of the question next to it.
_POSSESSIVES: Final = frozenset({"ma", "mon", "mes", "ta", "ton", "tes", "my", "your"})


def _clauses(text: str) -> list[str]:
    """The message's questions: its parts of three words or more, or two after a possessive ("ma VMA")."""
    parts = (part.strip() for part in _CLAUSE_BREAK.split(text))
    return [
        part
        for part in parts
        if len(part.split()) >= 3 or (len(part.split()) == 2 and part.split()[0].lower() in _POSSESSIVES)
    ]


class OfflineCoach:
    """Answers one message with tools and templates; holds no per-athlete state."""

    def __init__(self, router: Router | None = None) -> None:
        self._router = router

    @property
    def router(self) -> Router:
        if self._router is None:
            self._router = get_router()
        return self._router

    def intents(self, text: str) -> list[tuple[str, str, float]]:
        """(intent, the text to take its arguments from, confidence), best first, at most three."""
        clauses = _clauses(self.router.reads(text))[:MAX_CLAUSES]
        candidates = [text, *clauses] if len(clauses) > 1 else [text]
        predictions = self.router.classify_many(candidates)
        whole = predictions[0]
        chosen: list[tuple[str, str, float]] = []
        if len(candidates) > 1:
            for clause, intent in zip(candidates[1:], predictions[1:], strict=True):
                known = {name for name, _, _ in chosen}
                if intent.confidence >= CLAUSE_CONFIDENCE and intent.name not in CONVERSATIONAL | known:
                    chosen.append((intent.name, clause, intent.confidence))
        if len(chosen) < 2:
            chosen = [(whole.name, text, whole.confidence)]
        return chosen[:MAX_TOOLS_PER_MESSAGE]

    def route(
        self, text: str, today: dt.date, previous: Turn | None = None, *, now: dt.datetime | None = None
    ) -> list[Turn]:
        """The turns ``text`` asks for: one per question (at most three), or the follow-up of ``previous``.

        Pure: no database, no tool. ``previous`` is the conversation's last turn; it is ignored
        when ``now`` is given and it is older than ``conversation.FOLLOW_UP_TTL`` (callers that
        load it from storage expire it there too). A turn below the router's confidence is ``help``.
        """
        when = now or dt.datetime.now(dt.UTC)
        if previous is not None and now is not None and previous.expired(now):
            previous = None
        routed = self.intents(text)
        if previous is not None:
            follow_up = self._follow_up(text, today, previous, routed, when)
            if follow_up is not None:
                return [follow_up]
        turns = self._same_question_twice(text, today, routed, when)
        if turns:
            return turns
        for intent, clause, confidence in routed:
            name = intent if confidence >= MIN_CONFIDENCE else "help"
            if (
                name == "help"
                and _VOLUME.search(windows.plain(clause))
                and windows.parse_window(clause, today)
            ):
                # "how many km in november": unsure of the words, sure of the question.
                name = "weekly_summary"
            args = {} if name in CONVERSATIONAL else extract_arguments(name, clause, today)
            turns.append(Turn(name, args, when, clause, confidence=confidence))
        return turns

    def _same_question_twice(
        self, text: str, today: dt.date, routed: list[tuple[str, str, float]], when: dt.datetime
    ) -> list[Turn]:
        """ "combien de km cette semaine et la semaine dernière", "quel temps sur 10 km et sur semi ?":
        one question, then clauses of slots only, each the same question with its own slots."""
        intent, _, confidence = routed[0]
        # Every part, however short: "et sur semi" says only slots, which ``only_slots`` checks.
        clauses = [part.strip() for part in _CLAUSE_BREAK.split(self.router.reads(text)) if part.strip()]
        if len(routed) != 1 or intent not in FOLLOWABLE or confidence < MIN_CONFIDENCE or len(clauses) < 2:
            return []
        first = Turn(
            intent, extract_arguments(intent, clauses[0], today), when, clauses[0], confidence=confidence
        )
        turns = [first]
        for clause in clauses[1:]:
            if not conversation.only_slots(clause):
                continue
            slots = {
                key: value for key, value in extract_arguments(intent, clause, today).items() if key in SLOTS
            }
            if not slots:
                continue
            args = _with_window(first.args, None) if "start" in slots or "end" in slots else dict(first.args)
            args.update(slots)
            if all(turn.args != args for turn in turns):
                turns.append(Turn(intent, args, when, clause))
        return turns[:MAX_TOOLS_PER_MESSAGE] if len(turns) > 1 else []

    def _follow_up(
        self,
        text: str,
        today: dt.date,
        previous: Turn,
        routed: list[tuple[str, str, float]],
        when: dt.datetime,
    ) -> Turn | None:
        """``previous`` again with what ``text`` changes, when ``text`` is elliptic; else None."""
        if previous.intent not in FOLLOWABLE or not conversation.is_short(text):
            return None
        if conversation.asks_why(text):
            return Turn(previous.intent, dict(previous.args), when, text, why=True)
        top, _, confidence = routed[0]
        ruled = rule_intent(text)
        if ruled is not None and ruled != previous.intent:
            return None
        switches = top != previous.intent and top not in CONVERSATIONAL and confidence >= SWITCH_CONFIDENCE
        cue = conversation.has_cue(text)
        steps = conversation.shift_steps(text)
        if steps and previous.intent in WINDOWED and not (switches and not cue):
            moved = conversation.shifted(previous, text, steps, today)
            if moved is not None:
                return Turn(previous.intent, _with_window(previous.args, moved), when, text)
        slots = {
            key: value
            for key, value in extract_arguments(previous.intent, text, today).items()
            if key in SLOTS
        }
        only_slots = bool(slots) and conversation.only_slots(text)
        continues = only_slots or (bool(slots) and (top == previous.intent or (cue and not switches)))
        if continues:
            args = dict(previous.args)
            if "start" in slots or "end" in slots:
                args = _with_window(args, None)
            args.update(slots)
            return Turn(previous.intent, args, when, text)
        window = previous.window(today)
        carries = cue and top != previous.intent and top in CARRY_WINDOW and confidence >= MIN_CONFIDENCE
        if carries and window is not None:
            # "and my zones?" after "how was last week?": a new question about the same window.
            args = extract_arguments(top, text, today)
            if "start" not in args and "end" not in args:
                args = _with_window(args, window)
            return Turn(top, args, when, text)
        return None

    def answer(self, ctx: ToolContext, text: str, previous: Turn | None = None) -> OfflineAnswer:
        language = ctx.language
        answer = OfflineAnswer("")
        read = safety.classify(text)
        said = health.answer(ctx, text, read, lambda name, args: self._run(ctx, name, args, answer))
        if said is not None:
            answer.text, answer.intents, answer.pending = said.text, [said.intent], said.pending
            return answer
        parts: list[str] = []
        turns = self.route(text, ctx.today, previous, now=dt.datetime.now(dt.UTC))
        general = ctx.about is not None and athletes.asks_how(text) and len(turns) == 1
        if general and turns[0].intent not in WINDOWED:
            # "how is Sam's training going?": not a knowledge question, whatever the router reads.
            turns = []
        if ctx.about and all(turn.intent in CONVERSATIONAL for turn in turns):
            # "Comment va Karim ?", "how is Sam doing?": the coach gets the athlete's form and week.
            when = dt.datetime.now(dt.UTC)
            turns = [Turn(name, {}, when, text, confidence=1.0) for name in OVERVIEW]
        for turn in turns:
            answer.intents.append(turn.intent)
            answer.turns.append(turn)
            if turn.intent in CONVERSATIONAL:
                parts.append(self._conversational(turn.intent, language))
                continue
            allowed = safety.may_change_state(read, turn.intent, turn.confidence)
            parts.append(self._call(ctx, turn, answer, allowed=allowed))
        answer.text = "\n\n".join(part for part in parts if part)
        return answer

    def _conversational(self, intent: str, language: Language) -> str:
        prefix = {"greeting": replies.GREETING, "off_topic": replies.OFF_TOPIC}.get(intent)
        return (prefix[language] if prefix else "") + replies.CAPABILITIES[language]

    def _run(self, ctx: ToolContext, name: str, args: dict[str, Any], answer: OfflineAnswer) -> ToolResult:
        result = run_tool(ctx, name, args)
        answer.results.append(result)
        answer.calls.append({"name": name, "args": args})
        return result

    def _call(self, ctx: ToolContext, turn: Turn, answer: OfflineAnswer, *, allowed: bool = True) -> str:
        language = ctx.language
        intent, text = turn.intent, turn.text
        # Tool arguments are JSON (stored with the reply, printed by ``foulee ask --json``): dates as ISO.
        args = {
            key: value.isoformat() if isinstance(value, dt.date) else value
            for key, value in turn.args.items()
        }
        if ctx.read_only and intent in safety.STATE_CHANGING_TOOLS:
            return replies.read_only(ctx.about or "", language)
        if intent == "predict_race" and "distance_m" not in args:
            results = [
                self._run(ctx, "predict_race", {"distance_m": distance}, answer)
                for distance in DEFAULT_PREDICTIONS
            ]
            return replies.predictions(results, replies.Voice(language, ctx.today, ctx.about))
        if intent == "create_training_plan" and not {"distance_m", "race_date"} <= set(args):
            return replies.NEED_PLAN_ARGS[language]
        if intent == "log_activity" and not {"distance_m", "duration_s"} <= set(args):
            return replies.NEED_LOG_ARGS[language]
        if intent == "update_profile" and not args:
            return replies.NEED_PROFILE_ARGS[language]
        if intent == "adjust_plan" and not (
            states_missed_or_ill(text) or _ILLNESS.search(extract.normalise(text))
        ):
            # A plan changes for a missed session or an illness said in so many words, never on
            # the classifier's guess alone ("delete my plan" is closest to adjust_plan).
            return replies.NEED_ADJUST_ARGS[language]
        if not allowed:
            # Unclear, or aimed at the coach: ask, and let the next message's yes run it (agent.confirm).
            answer.pending.append({"name": intent, "args": args})
            return replies.proposal([{"name": intent, "args": args}], language)
        result = self._run(ctx, intent, args, answer)
        if intent == "search_knowledge":
            return self._advice(ctx, result, answer)
        text_out = replies.render(result, language, today=ctx.today, about=ctx.about)
        if turn.why:
            text_out = replies.because(result, language) + text_out
        return text_out

    def _advice(self, ctx: ToolContext, result: ToolResult, answer: OfflineAnswer) -> str:
        """A knowledge answer, opened by the athlete's own figure when the topic needs one (their VMA
        for interval work, their zone 2 for easy running or the heat)."""
        figure = ""
        tool = advice.figures_for(str(result.data.get("query") or ""))
        if result.status == "ok" and tool is not None:
            figure = replies.advice_figure(
                self._run(ctx, tool, {}, answer), replies.Voice(ctx.language, ctx.today, ctx.about)
            )
        return replies.search_knowledge(result, ctx.language, figure)
