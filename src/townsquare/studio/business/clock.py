"""The times of day a customer's message names, in each language the shop serves: "14:00",
"14h30", "2pm", "14 Uhr", "at 2", "a las tres", "half past two", "halb drei", "om half drie",
"et demie", and the part of the day ("in the afternoon", "por la tarde", "am Vormittag").

A time written without "am"/"pm" and before noon may be either ("at 2" is 2:00 or 14:00): both
are candidates, and the slots of the day named tell which one exists. Half an hour before the
hour ("halb drei", "half drie", "wpół do trzeciej") is German, Dutch and Polish usage; "half
past" is English.
"""

from __future__ import annotations

import re
from datetime import timedelta

from babel.dates import get_month_names

from townsquare.studio.business.phrases import LANGUAGES

# The hours 1-12 in words, in each language (Polish says hours as ordinals: digits only).
_HOUR_WORDS = {
    "en": "one two three four five six seven eight nine ten eleven twelve",
    "fr": "une deux trois quatre cinq six sept huit neuf dix onze douze",
    "es": "una dos tres cuatro cinco seis siete ocho nueve diez once doce",
    "pt": "uma duas três quatro cinco seis sete oito nove dez onze doze",
    "de": "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
    "it": "una due tre quattro cinque sei sette otto nove dieci undici dodici",
    "nl": "een twee drie vier vijf zes zeven acht negen tien elf twaalf",
}
HOURS: dict[str, int] = {
    word: i + 1 for words in _HOUR_WORDS.values() for i, word in enumerate(words.split())
}
_N = r"(\d{1,2}|" + "|".join(sorted(HOURS, key=len, reverse=True)) + r")"
# After "at", "om", "à": not the words that are also "a"/"an" ("om een afspraak").
_ARTICLES = {"one", "une", "una", "uma", "een", "eins"}
_N_AFTER = r"(\d{1,2}|" + "|".join(sorted(set(HOURS) - _ARTICLES, key=len, reverse=True)) + r")"
_ENGLISH = set(_HOUR_WORDS["en"].split())
# The month names, wide and abbreviated, of every language the shop serves, as alternatives.
MONTHS = "|".join(
    sorted(
        {
            re.escape(str(name).lower().rstrip("."))
            for language in LANGUAGES
            for width in ("wide", "abbreviated")
            for name in get_month_names(width, locale=language).values()
        },
        key=len,
        reverse=True,
    )
)
# Not a day of the month: "at 3 Dec", "à 12/12", "on the 3rd".
_MONTHLESS = rf"(?!\s*(?:[./-]\d|st\b|nd\b|rd\b|th\b|º|er\b|e\b|(?:de\s+)?(?:{MONTHS})\b))"
# (pattern, minutes past the hour, hours to add: -1 for "halb drei") in order of precedence.
_FORMS: tuple[tuple[re.Pattern[str], int | None, int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), minutes, add)
    for pattern, minutes, add in (
        (rf"\b{_N}[:h.](\d{{2}})\b", None, 0),  # "14:00", "14h30", "9.30"
        (rf"\bhalf\s+past\s+{_N}\b|\b{_N}\s+thirty\b", 30, 0),
        (rf"\bquarter\s+past\s+{_N}\b|\bviertel\s+nach\s+{_N}\b", 15, 0),
        (rf"\b(?:halb|half)\s+{_N}\b|\bwpół\s+do\s+(\d{{1,2}})\b", 30, -1),  # see _half
        (rf"\b{_N}\s+(?:et\s+demie|y\s+media|e\s+mezz[oa]|e\s+meia)\b", 30, 0),
        (rf"\b{_N}\s+(?:et\s+quart|y\s+cuarto|e\s+un\s+quarto|e\s+quinze)\b", 15, 0),
        (
            rf"\b{_N}\s*(?:h|uhr|uur|heures?|horas?|hrs?|o'?\s?clock|godz\w*|ore)\b"
            rf"|\b(?:at|à|a\s+las|a\s+la|às|alle|all'|om|um|o|godz\.?|around|about){_MONTHLESS}"
            rf"\s+{_N_AFTER}\b{_MONTHLESS}",
            0,
            0,
        ),
    )
)
_MERIDIEM = re.compile(rf"\b{_N}(?:[:.](\d{{2}}))?\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)
# The parts of the day, as the hours they span; "mañana" alone is tomorrow (``days``), "por la
# mañana" the morning; "Morgen" is the morning only after "am"/"den"/"jeden".
PERIODS = (
    (
        re.compile(
            r"\bmornings?\b|\b(?:por|de)\s+la\s+mañana\b|\bmanhã\b|\bmatin(?:ée)?\b"
            r"|\bvormittags?\b|\b(?:am|den)\s+morgen\b|\bmorgens\b|\bmattin[ao]\b"
            r"|\bochtend\b|\brano\b|\bprzed\s+południem\b",
            re.IGNORECASE,
        ),
        range(5, 12),
    ),
    (
        re.compile(
            r"\bafternoons?\b|\btarde\b|\baprès-midi\b|\bnachmittags?\b|\bpomeriggio\b"
            r"|\bmiddags?\b|\bpo\s+południu\b",
            re.IGNORECASE,
        ),
        range(12, 18),
    ),
    (
        re.compile(
            r"\bevenings?\b|\btonight\b|\bnoite\b|\bsoir(?:ée)?\b|\babends?\b|\bsera\b"
            r"|\bavond\b|\bwieczor\w*\b|\bnoche\b",
            re.IGNORECASE,
        ),
        range(17, 24),
    ),
)


def _hour(word: str) -> int:
    return int(word) if word.isdigit() else HOURS[word.lower()]


def _hours(said: str, number: str, add: int) -> list[int]:
    """The hour ``number`` means in ``said``: "halb drei", "half drie" are 2:30, the British
    "half two" is 2:30 too, "half 3" may be either."""
    hour = _hour(number)
    if add and said.lower().startswith("half"):
        if number.lower() in _ENGLISH:
            return [hour]
        if number.isdigit():
            return [hour, hour + add]
    return [hour + add]


def times(text: str) -> set[tuple[int, int]]:
    """The (hour, minute) the text names; an hour before noon without "am"/"pm" is also the
    afternoon's ("at 2" is 2:00 or 14:00)."""
    found: set[tuple[int, int]] = set()
    for match in _MERIDIEM.finditer(text):
        hour = _hour(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
        found.add((hour, int(match.group(2) or 0)))
    if found:
        return found
    for pattern, minutes, add in _FORMS:
        for match in pattern.finditer(text):
            groups = [g for g in match.groups() if g]
            if not groups:
                continue
            minute = int(groups[1]) if minutes is None else minutes
            for hour in _hours(match.group(), groups[0], add):
                if 0 <= hour < 24 and 0 <= minute < 60:
                    found.add((hour, minute))
                    if 1 <= hour <= 11:
                        found.add((hour + 12, minute))
        if found:
            return found
    return found


def period(text: str) -> range | None:
    """The hours of the part of the day the text names ("in the afternoon": 12-17)."""
    for pattern, hours in PERIODS:
        if pattern.search(text):
            return hours
    return None


_ONE = r"(?:an?|un'|eine?n?|jedn\w*|\d{1,2}|" + "|".join(sorted(HOURS, key=len, reverse=True)) + ")"
_LATER = r"later|plus\s+tard|más\s+tarde|mais\s+tarde|später|più\s+tardi|dopo|później|depois"
_EARLIER = r"earlier|plus\s+tôt|más\s+temprano|antes|mais\s+cedo|früher|eerder|prima|wcześniej"
_HOURS = r"hours?|heures?|horas?|stunden?|uur|ore|ora|godzin\w*"
_HOUR_SHIFT = re.compile(
    rf"(?<!\w)({_ONE})\s*(?:{_HOURS})\s+({_LATER}|{_EARLIER})\b"
    rf"|\bgodzinę\s+({_LATER}|{_EARLIER})\b",
    re.IGNORECASE,
)
# "The same time next week", "a week later", and a day later, in each language.
_WEEK_LATER = re.compile(
    r"\bnext\s+week\b|\ba\s+week\s+later\b|\bla\s+semaine\s+(?:prochaine|suivante|d'après)\b"
    r"|\bla\s+semana\s+(?:que\s+viene|próxima|siguiente)\b|\bla\s+próxima\s+semana\b"
    r"|\ba\s+semana\s+que\s+vem\b|\bna\s+próxima\s+semana\b|\bnächste[nr]?\s+woche\b"
    r"|\beine\s+woche\s+später\b|\bvolgende\s+week\b|\been\s+week\s+later\b"
    r"|\b(?:la\s+)?(?:settimana\s+prossima|prossima\s+settimana)\b|\buna\s+settimana\s+dopo\b"
    r"|\bw\s+przyszłym\s+tygodniu\b|\btydzień\s+później\b",
    re.IGNORECASE,
)
_DAY_LATER = re.compile(
    r"\ba\s+day\s+later\b|\bthe\s+(?:next|following)\s+day\b|\ble\s+lendemain\b"
    r"|\bal\s+día\s+siguiente\b|\bno\s+dia\s+seguinte\b|\beinen\s+tag\s+später\b"
    r"|\bam\s+nächsten\s+tag\b|\been\s+dag\s+later\b|\bil\s+giorno\s+dopo\b|\bdzień\s+później\b",
    re.IGNORECASE,
)


def shift(text: str) -> timedelta | None:
    """How far a move the text asks for goes from the booking's own time: "an hour later"
    (+1 h), "two hours earlier", "eine Stunde später", "the same time next week" (+7 days), "the
    next day" (+1 day); None when it names no such shift."""
    hours = _HOUR_SHIFT.search(text)
    if hours is not None:
        count, direction = hours.group(1), hours.group(2) or hours.group(3)
        n = int(count) if count and count.isdigit() else HOURS.get((count or "").lower(), 1)
        later = re.fullmatch(_LATER, direction.lower()) is not None
        return timedelta(hours=n if later else -n)
    if _WEEK_LATER.search(text):
        return timedelta(days=7)
    if _DAY_LATER.search(text):
        return timedelta(days=1)
    return None
