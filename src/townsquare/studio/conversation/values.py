"""Answers of each type in a sentence: the prices, dates, times, durations, ages and levels,
places, names and quantities it states, as the words it uses. Patterns, not a model: what is
found is always the source's own words, so a reply built around it states nothing new."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta

from townsquare.studio.conversation.cues import AnswerType
from townsquare.studio.conversation.wording import STOPWORDS
from townsquare.studio.knowledge.dates import DATE

_NUMBER_WORD = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# An amount: "1,450", "1.250,00", "12,50", "6.50", "30" (a thousands separator is a comma, a
# dot, or a (thin) no-break space).
AMOUNT = r"\d{1,3}(?:[,.\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?(?!\d)"
_SYMBOL = r"[£$€¥]"
_CODE = r"gbp|eur|usd|chf|cad|aud|nzd|brl|sek|nok|dkk"
_WORD = r"pounds?|quid|euros?|dollars?|d[oó]lares|libras?|livres?|pfund|reais|francs?|franken"
# A price in any of the ways it is written: "£6.50", "US$ 40", "R$ 120,00", "USD 45.00",
# "12,50 €", "30 £", "12 euros", "4.50 GBP", "30 libras"; "free" is one too.
PRICE = re.compile(
    rf"(?:\b(?:us|ca|au|nz|r)\$|{_SYMBOL})\s?(?:{AMOUNT})"
    rf"|\b(?:{_CODE})\s?(?:{AMOUNT})"
    rf"|\b(?:{AMOUNT})\s?(?:{_SYMBOL}|(?:{_CODE}|{_WORD})\b)"
    r"|\bfree\b",
    re.I,
)
# The symbol a currency's code or word is written with here.
_SYMBOLS = (
    (re.compile(r"\b(?:r\$|brl|reais)", re.I), "R$"),
    (re.compile(r"£|\b(?:gbp|pounds?|quid|libras?|livres?|pfund)\b", re.I), "£"),
    (re.compile(r"€|\b(?:eur|euros?)\b", re.I), "€"),
    (re.compile(r"\$|\b(?:usd|dollars?|d[oó]lares)\b", re.I), "$"),
    (re.compile(r"\b(?:chf|francs?|franken)\b", re.I), "CHF "),
    (re.compile(r"¥", re.I), "¥"),
)
_TIME = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidday\b|\bmidnight\b",
    re.I,
)
_DAY_WORDS = re.compile(
    rf"\b(?:(?:first|second|third|fourth|last|every|each)\s+)?(?:{_WEEKDAYS})s?\b"
    r"|\b(?:weekdays?|weekends?|tomorrow|tonight)\b",
    re.I,
)
DURATION = re.compile(
    rf"\b(?:\d+(?:\.\d+)?|{_NUMBER_WORD}|an?|half an?)(?:\s?(?:-|to)\s?\d+)?\s?"
    r"(?:working |business )?(minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|nights?)\b",
    re.I,
)
# Years of age in the languages a passage is written in ("12 anos", "5 tot 12 jaar"), and
# the lower bound said as "from 14" ("ab 14", "a partir de 14", "vanaf 14").
_YEARS_OF_AGE = r"years? old|yrs?|year-olds?|anos|años|ans|jahren?|jaar|anni|lat"
_AGE_TO = r"-|to|a|à|bis|tot|do|al"
_AGE_FROM = r"from|ab|dès|des|vanaf|od|dai|dagli|a partir de|à partir de|desde(?: los)?"
# ... but "from 1 February" is a date ("may" is a month only before a year: "from 14 may join")
_AGE_FROM_DATE = (
    r"\s(?:january|february|march|april|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b|\smay \d{4}"
)
_AGE = re.compile(
    r"\bages?\s?\d+(?:\s?(?:-|to)\s?\d+)?\+?|\b\d+\s?\+|\b\d+\s?(?:and|or) (?:over|up|older)\b"
    r"|\b(?:over|under) \d+s?\b"
    rf"|\b(?:\d+|{_NUMBER_WORD})(?:\s?(?:{_AGE_TO})\s?\d+)?\s?(?:{_YEARS_OF_AGE})\b"
    rf"|\b(?:{_AGE_FROM}) \d{{1,2}}\b"
    rf"(?!\s?(?:am|pm|h\b|uhr|[:.,/]\d|%|[£$€]|(?:{_AGE_TO})\s?\d)|{_AGE_FROM_DATE})"
    r"|\b(?:aged?|age) \d+\b|\ball ages\b|\badults? only\b",
    re.I,
)
# A person's age said plainly: "Jonah is 19, ..." (a name, then a number that ends a clause).
_PERSON_AGE = re.compile(
    r"\b(?!(?:It|This|That|There|Here|Which|What|Who)\b)[A-Z][a-z]+ (?:is|turned|turns) "
    r"\d{1,2}(?=[,.;!](?:\s|$)|$)"
)
_LEVEL = re.compile(
    r"\b(?:complete |absolute )?beginners?\b|\ball (?:levels|abilities)\b|\bintermediate\b"
    r"|\badvanced\b|\bno (?:prior )?experience\b|\bexperienced\b|\bsuitable for\b",
    re.I,
)
_PLACE = re.compile(
    r"\b(?:at|in|on|from|near|behind|opposite)\s+(?:the\s+)?"
    r"([A-Z][\w'\u2019-]+(?:\s+(?:[A-Z][\w'\u2019-]+|of|on|upon|de|la)){0,4})"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\bonline\b"
    r"|\b(?:at|in|outside|inside) (?:the|my|our) [a-z][\w-]+"
)
# "in October 2021", "on Saturday": a preposition before a month or a weekday is a date, not a
# place.
_CALENDAR_WORD = re.compile(
    rf"(?:{_WEEKDAYS})s?|january|february|march|april|may|june|july|august|september|october"
    r"|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec",
    re.I,
)
_NAME = re.compile(
    r"\b[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+)*"
    r"|[\"\u201c\u2018][^\"\u201d\u2019]{2,60}[\"\u201d\u2019]"
)
# A count or a measure: not a time ("9:30am"), a price or a date.
_QUANTITY = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:g|kg|ml|l|cl|oz|lb|cm|mm|%)(?![\w%])"  # a measure: "10g", "40ml"
    rf"|(?<![£$€\d:.,/-])\b\d+(?:[.,]\d+)?\b(?!\s?(?:am|pm)\b|[:/]\d|[.,]\d)"
    rf"|\b(?:{_NUMBER_WORD.removeprefix('one|')}|a dozen|dozens?)\b",  # "the one I run" is no count
    re.I,
)

_DISTANCE = re.compile(
    rf"\b(?:\d+(?:\.\d+)?|{_NUMBER_WORD})\s?(?:km|kilometres?|kilometers?|miles?|mi|metres?|meters?|m)\b",
    re.I,
)
_PATTERNS: dict[AnswerType, tuple[re.Pattern[str], ...]] = {
    "price": (PRICE,),
    "when": (DATE, _DAY_WORDS, _TIME),
    "time": (_TIME,),
    "duration": (DURATION,),
    "age": (_AGE, _PERSON_AGE),
    "level": (_LEVEL, _AGE),
    "place": (_PLACE,),
    "name": (_NAME,),
    "distance": (_DISTANCE,),
    "quantity": (_QUANTITY,),
}


def values(kind: AnswerType, sentence: str) -> list[str]:
    """The answers of type ``kind`` that ``sentence`` states, in order; a yes/no question is
    answered by any sentence about its subject (the sentence itself), and "other" by none.
    A name is a capitalised word that is not a sentence's ordinary first word ("The")."""
    if kind == "yesno":
        return [sentence]
    if kind == "name":
        return [
            m.group(0)
            for m in _NAME.finditer(sentence)
            if m.group(0).lower() not in STOPWORDS and m.group(0) != "I"
        ]
    spans = sorted(
        (m.start(), -m.end(), m.group(0).strip())
        for pattern in _PATTERNS.get(kind, ())
        for m in pattern.finditer(sentence)
        if not (kind == "place" and _calendar_place(m))
    )
    found: list[str] = []
    reached = -1
    for start, negative_end, text in spans:  # the longest of overlapping matches
        if start >= reached:
            found.append(text)
            reached = -negative_end
    return found


def _calendar_place(match: re.Match[str]) -> bool:
    """Whether a place's match names a month or a weekday ("in October 2021")."""
    named = match.lastindex and match.group(1)
    return bool(named) and _CALENDAR_WORD.fullmatch(str(named).split()[0]) is not None


@dataclass(frozen=True)
class Money:
    amount: Decimal
    symbol: str  # "£", "€", "$", "R$", "CHF " ... or "" (none written)

    def __str__(self) -> str:
        places = "0.01" if self.amount != self.amount.to_integral_value() else "1"
        return f"{self.symbol}{self.amount.quantize(Decimal(places)):,}"


def money(text: str) -> Money | None:
    """The amount a price's words state ("£6.50", "12,50 €", "USD 1,250.00", "30 libras";
    "free" is 0), or None (a percentage is a part, not an amount)."""
    if text.rstrip().endswith("%"):
        return None
    if text.lower() == "free":
        return Money(Decimal(0), "")
    digits = re.search(AMOUNT, text)
    if digits is None:
        return None
    try:
        amount = Decimal(_plain_number(digits.group(0)))
    except InvalidOperation:
        return None
    symbol = next((sign for pattern, sign in _SYMBOLS if pattern.search(text)), "")
    return Money(amount, symbol)


def _plain_number(raw: str) -> str:
    """ "1.250,00" -> "1250.00", "1,450" -> "1450", "12,50" -> "12.50", "6.50" -> "6.50"."""
    raw = re.sub(r"[\u00a0\u202f]", "", raw)
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return raw.replace(thousands, "").replace(decimal, ".")
    if "," in raw:
        return raw.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", raw) else raw.replace(",", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        return raw.replace(".", "")
    return raw


def add_money(first: Money, second: Money) -> Money | None:
    """The sum, when the two are in one currency (free counts in any)."""
    symbols = {first.symbol, second.symbol} - {""}
    if len(symbols) > 1:
        return None
    return Money(first.amount + second.amount, next(iter(symbols), ""))


# After a span, the words that count it back from a date: English, French, German, Spanish,
# Italian, Dutch, Polish, Portuguese.
_BACK = re.compile(
    r"\s*(?:before|prior to|ahead of|in advance|beforehand|ahead\b|avant|vor|antes|prima|voor"
    r"|przed)\b",
    re.I,
)
_WORD_VALUES = {w: n for n, w in enumerate(_NUMBER_WORD.split("|"), 1) if n <= 12}
_WORD_VALUES.update({"twenty": 20, "thirty": 30, "a": 1, "an": 1})


def add_span(start: date, span: str, *, back: bool = False) -> date | None:
    """``start`` plus a duration's words ("14 days", "two weeks", "10 working days"), or less
    them when ``back`` ("14 days before the first night"); None for spans shorter than a day
    or of no fixed length."""
    found = DURATION.search(span)
    if found is None:
        return None
    head = found.group(0).lower().split()[0]
    count = int(head) if head.isdigit() else _WORD_VALUES.get(head)
    unit = found.group(1).lower().rstrip("s")
    if count is None:
        return None
    sign = -1 if back else 1
    if "working" in found.group(0).lower() or "business" in found.group(0).lower():
        day = start
        for _ in range(count):
            day += timedelta(days=sign)
            while day.weekday() >= 5:
                day += timedelta(days=sign)
        return day
    steps = {"day": relativedelta(days=count), "night": relativedelta(days=count)}
    steps |= {"week": relativedelta(weeks=count), "month": relativedelta(months=count)}
    steps |= {"year": relativedelta(years=count)}
    step = steps.get(unit)
    return start + sign * step if step is not None else None


def counts_back(sentence: str, span: str) -> bool:
    """Whether ``sentence`` counts ``span`` back from its date ("no later than 14 days before
    the first night", "a week in advance"), in any of the languages read, not forward ("within
    14 days of delivery")."""
    at = sentence.find(span)
    return at >= 0 and _BACK.match(sentence[at + len(span) :]) is not None
