"""Which language a message is in: French, English, or something the coach does not speak.

Small and deterministic: stop words and diacritics, with the athlete's profile
language as the prior when the message gives no evidence ("10k?", "ok").
Spanish, German, Italian and Portuguese are recognised only so the coach can
say, in the profile's language, that it speaks French and English.
"""

from __future__ import annotations

import re
from typing import Final, Literal

Detected = Literal["fr", "en", "other"]

_WORD = re.compile(r"[a-zà-ÿœæß']+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP_WORDS: Final = {
    "fr": _words(
        "je j' tu il elle nous vous ils le la les un une des du de d' et est suis ma mon mes ta ton tes "
        "sur pour dans avec pas ne que qu' quoi quel quelle comment combien c' ça ca cette ce ces "
        "semaine fait faire couru courir séance sortie prochaine demain hier aujourd'hui merci bonjour "
        "salut peux veux moi toi au aux en plan fatigué suis-je est-ce entraînement été ai as a "
        "mes repos"
    ),
    "en": _words(
        "i i'm my me you your the a an and is are was were of to in on for with what what's how "
        "much many did do does can could should this that these week run ran running today tomorrow "
        "yesterday next last am tired please thanks hello hi time training "
        "workout session it's give show"
    ),
    "es": _words(
        "el los las una por para con qué cómo cuánto mi mis es estoy semana correr corrí hoy mañana "
        "ayer gracias hola entrenamiento carrera puedo quiero tengo muy también"
    ),
    "de": _words(
        "ich du der die das und ist bin mein meine wie viel was wann woche laufen gelaufen heute "
        "morgen gestern danke hallo training kann nicht mit für auf"
    ),
    "it": _words(
        "il lo gli della sono mio mia come quanto settimana correre corso oggi domani ieri grazie "
        "ciao allenamento posso voglio ho"
    ),
    "pt": _words(
        "eu meu minha como quanto semana correr corri hoje amanhã ontem obrigado olá treino posso "
        "quero tenho não"
    ),
}
_FRENCH_LETTERS = re.compile(r"[éèêëàâîïôûùçœ]")
_SPANISH_SIGNS = re.compile(r"[ñ¿¡]")
_GERMAN_SIGNS = re.compile(r"[äöüß]")


def detect_language(text: str, prior: Literal["fr", "en"] = "fr") -> Detected:
    """``fr``, ``en`` or ``other`` for ``text``; ``prior`` decides when the evidence is even."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    scores = dict.fromkeys(_STOP_WORDS, 0.0)
    for word in words:
        for language, stop_words in _STOP_WORDS.items():
            if word in stop_words:
                scores[language] += 1.0
        if "'" in word and word.split("'")[0] + "'" in _STOP_WORDS["fr"]:
            scores["fr"] += 1.0  # j'ai, c'est, l'allure
    scores["fr"] += 0.5 * len(_FRENCH_LETTERS.findall(lowered))
    scores["es"] += 2.0 * len(_SPANISH_SIGNS.findall(lowered))
    scores["de"] += 2.0 * len(_GERMAN_SIGNS.findall(lowered))
    ours = max(scores["fr"], scores["en"])
    theirs = max(scores[language] for language in ("es", "de", "it", "pt"))
    if theirs >= 2.0 and theirs > ours * 1.5:
        return "other"
    if scores["fr"] == scores["en"]:
        return prior
    return "fr" if scores["fr"] > scores["en"] else "en"
