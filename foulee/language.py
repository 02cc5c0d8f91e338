"""Which language a message is in: French, English, or something the coach does not speak.

Deterministic, and two kinds of evidence added up:

- a character n-gram model (1 to 3 letters, naive Bayes with add-one smoothing)
  of French against English, counted from the knowledge base's own documents,
  which exist in both languages on the same topics (``knowledge/corpus/``), so
  it reads words it has never seen, typos and missing accents ("jai couru",
  "chui creve") by their letters;
- stop words and diacritics, which settle the short messages the letters say
  little about ("ok merci").

The athlete's profile language is the prior when the evidence is weak ("10k?",
"VMA?"). Spanish, German, Italian and Portuguese are recognised by their stop
words only, so the coach can say, in the profile's language, that it speaks
French and English.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
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
        "mes repos "
        # as runners text it: no accents, SMS abbreviations, everyday words
        "pu pourquoi quand mois dernier derniere dernière trop bien mal oui non fais vais jai cest chui "
        "jsuis stp svp cmb pk pq tkt jsp koi bcp mtn slt bjr sem boulot connais bon genou sortir "
        "seance entrainement fatigue fractionne prochain prochaine mois-ci ci"
    ),
    "en": _words(
        "i i'm my me you your the a an and is are was were of to in on for with what what's how "
        "much many did do does can could should this that these week run ran running today tomorrow "
        "yesterday next last am tired please thanks hello hi time training "
        "workout session it's give show "
        # as runners text it
        "u r ur gonna wanna pls plz thx im whats hows dont cant idk tbh rn tmrw any got just been "
        "have like feel feels felt after before should"
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


#: How much one stop word (or two accented letters) weighs against the letters' log-odds.
STOP_WORD_WEIGHT: Final = 8.0
#: Below this much evidence either way, the profile's language decides.
MIN_EVIDENCE: Final = 3.0
#: The letters of a message shorter than this count in proportion: "ok", "10k" or "thx" are a few
#: letters that both languages write, and their log-odds would otherwise outweigh the prior.
FULL_WEIGHT_LETTERS: Final = 12
_GRAM_TEXT = re.compile(r"[^a-zà-ÿœæ' ]+")


def _grams(text: str) -> list[str]:
    padded = " " + " ".join(_GRAM_TEXT.sub(" ", text.lower()).split()) + " "
    return [padded[i : i + n] for n in (1, 2, 3) for i in range(len(padded) - n + 1)]


@dataclass(frozen=True)
class _Letters:
    """Log-probabilities of character n-grams in French and in English text."""

    log_p: dict[str, dict[str, float]]
    unseen: dict[str, float]

    def log_odds(self, text: str) -> float:
        """log P(text | French) - log P(text | English); positive means French."""
        fr, en = self.log_p["fr"], self.log_p["en"]
        return sum(fr.get(gram, self.unseen["fr"]) - en.get(gram, self.unseen["en"]) for gram in _grams(text))


#: The knowledge base's documents (``knowledge/corpus/<language>/*.md``), read here as plain files:
#: this module sits below the knowledge package (which uses it) and must not import it.
CORPUS_DIR: Final = Path(__file__).resolve().parents[1] / "knowledge" / "corpus"


def _body(markdown: str) -> str:
    """A document without its front matter (``---`` … ``---``: ids, topics, source addresses)."""
    if markdown.startswith("---"):
        end = markdown.find("\n---", 3)
        return markdown[end + 4 :] if end != -1 else markdown
    return markdown


_letters: _Letters | None = None
_letters_lock = threading.Lock()


def _letter_model() -> _Letters:
    """Counted once per process from the knowledge base's documents (0.2 s; ``agent.warmup`` does it)."""
    global _letters
    with _letters_lock:
        if _letters is None:
            counts: dict[str, Counter[str]] = {"fr": Counter(), "en": Counter()}
            for language, counted in counts.items():
                for path in sorted((CORPUS_DIR / language).glob("*.md")):
                    counted.update(_grams(_body(path.read_text(encoding="utf-8"))))
            vocabulary = len(set(counts["fr"]) | set(counts["en"]))
            log_p: dict[str, dict[str, float]] = {}
            unseen: dict[str, float] = {}
            for language, counted in counts.items():
                total = sum(counted.values()) + vocabulary
                log_p[language] = {gram: math.log((n + 1) / total) for gram, n in counted.items()}
                unseen[language] = math.log(1 / total)
            _letters = _Letters(log_p, unseen)
        return _letters


def detect_language(text: str, prior: Literal["fr", "en"] = "fr") -> Detected:
    """``fr``, ``en`` or ``other`` for ``text``; ``prior`` decides when the evidence is weak."""
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
    letters = sum(character.isalpha() for character in lowered)
    weight = min(1.0, letters / FULL_WEIGHT_LETTERS)
    evidence = weight * _letter_model().log_odds(lowered) + STOP_WORD_WEIGHT * (scores["fr"] - scores["en"])
    if abs(evidence) < MIN_EVIDENCE:
        return prior
    return "fr" if evidence > 0 else "en"
