"""The offline coach's words: French and English templates filled only from tool results.

Every number in a reply comes from a tool's ``data``; the templates add
words, never figures of their own (the one exception is the 80 % easy-running
guideline, cited where it is used).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.utils import translation

from agent import judgement, windows
from agent.context import Language, ToolResult
from analytics.queries.predictions import LOW_VOLUME_KM_PER_WEEK
from foulee import formatting, races

Renderer = Callable[[ToolResult, "Voice"], str]

CAPABILITIES: Final = {
    "fr": (
        "Je suis ton coach de course à pied. Je peux :\n"
        "• résumer ta semaine (« comment s'est passée ma semaine ? »)\n"
        "• dire si tu progresses, tes zones cardiaques, ta VMA et ta VO2max\n"
        "• prédire un chrono (« quel temps sur un semi ? »)\n"
        "• dire si tu es frais ou fatigué\n"
        "• lister ou analyser tes sorties, tes records\n"
        "• enregistrer une sortie (« j'ai couru 8 km en 45 min hier »)\n"
        "• créer un plan (« plan semi le 12 avril en 1h45 »), donner ta prochaine séance, l'adapter "
        "(séance ratée, maladie)\n"
        "• répondre à tes questions d'entraînement, avec mes sources\n"
        "• retenir ce que tu me dis (blessure, jours disponibles, objectif) et mettre à jour ton profil"
    ),
    "en": (
        "I'm your running coach. I can:\n"
        '• summarise your week ("how did my week go?")\n'
        "• tell you whether you're improving, your heart-rate zones, your VMA and VO2max\n"
        '• predict a race time ("what can I run in a half marathon?")\n'
        "• tell you whether you're fresh or tired\n"
        "• list or analyse your runs and your records\n"
        '• log a run ("I ran 8 km in 45 min yesterday")\n'
        '• build a plan ("half marathon plan on April 12 in 1:45"), give your next session, adjust it '
        "(missed session, illness)\n"
        "• answer training questions, citing my sources\n"
        "• remember what you tell me (injury, days available, goal) and update your profile"
    ),
}
GREETING: Final = {"fr": "Bonjour ! ", "en": "Hello! "}
OFF_TOPIC: Final = {
    "fr": "Je ne sais parler que de course à pied et de ton entraînement. ",
    "en": "I can only talk about running and your training. ",
}
OTHER_LANGUAGE: Final = {
    "fr": "Désolé, je ne parle que français et anglais. Écris-moi dans l'une de ces langues !",
    "en": "Sorry, I only speak French and English. Please write to me in one of them!",
}
RED_FLAG: Final = {
    "fr": (
        "Ce que tu décris (douleur thoracique, malaise, palpitations ou essoufflement anormal) doit être vu "
        "par un médecin avant toute reprise : arrête de courir et consulte, ou appelle le 15 (112 en Europe) "
        "si c'est maintenant. Je ne peux pas évaluer un problème médical."
    ),
    "en": (
        "What you describe (chest pain, fainting, palpitations or unusual breathlessness) needs a doctor "
        "before you run again: stop and get checked, or call emergency services (112 in Europe) if it is "
        "happening now. I can't assess a medical problem."
    ),
}
INJURY: Final = {
    "fr": (
        "Une douleur qui persiste, qui augmente ou qui te fait boiter, c'est l'avis d'un médecin ou "
        "d'un kiné qu'il faut : ne cours pas dessus."
    ),
    "en": (
        "Pain that persists, gets worse or makes you limp needs a doctor or a physiotherapist: don't run "
        "through it."
    ),
}
ILLNESS: Final = {
    "fr": (
        "Soigne-toi d'abord : pas de course avec de la fièvre, des courbatures générales ou une gêne dans la "
        "poitrine ; avec un simple rhume, un footing très facile au plus. Si ça ne passe pas, consulte."
    ),
    "en": (
        "Get well first: no running with a fever, aching all over or any chest discomfort; with a head cold, "
        "at most a very easy run. If it doesn't clear, see a doctor."
    ),
}
#: A newcomer without an account asks about their own running (``agent.guest``).
GUEST_NEEDS_ACCOUNT: Final = {
    "fr": "Pour te répondre avec tes propres sorties, il me faut d'abord ton profil : c'est juste en "
    "dessous, ça prend une minute.",
    "en": "To answer that from your own runs I first need your profile: it's just below and takes a minute.",
}
#: The answer to a yes/no question the coach asked, when the athlete says no.
CONFIRMATION_DECLINED: Final = {
    "fr": "D'accord, je n'ai rien changé.",
    "en": "OK, I haven't changed anything.",
}
NEED_PLAN_ARGS: Final = {
    "fr": "Pour construire ton plan, il me faut la distance et la date de la course, par exemple "
    "« plan semi le 12 avril en 1h45 ».",
    "en": "To build your plan I need the race distance and date, for example "
    '"half marathon plan on April 12 in 1:45".',
}
NEED_LOG_ARGS: Final = {
    "fr": "Pour enregistrer ta sortie, dis-moi la distance et la durée, par exemple "
    "« j'ai couru 8 km en 45 min hier ».",
    "en": 'To log your run, tell me the distance and the time, for example "I ran 8 km in 45 min yesterday".',
}
NEED_ADJUST_ARGS: Final = {
    "fr": "Je n'adapte ton plan que pour une séance manquée ou une maladie : dis-le-moi, par exemple "
    "« j'ai raté ma séance d'hier » ou « je suis malade depuis 3 jours ». Je ne supprime rien.",
    "en": "I adapt your plan only for a missed session or an illness: tell me, for example "
    '"I missed yesterday\'s session" or "I\'ve been sick for 3 days". I delete nothing.',
}
NEED_PROFILE_ARGS: Final = {
    "fr": "Dis-moi ce qu'il faut changer, par exemple « ma FC max est 190 » ou « parle-moi en anglais ».",
    "en": 'Tell me what to change, for example "my max HR is 190" or "answer in French".',
}


def _t(language: Language, french: str, english: str) -> str:
    return french if language == "fr" else english


def _num(value: Any, language: Language, digits: int = 1) -> str:
    """A number in the reader's convention (a decimal comma in French), rounded as every page rounds it."""
    with translation.override(language):
        return formatting.number(None if value is None else float(value), digits)


def _not_enough(voice: Voice | Language) -> str:
    language = voice if isinstance(voice, str) else voice.language
    about = None if isinstance(voice, str) else voice.about
    if about:
        return _t(
            language,
            f"Je n'ai pas encore assez de données sur {about} pour répondre.",
            f"I don't have enough data on {about} to answer yet.",
        )
    return _t(
        language,
        "Je n'ai pas encore assez de données pour répondre. Envoie-moi tes fichiers de montre (.fit, .gpx, "
        ".tcx) ou dis-moi « j'ai couru 8 km en 45 min hier ».",
        "I don't have enough data to answer yet. Send me your watch files (.fit, .gpx, .tcx) or tell me "
        '"I ran 8 km in 45 min yesterday".',
    )


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _days(window: dict[str, Any]) -> tuple[dt.date, dt.date]:
    start, end = _as_date(window["start"]), _as_date(window["end"])
    if start is None or end is None:
        raise ValueError(f"not a window: {window!r}")
    return start, end


def day(value: Any, language: Language, today: Any = None) -> str:
    """A day as a reader writes it: "jeudi 12 novembre" / "Thursday 12 November" (its year if not today's)."""
    date = _as_date(value)
    if date is None:
        return str(value)
    anchor = _as_date(today)
    with translation.override(language):
        return formatting.long_day(date, year=anchor is not None and date.year != anchor.year)


def window_phrase(window: dict[str, Any], language: Language, today: Any = None) -> str:
    """A window in words: "jeudi 3 décembre", "la semaine du lundi 30 novembre", "en novembre",
    "du jeudi 12 novembre au lundi 7 décembre" (and the same in English)."""
    start, end = _as_date(window["start"]), _as_date(window["end"])
    if start is None or end is None:
        return ""
    anchor = _as_date(today) or end
    if start == end:
        return day(start, language, anchor)
    unit = windows.unit_of(start, end, anchor)
    if unit == "month":
        with translation.override(language):
            month = formatting.month(start, year=start.year != anchor.year)
        return _t(language, f"en {month}", f"in {month}")
    if unit == "week":
        first = day(start, language, anchor)
        return _t(language, f"la semaine du {first}", f"the week of {first}")
    if unit == "year":
        return _t(language, f"en {start.year}", f"in {start.year}")
    first, last = day(start, language, anchor), day(end, language, anchor)
    return _t(language, f"du {first} au {last}", f"from {first} to {last}")


def _heading(window: dict[str, Any] | None, language: Language, today: Any = None) -> str:
    """ "Semaine du lundi 30 novembre : " before a windowed answer, nothing without a window."""
    if not window:
        return ""
    phrase = window_phrase(window, language, today)
    return phrase[:1].upper() + phrase[1:] + _t(language, " : ", ": ")


def _duration_h(hours: float | None) -> str:
    whole, minutes = divmod(int(formatting.rounded((hours or 0.0) * 60, 0)), 60)
    return f"{whole}h{minutes:02d}"


@dataclass(frozen=True)
class Voice:
    """Who a reply speaks to: the athlete ("tu", "you"), or a coach about one athlete (``about``).

    A coach is told about their athlete in the third person, and addressed as "vous" in French;
    the third-person sentences avoid gendered adjectives ("Léa a de la fraîcheur").
    """

    language: Language
    #: The athlete's local today, for natural dates ("hier", "jeudi 3 décembre").
    today: dt.date | None = None
    #: The first name of the athlete a coach asks about; None when the athlete asks.
    about: str | None = None

    def say(self, you_fr: str, you_en: str, them_fr: str | None = None, them_en: str | None = None) -> str:
        """The sentence for this reader: ``them_*`` (``{name}`` filled) when a coach asks about an athlete."""
        if self.about and them_fr is not None and them_en is not None:
            return _t(self.language, them_fr, them_en).replace("{name}", self.about)
        return _t(self.language, you_fr, you_en)

    def when(self, value: Any) -> str:
        """A day as a coach writes it: "aujourd'hui", "hier", "demain", else "jeudi 3 décembre"."""
        date = _as_date(value)
        if date is None:
            return str(value)
        if self.today is not None and abs((date - self.today).days) <= 1:
            with translation.override(self.language):
                return str(formatting.day_near(date, self.today))
        return day(date, self.language, self.today)


#: A phone screen: no reply kind is longer (``tests/agent/test_reply_kinds.py`` checks every one).
SCREEN_CHARS: Final = 600
SCREEN_LINES: Final = 8


def _lead(text: str) -> str:
    return text[:1].upper() + text[1:]


def _week_figures(week: dict[str, Any], pace: str | None, language: Language) -> str:
    runs = week["runs"]
    return _t(
        language,
        f"{_num(week['distance_km'], language)} km en {runs} sortie{'s' if runs > 1 else ''} "
        f"({_duration_h(week['moving_time_h'])}, {pace or '—'})",
        f"{_num(week['distance_km'], language)} km in {runs} run{'s' if runs != 1 else ''} "
        f"({_duration_h(week['moving_time_h'])}, {pace or '—'})",
    )


#: The judgement on a week's distance against the usual week (``agent.judgement.week``): (you, them) × FR/EN.
WEEK_VERDICTS: Final[dict[str, tuple[str, str, str, str]]] = {
    "spike": (
        "Grosse semaine, bien au-dessus de ton habitude : attention à la marche trop haute.",
        "A big week, well above your usual: mind the jump.",
        "Grosse semaine pour {name}, bien au-dessus de son habitude : attention à la marche trop haute.",
        "A big week for {name}, well above their usual: mind the jump.",
    ),
    "high": (
        "Semaine solide, un peu au-dessus de ton habitude.",
        "A solid week, a little above your usual.",
        "Semaine solide pour {name}, un peu au-dessus de son habitude.",
        "A solid week for {name}, a little above their usual.",
    ),
    "usual": (
        "Semaine dans ton habitude : régulier, c'est ce qui paie.",
        "A week in line with your usual: steady is what pays.",
        "Semaine dans l'habitude de {name} : régulier.",
        "A week in line with {name}'s usual: steady.",
    ),
    "light": (
        "Semaine légère par rapport à ton habitude.",
        "A light week compared with your usual.",
        "Semaine légère pour {name} par rapport à son habitude.",
        "A light week for {name} compared with their usual.",
    ),
    "none": (
        "Voici ta semaine.",
        "Here is your week.",
        "Voici la semaine de {name}.",
        "Here is {name}'s week.",
    ),
}
#: What to do next after each week verdict.
WEEK_NEXT: Final[dict[str, tuple[str, str, str, str]]] = {
    "spike": (
        "Garde les prochains jours faciles avant d'en rajouter.",
        "Keep the next few days easy before adding more.",
        "Conseillez-lui quelques jours faciles avant d'en rajouter.",
        "Suggest a few easy days before adding more.",
    ),
    "high": (
        "Fais suivre une semaine plus calme si tu enchaînes les grosses semaines.",
        "Follow it with an easier week if the big ones keep coming.",
        "Une semaine plus calme ensuite serait prudente.",
        "An easier week next would be prudent.",
    ),
    "usual": (
        "Continue ainsi, avec une séance de qualité dans la semaine.",
        "Keep going, with one quality session in the week.",
        "Rien à changer : une séance de qualité dans la semaine suffit.",
        "Nothing to change: one quality session in the week is enough.",
    ),
    "light": (
        "Si ce n'était pas voulu, reprends progressivement, pas tout d'un coup.",
        "If it wasn't planned, build back gradually, not all at once.",
        "Si ce n'était pas voulu, qu'il ou elle reprenne progressivement.",
        "If it wasn't planned, a gradual return is the way.",
    ),
    "none": ("", "", "", ""),
}


def weekly_summary(result: ToolResult, voice: Voice) -> str:
    language = voice.language
    data = result.data
    today = data.get("today")
    usual = _t(
        language,
        f"habitude : {_num(data['average_km'], language)} km par semaine sur {data['weeks']} "
        "semaines complètes",
        f"usual: {_num(data['average_km'], language)} km a week over {data['weeks']} complete weeks",
    )
    period = data.get("period")
    if period:
        if not period["activities"]:
            return _heading(period, language, today) + voice.say(
                "aucune sortie enregistrée.",
                "no activity recorded.",
                "aucune sortie enregistrée pour {name}.",
                "no activity recorded for {name}.",
            )
        line = _week_figures(period, period["pace"], language)
        if period["runs"] > 1 and period.get("longest_km"):
            line += _t(language, f", la plus longue {_num(period['longest_km'], language)} km",
                       f", the longest {_num(period['longest_km'], language)} km")  # fmt: skip
        # The usual week is a yardstick for a week, not for a day or a month.
        if windows.unit_of(*_days(period), _as_date(today) or _days(period)[1]) != "week":
            return f"{_heading(period, language, today)}{line}."
        semicolon = _t(language, " ; ", "; ")
        anchor = _as_date(today)
        if anchor is not None and _days(period)[1] >= anchor:
            # A week still going on is not judged against a complete one.
            return f"{_heading(period, language, today)}{line}{semicolon}{usual}."
        verdict = judgement.week(period["distance_km"], data["average_km"])
        heading = _heading(period, language, today)
        return f"{voice.say(*WEEK_VERDICTS[verdict])}\n{heading}{line}{semicolon}{usual}."
    week = data["this_week"]
    last = data.get("last_week")
    since = voice.when(week["week_start"])
    current = _t(
        language,
        f"Cette semaine (depuis {since}) : {_week_figures(week, data['pace'], language)}.",
        f"This week (since {since}): {_week_figures(week, data['pace'], language)}.",
    )
    if data.get("early_in_week") and last:
        # Monday or Tuesday: the judgement is on the last complete week, the current one has barely begun.
        verdict = judgement.week(last["distance_km"], data["average_km"])
        previous = _t(
            language,
            f"Semaine dernière : {_week_figures(last, last.get('pace'), language)} ; {usual}.",
            f"Last week: {_week_figures(last, last.get('pace'), language)}; {usual}.",
        )
        parts = [voice.say(*WEEK_VERDICTS[verdict]), previous, current, voice.say(*WEEK_NEXT[verdict])]
        return "\n".join(part for part in parts if part)
    done, average = week["distance_km"] or 0.0, data["average_km"] or 0.0
    verdict = judgement.week(done, average)
    if verdict == "light":
        # A week in progress is not yet light: say what is left to reach the usual week.
        left = _num(average - done, language)
        head = voice.say(
            "Semaine en cours, encore sous ton habitude.",
            "A week in progress, still under your usual.",
            "Semaine en cours pour {name}, encore sous son habitude.",
            "A week in progress for {name}, still under their usual.",
        )
        step = voice.say(
            f"Il te reste {left} km pour une semaine habituelle, en footings faciles.",
            f"{left} km to go for a usual week, as easy runs.",
            f"Il lui reste {left} km pour une semaine habituelle.",
            f"{left} km to go for a usual week.",
        )
    else:
        head, step = voice.say(*WEEK_VERDICTS[verdict]), voice.say(*WEEK_NEXT[verdict])
    usual_line = _t(language, f"Ton {usual}.", f"Your {usual}.") if not voice.about else _lead(usual) + "."
    return "\n".join(part for part in (head, current, usual_line, step) if part)


#: The judgement on a speed trend (``performance_trends``' direction, 0.1 km/h either way).
TREND_VERDICTS: Final[dict[str, tuple[str, str, str, str]]] = {
    "up": (
        "Tu progresses : ta vitesse moyenne monte.",
        "You're getting faster: your average speed is rising.",
        "{name} progresse : sa vitesse moyenne monte.",
        "{name} is getting faster: average speed is rising.",
    ),
    "down": (
        "Tu es un peu moins rapide qu'au début de la période.",
        "You're a little slower than at the start of the period.",
        "{name} est un peu moins rapide qu'au début de la période.",
        "{name} is a little slower than at the start of the period.",
    ),
    "flat": (
        "C'est stable : ta vitesse moyenne ne bouge pas.",
        "It's steady: your average speed isn't moving.",
        "C'est stable : la vitesse moyenne de {name} ne bouge pas.",
        "It's steady: {name}'s average speed isn't moving.",
    ),
}
TREND_NEXT: Final[dict[str, tuple[str, str, str, str]]] = {
    "up": ("Garde cette régularité.", "Keep this regularity.", "Rien à changer.", "Nothing to change."),
    "down": (
        "Regarde d'abord ta fatigue (« suis-je fatigué ? ») avant d'en rajouter.",
        'Check your fatigue first ("am I tired?") before adding more.',
        "Regardez d'abord sa fatigue avant d'en rajouter.",
        "Check their fatigue before adding more.",
    ),
    "flat": (
        "Pour relancer, une séance de qualité par semaine (seuil ou VMA).",
        "To move it, one quality session a week (threshold or VMA).",
        "Pour relancer, une séance de qualité par semaine (seuil ou VMA).",
        "To move it, one quality session a week (threshold or VMA).",
    ),
}


def performance_trends(result: ToolResult, voice: Voice) -> str:
    language = voice.language
    data = result.data
    window = data.get("window")
    span = (
        window_phrase(window, language)
        if window
        else _t(language, f"en {data['weeks']} semaines", f"in {data['weeks']} weeks")
    )
    figures = _t(
        language,
        f"De {_num(data['speed_trend_start_kmh'], language)} à {_num(data['speed_trend_now_kmh'], language)} "
        f"km/h (moyenne glissante de 7 sorties), sur {data['runs']} sorties {span}.",
        f"From {_num(data['speed_trend_start_kmh'], language)} to "
        f"{_num(data['speed_trend_now_kmh'], language)} "
        f"km/h (7-run moving average), over {data['runs']} runs {span}.",
    )
    direction = data["direction"]
    return "\n".join([voice.say(*TREND_VERDICTS[direction]), figures, voice.say(*TREND_NEXT[direction])])


#: French names of the five HR zones (English: analytics.metrics.HR_ZONE_NAMES), by zone number.
ZONE_NAMES_FR: Final = {1: "Z1 récupération", 2: "Z2 endurance", 3: "Z3 tempo", 4: "Z4 seuil", 5: "Z5 VO2max"}
#: How an HR max was obtained (analytics.physiology.Source), in French.
HR_SOURCE_FR: Final = {
    "measured": "mesurée",
    "estimated from age": "estimée d'après l'âge",
    "default": "par défaut",
}
#: How a VMA was estimated (analytics.queries.VmaEstimate.basis).
VMA_BASIS: Final = {
    "six_minute_effort": (
        "meilleur effort de 6 minutes des échantillons enregistrés",
        "best 6-minute effort in the recorded samples",
    ),
    "whole_run_vdot": (
        "VDOT d'une sortie entière (une borne basse, sauf si c'était une course)",
        "VDOT of a whole run (a lower bound unless it was a race)",
    ),
}


def zones_analysis(result: ToolResult, voice: Voice) -> str:
    language = voice.language
    data = result.data
    source = data["hr_max_source"]
    hr_max, hr_rest = _num(data["hr_max"], language, 0), _num(data["hr_rest"], language, 0)
    method = _t(
        language,
        f"Karvonen, FC max {hr_max}, repos {hr_rest}"
        if data["method"] == "karvonen" and data["hr_rest"]
        else f"% de la FC max, {hr_max} bpm {HR_SOURCE_FR.get(source, source)}",
        f"Karvonen, HR max {hr_max}, rest {hr_rest}"
        if data["method"] == "karvonen" and data["hr_rest"]
        else f"% of HR max, {hr_max} bpm {data['hr_max_source']}",
    )
    colon, percent = (" :", " %") if language == "fr" else (":", "%")
    lines = [
        f"• {ZONE_NAMES_FR.get(zone['zone'], zone['name']) if language == 'fr' else zone['name']}{colon} "
        f"{zone['low_bpm']}–{zone['high_bpm']} bpm, "
        f"{_num((zone['share'] or 0) * 100, language, 0)}{percent}"
        for zone in data["zones"]
    ]
    easy = int(formatting.rounded((data["easy_share"] or 0.0) * 100, 0))
    verdict = (
        voice.say(
            f"Bonne répartition : {easy} % en endurance (Z1–Z2).",
            f"Good balance: {easy}% easy (Z1–Z2).",
            f"Bonne répartition pour {{name}} : {easy} % en endurance (Z1–Z2).",
            f"Good balance for {{name}}: {easy}% easy (Z1–Z2).",
        )
        if judgement.easy_enough(data["easy_share"])
        else voice.say(
            f"Trop d'intensité : seulement {easy} % en endurance (Z1–Z2), pour environ 80 % chez les "
            "coureurs "
            "d'endurance (Seiler 2010).",
            f"Too much intensity: only {easy}% easy (Z1–Z2), against about 80% for endurance athletes "
            "(Seiler 2010).",
            f"Trop d'intensité pour {{name}} : seulement {easy} % en endurance (Z1–Z2), pour environ 80 % "
            "(Seiler 2010).",
            f"Too much intensity for {{name}}: only {easy}% easy (Z1–Z2), against about 80% (Seiler 2010).",
        )
    )
    window = data.get("window")
    span = (
        window_phrase(window, language)
        if window
        else _t(language, f"sur {data['weeks']} semaines", f"over {data['weeks']} weeks")
    )
    head = _t(
        language,
        f"Temps par zone {span}, {data['activities']} activités ({method}) :",
        f"Time per zone {span}, {data['activities']} activities ({method}):",
    )
    two = next((zone for zone in data["zones"] if zone["zone"] == 2), None)
    step = ""
    if two is not None:
        band = f"{two['low_bpm']}–{two['high_bpm']} bpm"
        step = (
            voice.say(
                f"Garde tes footings en Z2 ({band}).",
                f"Keep your easy runs in Z2 ({band}).",
                f"Ses footings en Z2 : {band}.",
                f"Their easy runs in Z2: {band}.",
            )
            if judgement.easy_enough(data["easy_share"])
            else voice.say(
                f"Ralentis tes footings : reste sous {two['high_bpm']} bpm.",
                f"Slow your easy runs down: stay under {two['high_bpm']} bpm.",
                f"Qu'il ou elle ralentisse ses footings : sous {two['high_bpm']} bpm.",
                f"Their easy runs should slow down: under {two['high_bpm']} bpm.",
            )
        )
    return "\n".join(part for part in [verdict, head, *lines, step] if part)


def vma_pace(vma_kmh: float) -> str:
    """The pace at a VMA ("3:48/km"), for the next step of a VMA answer."""
    return formatting.pace(3600.0 / vma_kmh) if vma_kmh > 0 else formatting.UNKNOWN


def estimate_vma(result: ToolResult, voice: Voice) -> str:
    language = voice.language
    data = result.data
    french, english = VMA_BASIS.get(data.get("basis") or "", (data["method"], data["method"]))
    vma, vo2 = _num(data["vma_kmh"], language), _num(data["vo2max"], language, 0)
    verdict = voice.say(
        f"Ta VMA est d'environ {vma} km/h, soit une VO2max d'environ {vo2} ml/kg/min.",
        f"Your VMA is about {vma} km/h, a VO2max of about {vo2} ml/kg/min.",
        f"La VMA de {{name}} est d'environ {vma} km/h, soit une VO2max d'environ {vo2} ml/kg/min.",
        f"{{name}}'s VMA is about {vma} km/h, a VO2max of about {vo2} ml/kg/min.",
    )
    figures = _t(
        language,
        f"D'après : {french}, sortie du {day(data['activity_date'], language, voice.today)} "
        "(Léger : VO2max = 3,5 × VMA).",
        f"From: {english}, run of {day(data['activity_date'], language, voice.today)} "
        "(Léger: VO2max = 3.5 × VMA).",
    )
    pace = vma_pace(float(data["vma_kmh"] or 0.0))
    # Billat (2001, Sports Med 31:13): 30 s at VMA, 30 s easy, the classic session that develops it.
    step = voice.say(
        f"Pour la développer : une séance de 30/30 par semaine, 30 s à {vma} km/h ({pace}) puis 30 s facile.",
        f"To raise it: one 30/30 session a week, 30 s at {vma} km/h ({pace}) then 30 s easy.",
        f"Pour la développer : une séance de 30/30 par semaine à {vma} km/h ({pace}).",
        f"To raise it: one 30/30 session a week at {vma} km/h ({pace}).",
    )
    return _heading(data.get("window"), language, voice.today) + "\n".join([verdict, figures, step])


def distance_name(distance_m: float, language: Language) -> str:
    """ "semi-marathon" / "half marathon" for a race with a name in prose (``foulee.races``), else "8 km"."""
    race = races.race_at(distance_m)
    if race is not None and race.in_prose is not None:
        with translation.override(language):
            return str(race.in_prose)
    return f"{_num(distance_m / 1000.0, language, 3).rstrip('0').rstrip(',.')} km"


PREDICTION_VERDICTS: Final[dict[str, tuple[str, str]]] = {
    "reliable": ("prédiction fiable", "a reliable prediction"),
    "fair": ("à prendre comme un ordre de grandeur", "take it as a ballpark"),
    "rough": (
        "prédiction incertaine, les méthodes divergent",
        "an uncertain prediction, the methods disagree",
    ),
}


def _cannot_predict(data: dict[str, Any], voice: Voice) -> str:
    name = distance_name(data["distance_m"], voice.language)
    return voice.say(
        f"Je ne peux pas encore prédire ton {name} : il me faut au moins une course ou une sortie "
        "d'1,5 km ou plus avec une allure fiable dans les 6 derniers mois.",
        f"I can't predict your {name} yet: I need at least one run of 1.5 km or more with a reliable pace "
        "in the last 6 months.",
        f"Je ne peux pas encore prédire le {name} de {{name}} : il faut une course ou une sortie "
        "d'1,5 km ou plus dans les 6 derniers mois.",
        f"I can't predict {{name}}'s {name} yet: that needs a run of 1.5 km or more in the last 6 months.",
    )


def _low_volume(data: dict[str, Any], voice: Voice) -> str:
    weekly_km = data.get("low_volume_km_per_week")
    if weekly_km is None:
        return ""
    language = voice.language
    average, threshold = _num(weekly_km, language, 0), _num(LOW_VOLUME_KM_PER_WEEK, language, 0)
    # Vickers & Vertosick (2016), the source of LOW_VOLUME_KM_PER_WEEK.
    return voice.say(
        f"Avec {average} km par semaine (sous {threshold}), semi et marathon seront sans doute plus lents.",
        f"At {average} km a week (under {threshold}), a half or a full will likely be slower.",
        f"Avec {average} km par semaine (sous {threshold}), semi et marathon seront sans doute plus lents.",
        f"At {average} km a week (under {threshold}), a half or a full will likely be slower.",
    )


def predict_race(result: ToolResult, voice: Voice) -> str:
    language = voice.language
    data = result.data
    if result.status != "ok":
        return _cannot_predict(data, voice)
    confidence = int(formatting.rounded(data["confidence"] * 100, 0))
    name = _lead(distance_name(data["distance_m"], language))
    verdict = _t(language, *PREDICTION_VERDICTS[judgement.prediction(data["confidence"])])
    lower = distance_name(data["distance_m"], language)
    head = voice.say(
        f"{name} en {data['time']} ({data['pace']}) : {verdict}.",
        f"{name} in {data['time']} ({data['pace']}): {verdict}.",
        f"{{name}} : {lower} en {data['time']} ({data['pace']}), {verdict}.",
        f"{{name}}: {lower} in {data['time']} ({data['pace']}), {verdict}.",
    )
    estimates = ", ".join(f"{method} {time}" for method, time in data["estimates"].items())
    figures = _t(
        language,
        f"Estimations : {estimates} ; confiance {confidence} %.",
        f"Estimates: {estimates}; confidence {confidence}%.",
    )
    step = _low_volume(data, voice) or voice.say(
        "Pour l'affiner : une course ou un test récent sur 5 ou 10 km.",
        "To sharpen it: a recent race or time trial over 5 or 10 km.",
        "Pour l'affiner : une course ou un test récent sur 5 ou 10 km.",
        "To sharpen it: a recent race or time trial over 5 or 10 km.",
    )
    return "\n".join([head, figures, step])


def predictions(results: list[ToolResult], voice: Voice) -> str:
    """Several distances at once ("my race predictions"): one line each, one judgement, one next step."""
    language = voice.language
    lines, confidences, note = [], [], ""
    for result in results:
        data = result.data
        if result.status != "ok":
            lines.append(
                f"• {_lead(distance_name(data['distance_m'], language))}{_t(language, ' : ', ': ')}—"
            )
            continue
        confidences.append(float(data["confidence"]))
        lines.append(
            f"• {_lead(distance_name(data['distance_m'], language))}{_t(language, ' : ', ': ')}"
            f"{data['time']} ({data['pace']})"
        )
        note = note or _low_volume(data, voice)
    if not confidences:
        return _cannot_predict(results[0].data, voice) if results else ""
    verdict = _t(language, *PREDICTION_VERDICTS[judgement.prediction(min(confidences))])
    head = voice.say(
        f"Tes chronos possibles ({verdict}) :",
        f"Your likely times ({verdict}):",
        f"Chronos possibles de {{name}} ({verdict}) :",
        f"{{name}}'s likely times ({verdict}):",
    )
    step = note or voice.say(
        "Demande « et sur 10 km ? » pour le détail d'une distance.",
        'Ask "and a 10k?" for one distance in detail.',
        "Le détail d'une distance : « et sur 10 km ? ».",
        'One distance in detail: "and a 10k?".',
    )
    return "\n".join([head, *lines, step])


#: The judgement on form (``training_load``'s ``form_code``, the bands of ``analytics.queries.load``).
FORM_VERDICTS: Final[dict[str, tuple[str, str, str, str]]] = {
    "very_fresh": (
        "Tu as beaucoup de fraîcheur : idéal pour une course.",
        "You're very fresh: ideal for a race.",
        "{name} a beaucoup de fraîcheur : idéal pour une course.",
        "{name} is very fresh: ideal for a race.",
    ),
    "fresh": (
        "Tu as de la fraîcheur : bon moment pour une séance clé.",
        "You're fresh: a good day for a key session.",
        "{name} a de la fraîcheur : bon moment pour une séance clé.",
        "{name} is fresh: a good day for a key session.",
    ),
    "neutral": (
        "Forme neutre : tu peux t'entraîner normalement.",
        "Neutral form: train as planned.",
        "{name} est en forme neutre : entraînement normal.",
        "{name}'s form is neutral: train as planned.",
    ),
    "tired": (
        "Tu portes de la fatigue, celle, productive, de l'entraînement.",
        "You carry fatigue, the productive kind that training brings.",
        "{name} porte de la fatigue, celle, productive, de l'entraînement.",
        "{name} carries fatigue, the productive kind that training brings.",
    ),
    "overreaching": (
        "Tu es dans le rouge : risque de surmenage.",
        "You're in the red: a risk of overreaching.",
        "{name} est dans le rouge : risque de surmenage.",
        "{name} is in the red: a risk of overreaching.",
    ),
}
FORM_NEXT: Final[dict[str, tuple[str, str, str, str]]] = {
    "very_fresh": (
        "Place une course ou une séance dure ; une longue coupure ferait perdre de la condition.",
        "Race or do a hard session; a long break would cost fitness.",
        "Une course ou une séance dure lui irait ; une longue coupure coûterait de la condition.",
        "A race or a hard session would suit; a long break would cost fitness.",
    ),
    "fresh": (
        "Ta séance de qualité de la semaine, c'est maintenant.",
        "Your quality session of the week: now.",
        "Sa séance de qualité de la semaine peut tomber maintenant.",
        "Their quality session of the week can come now.",
    ),
    "neutral": ("Suis ton plan.", "Follow your plan.", "Qu'il ou elle suive son plan.", "Their plan stands."),
    "tired": (
        "Garde les footings vraiment faciles.",
        "Keep the easy runs truly easy.",
        "Ses footings doivent rester vraiment faciles.",
        "Their easy runs should stay truly easy.",
    ),
    "overreaching": (
        "Prends un ou deux jours de repos.",
        "Take a day or two off.",
        "Un ou deux jours de repos s'imposent.",
        "A day or two off is needed.",
    ),
}


def training_load(result: ToolResult, voice: Voice) -> str:
    language = voice.language
    data = result.data
    code = data["form_code"]
    heading = (
        _t(
            language,
            f"Au soir du {day(data['day'], language)} : ",
            f"On the evening of {day(data['day'], language)}: ",
        )
        if data.get("window")
        else ""
    )
    form = float(data["form"] or 0.0)
    signed = ("+" if form > 0 else "") + _num(form, language)
    figures = _t(
        language,
        f"Forme (TSB) {signed} = condition (CTL) {_num(data['fitness'], language)} - fatigue (ATL) "
        f"{_num(data['fatigue'], language)} ; condition {_num(data['ramp_per_week'], language)} par semaine.",
        f"Form (TSB) {signed} = fitness (CTL) {_num(data['fitness'], language)} - fatigue (ATL) "
        f"{_num(data['fatigue'], language)}; fitness {_num(data['ramp_per_week'], language)} a week.",
    )
    step = voice.say(*FORM_NEXT[code])
    if judgement.steep_ramp(data.get("ramp_per_week")):
        step = voice.say(
            "Ta condition monte vite (plus de 8 points par semaine) : allège un peu la semaine prochaine.",
            "Your fitness is climbing fast (over 8 points a week): ease off a little next week.",
            "Sa condition monte vite (plus de 8 points par semaine) : allégez un peu la semaine prochaine.",
            "Their fitness is climbing fast (over 8 points a week): ease off a little next week.",
        )
    return "\n".join([heading + voice.say(*FORM_VERDICTS[code]), figures, step])


def _activity_line(activity: dict[str, Any], voice: Voice) -> str:
    language = voice.language
    hr = f", FC {activity['avg_hr']}" if activity["avg_hr"] and language == "fr" else ""
    hr = hr or (f", HR {activity['avg_hr']}" if activity["avg_hr"] else "")
    pace = f" ({activity['pace']})" if activity["pace"] else ""
    joiner = " en " if language == "fr" else " in "
    # Two decimals, as the activity pages show it (the tool rounds to two: no second rounding here).
    distance = _num(activity["distance_km"], language, 2)
    return f"• {voice.when(activity['date'])} — {distance} km{joiner}{activity['duration']}{pace}{hr}"


#: Runs listed at most in one reply: more would not fit a phone screen (``SCREEN_LINES``).
LISTED_RUNS: Final = 5


def recent_activities(result: ToolResult, voice: Voice) -> str:
    language = voice.language
    window = result.data.get("window")
    activities = result.data["activities"]
    if not activities:
        if window:
            phrase = window_phrase(window, language)
            return voice.say(
                f"Je ne vois aucune activité {phrase}.",
                f"I see no activity {phrase}.",
                f"Je ne vois aucune activité de {{name}} {phrase}.",
                f"I see no activity by {{name}} {phrase}.",
            )
        return _not_enough(voice)
    lines = [_activity_line(activity, voice) for activity in activities[:LISTED_RUNS]]
    more = len(activities) - LISTED_RUNS
    latest = voice.when(activities[0]["date"])
    if window:
        head = voice.say(
            f"{len(activities)} activité(s) {window_phrase(window, language)} :",
            f"{len(activities)} activit{'ies' if len(activities) != 1 else 'y'} "
            f"{window_phrase(window, language)}:",
            f"{{name}} : {len(activities)} activité(s) {window_phrase(window, language)} :",
            f"{{name}}: {len(activities)} activit{'ies' if len(activities) != 1 else 'y'} "
            f"{window_phrase(window, language)}:",
        )
    else:
        head = voice.say(
            f"Ta dernière sortie date de {latest}. Tes dernières activités :",
            f"Your last run was {latest}. Your latest activities:",
            f"La dernière sortie de {{name}} date de {latest} :",
            f"{{name}}'s last run was {latest}:",
        )
    tail = _t(language, f"… et {more} de plus.", f"… and {more} more.") if more > 0 else ""
    step = _t(
        language,
        "Pour le détail d'une sortie : « analyse ma dernière sortie ».",
        'For one run in detail: "analyse my last run".',
    )
    if voice.about:
        step = ""
    return "\n".join(part for part in [head, *lines, tail, step] if part)


RUN_VERDICTS: Final[dict[str, tuple[str, str, str, str]]] = {
    "easy": (
        "Sortie facile, bien maîtrisée.",
        "An easy run, well controlled.",
        "Sortie facile et maîtrisée pour {name}.",
        "An easy, well-controlled run for {name}.",
    ),
    "steady": (
        "Sortie soutenue, entre deux allures.",
        "A steady run, between easy and hard.",
        "Sortie soutenue pour {name}, entre deux allures.",
        "A steady run for {name}, between easy and hard.",
    ),
    "hard": (
        "Séance intense : une bonne part du temps en Z4–Z5.",
        "A hard session: a good share of it in Z4–Z5.",
        "Séance intense pour {name} : une bonne part en Z4–Z5.",
        "A hard session for {name}: a good share in Z4–Z5.",
    ),
    "unknown": (
        "Voici ta sortie.",
        "Here is your run.",
        "Voici la sortie de {name}.",
        "Here is {name}'s run.",
    ),
}
RUN_NEXT: Final[dict[str, tuple[str, str, str, str]]] = {
    "easy": (
        "Rien à compenser : enchaîne selon ton plan.",
        "Nothing to make up for: carry on with your plan.",
        "Rien à compenser.",
        "Nothing to make up for.",
    ),
    "steady": (
        "Attention à ne pas faire tous tes footings à cette allure.",
        "Don't let every easy run drift to this pace.",
        "À surveiller si tous ses footings prennent cette allure.",
        "Worth watching if every easy run drifts to this pace.",
    ),
    "hard": (
        "Le lendemain : footing facile ou repos.",
        "The day after: an easy run or rest.",
        "Le lendemain : footing facile ou repos.",
        "The day after: an easy run or rest.",
    ),
    "unknown": ("", "", "", ""),
}


def activity_analysis(result: ToolResult, voice: Voice) -> str:
    language = voice.language
    data = result.data
    if result.status == "not_found":
        window = data.get("window")
        if window and data.get("activity_id") is None:
            phrase = window_phrase(window, language)
            return voice.say(
                f"Je ne trouve aucune sortie {phrase}.",
                f"I can't find any run {phrase}.",
                f"Je ne trouve aucune sortie de {{name}} {phrase}.",
                f"I can't find any run by {{name}} {phrase}.",
            )
        return _t(language, "Je ne trouve pas cette activité.", "I can't find that activity.")
    verdict = judgement.run(data.get("zones_min"))
    line = _activity_line(data, voice).lstrip("• ")
    parts = [_lead(line)]
    if data.get("elapsed"):
        # The line's time is the moving time: say so when the pauses made the clock run longer.
        parts.append(_t(language, f"{data['elapsed']} avec les pauses", f"{data['elapsed']} with the pauses"))
    if data.get("load") is not None:
        parts.append(_t(language, f"charge {data['load']} (TRIMP)", f"load {data['load']} (TRIMP)"))
    if data.get("vdot"):
        parts.append(f"VDOT {_num(data['vdot'], language)}")
    figures = ", ".join(parts) + "."
    if data.get("zones_min"):
        figures += "\n" + ", ".join(
            f"Z{index} {minutes} min" for index, minutes in enumerate(data["zones_min"], 1)
        )
    note = quality_note(data.get("quality_reasons") or [], language)
    if not note and language == "en":
        note = data.get("quality_note") or ""  # a stored note with no known reason code: it is English
    if note:
        figures += _t(language, f"\nRemarque : {note}.", f"\nNote: {note}.")
    if data.get("health_withheld"):
        figures += _t(
            language,
            "\nSans ton consentement aux données de santé, je laisse de côté la fréquence cardiaque.",
            "\nWithout your consent to health data, I leave heart rate out.",
        )
    return "\n".join(
        part for part in (voice.say(*RUN_VERDICTS[verdict]), figures, voice.say(*RUN_NEXT[verdict])) if part
    )


#: Why part of an activity was left out of a metric, by ``analytics.quality.REASONS`` code: (French, English).
QUALITY_REASONS: Final[dict[str, tuple[str, str]]] = {
    "no_distance_or_time": (
        "ni distance ni durée, sortie exclue des calculs d'allure",
        "no distance or time, left out of pace metrics",
    ),
    "too_slow": (
        "plus lente que 1 m/s, sortie exclue des calculs d'allure",
        "slower than 1 m/s, left out of pace metrics",
    ),
    "too_fast": (
        "plus rapide que ce qu'un humain peut courir, sortie exclue des calculs d'allure",
        "faster than any human can run, left out of pace metrics",
    ),
    "no_hr": ("pas de fréquence cardiaque", "no heart rate"),
    "hr_outside_human_range": (
        "fréquence cardiaque hors des valeurs humaines, exclue des calculs cardio",
        "heart rate outside the human range, left out of heart-rate metrics",
    ),
    "hr_avg_above_max": (
        "FC moyenne au-dessus de la FC maximale de la sortie, exclue des calculs cardio",
        "average heart rate above the run's maximum, left out of heart-rate metrics",
    ),
    "hr_below_rest": (
        "FC moyenne inférieure ou égale à ta FC de repos, exclue des calculs cardio",
        "average heart rate at or below your resting heart rate, left out of heart-rate metrics",
    ),
    "hr_far_above_hr_max": (
        "FC moyenne bien au-dessus de ta FC max, exclue des calculs cardio",
        "average heart rate far above your maximum, left out of heart-rate metrics",
    ),
    "load_unknown": (
        "charge inconnue sans fréquence cardiaque",
        "load unknown without heart rate",
    ),
    "original_unreadable": (
        "fichier d'origine illisible, données tirées du résumé seulement",
        "original file unreadable, figures from the summary only",
    ),
    "samples_unusable": (
        "enregistrement seconde par seconde inutilisable, données tirées du résumé seulement",
        "second-by-second recording unusable, figures from the summary only",
    ),
}


def quality_note(codes: list[str], language: Language) -> str:
    """The reasons behind an activity's quality note, in ``language`` (unknown codes are skipped)."""
    worded = [_t(language, *QUALITY_REASONS[code]) for code in codes if code in QUALITY_REASONS]
    return _t(language, " ; ", "; ").join(worded)


#: Races and best efforts listed at most in one reply (a phone screen, ``SCREEN_LINES``).
LISTED_RECORDS: Final = 3


def personal_records(result: ToolResult, voice: Voice) -> str:
    """Race results first, then best efforts, each line saying which it is."""
    language = voice.language
    colon = _t(language, " : ", ": ")
    parts: list[str] = []
    races = result.data.get("races") or []
    for race in races[:LISTED_RECORDS]:
        pace = f", {race['pace']}" if race.get("pace") else ""
        parts.append(
            f"• {race['name']} ({voice.when(race['date'])}){colon}"
            f"{_num(race['distance_km'], language, 2)} km "
            + _t(language, "en ", "in ")
            + f"{race['display'] or '—'}{pace} — "
            + _t(language, "course", "race")
        )
    records = result.data.get("records") or []
    for record in records[:LISTED_RECORDS]:
        if record.get("in_race"):
            what = _t(language, "pendant une course", "during a race")
        elif record.get("source") == "segment":
            what = _t(language, "effort dans une sortie", "effort within a run")
        else:
            what = _t(language, "sortie entière", "whole run")
        label = (
            distance_name(float(record["target"]), language)
            if record.get("kind") == "distance"
            else record["label"]
        )
        parts.append(f"• {label}{colon}{record['display']} ({voice.when(record['date'])}) — {what}")
    if races:
        best = races[0]
        head = voice.say(
            f"Ta dernière course : {best['name']} en {best['display'] or '—'}. Tes résultats, puis "
            "tes meilleurs "
            "efforts :",
            f"Your latest race: {best['name']} in {best['display'] or '—'}. Your results, then your "
            "best efforts:",
            f"Dernière course de {{name}} : {best['name']} en {best['display'] or '—'}. Ses résultats, "
            "puis ses "
            "meilleurs efforts :",
            f"{{name}}'s latest race: {best['name']} in {best['display'] or '—'}. Results, then best "
            "efforts:",
        )
        step = ""
    else:
        head = voice.say(
            "Pas encore de course enregistrée : voici tes meilleurs efforts à l'entraînement.",
            "No race recorded yet: here are your best training efforts.",
            "Pas encore de course enregistrée pour {name} : voici ses meilleurs efforts à l'entraînement.",
            "No race recorded for {name} yet: here are their best training efforts.",
        )
        step = voice.say(
            "Nomme une sortie « 10 km de … » ou « semi de … » pour qu'elle compte comme course.",
            'Name a run "… 10k race" or "… half marathon" and it will count as a race.',
            "Une sortie nommée « 10 km de … » ou « semi de … » comptera comme course.",
            'A run named "… 10k race" or "… half marathon" will count as a race.',
        )
    return "\n".join(part for part in [head, *parts, step] if part)


def _errors(data: dict[str, Any]) -> str:
    errors = data.get("errors") or {}
    if "error" in data:
        return str(data["error"])
    return "; ".join(f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in errors.items())


def log_activity(result: ToolResult, language: Language) -> str:
    if result.status != "ok":
        return _t(language, f"Je n'ai pas pu l'enregistrer : {_errors(result.data)}.",
                  f"I couldn't log it: {_errors(result.data)}.")  # fmt: skip
    data = result.data
    return _t(
        language,
        f"C'est noté : {_num(data['distance_km'], language)} km en {data['duration']} ({data['pace']}) "
        f"le {day(data['date'], language)}.",
        f"Logged: {_num(data['distance_km'], language)} km in {data['duration']} ({data['pace']}) on "
        f"{day(data['date'], language)}.",
    )


#: Each session type's name (web.plans.models.SessionType), when a session has no description.
SESSION_TYPES: Final = {
    "easy": ("Footing", "Easy run"),
    "long": ("Sortie longue", "Long run"),
    "tempo": ("Tempo", "Tempo run"),
    "intervals": ("Fractionné", "Intervals"),
    "race": ("Course", "Race"),
    "rest": ("Repos", "Rest"),
}


def _session_line(session: dict[str, Any], language: Language) -> str:
    names = SESSION_TYPES.get(session.get("type") or "", ("", ""))
    details = [session["description"] or _t(language, *names)]
    if session["distance_km"]:
        details.append(f"{_num(session['distance_km'], language)} km")
    if session["pace"]:
        details.append(_t(language, f"allure {session['pace']}", f"pace {session['pace']}"))
    if session["hr_zone"]:
        details.append(f"zone {session['hr_zone']}")
    return f"{day(session['date'], language)} — " + ", ".join(details)


def create_training_plan(result: ToolResult, language: Language) -> str:
    if result.status != "ok":
        return _t(language, f"Je ne peux pas créer ce plan : {_errors(result.data)}.",
                  f"I can't build that plan: {_errors(result.data)}.")  # fmt: skip
    data = result.data
    phases = data["phases"]
    plan = data["plan"]
    # Two first sessions and the sources' names: the plan itself is on the plan page (``SCREEN_LINES``).
    first = "\n".join(f"• {_session_line(session, language)}" for session in data["first_sessions"][:2])
    level = _t(
        language,
        f"en partant de {_num(data['start_weekly_km'], language)} km par semaine"
        + (f" et d'un VDOT de {_num(data['vdot'], language)}" if data["vdot"] else ""),
        f"starting from {_num(data['start_weekly_km'], language)} km a week"
        + (f" and a VDOT of {_num(data['vdot'], language)}" if data["vdot"] else ""),
    )
    memory = (
        _t(language, " (d'après ce que tu m'as dit)", " (from what you told me)")
        if data["days_from_memory"]
        else ""
    )
    target = f" — {plan['target_time']}" if plan["target_time"] else ""
    injuries = (
        _t(
            language,
            f"\nÀ cause de ta blessure ({'; '.join(data['injuries'])}), {data['eased_for_injury']} séance(s) "
            f"des {data['injury_days']} premiers jours sont en footing facile, sans fractionné ni côtes, "
            f"distance réduite de {data['injury_volume_cut_percent']} %.",
            f"\nBecause of your injury ({'; '.join(data['injuries'])}), "
            f"{data['eased_for_injury']} session(s) of the first {data['injury_days']} days are easy runs, "
            "no intervals or hills, distance cut by "
            f"{data['injury_volume_cut_percent']}%.",
        )
        if data["injuries"]
        else ""
    )
    realism = (
        _t(
            language,
            f"\nTon objectif dépasse ce que {data['weeks']} semaines permettent : prédiction actuelle "
            f"{data['predicted_time']}, au mieux {data['fastest_realistic_time']} en fin de plan. Le "
            f"plan travaille à {data['race_pace']}, une allure que tu peux tenir.",
            f"\nYour goal is beyond what {data['weeks']} weeks allow: predicted now "
            f"{data['predicted_time']}, at best {data['fastest_realistic_time']} by race day. The plan "
            f"trains at {data['race_pace']}, a pace you can hold.",
        )
        if data.get("goal_realism") == "beyond"
        else ""
    )
    injuries += realism
    names = [f"{name}.md" for name in data["sources"]]
    sources = f"knowledge/corpus/{language}/{names[0]}" + "".join(f", {name}" for name in names[1:])
    return _t(
        language,
        f"Plan créé : {distance_name(plan['goal_distance_m'], language)} le "
        f"{day(plan['goal_date'], language)}{target}. "
        f"{data['weeks']} semaines : {phases['base']} de base, {phases['build']} de développement, "
        f"{phases['specific']} spécifiques, {phases['taper']} d'affûtage ; {data['days_per_week']} "
        "séances par "
        f"semaine{memory}, {level}. Premières séances :\n{first}{injuries}\nSources : {sources}.",
        f"Plan created: {distance_name(plan['goal_distance_m'], language)} on "
        f"{day(plan['goal_date'], language)}{target}. "
        f"{data['weeks']} weeks: {phases['base']} base, {phases['build']} build, {phases['specific']} "
        "specific, "
        f"{phases['taper']} taper; {data['days_per_week']} sessions a week{memory}, {level}. First "
        "sessions:\n"
        f"{first}{injuries}\nSources: {sources}.",
    )


#: What to keep in mind for each kind of session (``web.plans.models.SessionType``).
SESSION_NEXT: Final[dict[str, tuple[str, str, str, str]]] = {
    "easy": (
        "Vraiment facile : tu dois pouvoir parler en courant.",
        "Truly easy: you should be able to talk.",
        "Vraiment facile : parler en courant doit rester possible.",
        "Truly easy: talking should stay possible.",
    ),
    "long": (
        "Pars lentement et bois régulièrement.",
        "Start slowly and drink regularly.",
        "Départ lent et boire régulièrement.",
        "A slow start and regular drinks.",
    ),
    "tempo": (
        "La veille, reste facile pour arriver frais.",
        "Keep the day before easy to arrive fresh.",
        "La veille doit rester facile.",
        "The day before should stay easy.",
    ),
    "intervals": (
        "Échauffe-toi 15 minutes avant les répétitions.",
        "Warm up 15 minutes before the repetitions.",
        "15 minutes d'échauffement avant les répétitions.",
        "15 minutes' warm-up before the repetitions.",
    ),
    "race": (
        "Pars à ton allure, pas plus vite : le chrono se fait sur la fin.",
        "Start at your pace, not faster: the time is made at the end.",
        "Départ à son allure, pas plus vite.",
        "Start at race pace, not faster.",
    ),
    "rest": (
        "Repos : c'est là que l'entraînement paie.",
        "Rest: that's when training pays off.",
        "Repos : c'est là que l'entraînement paie.",
        "Rest: that's when training pays off.",
    ),
}


def next_session(result: ToolResult, voice: Voice | Language) -> str:
    voice = voice if isinstance(voice, Voice) else Voice(voice)
    language = voice.language
    if result.status != "ok":
        if result.data.get("has_plan"):
            return voice.say(
                "Il n'y a plus de séance prévue dans ton plan.",
                "There are no sessions left in your plan.",
                "Il n'y a plus de séance prévue dans le plan de {name}.",
                "{name}'s plan has no sessions left.",
            )
        return voice.say(
            "Tu n'as pas de plan actif. Demande-moi par exemple « plan 10 km le 15 mars ».",
            'You have no active plan. Ask me, for example, "10k plan on March 15".',
            "{name} n'a pas de plan actif.",
            "{name} has no active plan.",
        )
    session = result.data["session"]
    line = _session_line(session, language).split(" — ", 1)[-1]
    head = voice.say(
        f"Prochaine séance, {voice.when(session['date'])} : {line}.",
        f"Next session, {voice.when(session['date'])}: {line}.",
        f"Prochaine séance de {{name}}, {voice.when(session['date'])} : {line}.",
        f"{{name}}'s next session, {voice.when(session['date'])}: {line}.",
    )
    step = SESSION_NEXT.get(session.get("type") or "")
    return head + ("\n" + voice.say(*step) if step else "")


def adjust_plan(result: ToolResult, language: Language) -> str:
    if result.status != "ok":
        return next_session(result, language)
    data = result.data
    upcoming = (
        _t(language, " Prochaine séance : ", " Next session: ") + _session_line(data["next"], language)
        if data["next"]
        else ""
    )
    if data["reason"] == "missed":
        if not data["missed"]:
            return (
                _t(
                    language,
                    "Aucune séance passée à marquer comme manquée.",
                    "No past session to mark as missed.",
                )
                + upcoming
            )
        return (
            _t(
                language,
                f"Séance du {data['missed'][0]['date']} marquée manquée. On ne la rattrape pas (entasser la "
                "charge fait plus de mal que de bien) : la suite du plan reste la même.",
                f"Session of {data['missed'][0]['date']} marked as missed. We don't make it up (stacking "
                "load "
                "does more harm than good): the rest of the plan stays the same.",
            )
            + upcoming
        )
    if data["reason"] == "injury":
        return (
            _t(
                language,
                f"Plan allégé pour ta blessure : {data['eased']} séance(s) des {data['days']} prochains "
                "jours en footing facile, sans fractionné ni côtes, distance réduite de "
                f"{data['volume_cut_percent']} %.",
                f"Plan eased for your injury: {data['eased']} session(s) of the next {data['days']} days "
                "turned into easy runs, no intervals or hills, distance cut by "
                f"{data['volume_cut_percent']}%.",
            )
            + upcoming
        )
    return (
        _t(
            language,
            f"Soigne-toi bien. {data['cancelled']} séance(s) annulée(s) "
            f"{'du ' + data['lost_from'] + ' au ' + data['lost_until'] if data.get('lost_from') else ''}"
            ", puis "
            f"{data['eased']} "
            "séance(s) allégée(s) pour la reprise (footing facile, distance réduite de "
            f"{data['volume_cut_percent']} %). "
            "Avec de la "
            "fièvre, pas de course ; si une gêne dans la poitrine apparaît, consulte un médecin.",
            f"Get well soon. {data['cancelled']} session(s) cancelled "
            f"{'from ' + data['lost_from'] + ' to ' + data['lost_until'] if data.get('lost_from') else ''}"
            f", then {data['eased']} "
            "session(s) eased for your return (easy running, distance cut by "
            f"{data['volume_cut_percent']}%). "
            "No running with a fever; "
            "if you feel any chest discomfort, see a doctor.",
        )
        + upcoming
    )


def search_knowledge(result: ToolResult, language: Language, figure: str = "") -> str:
    """Advice: the athlete's own figure when the topic needs one, then the sentences of the retrieved
    sections that answer the question (``agent.advice.select``), then where they come from."""
    from agent import advice

    if result.status == "unavailable":
        return _t(
            language,
            "Ma base de connaissances n'est pas encore prête (`foulee kb build`).",
            "My knowledge base isn't ready yet (`foulee kb build`).",
        )
    hits = result.data.get("hits") or []
    if not hits:
        return _t(
            language,
            "Je n'ai rien trouvé à ce sujet dans mes documents.",
            "I found nothing about that in my documents.",
        )
    chosen = advice.select(str(result.data.get("query") or ""), hits)
    if not chosen:
        first = advice.sentences(str(hits[0]["text"]))[:2]
        chosen = [advice.Sentence(text, 0, index, 0.0) for index, text in enumerate(first)]
    used = sorted({sentence.hit for sentence in chosen})
    cited = ", ".join(advice.citation(str(hits[index]["source"])) for index in used)
    label = _t(
        language, "Sources : " if len(used) > 1 else "Source : ", "Sources: " if len(used) > 1 else "Source: "
    )
    body = " ".join(sentence.text for sentence in chosen)
    return "\n".join(part for part in (figure, body, label + cited) if part)


def advice_figure(result: ToolResult, voice: Voice) -> str:
    """The athlete's own figure an advice answer opens with (``agent.advice.figures_for``), or nothing."""
    if result.status != "ok":
        return ""
    data = result.data
    if result.name == "estimate_vma":
        vma = _num(data["vma_kmh"], voice.language)
        pace = vma_pace(float(data["vma_kmh"] or 0.0))
        return voice.say(
            f"Ta VMA est d'environ {vma} km/h : tes répétitions courtes (30/30) se courent à {vma} km/h "
            f"({pace}).",
            f"Your VMA is about {vma} km/h: your short repeats (30/30) are run at {vma} km/h ({pace}).",
            f"La VMA de {{name}} est d'environ {vma} km/h : ses 30/30 se courent à {vma} km/h ({pace}).",
            f"{{name}}'s VMA is about {vma} km/h: 30/30 repeats at {vma} km/h ({pace}).",
        )
    two = next((zone for zone in data.get("zones") or [] if zone["zone"] == 2), None)
    if result.name == "zones_analysis" and two is not None:
        band = f"{two['low_bpm']}–{two['high_bpm']} bpm"
        return voice.say(
            f"Ta zone 2 (endurance) : {band}, la référence de tes footings, à l'effort plutôt qu'à l'allure.",
            f"Your zone 2 (easy): {band}, the yardstick of your easy runs, by effort rather than pace.",
            f"La zone 2 (endurance) de {{name}} : {band}.",
            f"{{name}}'s zone 2 (easy): {band}.",
        )
    return ""


PROFILE_FIELDS: Final = {
    "hr_max": ("FC max", "max HR", "bpm"),
    "hr_rest": ("FC de repos", "resting HR", "bpm"),
    "weight_kg": ("poids", "weight", "kg"),
    "language": ("langue", "language", ""),
}


def update_profile(result: ToolResult, language: Language) -> str:
    if result.status != "ok":
        return _t(language, f"Je n'ai pas pu mettre à jour ton profil : {_errors(result.data)}.",
                  f"I couldn't update your profile: {_errors(result.data)}.")  # fmt: skip
    changes = []
    for name, value in result.data["changed"].items():
        french, english, unit = PROFILE_FIELDS[name]
        changes.append(f"{_t(language, french, english)} {value} {unit}".strip())
    return _t(language, "Profil mis à jour : ", "Profile updated: ") + ", ".join(changes) + "."


def remember_fact(result: ToolResult, language: Language) -> str:
    data = result.data
    text = _t(language, f"C'est noté, je m'en souviendrai : « {data['text']} ».",
              f"Noted, I'll remember: \"{data['text']}\".")  # fmt: skip
    if data["days_per_week"]:
        text += _t(
            language,
            f" Tes prochains plans compteront {data['days_per_week']} séances par semaine.",
            f" Your next plans will have {data['days_per_week']} sessions a week.",
        )
    return text


#: What "why?" after an answer gets before the answer again: where its figures come from, by tool.
BECAUSE: Final = {
    "weekly_summary": (
        "Ces chiffres additionnent tes sorties enregistrées sur la période ; la moyenne ne compte que des "
        "semaines complètes. ",
        "These figures add up the runs recorded in the period; the average counts complete weeks only. ",
    ),
    "performance_trends": (
        "La tendance compare ta vitesse moyenne sur 7 sorties au début et à la fin de la période : une seule "
        "sortie rapide ou lente ne la fait pas bouger. ",
        "The trend compares your average speed over 7 runs at the start and at the end of the period: one "
        "fast or slow run doesn't move it. ",
    ),
    "zones_analysis": (
        "Tes zones partent de ta FC max (et de ta FC de repos quand je la connais : méthode de Karvonen) ; "
        "le temps passé vient de tes enregistrements cardio. ",
        "Your zones start from your max HR (and your resting HR when I know it: the Karvonen method); the "
        "time spent comes from your heart-rate recordings. ",
    ),
    "estimate_vma": (
        "Ta VMA vient de ton meilleur effort soutenu de 6 minutes (sans enregistrement détaillé, du VDOT "
        "d'une sortie entière). ",
        "Your VMA comes from your best sustained 6-minute effort (without a detailed recording, from the "
        "VDOT of a whole run). ",
    ),
    "predict_race": (
        "Ce chrono vient de tes meilleures performances récentes, par la méthode VDOT de Daniels, la formule "
        "de Riegel et ta propre courbe quand elle existe ; la confiance dit à quel point elles concordent. ",
        "This time comes from your best recent performances, by Daniels' VDOT, Riegel's formula and your own "
        "curve when there is one; the confidence says how well they agree. ",
    ),
    "training_load": (
        "La forme (TSB) est ta condition (CTL, ta charge moyenne sur 42 jours) moins ta fatigue (ATL, sur 7 "
        "jours) : positive, tu es frais ; négative, tu portes de la fatigue. ",
        "Form (TSB) is your fitness (CTL, your average load over 42 days) minus your fatigue (ATL, over 7 "
        "days): positive, you're fresh; negative, you carry fatigue. ",
    ),
}


def because(result: ToolResult, language: Language) -> str:
    """Where the figures of ``result`` come from, for a "why?" (empty when there is nothing to say)."""
    french, english = BECAUSE.get(result.name, ("", ""))
    return _t(language, french, english)


def _by_language(renderer: Callable[[ToolResult, Language], str]) -> Renderer:
    """A renderer that speaks only to the athlete (a writing tool's confirmation), in the voice's language."""
    return lambda result, voice: renderer(result, voice.language)


RENDERERS: Final[dict[str, Renderer]] = {
    "weekly_summary": weekly_summary,
    "performance_trends": performance_trends,
    "zones_analysis": zones_analysis,
    "estimate_vma": estimate_vma,
    "predict_race": predict_race,
    "training_load": training_load,
    "recent_activities": recent_activities,
    "activity_analysis": activity_analysis,
    "personal_records": personal_records,
    "log_activity": _by_language(log_activity),
    "create_training_plan": _by_language(create_training_plan),
    "next_session": next_session,
    "adjust_plan": _by_language(adjust_plan),
    "search_knowledge": lambda result, voice: search_knowledge(result, voice.language),
    "update_profile": _by_language(update_profile),
    "remember_fact": _by_language(remember_fact),
}
#: Tools whose own renderer explains a missing result; the others share "not enough data".
_OWN_NOT_FOUND: Final = frozenset({"predict_race", "activity_analysis", "recent_activities",
                                   "next_session", "adjust_plan", "search_knowledge", "log_activity",
                                   "create_training_plan", "update_profile"})  # fmt: skip


def health_withheld(language: Language) -> str:
    """Why a health feature answers nothing, and what still works (``web.accounts.consent``)."""
    from django.utils import translation

    from web.accounts.consent import WITHHELD

    with translation.override(language):
        return str(WITHHELD)


def injury_not_kept(language: Language) -> str:
    """An injury answered without consent to health data: said, not stored."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(language):
        return gettext(
            "I am not keeping this injury in memory: you have not given consent to the processing of "
            "your health data (/consent, or your profile page)."
        )


def render(
    result: ToolResult, language: Language, *, today: dt.date | None = None, about: str | None = None
) -> str:
    """``result`` in words: the judgement first, then the figures behind it, then one next step.

    ``about`` is the first name of the athlete when their coach asks (third person, the coach as "vous").
    """
    voice = Voice(language, today, about)
    if result.status == "unavailable" and result.data.get("reason") == "health_consent":
        return health_withheld(language)
    if result.status == "not_enough_data" and result.name not in _OWN_NOT_FOUND:
        return _not_enough(voice)
    if result.status == "invalid" and result.name not in _OWN_NOT_FOUND:
        return _t(
            language,
            f"Je n'ai pas compris : {_errors(result.data)}.",
            f"I didn't understand: {_errors(result.data)}.",
        )
    return RENDERERS[result.name](result, voice)


def _proposed(call: dict[str, Any], language: Language) -> str:
    """What a state-changing call the coach proposes would do, as the end of "do you want me to ...?"."""
    from web.plans.services import ILLNESS_RETURN_FACTOR, INJURY_EASE_DAYS, INJURY_VOLUME_FACTOR

    name, args = call["name"], call.get("args") or {}
    if name == "adjust_plan" and args.get("reason") == "injury":
        days, cut = args.get("days") or INJURY_EASE_DAYS, round((1 - INJURY_VOLUME_FACTOR) * 100)
        return _t(
            language,
            f"allège ton plan pour les {days} prochains jours (footing facile à la place du fractionné et "
            f"des côtes, distance réduite de {cut} %)",
            f"ease your plan for the next {days} days (easy runs instead of intervals and hills, distance "
            f"cut by {cut}%)",
        )
    if name == "adjust_plan" and args.get("reason") == "illness":
        days, cut = args.get("days") or 7, round((1 - ILLNESS_RETURN_FACTOR) * 100)
        return _t(
            language,
            f"annule les séances de tes {days} prochains jours puis allège la reprise (distance réduite de "
            f"{cut} %)",
            f"cancel the sessions of your next {days} days, then ease your return (distance cut by {cut}%)",
        )
    if name == "adjust_plan":
        return _t(language, "marque ta dernière séance prévue comme manquée",
                  "mark your last planned session as missed")  # fmt: skip
    if name == "remember_fact":
        return _t(language, f"note « {args.get('text', '')} » dans ton profil",
                  f"note \"{args.get('text', '')}\" on your profile")  # fmt: skip
    if name == "log_activity":
        km = _num(float(args.get("distance_m") or 0) / 1000.0, language)
        return _t(language, f"enregistre une sortie de {km} km", f"log a {km} km run")
    if name == "update_profile":
        fields = ", ".join(
            f"{_t(language, *PROFILE_FIELDS[key][:2])} {value}"
            for key, value in args.items()
            if key in PROFILE_FIELDS
        )
        return _t(language, f"mette à jour ton profil ({fields})", f"update your profile ({fields})")
    if name == "create_training_plan":
        return _t(language, "crée ce plan d'entraînement (il remplacera le plan en cours)",
                  "build that training plan (it replaces your current one)")  # fmt: skip
    return str(name)


def proposal(calls: list[dict[str, Any]], language: Language) -> str:
    """The question the coach asks before a state-changing tool: nothing has changed until a yes."""
    proposed = [_proposed(call, language) for call in calls]
    if language == "fr":
        # "que je note … et que j'allège …": the pronoun elides before a vowel.
        actions = " et ".join(
            ("que j'" if phrase[:1] in "aeéèiou" else "que je ") + phrase for phrase in proposed
        )
    else:
        actions = " and ".join(proposed)
    return _t(
        language,
        f"Je n'ai encore rien changé. Veux-tu {actions} ? Réponds « oui » ou « non ».",
        f'I haven\'t changed anything yet. Do you want me to {actions}? Reply "yes" or "no".',
    )


def read_only(name: str, language: Language) -> str:
    """A coach asked, in their own thread, for a change to an athlete's data: nothing changes from there."""
    return _t(
        language,
        f"Je ne modifie rien pour {name} depuis votre fil : ouvrez la conversation de {name} pour cela.",
        f"I don't change anything for {name} from your thread: open {name}'s conversation for that.",
    )


def which_athlete(names: list[str], language: Language) -> str:
    """Two of the coach's athletes share the name said: ask which one."""
    listed = _t(language, " ou ", " or ").join(names)
    return _t(language, f"De qui parlez-vous : {listed} ?", f"Who do you mean: {listed}?")


def medical_source(language: Language) -> str:
    """The corpus document the red-flag and injury answers rest on."""
    return _t(language, "Source : ", "Source: ") + f"knowledge/corpus/{language}/when-to-see-a-doctor.md"
