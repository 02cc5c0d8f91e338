"""Safety before everything: what a message says about the athlete's health, and whether it may change state.

Pure and DB-free, so that both coaches (the offline router in ``agent.offline`` and the LLM
agent in ``agent.llm``) read a message the same way, before any classifier or model:

* **red flag** — chest pain or tightness, fainting or near-fainting, dizziness or blurred
  vision, palpitations, unusual breathlessness: the medical answer, always, and nothing else;
* **injury** — pain, soreness, a named running injury: a referral, cited advice from the
  knowledge base, and a plan change only once the athlete says yes;
* **illness** — a cold, the flu, a fever: the plan is eased only once the athlete says yes;
* **none** — everything else.

No state-changing tool (``STATE_CHANGING_TOOLS``) runs on a health message, on a message aimed
at the coach itself ("ignore previous instructions", "tu es maintenant ..."), or on a message
the router is unsure of (``may_change_state``): the coach asks first, and a "yes" in the next
message (``confirmation``) runs what it proposed (``agent.confirm``).

The patterns read a *plain* form of the text: lower case, no accents, plain quotes, "oe" for
"œ", so that "tete qui tourne", "tête qui tourne" and "TÊTE QUI TOURNE" are one message. Where
runners double or drop a letter ("pommes", "pomes", "dizzy", "dizy") the pattern allows both.
The warning signs are those of ``knowledge/corpus/*/when-to-see-a-doctor.md``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

from agent import texting

Kind = Literal["red_flag", "injury", "illness", "none"]

#: The tools that write: the coach runs them on a health, unclear or injected message only after a yes.
STATE_CHANGING_TOOLS: Final = frozenset(
    {"adjust_plan", "log_activity", "remember_fact", "update_profile", "create_training_plan"}
)
#: A state-changing intent the router gives less than this probability is asked about first.
#: A keyword rule (``agent.intent_rules``) gives 1.0; the classifier's right answers on
#: writing tools are mostly above 0.8, its wrong ones mostly below.
CONFIRM_CONFIDENCE: Final = 0.75
#: A proposal the athlete has not answered within this many seconds lapses.
CONFIRMATION_TTL_S: Final = 3600
#: A "yes" longer than this many words is a new message, not an answer to the question.
MAX_CONFIRMATION_WORDS: Final = 8


@dataclass(frozen=True)
class Safety:
    """What ``classify`` read in a message."""

    kind: Kind
    #: Whether the message gives the coach instructions about itself (a prompt injection).
    aimed_at_coach: bool
    #: Whether a state-changing tool may run on this message without asking first.
    state_change_allowed: bool
    #: The phrases that decided, for logs and tests.
    cues: tuple[str, ...] = ()


def plain(text: str) -> str:
    """Lower case, no accents, plain quotes and spaces, texting written out (``agent.texting``): the
    form every pattern here reads."""
    text = texting.normalise(text)
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    for quote in ("\u2019", "\u2018", "`", "\u00b4", "\u2032"):
        stripped = stripped.replace(quote, "'")
    return re.sub(r"\s+", " ", stripped).strip()


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


#: Within one clause: a gap of at most a few words, no sentence end.
_NEAR: Final = r"[^.?!;]{0,30}?"

_CHEST: Final = _any(
    rf"\b(?:douleurs?|mal|gene|oppression|serrement|pression|brulures?|point)\b{_NEAR}"
    r"\b(?:poitrine|thorax|thoracique|sternum|coeur)\b",
    rf"\bpoitrine\b{_NEAR}\b(?:serre|sere|serrait|comprim|oppress|fait mal|douleur|brul|lourde?)",
    r"\b(?:douleur|oppression|gene) thoracique",
    rf"\bchest\b{_NEAR}\b(?:pains?|tight|tightness|hurt|hurts|hurting|pressure|ache|aches|aching|burn"
    r"|burning|squeez\w*|heavy|heaviness|discomfort|sore)\b",
    rf"\b(?:pains?|tightness|tight|pressure|ache|aching|discomfort|heaviness|squeezing)\b{_NEAR}\bchest\b",
    r"\bangina\b|\bangine de poitrine\b",
)
_FAINT: Final = _any(
    r"\btomb\w* dans les pom+es\b",
    r"\b(?:failli|presque|manque de|limite|cru) (?:m'?\s?evanouir|tomber|perdre connaissance)",
    r"\bevan+oui|\bevanou|\bperdu connaissance|\bperte de connaissance|\bsyncope\b|\bmalaise\b",
    r"\btourne de l'oeil|\bvoile noir\b|\bje me suis effondre|\bm'effondrer\b",
    r"\bfaint(?:ed|ing|ish|y)?\b|\bpas+(?:ed|sed)? out\b|\bpassing out\b|\bblack(?:ed|ing)? ?out\b",
    r"\blight ?-?headed|\bcollaps(?:e|ed|ing)\b|\bnear(?:ly)? (?:fainted|passed out|collapsed)",
)
_DIZZY: Final = _any(
    r"\bt[e]te (?:qui|me|m'a) ?(?:tourne|tournait|tourner)|\bla tete (?:me )?tourn",
    r"\bvertiges?\b|\betourdi|\bdiz+(?:y|iness|ines)\b|\bwoozy\b",
    r"\b(?:room|everything|head|world) (?:was |is |kept |started )?spinning\b",
    r"\bvu (?:trouble|flou|des etoiles|des mouches|noir)\b|\bvue (?:trouble|floue|brouill\w*)",
    r"\bvision (?:trouble|floue|blur\w*|went|tunnel)|\bblur+(?:ed|y) vision\b|\bseeing stars\b",
    r"\btunnel vision\b|\bsaw stars\b",
)
_PALPITATIONS: Final = _any(
    r"\bpalpit\w*",
    rf"\bcoeur\b{_NEAR}\b(?:s'emball\w*|emball\w*|chamade|trop vite|tres vite|n'importe comment|de travers"
    r"|cogn\w*|irreguli\w*|saut\w*|rate des battements|fou|folie|s'affol\w*|affol\w*)",
    r"\barythmie|\btachycard\w*|\bextrasystol\w*|\bfibrillation\b",
    rf"\bheart\b{_NEAR}\b(?:racing|raced|pounding|pounded|going (?:crazy|nuts|mad|wild)|went (?:crazy|nuts"
    r"|mad|wild)|flutter\w*|skipp\w*|skip(?:ped)? (?:a )?beats?|irregular|out of rhythm|fluttery"
    r"|beating (?:really |so |very )?(?:fast|hard|weird\w*|funny|irregular\w*)|doing (?:weird|funny))",
    r"\birregular heart ?beat|\ba-?fib\b|\barrh?ythmia|\bheart palp",
)
_BREATHLESS: Final = _any(
    r"\bmal a respirer\b|\b(?:arrive|arrivais|arrivait|pu|pouvais|peux) (?:pas|plus) (?:a )?respirer",
    r"\brespir\w* (?:mal|difficile\w*)|\bdifficult\w* (?:a|pour) respirer|\bsouffle court\b",
    r"\bmanqu\w* d'air\b|\betouff\w*|\bsouffle coupe\b",
    r"\bessouffl\w* (?:anormal\w*|inhabituel\w*|au repos|pour rien|sans raison|d'un coup|en marchant)",
    r"\b(?:can'?t|cannot|couldn'?t|could not|cant|couldnt) (?:breathe|breath)\b",
    r"\bstruggl\w* to breathe?\b|\b(?:trouble|difficulty|hard to) breath\w*|\bshort(?:ness)? of breath\b",
    r"\b(?:breathless|out of breath)\b[^.?!;]{0,20}\b(?:at rest|for no reason|walking|stairs|suddenly"
    r"|weird|scary|unusual|never)\b",
    r"\bgasping for (?:air|breath)|\bwheez\w*",
)
RED_FLAGS: Final = {
    "chest": _CHEST,
    "fainting": _FAINT,
    "dizziness": _DIZZY,
    "palpitations": _PALPITATIONS,
    "breathlessness": _BREATHLESS,
}

#: Illness phrases taken out before the injury patterns read the text ("sore throat" is no injury).
_ILLNESS: Final = _any(
    r"\bmalade\b|\bgripp\w*|\bcovid\b|\bfievre\b|\brhume\b|\benrhum\w*|\bangine\b|\bgastro\b|\bnausee",
    r"\bvomi\w*|\bbronchite\b|\bsinusite\b|\botite\b|\bmal (?:a|de) (?:la )?gorge\b|\bmal de tete\b",
    r"\bmal au ventre\b|\bla creve\b|\bcreve de fatigue\b|\bchope (?:un|le|la) (?:virus|rhume|truc)",
    r"\bsick\b|\bill\b|\billness\b|\bflu\b|\bfever\w*|\b(?:a|head|chest) cold\b|\bsore throat\b",
    r"\bstomach bug\b",
    r"\bfood poisoning\b|\bbronchitis\b|\bvomit\w*|\bnause\w*|\bvirus\b|\bthrowing up\b|\bheadache\b",
    r"\bsniffles?\b|\bcoughing\b|\btoux\b|\bje tousse\b",
)
#: Pain that is denied ("plus mal", "no pain") says nothing of an injury.
_NO_PAIN: Final = _any(
    r"\b(?:no|without|zero|not any|any) (?:more )?(?:pain|soreness|niggles?)\b|\bpain[- ]?free\b",
    r"\b(?:doesn'?t|does not|didn'?t|did not|don'?t|no longer|not) (?:hurt|ache|sore)\w*",
    r"\b(?:pas|plus|aucune|sans) (?:de |d'|la moindre )?douleurs?\b",
    r"\b(?:n'ai|j'ai|ai) (?:plus|pas|jamais|pas eu) (?:du tout )?mal\b",
    r"\bfait (?:plus|pas|jamais) mal\b|\bno pain,? no gain\b",
)
#: French bread is no pain.
_BREAD: Final = re.compile(r"\bpains? (?:au|aux|de|complet|perdu|d'epice)\w*|\bdu pain\b|\bun pain\b")
_INJURY: Final = _any(
    r"\bj'ai (?:un peu |tres |trop |super |vraiment |encore |toujours )?mal\b|\b(?:ca|sa) (?:me )?fait mal",
    r"\b(?:me|m'|te|lui) ?(?:fait|faisait|font|faisaient) (?:un peu |trop |tres |super |encore )?mal\b",
    r"\bmal (?:au|aux|a la|a l'|dans le|dans la|dans les|derriere le|sous le)\b",
    r"\bdouleur|\bdouloureu|\bbless(?:e|ee|es|ure|ures)\b|\btendin|\btendon|\bentorse|\bclaquage",
    r"\bdechirure|\bcontracture|\belongation|\bfracture|\bperiost\w*|\bfasciite|\baponevros\w*",
    r"\bbandelette|\bessuie[- ]glace|\bachil+e|\bcourbatu\w*|\bje boite\b|\ben boitant\b|\bboiter\b",
    r"\bgene (?:au|aux|a la|a l'|dans)\b|\bpubalgie|\bsciatique|\blumbago|\btordu (?:la|le|ma|mon)\b",
    r"\bhurt(?:s|ing)?\b|\bpain(?:ful|s)?\b|\bsore(?:ness)?\b|\bach(?:e|es|ing|y)\b|\binjur\w*",
    r"\bniggl\w*|\bachil+es\b|\bshin ?splints?\b|\bplantar\b|\bfasciitis\b|\bit ?band\b|\bitbs\b",
    r"\b(?:runner|jumper)'?s knee\b|\bpatell\w*|\bsprain\w*|\bstrain(?:ed)? (?:my|a|the)\b",
    r"\b(?:calf|hamstring|groin|muscle|quad) (?:strain|tear|pull)\b|\bpulled (?:a|my)\b|\btweak(?:ed)?\b",
    r"\btwisted my\b|\brolled my ankle\b|\bstress fracture\b|\blimp(?:ing)?\b|\btorn\b|\bsciatica\b",
)
#: Instructions about the coach itself: a prompt injection, whatever it then asks for.
_AIMED_AT_COACH: Final = _any(
    r"\bignore\w* (?:all |the |your |any |every )?(?:previous |prior |above |earlier |former |preceding )?"
    r"(?:instructions?|rules?|prompts?|directives?|messages?|guidelines?|constraints?)",
    r"\bdisregard\b|\bforget (?:your|all|the|everything|previous|what|about your)\b|\byou(?: a|')re now\b",
    r"\bfrom now on,? you\b|\bact as (?:a|an|my)\b|\bpretend (?:to be|you)\b|\bsystem prompt\b",
    r"^\W*system\s*:|\bsystem message\b|\b(?:admin|administrator|developer|god|debug) mode\b|\bjailbreak",
    r"\bnew (?:instructions?|rules?)\b|\boverride\b|\byour (?:instructions|rules|prompt|guidelines)\b",
    r"\bignore\w* (?:les|tes|toutes|vos|mes|ces|des) (?:\w+ )?(?:instructions|consignes|regles|directives)",
    r"\boublie\w* (?:tes|les|toutes|tout|vos|ce que|ton|tous)\b|\btu es (?:maintenant|desormais|a present)\b",
    r"\ba partir de maintenant,? tu\b|\bdesormais,? tu\b|\bfais comme si\b|\bjoue le role\b",
    r"\bmode (?:admin|administrateur|developpeur|debug)\b|\bnouvelles? (?:consignes?|instructions?|regles)\b",
    r"\b(?:consigne|prompt|message) systeme\b|\btes (?:instructions|consignes|regles)\b",
)


#: A question about an injury in general ("c'est quoi une périostite ?", "how to prevent shin splints?").
_GENERAL_QUESTION: Final = re.compile(
    r"^(?:c'est quoi|c quoi|qu'est[- ]ce (?:que|qu'|qui)|what (?:is|are|causes)|what's (?:a|an|the)\b"
    r"|how (?:do|can|should) (?:i|you|we|runners) (?:prevent|avoid|treat)|how to (?:prevent|avoid|treat)"
    r"|comment (?:eviter|prevenir|soigner|traiter|on evite|on soigne)|pourquoi (?:a-t-on|on a|les coureurs)"
    r"|why do (?:runners|people)|est-ce que .{0,20}(?:grave|frequent))"
)
#: The athlete speaks of their own body.
_PERSONAL: Final = re.compile(
    r"\b(?:my|mine|me|i have|i've|i'm|i am|i got|j'ai|je suis|je me|mon|ma|mes|me fait|m'a|depuis)\b"
)


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    return [match.group(0) for match in pattern.finditer(text)]


def red_flags(text: str) -> list[str]:
    """The red-flag categories ``text`` names (``RED_FLAGS``' keys), in order."""
    words = plain(text)
    return [name for name, pattern in RED_FLAGS.items() if pattern.search(words)]


def classify(text: str) -> Safety:
    """Read ``text`` for red flags, then an injury, then an illness, and for orders to the coach."""
    words = plain(text)
    aimed = _found(_AIMED_AT_COACH, words)
    cues: list[str] = []
    for pattern in RED_FLAGS.values():
        cues.extend(_found(pattern, words))
    kind: Kind = "none"
    if cues:
        kind = "red_flag"
    else:
        illness = _found(_ILLNESS, words)
        rest = _NO_PAIN.sub(" ", _BREAD.sub(" ", _ILLNESS.sub(" ", words)))
        injury = _found(_INJURY, rest)
        if injury and _GENERAL_QUESTION.search(words) and not _PERSONAL.search(words):
            # A question about a condition, not a report of one: a knowledge answer, still no writing.
            return Safety("none", bool(aimed), False, tuple(injury + aimed))
        if injury:
            kind, cues = "injury", injury
        elif illness:
            kind, cues = "illness", illness
    return Safety(
        kind=kind,
        aimed_at_coach=bool(aimed),
        state_change_allowed=kind == "none" and not aimed,
        cues=tuple(cues + aimed),
    )


def may_change_state(safety: Safety, tool: str, confidence: float) -> bool:
    """Whether ``tool`` may run now on a message read as ``safety``, routed with ``confidence``."""
    if tool not in STATE_CHANGING_TOOLS:
        return True
    return safety.state_change_allowed and confidence >= CONFIRM_CONFIDENCE


_YES: Final = re.compile(
    r"^(?:oui|ouais|ouai|ouep|ouip|yes|yess|yeah|yea|yep|yup|ya|ok|okay|okey|oki|d'accord|d'acc|dac|dacc"
    r"|vas[- ]y|go|go ahead|do it|fais[- ]le|fais le|c'est bon|confirm\w*|sure|please do|absolument"
    r"|bien sur|of course|carrement|volontiers|let's do it|lets do it|allez|parfait|top|exactement"
    r"|affirmatif|correct|yes please|avec plaisir|banco|ca marche|sounds good|go for it)\b"
)
_NO: Final = re.compile(
    r"^(?:non|nan|no|nope|nah|pas (?:maintenant|besoin|la peine|tout de suite)|annule\w*|cancel\w*"
    r"|laisse(?: tomber)?|never ?mind|not now|don'?t|ne (?:fais|change|touche) (?:rien|pas)"
    r"|surtout pas|stop|hold on|attends|wait|pas encore|not yet|no thanks|non merci)\b"
)


def confirmation(text: str) -> bool | None:
    """A short yes (``True``) or no (``False``) answer to the coach's question, else ``None``."""
    words = plain(text)
    words = re.sub(r"[!.,?;:)(]+", " ", words).strip()
    if not words or len(words.split()) > MAX_CONFIRMATION_WORDS:
        return None
    if _NO.search(words):
        return False
    if _YES.search(words):
        return True
    return None
