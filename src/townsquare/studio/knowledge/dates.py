"""Dates in text: when a source was written, and the dates a sentence names.

A date is found by a pattern (numeric, ISO, or a month name with a day or a year) and parsed by
python-dateutil, which is offline, small, already installed (croniter and DBOS use it) and
reads every order of day, month and year we meet. ISO dates are read as ISO (dateutil's
``dayfirst`` would swap their month and day); other numeric dates are read day first, as they
are written in the UK and most of Europe.

A date without a year takes its year from the weekday it names ("Tue 4 Nov" is 4 November
2025, the nearest year in which that day is a Tuesday), else from the date it is read near: a
date a sentence names is the occurrence nearest its source's date; the date a source was
written is the latest one not after its upload (a post headed "4 Nov" uploaded in May 2026 was
written in November 2025, not in the coming November).

A post written in another language is dated in its words ("Publicado el 2 de junio de 2026",
"Geplaatst op 1 juni 2026", "am 3. Oktober"): ``MONTH_NAMES`` holds each community language's
month names (Babel's, the one place they come from; the cue tables' dateline words and a
question's "5 de octubre" take them from here), and such a date is read as the same date in
English.

A source's date is, in order: a date on a line that says so ("updated", "last changed",
"posted", "as of"), a date on one of its first three lines (a post's or a page's dated title,
or the date under it), else none: an undated file (a catalog, an FAQ) is older than every dated
source, so a dated post that disagrees with it wins (``conversation.answers``).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel import Locale
from dateutil import parser as dateutil_parser

from townsquare.ai.languages import COMMUNITY_LANGUAGES, fold_accents


def _month_names(language: str) -> dict[str, str]:
    """Babel's month names of ``language`` (as after a day, and on their own: Polish "czerwca",
    "czerwiec"), lower-cased, with and without accents, to the English ones."""
    locale, english = Locale.parse(language), Locale.parse("en").months["format"]["wide"]
    return {
        spelling: str(english[number])
        for form in ("format", "stand-alone")
        for number, name in locale.months[form]["wide"].items()
        for spelling in (str(name).lower(), fold_accents(str(name).lower()))
    }


# Every other community language's month names: dates written in them are read in English.
MONTH_NAMES: dict[str, dict[str, str]] = {
    language: _month_names(language) for language in COMMUNITY_LANGUAGES if language != "en"
}
_ENGLISH_MONTH = {
    spelling: english for names in MONTH_NAMES.values() for spelling, english in names.items()
}
_FOREIGN = "|".join(sorted(_ENGLISH_MONTH, key=len, reverse=True))
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+"
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday()'s order
_DAY = r"\d{1,2}(?:st|nd|rd|th|er)?"
_YEAR = r"(?:19|20)\d\d"
DATE = re.compile(
    rf"\b(?:{_YEAR}-\d\d-\d\d"  # 2026-03-12
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.](?:{_YEAR}|\d\d)"  # 12/03/2026, 12.03.26
    rf"|(?:{_WEEKDAY})?{_DAY}(?:\s+of)?\s+(?:{_MONTHS})\.?(?:,?\s+{_YEAR})?"  # 3rd March 2026
    rf"|(?:{_WEEKDAY})?(?:{_MONTHS})\.?\s+{_DAY}(?:,?\s+{_YEAR})?"  # March 3, 2026
    rf"|(?:{_MONTHS})\.?\s+{_YEAR}"  # March 2026
    rf"|{_DAY}\.?(?:\s+(?:de|di|del))?\s+(?:{_FOREIGN})(?:,?\s+(?:de\s+)?{_YEAR})?"  # 2 de junio
    rf"|(?:{_FOREIGN})\s+(?:de\s+)?{_YEAR})\b",  # junio de 2026
    re.I,
)
_WEEKDAY_YEARS = 11  # a day of the year falls on each weekday within 11 years either way
_OPENING_LINES = 3  # a post's date is written at its top: the title, then often the date
_ISO = re.compile(rf"{_YEAR}-\d\d-\d\d")
_HAS_YEAR = re.compile(rf"\b{_YEAR}\b|[/.]\d\d$")
# A line that dates its source.
_DATING_LINE = re.compile(
    r"\b(?:updated|last (?:changed|modified|revised|edited)|revised|posted|published|written"
    r"|dated|as of|effective)\b",
    re.I,
)


def parse_date(text: str, *, near: date | None = None, past: bool = False) -> date | None:
    """The date ``text`` (one match of ``DATE``) names. Without a year it is read near
    ``near`` (a source's date, or its upload's): the occurrence whose weekday is the one
    written, else any; the nearest one, or with ``past`` the latest not after ``near``
    ("Saturday 14 March" in a post of February 2026 is in 2026). No year and no ``near``:
    None."""
    text = _in_english(text.strip())
    if _ISO.fullmatch(text):
        return date.fromisoformat(text)
    dated = _HAS_YEAR.search(text) is not None
    if not dated and near is None:
        return None
    default = near or date.today()
    try:
        parsed = dateutil_parser.parse(
            re.sub(r"\bof\b", " ", text), dayfirst=True, default=_at_year(default)
        ).date()
    except (ValueError, OverflowError):
        return None
    if dated or near is None:
        return parsed
    return _year_for(parsed, text, near, past=past)


def _in_english(text: str) -> str:
    """A date written in another language ("2 de junio de 2026", "27. März") as dateutil reads
    it ("2 June 2026", "27 March"); an English one as it is."""
    said = text.lower().split()
    if not any(w in _ENGLISH_MONTH for w in said):
        return text
    english = [_ENGLISH_MONTH.get(w, w) for w in said if w not in {"de", "di", "del"}]
    return re.sub(r"^(\d+)(?:er|\.)", r"\1", " ".join(english))


def _year_for(day: date, text: str, near: date, *, past: bool) -> date:
    """``day`` (read in ``near``'s year) moved to the year ``parse_date`` describes."""
    spans = range(-_WEEKDAY_YEARS, _WEEKDAY_YEARS + 1)
    options = [d for years in spans if (d := _shift_year(day, years)) is not None]
    if past:
        options = [d for d in options if d <= near]
    named = text[:3].lower()
    if named in _WEEKDAYS:
        options = [d for d in options if d.weekday() == _WEEKDAYS.index(named)] or options
    if past:
        return max(options)
    return min(options, key=lambda d: abs((d - near).days))


def _at_year(day: date) -> datetime:
    """What dateutil fills missing parts from: the 1st of the month avoids "31 February"."""
    return datetime(day.year, day.month, 1)


def _shift_year(day: date, years: int) -> date | None:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return None


def find_dates(text: str, *, near: date | None = None) -> list[tuple[str, date]]:
    """Every date ``text`` names, as (the words, the date), in order."""
    found = []
    for match in DATE.finditer(text):
        parsed = parse_date(match.group(0), near=near)
        if parsed is not None:
            found.append((match.group(0), parsed))
    return found


def source_date(text: str, *, uploaded: date | None, first_line: bool = True) -> date | None:
    """When ``text`` was written, by what it says: the date after a dating word ("Last
    updated: 5 Jan 2026"), else (``first_line``) a date on one of its first lines; None when it says
    neither. A date without a year is read before ``uploaded`` (none: it dates nothing)."""
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines:
        for cue in _DATING_LINE.finditer(line):
            after = _written(line[cue.end() :], uploaded)
            if after is not None:
                return after
    for line in lines[:_OPENING_LINES] if first_line else []:
        written = _written(line, uploaded)
        if written is not None:
            return written
    return None


def _written(line: str, uploaded: date | None) -> date | None:
    """The first date ``line`` names, as the date a source was written before ``uploaded``."""
    for match in DATE.finditer(line):
        parsed = parse_date(match.group(0), near=uploaded, past=True)
        if parsed is not None:
            return parsed
    return None
