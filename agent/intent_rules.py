"""Keyword rules for cues the intent classifier misses but that leave no doubt about the tool.

The router's classifier works on a sentence embedding, which blurs short messages ("yo", "menu")
and technical words ("TSB", "ramp rate") into their topic's neighbours. These rules run first and
only answer when the cue is unambiguous; anything else goes to the classifier. Each rule is checked
against every labelled utterance of ``agent/data/intents.yaml`` (``tests/agent/test_intent_rules.py``):
a rule that fires must agree with the label, so a rule can never cost accuracy on the labelled set.

Precision first: a rule that would fire on a question about the topic ("c'est quoi le TSB ?",
"what should I do if I miss a session?") stays silent, and the classifier decides.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from agent import extract, safety, texting


def _plain(text: str) -> str:
    """Lower case without accents or typographic quotes, texting written out (``agent.texting``): the
    rules match "seance" and "séance", "jai" and "j'ai" alike."""
    decomposed = unicodedata.normalize("NFKD", extract.normalise(texting.normalise(text)))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


#: A question about what something is or how to do it: a knowledge question, whatever its topic.
_DEFINITION: Final = re.compile(
    r"^(?:c'est quoi|c quoi|qu'est[- ]ce (?:que|qu')|que (?:veut dire|signifie)|pourquoi|"
    r"comment (?:faire|on|se)|what (?:is|are|does)|what's (?:a|an|the)\b|explain|why|"
    r"how (?:do|does|should|to) )"
)
_QUESTION: Final = re.compile(
    r"\?|\bcombien\b|\bhow (?:fast|long|much|many)\b|\bpredict|\bpredi|\bcould\b|\bpourrais"
)

_GREETING_WORDS: Final = frozenset(
    {"bonjour", "salut", "slt", "coucou", "hello", "hi", "hey", "yo", "bjr", "bonsoir", "re", "merci"}
    | {"thanks", "thank", "thx"}
)
#: Words that may come with a greeting without making it a question ("merci beaucoup", "hi there").
_GREETING_FILLER: Final = frozenset(
    {"coach", "toi", "there", "you", "good", "morning", "evening", "afternoon", "beaucoup", "bien", "cool"}
    | {"ok", "super", "a", "lot", "bonne", "journee", "soiree"}
)
_HELP_ONLY: Final = frozenset(
    {
        "aide",
        "help",
        "/help",
        "/start",
        "menu",
        "menu principal",
        "commandes",
        "options",
        "aide moi",
        "aide-moi",
    }
)

_LOAD_TERMS: Final = re.compile(
    r"\b(?:tsb|ctl|atl|pmc)\b|ramp rate|performance management chart|charge aigue|charge chronique|"
    r"acute (?:and chronic |:chronic )?load|chronic load"
)
_ACTIVITY_NUMBER: Final = re.compile(r"\b(?:activite|activity)\s*(?:n°|no\.?|number|#)?\s*#?\d+")
_REMEMBER: Final = re.compile(
    r"^(?:retiens|souviens[- ]toi|rappelle[- ]toi|note (?:que|bien)|please remember|remember (?:that|i)|"
    r"note that|keep in mind|just so you know|pour info|fyi)\b|garde[- ]le en tete|keep it in mind"
)
_AVAILABILITY: Final = re.compile(
    r"^(?!.*\bplan\b)(?:je (?:ne )?(?:peux|suis dispo|cours|m'entraine)\b[^?]*"
    r"\b(?:\d+|deux|trois|quatre|cinq) (?:fois|jours) par semaine"
    r"|i (?:can (?:only )?|only |usually )?(?:run|train)\b[^?]*\b(?:\d+|twice|two|three|four|five) "
    r"(?:times |days )?(?:a|per) week"
    r"|i(?:'m| am) available\b)"
)
_CONDITION: Final = re.compile(
    r"\b(?:je suis (?:asthmatique|diabetique)|i(?:'m| am) (?:asthmatic|diabetic)|i have asthma)"
)
_MISSED: Final = re.compile(
    r"\b(?:rate|loupe|zappe|saute|annule|j'ai manque)e?s? (?:ma|mon|la|le|les|mes|deux|trois|\d)\b"
    r"|\b(?:seance|sortie|footing|entrainement|fractionne)s? (?:rate|loupe|zappe|saute|annule|manque)e?s?\b"
    r"|\b(?:missed|skipped|had to cancel|couldn't do)\b[^?]*\b(?:session|run|workout|training|intervals)"
    r"|\b(?:pas pu (?:courir|faire)|couldn't run|didn't run|could not run|did not run)\b"
    r"|\b(?:pas eu le temps de courir|no time to run)\b"
)
_ILL: Final = re.compile(
    r"\b(?:je suis (?:malade|enrhume|tombe malade)|"
    r"j'ai (?:la grippe|le covid|de la fievre|un rhume|une angine)|"
    r"i(?:'m| am|'ve been| was| have been) (?:sick|ill)|i have (?:the flu|a cold|a fever|covid))\b"
)
#: Two more ways the labelled set says it, too loose for a rule but enough for ``states_missed_or_ill``.
_MISSED_OR_ILL_MORE: Final = re.compile(r"\bj'ai du annuler\b|\bstomach bug\b")
_GOAL: Final = re.compile(r"^(?!.*\?)(?:mon (?:but|objectif|reve)|my (?:goal|target race|dream))\b")
_PROFILE_VALUE: Final = re.compile(
    r"^(?!.*(?:\?|\bcombien\b|\bhow\b)).*(?:"
    r"\b(?:fc|fcmax|frequence cardiaque|hr|heart rate|pouls|pulse)\s*"
    r"(?:max(?:imale)?|de repos|au repos|repos|rest(?:ing)?)\b"
    r"[^?]{0,20}?\b\d{2,3}\b"
    r"|\b(?:max(?:imum)?|resting) (?:heart rate|hr|pulse)\b[^?]{0,20}?\b\d{2,3}\b"
    r"|\bje pese \d|\bi weigh \d|\b(?:mon poids|my weight)\b[^?]*\d"
    r"|\b(?:reply|answer|speak|talk|reponds?(?:-moi)?|parle(?:-moi)?)\b[^?]*\b(?:english|french|anglais|francais)\b"
    r")"
)
_PREDICTION: Final = re.compile(r"\b(?:pronostic|prediction|predis|predit|predict|predicted|prediction)s?\b")
_LOGGED: Final = re.compile(r"\bj'ai (?:fait|couru)\b|\bi (?:ran|did|just ran)\b|^(?:enregistre|log|add)\b")

#: What ``agent.safety`` reads as a red flag or an injury is a knowledge question first.
HEALTH_KINDS: Final = frozenset({"red_flag", "injury"})

#: An injury of the past or on the mend is a fact to remember ("I had a stress fracture last year").
_HISTORY: Final = re.compile(
    r"\b(?:last year|years? ago|months? ago|recovering|recovered|i had an?|l'an dernier|l'annee derniere"
    r"|il y a \w+ (?:ans|mois)|j'ai eu une?|en convalescence|je me remets|je sors d'une?)\b"
)

#: Asking how to do better or what to do about a condition: advice, whatever the topic's own tool
#: ("comment améliorer ma VMA" is no request for the VMA figure; "32 degrees, any advice?").
_ADVICE: Final = re.compile(
    r"\b(?:comment (?:ameliorer|progresser|augmenter|gagner|booster|travailler)|"
    r"how (?:can|do|could|should) i (?:improve|increase|boost|raise|get better)|"
    r"any (?:advice|tips?)|(?:des|tes|quelques|un) (?:conseils?|astuces?|idees?)\b|conseils? pour|"
    r"tips (?:for|on|to)|c'est grave (?:si|de)|is it (?:bad|ok|okay|safe|normal) to)"
)

_RULES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("search_knowledge", _ADVICE),
    ("activity_analysis", _ACTIVITY_NUMBER),
    ("remember_fact", _REMEMBER),
    ("remember_fact", _AVAILABILITY),
    ("remember_fact", _CONDITION),
    ("adjust_plan", _MISSED),
    ("adjust_plan", _ILL),
    ("training_load", _LOAD_TERMS),
    ("remember_fact", _GOAL),
    ("update_profile", _PROFILE_VALUE),
    ("predict_race", _PREDICTION),
)


def _only_words(words: list[str], vocabulary: frozenset[str], core: frozenset[str]) -> bool:
    return bool(words) and all(word in vocabulary for word in words) and any(word in core for word in words)


def rule_intent(text: str) -> str | None:
    """The intent when an unambiguous cue names it, else ``None`` (the classifier decides)."""
    plain = _plain(text).strip()
    words = re.findall(r"[\w/'-]+", plain)
    if _only_words(words, _GREETING_WORDS | _GREETING_FILLER, _GREETING_WORDS):
        return "greeting"
    if " ".join(words) in _HELP_ONLY:
        return "help"
    if safety.classify(text).kind in HEALTH_KINDS and not (_REMEMBER.search(plain) or _HISTORY.search(plain)):
        # "jai mal au genou depuis dimanche", "got really dizzy mid run": the health answer and
        # cited advice, whatever else the words are near; never a tool that writes.
        return "search_knowledge"
    if _DEFINITION.search(plain):
        return None
    if (
        _LOGGED.search(plain)
        and not _QUESTION.search(plain)
        and extract.parse_distance(text) is not None
        and extract.parse_duration(text) is not None
    ):
        return "log_activity"
    found = {intent for intent, pattern in _RULES if pattern.search(plain)}
    return found.pop() if len(found) == 1 else None


def states_missed_or_ill(text: str) -> bool:
    """Whether ``text`` says a session was missed or the athlete is ill, in so many words.

    ``adjust_plan`` changes the plan only then: the classifier alone also sends it "delete my plan"
    or "supprime toutes mes séances", which must change nothing (``tests/agent/test_injection.py``).
    """
    plain = _plain(text)
    return any(pattern.search(plain) for pattern in (_MISSED, _ILL, _MISSED_OR_ILL_MORE))
