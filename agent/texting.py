"""How runners text, written out: SMS abbreviations, glued elisions and stretched letters.

``normalise`` runs before the keyword rules, the embeddings and the safety patterns, so that
"jai la tete qui tourne", "cmb de km cette sem stp" and "heyyy r u there" read like the words the
rules and the training utterances use ("j'ai", "combien", "hey", "are you"). It keeps case and
accents (French dates and the embedder read them); a word is replaced only when it has no
other common meaning in either language ("u", "r" stand alone; "c" only before a word).
"""

from __future__ import annotations

import re
from typing import Final

#: Part of the router's training key (``agent.router.training_key``): bump it when ``normalise`` changes.
VERSION: Final = 2

#: Whole words and what they stand for (matched whatever their case, on word boundaries).
ABBREVIATIONS: Final = {
    # French
    "cmb": "combien",
    "cb": "combien",
    "stp": "s'il te plait",
    "svp": "s'il vous plait",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pkoi": "pourquoi",
    "tkt": "t'inquiète",
    "jsp": "je sais pas",
    "chui": "je suis",
    "jsuis": "je suis",
    "chuis": "je suis",
    "jai": "j'ai",
    "jarrive": "j'arrive",
    "jarrivais": "j'arrivais",
    "jarrête": "j'arrête",
    "jarrete": "j'arrête",
    "jetais": "j'étais",
    "cest": "c'est",
    "koi": "quoi",
    "bcp": "beaucoup",
    "mtn": "maintenant",
    "qd": "quand",
    "ds": "dans",
    "tps": "temps",
    "auj": "aujourd'hui",
    "ajd": "aujourd'hui",
    "slt": "salut",
    "bjr": "bonjour",
    "dsl": "désolé",
    "rdv": "rendez-vous",
    "qqch": "quelque chose",
    "qlq": "quelques",
    "sem": "semaine",
    "motiv": "motivation",
    "recup": "récupération",
    "entrainmt": "entraînement",
    # English
    "u": "you",
    "r": "are",
    "ur": "your",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ty": "thank you",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "2moro": "tomorrow",
    "rn": "right now",
    "im": "i'm",
    "ive": "i've",
    "dont": "don't",
    "cant": "can't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "whats": "what's",
    "hows": "how's",
    "wats": "what's",
    "wat": "what",
    "idk": "i don't know",
    "tbh": "to be honest",
    "btw": "by the way",
    "b4": "before",
    "w/": "with",
}
_WORD: Final = re.compile(
    r"(?<![\w'])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True)) + r")(?![\w'])",
    re.IGNORECASE,
)
#: "c quoi", "c koi", "c grave ?": "c" alone before a word is "c'est".
_C: Final = re.compile(r"(?<![\w'])[cC](?= [a-zà-ÿ])")
#: Three of a letter or more are one: "heyyy", "trooop", "soooo"; doubled letters stay ("pommes").
_STRETCHED: Final = re.compile(r"([a-zà-ÿ])\1{2,}", re.IGNORECASE)


def normalise(text: str) -> str:
    """``text`` with typographic quotes made plain, abbreviations and stretched letters written out."""
    lowered = text.replace("\u2019", "'").replace("\u2018", "'")
    lowered = _STRETCHED.sub(r"\1", lowered)
    lowered = _C.sub("c'est", lowered)
    return _WORD.sub(lambda match: ABBREVIATIONS[match.group(1).lower()], lowered)
