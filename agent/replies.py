"""The offline coach's words: French and English templates filled only from tool results.

Every number in a reply comes from a tool's ``data``; the templates add
words, never figures of their own (the one exception is the 80 % easy-running
guideline, cited where it is used).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Final

from django.utils import translation

from agent import windows
from agent.context import Language, ToolResult
from analytics.queries.predictions import LOW_VOLUME_KM_PER_WEEK
from foulee import formatting, races

Renderer = Callable[[ToolResult, Language], str]

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


def _not_enough(language: Language) -> str:
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


def _week_line(week: dict[str, Any], pace: str | None, language: Language) -> str:
    runs = week["runs"]
    return _t(
        language,
        f"{_num(week['distance_km'], language)} km en {runs} sortie{'s' if runs > 1 else ''}, "
        f"{_duration_h(week['moving_time_h'])} de course, allure moyenne {pace or '—'}",
        f"{_num(week['distance_km'], language)} km in {runs} run{'s' if runs != 1 else ''}, "
        f"{_duration_h(week['moving_time_h'])} of running, average pace {pace or '—'}",
    )


def weekly_summary(result: ToolResult, language: Language) -> str:
    data = result.data
    today = data.get("today")
    average = _t(
        language,
        f"Moyenne de tes {data['weeks']} dernières semaines complètes : "
        f"{_num(data['average_km'], language)} km par semaine.",
        f"Average of your last {data['weeks']} complete weeks: "
        f"{_num(data['average_km'], language)} km a week.",
    )
    period = data.get("period")
    if period:
        line = _week_line(period, period["pace"], language)
        if period["runs"] > 1 and period.get("longest_km"):
            line += _t(language, f", la plus longue {_num(period['longest_km'], language)} km",
                       f", the longest {_num(period['longest_km'], language)} km")  # fmt: skip
        if not period["activities"]:
            line = _t(language, "aucune sortie enregistrée", "no activity recorded")
        # The usual week is a yardstick for a week, not for a day or a month.
        yardstick = (
            f" {average}"
            if windows.unit_of(*_days(period), _as_date(today) or _days(period)[1]) == "week"
            else ""
        )
        return f"{_heading(period, language, today)}{line}.{yardstick}"
    week = data["this_week"]
    since = day(week["week_start"], language, today)
    current = _t(
        language,
        f"Cette semaine (depuis {since}) : {_week_line(week, data['pace'], language)}.",
        f"This week (since {since}): {_week_line(week, data['pace'], language)}.",
    )
    last = data.get("last_week")
    if data.get("early_in_week") and last:
        previous = _t(
            language,
            f"La semaine dernière (complète) : {_week_line(last, last.get('pace'), language)}.",
            f"Last week (complete): {_week_line(last, last.get('pace'), language)}.",
        )
        return f"{previous} {current} {average}"
    return f"{current} {average}"


def performance_trends(result: ToolResult, language: Language) -> str:
    data = result.data
    direction = {
        "up": _t(language, "tu progresses", "you're getting faster"),
        "down": _t(language, "tu es un peu moins rapide", "you're a little slower"),
        "flat": _t(language, "c'est stable", "it's steady"),
    }[data["direction"]]
    window = data.get("window")
    span = (
        window_phrase(window, language)
        if window
        else _t(language, f"en {data['weeks']} semaines", f"in {data['weeks']} weeks")
    )
    return _t(
        language,
        f"Sur {data['runs']} sorties {span}, ta vitesse moyenne (moyenne glissante de "
        f"7 sorties) est passée de {_num(data['speed_trend_start_kmh'], language)} à "
        f"{_num(data['speed_trend_now_kmh'], language)} km/h : {direction}.",
        f"Over {data['runs']} runs {span}, your average speed (7-run moving average) went "
        f"from {_num(data['speed_trend_start_kmh'], language)} to "
        f"{_num(data['speed_trend_now_kmh'], language)} "
        f"km/h: {direction}.",
    )


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


def zones_analysis(result: ToolResult, language: Language) -> str:
    data = result.data
    source = data["hr_max_source"]
    hr_max, hr_rest = _num(data["hr_max"], language, 0), _num(data["hr_rest"], language, 0)
    method = _t(
        language,
        f"zones de Karvonen (FC max {hr_max}, repos {hr_rest})"
        if data["method"] == "karvonen" and data["hr_rest"]
        else f"% de la FC max ({hr_max} bpm, {HR_SOURCE_FR.get(source, source)})",
        f"Karvonen zones (HR max {hr_max}, rest {hr_rest})"
        if data["method"] == "karvonen" and data["hr_rest"]
        else f"% of HR max ({hr_max} bpm, {data['hr_max_source']})",
    )
    colon, percent = (" :", " %") if language == "fr" else (":", "%")
    lines = [
        f"• {ZONE_NAMES_FR.get(zone['zone'], zone['name']) if language == 'fr' else zone['name']}{colon} "
        f"{zone['low_bpm']}–{zone['high_bpm']} bpm, "
        f"{_num((zone['share'] or 0) * 100, language, 0)}{percent}"
        for zone in data["zones"]
    ]
    easy = int(formatting.rounded((data["easy_share"] or 0.0) * 100, 0))
    # Seiler (2010), Int J Sports Physiol Perform 5(3):276: endurance athletes spend ~80 % of sessions easy.
    advice = (
        _t(language, "Bonne répartition : l'essentiel en endurance.", "Good balance: mostly easy running.")
        if easy >= 75
        else _t(
            language,
            f"Seulement {easy} % en Z1–Z2 : les coureurs d'endurance en font environ 80 % (Seiler 2010). "
            "Ralentis tes footings.",
            f"Only {easy}% in Z1–Z2: endurance athletes do about 80% easy (Seiler 2010). Slow your easy "
            "runs down.",
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
        f"Tes zones ({method}), temps passé {span} ({data['activities']} activités) :",
        f"Your zones ({method}), time spent {span} ({data['activities']} activities):",
    )
    return "\n".join([head, *lines, advice])


def estimate_vma(result: ToolResult, language: Language) -> str:
    data = result.data
    french, english = VMA_BASIS.get(data.get("basis") or "", (data["method"], data["method"]))
    return _heading(data.get("window"), language) + _t(
        language,
        f"Ta VMA estimée est de {_num(data['vma_kmh'], language)} km/h, soit une VO2max d'environ "
        f"{_num(data['vo2max'], language, 0)} ml/kg/min (Léger : 3,5 × VMA). Méthode : {french}, "
        f"sortie du {day(data['activity_date'], language)}.",
        f"Your estimated VMA is {_num(data['vma_kmh'], language)} km/h, a VO2max of about "
        f"{_num(data['vo2max'], language, 0)} ml/kg/min (Léger: 3.5 × VMA). Method: {english}, "
        f"run of {day(data['activity_date'], language)}.",
    )


def distance_name(distance_m: float, language: Language) -> str:
    """ "semi-marathon" / "half marathon" for a race with a name in prose (``foulee.races``), else "8 km"."""
    race = races.race_at(distance_m)
    if race is not None and race.in_prose is not None:
        with translation.override(language):
            return str(race.in_prose)
    return f"{_num(distance_m / 1000.0, language, 3).rstrip('0').rstrip(',.')} km"


def predict_race(result: ToolResult, language: Language) -> str:
    data = result.data
    if result.status != "ok":
        return _t(
            language,
            f"Je ne peux pas encore prédire ton {distance_name(data['distance_m'], language)} : il me faut "
            "au moins une course ou une sortie d'1,5 km ou plus avec une allure fiable dans les 6 "
            "derniers mois.",
            f"I can't predict your {distance_name(data['distance_m'], language)} yet: I need at least one "
            "run of "
            "1.5 km or more with a reliable pace in the last 6 months.",
        )
    estimates = ", ".join(f"{name} {time}" for name, time in data["estimates"].items())
    confidence = int(formatting.rounded(data["confidence"] * 100, 0))
    reply = _t(
        language,
        f"{distance_name(data['distance_m'], language).capitalize()} : {data['time']} ({data['pace']}), "
        f"confiance {confidence} % (estimations : {estimates}).",
        f"{distance_name(data['distance_m'], language).capitalize()}: {data['time']} ({data['pace']}), "
        f"confidence {confidence}% (estimates: {estimates}).",
    )
    weekly_km = data.get("low_volume_km_per_week")
    if weekly_km is not None:
        average, threshold = _num(weekly_km, language, 0), _num(LOW_VOLUME_KM_PER_WEEK, language, 0)
        # Vickers & Vertosick (2016), the source of LOW_VOLUME_KM_PER_WEEK.
        reply += " " + _t(
            language,
            f"Tu cours en moyenne {average} km par semaine sur 8 semaines : sous "
            f"{threshold} km par semaine, les prédictions sur semi et marathon sont "
            "souvent trop optimistes.",
            f"You average {average} km a week over 8 weeks: under {threshold} km "
            "a week, half-marathon and marathon predictions tend to be optimistic.",
        )
    return reply


FORM_ADVICE: Final = {
    "very_fresh": ("Très frais : idéal pour courir, mais une longue pause fait perdre de la forme.",
                   "Very fresh: ideal to race, but a long break costs fitness."),
    "fresh": ("Frais : bon moment pour une séance clé ou une course.",
              "Fresh: a good time for a key session or a race."),
    "neutral": ("Neutre : tu peux t'entraîner normalement.", "Neutral: train as planned."),
    "tired": ("Fatigué, mais c'est la fatigue productive de l'entraînement : garde des footings faciles.",
              "Tired, the productive kind of training fatigue: keep the easy runs easy."),
    "overreaching": ("Très fatigué : risque de surmenage, prends un ou deux jours de repos.",
                     "Very tired: risk of overreaching, take a day or two off."),
}  # fmt: skip


def training_load(result: ToolResult, language: Language) -> str:
    data = result.data
    french, english = FORM_ADVICE[data["form_code"]]
    window = data.get("window")
    heading = (
        _t(
            language,
            f"Au soir du {day(data['day'], language)} : ",
            f"On the evening of {day(data['day'], language)}: ",
        )
        if window
        else ""
    )
    return heading + _t(
        language,
        f"Forme (TSB) : {_num(data['form'], language)}. Condition (CTL) {_num(data['fitness'], language)}, "
        f"fatigue (ATL) {_num(data['fatigue'], language)}, évolution de la condition "
        f"{_num(data['ramp_per_week'], language)} par semaine. {french}",
        f"Form (TSB): {_num(data['form'], language)}. Fitness (CTL) {_num(data['fitness'], language)}, "
        f"fatigue (ATL) {_num(data['fatigue'], language)}, fitness change "
        f"{_num(data['ramp_per_week'], language)} "
        f"a week. {english}",
    )


def _activity_line(activity: dict[str, Any], language: Language) -> str:
    hr = f", FC {activity['avg_hr']}" if activity["avg_hr"] and language == "fr" else ""
    hr = hr or (f", HR {activity['avg_hr']}" if activity["avg_hr"] else "")
    pace = f" ({activity['pace']})" if activity["pace"] else ""
    joiner = " en " if language == "fr" else " in "
    # Two decimals, as the activity pages show it (the tool rounds to two: no second rounding here).
    distance = _num(activity["distance_km"], language, 2)
    return f"• {day(activity['date'], language)} — {distance} km{joiner}{activity['duration']}{pace}{hr}"


def recent_activities(result: ToolResult, language: Language) -> str:
    window = result.data.get("window")
    if not result.data["activities"]:
        if window:
            phrase = window_phrase(window, language)
            return _t(language, f"Je ne vois aucune activité {phrase}.", f"I see no activity {phrase}.")
        return _not_enough(language)
    lines = [_activity_line(activity, language) for activity in result.data["activities"]]
    head = (
        _t(
            language,
            f"Tes activités {window_phrase(window, language)} :",
            f"Your activities {window_phrase(window, language)}:",
        )
        if window
        else _t(language, "Tes dernières activités :", "Your latest activities:")
    )
    return "\n".join([head, *lines])


def activity_analysis(result: ToolResult, language: Language) -> str:
    data = result.data
    if result.status == "not_found":
        window = data.get("window")
        if window and data.get("activity_id") is None:
            phrase = window_phrase(window, language)
            return _t(language, f"Je ne trouve aucune sortie {phrase}.", f"I can't find any run {phrase}.")
        return _t(language, "Je ne trouve pas cette activité.", "I can't find that activity.")
    line = _activity_line(data, language).lstrip("• ")
    parts = [line[:1].upper() + line[1:]]
    if data.get("load") is not None:
        parts.append(_t(language, f"Charge {data['load']} (TRIMP)", f"Load {data['load']} (TRIMP)"))
    if data.get("vdot"):
        parts.append(f"VDOT {_num(data['vdot'], language)}")
    if data.get("zones_min"):
        zones = ", ".join(f"Z{index} {minutes} min" for index, minutes in enumerate(data["zones_min"], 1))
        parts.append(zones)
    text = ". ".join(parts) + "."
    note = quality_note(data.get("quality_reasons") or [], language)
    if not note and language == "en":
        note = data.get("quality_note") or ""  # a stored note with no known reason code: it is English
    if note:
        text += _t(language, f" Remarque : {note}.", f" Note: {note}.")
    return text


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


def personal_records(result: ToolResult, language: Language) -> str:
    """Race results first, then best efforts, each line saying which it is."""
    colon = _t(language, " : ", ": ")
    parts: list[str] = []
    races = result.data.get("races") or []
    if races:
        parts.append(_t(language, "Tes courses :",
                        "Your races:"))  # fmt: skip
        for race in races:
            pace = f", {race['pace']}" if race.get("pace") else ""
            parts.append(
                f"• {race['name']} ({race['date']}){colon}{_num(race['distance_km'], language, 2)} km "
                + _t(language, "en ", "in ")
                + f"{race['display'] or '—'}{pace} — "
                + _t(language, "course", "race")
            )
    records = result.data.get("records") or []
    if records:
        parts.append(
            _t(
                language,
                "Tes meilleurs efforts (les plus rapides sur chaque distance, toutes sorties) :",
                "Your best efforts (fastest over each distance, from any run):",
            )
        )
        for record in records:
            if record.get("in_race"):
                what = _t(language, "pendant une course", "during a race")
            elif record.get("source") == "segment":
                what = _t(language, "meilleur effort dans une sortie", "best effort within a run")
            else:
                what = _t(language, "sortie entière", "whole run")
            label = (
                distance_name(float(record["target"]), language)
                if record.get("kind") == "distance"
                else record["label"]
            )
            parts.append(f"• {label}{colon}{record['display']} ({record['date']}) — {what}")
    if not races:
        parts.append(
            _t(
                language,
                "Aucune course trouvée : nomme une sortie « 10 km de … » ou « semi de … » pour "
                "qu'elle compte.",
                'No race found: name a run "… 10k race" or "… half marathon" and it will count.',
            )
        )
    return "\n".join(parts)


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
    first = "\n".join(f"• {_session_line(session, language)}" for session in data["first_sessions"])
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
    sources = ", ".join(f"knowledge/corpus/{language}/{name}.md" for name in data["sources"])
    return _t(
        language,
        f"Plan créé : {distance_name(plan['goal_distance_m'], language)} le {plan['goal_date']}{target}. "
        f"{data['weeks']} semaines : {phases['base']} de base, {phases['build']} de développement, "
        f"{phases['specific']} spécifiques, {phases['taper']} d'affûtage ; {data['days_per_week']} "
        "séances par "
        f"semaine{memory}, {level}. Premières séances :\n{first}{injuries}\nSources : {sources}.",
        f"Plan created: {distance_name(plan['goal_distance_m'], language)} on {plan['goal_date']}{target}. "
        f"{data['weeks']} weeks: {phases['base']} base, {phases['build']} build, {phases['specific']} "
        "specific, "
        f"{phases['taper']} taper; {data['days_per_week']} sessions a week{memory}, {level}. First "
        "sessions:\n"
        f"{first}{injuries}\nSources: {sources}.",
    )


def next_session(result: ToolResult, language: Language) -> str:
    if result.status != "ok":
        if result.data.get("has_plan"):
            return _t(
                language,
                "Il n'y a plus de séance prévue dans ton plan.",
                "There are no sessions left in your plan.",
            )
        return _t(
            language,
            "Tu n'as pas de plan actif. Demande-moi par exemple « plan 10 km le 15 mars ».",
            'You have no active plan. Ask me, for example, "10k plan on March 15".',
        )
    return _t(language, "Prochaine séance : ", "Next session: ") + _session_line(
        result.data["session"], language
    )


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
            f"Soigne-toi bien. {data['cancelled']} séance(s) annulée(s) pendant ta maladie, puis "
            f"{data['eased']} "
            "séance(s) allégée(s) pour la reprise (footing facile, distance réduite de "
            f"{data['volume_cut_percent']} %). "
            "Avec de la "
            "fièvre, pas de course ; si une gêne dans la poitrine apparaît, consulte un médecin.",
            f"Get well soon. {data['cancelled']} session(s) cancelled while you're ill, then {data['eased']} "
            "session(s) eased for your return (easy running, distance cut by "
            f"{data['volume_cut_percent']}%). "
            "No running with a fever; "
            "if you feel any chest discomfort, see a doctor.",
        )
        + upcoming
    )


def search_knowledge(result: ToolResult, language: Language) -> str:
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
    best = hits[0]
    excerpt = best["text"].strip()
    if len(excerpt) > 600:
        excerpt = excerpt[:600].rsplit(" ", 1)[0] + "…"
    sources = "\n".join(f"• {hit['source']}" for hit in hits)
    return _t(
        language,
        f"D'après « {best['title']} » :\n{excerpt}\nSources :\n{sources}",
        f'From "{best["title"]}":\n{excerpt}\nSources:\n{sources}',
    )


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
    "log_activity": log_activity,
    "create_training_plan": create_training_plan,
    "next_session": next_session,
    "adjust_plan": adjust_plan,
    "search_knowledge": search_knowledge,
    "update_profile": update_profile,
    "remember_fact": remember_fact,
}
#: Tools whose own renderer explains a missing result; the others share "not enough data".
_OWN_NOT_FOUND: Final = frozenset({"predict_race", "activity_analysis", "recent_activities",
                                   "next_session", "adjust_plan", "search_knowledge", "log_activity",
                                   "create_training_plan", "update_profile"})  # fmt: skip


def render(result: ToolResult, language: Language) -> str:
    if result.status == "not_enough_data" and result.name not in _OWN_NOT_FOUND:
        return _not_enough(language)
    if result.status == "invalid" and result.name not in _OWN_NOT_FOUND:
        return _t(
            language,
            f"Je n'ai pas compris : {_errors(result.data)}.",
            f"I didn't understand: {_errors(result.data)}.",
        )
    return RENDERERS[result.name](result, language)


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


def medical_source(language: Language) -> str:
    """The corpus document the red-flag and injury answers rest on."""
    return _t(language, "Source : ", "Source: ") + f"knowledge/corpus/{language}/when-to-see-a-doctor.md"
