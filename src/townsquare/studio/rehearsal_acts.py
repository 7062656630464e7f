"""What a member's line does in a rehearsal, detected from the line itself.

Rules per language (English, Spanish, French, German), so that a scene and its feedback rest on
what was said rather than on what a small model thinks was said. A line may do several things
at once ("I closed 14 deals, so I'm asking for 8%": evidence, a number and the ask).

- ``ask``: states what the member wants (a raise, to make up, a "no", the custom request);
- ``evidence``: gives a concrete reason or result;
- ``number``: names a figure (an amount, a percentage, a count, a date);
- ``next_step``: proposes what happens next (a date, a meeting, a review);
- ``acknowledge``: says back the other person's side or feelings;
- ``apology``: apologises for their own part;
- ``refusal``: says no;
- ``blame``: "you always", "you never";
- ``cave``: gives up on the ask ("never mind", "forget it", "fine, I'll do it");
- ``hedge``: softens itself away ("um", "I guess", "maybe", "sorry to bother you").
"""

from __future__ import annotations

import re
from typing import Literal, get_args

__all__ = ["ACTS", "Act", "acts_of", "figures_of"]

Act = Literal[
    "ask",
    "evidence",
    "number",
    "next_step",
    "acknowledge",
    "apology",
    "refusal",
    "blame",
    "cave",
    "hedge",
]
ACTS: tuple[Act, ...] = get_args(Act)

# "one" is left out: it is more often a pronoun ("the one thing", "in one sentence") than a figure.
_NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|thousand|dos|tres|cuatro|cinco|diez|deux|trois|quatre|cinq|dix|"
    r"zwei|drei|vier|fünf|zehn"
)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*\s*(?:%|k\b)?|(?:[$€£])\s*\d+(?:[.,]\d+)*", re.I)
_AMOUNT = re.compile(
    r"%|[$€£]|\b(?:percent|per ?cent|por ciento|pour ?cent|prozent|a year|per (?:year|month))\b",
    re.I,
)
_NUMBER_WORD = re.compile(rf"\b(?:{_NUMBER_WORDS})\b", re.I)

# One pattern per act, its alternatives grouped by language (en | es | fr | de).
_RULES: dict[Act, re.Pattern[str]] = {
    "ask": re.compile(
        r"\b(?:i(?:'d| would) like|i want|i need|i'm asking|i am asking|asking for|ask(?:ing)? "
        r"(?:for|to)|talk about my|discuss my|a raise|more money|pay rise|salary|compensation|"
        r"i can't|i cannot|i won't|make up|sort (?:this|things) out|fixed|replacement|refund)\b"
        r"|\b(?:quiero|necesito|te pido|pido|mi sueldo|mi salario|una subida)\b"
        r"|\b(?:je veux|je voudrais|j'aimerais|je demande|mon salaire|une augmentation)\b"
        r"|\b(?:ich möchte|ich will|ich brauche|ich bitte|mein gehalt|gehaltserhöhung)\b",
        re.I,
    ),
    "evidence": re.compile(
        r"\b(?:i (?:led|shipped|closed|built|trained|wrote|took over|cut|saved|delivered|"
        r"finished|handled|cleaned|bought|grew|launched|reduced|raised|have (?:done|cleaned|"
        r"worked))|i've (?:done|cleaned|worked|been)|this year|last (?:year|quarter|month)|"
        r"has been (?:broken|going)|for \d+ (?:days|weeks|months)|because|since|"
        r"i've done|i have done|my target|results?)\b"
        r"|\b(?:dirigí|entregué|cerré|logré|porque|este año)\b"
        r"|\b(?:j'ai (?:dirigé|livré|fini|fait)|parce que|cette année)\b"
        r"|\b(?:ich habe|weil|dieses jahr)\b",
        re.I,
    ),
    "next_step": re.compile(
        r"\b(?:next (?:week|month|quarter|time|step)|by (?:the end of |next )?(?:monday|tuesday|"
        r"wednesday|thursday|friday|saturday|sunday|june|january|march|tonight|tomorrow)|"
        r"revisit|review it|check in|set a date|agree (?:to|on)|can we (?:meet|get|go|make|"
        r"agree|review|set)|could we|let's|from now on|tonight|this week|in (?:january|june|march)|"
        r"book)\b"
        r"|\b(?:podemos|revisarlo|la semana que viene|en enero|a partir de ahora)\b"
        r"|\b(?:on pourrait|la semaine prochaine|à partir de maintenant|pouvons-nous)\b"
        r"|\b(?:ab jetzt|können wir|nächste woche|ab sofort)\b",
        re.I,
    ),
    "acknowledge": re.compile(
        r"\b(?:i (?:hear|understand|know|get|see) (?:you|that|why|it's|the|your)|"
        r"it sounds like|you felt|you were hurt|i get why|i know it's|i understand|"
        r"i know you've|fair point|you're right|we are friends|we're friends|being straight with "
        r"you)\b"
        r"|\b(?:entiendo|comprendo|te entiendo)\b"
        r"|\b(?:je comprends|je sais que|tu t'es senti|tu te sois senti)\b"
        r"|\b(?:ich verstehe|ich weiß, dass|ich weiss)\b",
        re.I,
    ),
    "apology": re.compile(
        r"\b(?:i'm sorry (?:for|about|i)|i am sorry (?:for|about)|i apologi[sz]e|i owe you an "
        r"apology|i was wrong|i handled it badly|it was my fault)\b"
        r"|\b(?:lo siento|perdón|me equivoqué)\b"
        r"|\b(?:je suis désolée?|pardon|je m'excuse)\b"
        r"|\b(?:es tut mir leid|entschuldig)",
        re.I,
    ),
    "refusal": re.compile(
        r"(?:^|[.!?]\s*)no\b|\b(?:i can't (?:take|do|finish|keep)|i cannot|i won't|my answer is "
        r"(?:still )?no|the answer is no|not this time)\b"
        r"|\bnein\b|\b(?:no puedo|je ne peux pas|ich kann\b[^.]{0,40}\bnicht)",
        re.I,
    ),
    "blame": re.compile(
        r"\byou (?:always|never)\b|\byou started it\b|\bnot my fault\b|\bwasn't my fault\b"
        r"|\bsiempre me\b|\btu (?:fais|dis) toujours\b|\bdu (?:immer|nie)\b",
        re.I,
    ),
    "cave": re.compile(
        r"\b(?:never ?mind|forget it|it's fine|whatever|i'll do it|i guess i could|fine,? "
        r"whatever|ok,? fine)\b|\b(?:da igual|olvídalo|laisse tomber|vergiss es)\b",
        re.I,
    ),
    "hedge": re.compile(
        r"\b(?:um+|uh+|i guess|maybe|sorry to bother|kind of|sort of|just wondering|"
        r"i was wondering|stuff)\b",
        re.I,
    ),
}


def figures_of(text: str) -> set[str]:
    """The figures ``text`` names, normalised ("62,000" and "62000" are one; "10 %" is "10%")."""
    found = {re.sub(r"[\s,]", "", match.group()).lower() for match in _FIGURE.finditer(text)}
    found |= {match.group().lower() for match in _NUMBER_WORD.finditer(text)}
    return {figure.strip("$€£") for figure in found if figure.strip("$€£")}


def acts_of(text: str) -> frozenset[Act]:
    """What the line does (see the module's docstring)."""
    acts: set[Act] = {act for act, rule in _RULES.items() if rule.search(text)}
    if figures_of(text):
        # A figure in the ask, or one that is plainly an amount, is the number asked for;
        # any other figure ("14 deals", "for 12 days") is a concrete fact: evidence.
        acts.add("number" if "ask" in acts or _AMOUNT.search(text) else "evidence")
    return frozenset(acts)
