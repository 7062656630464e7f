"""The time words of a policy, in the languages whose numbers it reads, as the English the
policy grammar matches: "2 semanas" reads "14 days", "a fortnight" reads "14 days", "4 jours
francs avant" reads "4 clear days before", "48 heures de préavis" reads "48 hours notice".

A fortnight in words is 14 days in every language, and so is the everyday "fifteen days" of the
Romance languages ("quinze jours", "quince días", "quindici giorni", "quinze dias"): it is how a
French, Spanish, Italian or Portuguese owner says "two weeks", and reading it as 14 never allows
a return the owner meant to refuse. Digits are taken as written ("15 jours" is 15 days).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# "Fifteen days" in words, the Romance languages' fortnight: read before numbers become digits.
_FIFTEEN_DAYS = re.compile(
    r"\b(?:quinze\s+(?:jours|dias)|quince\s+d[ií]as|quindici\s+giorni)\b", re.IGNORECASE
)
_FORTNIGHT_WORDS = r"(?:fortnights?|quinzaines?|quincenas?|quinzenas?|quindicine?)"
_FORTNIGHTS = re.compile(rf"\b(?:(\d{{1,3}})\s+)?{_FORTNIGHT_WORDS}\b", re.IGNORECASE)
_UNITS = (
    (r"d[ií]as?|jours?|journées?|tage?n?|giorn[oi]|dagen|dag", "days"),
    (r"semaines?|semanas?|wochen|woche|settiman[ae]|weken", "weeks"),
    (r"heures?|horas?|stunden?|ore|uur|uren", "hours"),
)
# Words that make the days "clear": none of them is the day of the appointment.
_QUALIFIERS = r"volle|ganze|francs?|pleins?|completos?|interi|pieni|hele|volledige"
_UNIT = [
    (
        re.compile(
            rf"\b(\d{{1,4}})\s+(?:({_QUALIFIERS})\s+)?(?:{words})\b(?:\s+({_QUALIFIERS})\b)?",
            re.IGNORECASE,
        ),
        english,
    )
    for words, english in _UNITS
]
# "Clear" days and how a notice period ends, in each language, as the English the grammar reads.
_NOTICE_WORDS = re.compile(
    r"\b(?:de\s+préavis|préavis|à\s+l'avance|d'avance|de\s+antelación|con\s+antelación"
    r"|de\s+antecedência|com\s+antecedência|im\s+voraus|vorher|davor|di\s+preavviso|preavviso"
    r"|in\s+anticipo|prima|van\s+tevoren|vooraf|de\s+antemano|antes|avant)\b",
    re.IGNORECASE,
)


def fifteen_days_as_fortnight(sentence: str) -> str:
    """Before numbers become digits: the Romance languages' "fifteen days" as a fortnight."""
    return _FIFTEEN_DAYS.sub("fortnight", sentence)


def time_words_in_english(sentence: str) -> str:
    """After numbers became digits: fortnights as 14 days, day/week/hour words of every number
    language as English, a qualifier ("volle", "francs") as "clear", and the words ending a
    notice period ("vorher", "de préavis") as "before"."""
    sentence = _FORTNIGHTS.sub(lambda m: f"{int(m.group(1) or 1) * 14} days", sentence)
    for unit, english in _UNIT:
        sentence = unit.sub(_in_unit(english), sentence)
    return _NOTICE_WORDS.sub("before", sentence)


def _in_unit(english: str) -> Callable[[re.Match[str]], str]:
    """A span ("4 jours francs") as its count, "clear" if it was qualified, and ``english``."""

    def written(span: re.Match[str]) -> str:
        clear = "clear " if span.group(2) or span.group(3) else ""
        return f"{span.group(1)} {clear}{english}"

    return written
