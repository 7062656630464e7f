"""Dates in text: when a source was written, and the dates a sentence names.

A date is found by a pattern (numeric, ISO, or a month name with a day or a year) and parsed by
python-dateutil, which is offline, small, already installed (croniter and DBOS use it) and
reads every order of day, month and year we meet. ISO dates are read as ISO (dateutil's
``dayfirst`` would swap their month and day); other numeric dates are read day first, as they
are written in the UK and most of Europe.

A source's date is, in order: a date on a line that says so ("updated", "last changed",
"posted", "as of"), a date on one of its first three lines (a post's or a page's dated title,
or the date under it), else none (the
caller falls back on the upload's date).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as dateutil_parser

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
DATE = re.compile(
    rf"\b(?:{_YEAR}-\d\d-\d\d"  # 2026-03-12
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.](?:{_YEAR}|\d\d)"  # 12/03/2026, 12.03.26
    rf"|(?:{_WEEKDAY})?{_DAY}(?:\s+of)?\s+(?:{_MONTHS})\.?(?:,?\s+{_YEAR})?"  # 3rd March 2026
    rf"|(?:{_WEEKDAY})?(?:{_MONTHS})\.?\s+{_DAY}(?:,?\s+{_YEAR})?"  # March 3, 2026
    rf"|(?:{_MONTHS})\.?\s+{_YEAR})\b",  # March 2026
    re.I,
)
_OPENING_LINES = 3  # a post's date is written at its top: the title, then often the date
_ISO = re.compile(rf"{_YEAR}-\d\d-\d\d")
_HAS_YEAR = re.compile(rf"\b{_YEAR}\b|[/.]\d\d$")
# A line that dates its source.
_DATING_LINE = re.compile(
    r"\b(?:updated|last (?:changed|modified|revised|edited)|revised|posted|published|written"
    r"|dated|as of|effective)\b",
    re.I,
)


def parse_date(text: str, *, near: date | None = None) -> date | None:
    """The date ``text`` (one match of ``DATE``) names. Without a year it is the occurrence
    closest to ``near`` (a source's date: "Saturday 14 March" in a post of February 2026 is in
    2026); without ``near`` as well, None."""
    text = text.strip()
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
    # No year written: the occurrence of that day closest to ``near``.
    options = [d for year in (-1, 0, 1) if (d := _shift_year(parsed, year)) is not None]
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


def source_date(text: str, *, first_line: bool = True) -> date | None:
    """When ``text`` was written, by what it says: the date after a dating word ("Last
    updated: 5 Jan 2026"), else (``first_line``) a date on one of its first lines; None when it says
    neither."""
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines:
        for cue in _DATING_LINE.finditer(line):
            after = find_dates(line[cue.end() :])
            if after:
                return after[0][1]
    for line in lines[:_OPENING_LINES] if first_line else []:
        dates = find_dates(line)
        if dates:
            return dates[0][1]
    return None
