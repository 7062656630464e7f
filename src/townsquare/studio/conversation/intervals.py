"""How long a thing lasts, or how long until it, when no passage states the span itself but
one states its two ends: code counts between them.

- **days until** ("how many days until the next taster day?", "how long till the fair?"):
  from today to the first date from today that the passages give the thing (``Chooser.upcoming``).
- **a time range** ("how many hours is the taster day?" of "10am to 4pm", "6-9pm",
  "10:00-17:00"): the hours between its two times.

Days until a date answer whenever the question counts to one. A time range answers when no
sentence about the thing states a duration, or when the one-source choice takes none of those
that do to answer ("ninety minutes" of a tour, in a sentence that also names the taster day);
"90 minutes" of the thing's own row answers as it is written. The reply quotes the sentence
and cites it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from townsquare.studio.conversation.answers import UNKNOWN, Answer, Candidate, Chooser
from townsquare.studio.conversation.wording import content_words
from townsquare.studio.knowledge.passages import Passage

__all__ = ["Timed", "interval", "minutes_between", "time_range", "time_ranges"]

Timed = Answer | Literal["unknown"] | None  # None: the question is not one of these
# Two times joined by a dash or "to" ("10am to 4pm", "6-9pm", "10:00 - 17:00"); at least one
# of them says am/pm or both are written h:mm, so "3 to 5 days" is no time range.
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s?(am|pm|a\.m\.|p\.m\.)?"
_RANGE = re.compile(
    rf"(?<![\w:.,/-]){_TIME}\s?(?:-|\u2013|\u2014|to|until|till)\s?{_TIME}(?![\w:])",
    re.I,
)
_DAY_MINUTES = 24 * 60


def interval(chooser: Chooser, passages: Sequence[Passage]) -> Timed:
    """The span a duration question asks, counted between two ends a passage gives: days
    until the thing's next date when the question counts to it ("until", "till"), else the
    hours of its time range; None when a sentence about the thing states a duration itself
    (the one-source choice decides whether it answers: ``time_range`` is the fallback when it
    does not), or no passage gives the two ends."""
    until = chooser.cues.until
    if until and re.search(until, chooser.question.lower()):
        counted = _days_until(chooser, passages)
        if counted is not None:
            return counted
    if chooser.candidates(passages, "duration", chooser.asked.subject):
        return None
    return time_range(chooser, passages)


def _days_until(chooser: Chooser, passages: Sequence[Passage]) -> Timed:
    """Today to the first date from today the passages give the thing asked."""
    said = re.findall(chooser.cues.until, chooser.question.lower())
    subject = chooser.asked.subject - content_words(" ".join(said))
    found = chooser.candidates(passages, "when", frozenset(subject))
    first = chooser.upcoming(found) if found else None
    if first is None or first == UNKNOWN:
        return first
    day, _, candidate = first
    fmt = chooser.cues.phrases.date_format
    text = chooser.cues.phrases.until.format(
        days=(day - chooser.on).days,
        start=chooser.on.strftime(fmt),
        date=day.strftime(fmt),
        quote=candidate.sentence,
    )
    return Answer(text, [candidate.passage.citation(candidate.sentence)])


def time_range(chooser: Chooser, passages: Sequence[Passage]) -> Answer | None:
    """The hours between the two times of the best sentence about the thing that gives a
    time range; None when none does."""
    ranged: list[Candidate] = [
        c
        for c in chooser.candidates(passages, "time", chooser.asked.subject)
        if time_ranges(c.sentence)
    ]
    if not ranged:
        return None
    best, _ = chooser.pick(ranged)
    words, minutes = time_ranges(best.sentence)[0]
    text = chooser.cues.phrases.span.format(span=_hours(minutes), range=words, quote=best.sentence)
    return Answer(text, [best.passage.citation(best.sentence)])


def time_ranges(sentence: str) -> list[tuple[str, int]]:
    """The time ranges ``sentence`` states, each as its words and its length in minutes."""
    found = []
    for match in _RANGE.finditer(sentence):
        minutes = minutes_between(match)
        if minutes is not None:
            found.append((match.group(0).strip(), minutes))
    return found


def minutes_between(match: re.Match[str]) -> int | None:
    """The minutes from the first time of a ``_RANGE`` match to the second; None when it is
    no time range (neither says am/pm nor is written h:mm) or lasts a day or more."""
    h1, m1, half1, h2, m2, half2 = match.groups()
    clock = m1 is not None and m2 is not None and ":" in match.group(0)
    if not (half1 or half2 or clock):
        return None
    end = _minutes(int(h2), int(m2 or 0), half2)
    start = _minutes(int(h1), int(m1 or 0), half1 or half2)
    if start is not None and end is not None and start >= end and not half1 and half2:
        start = _minutes(int(h1), int(m1 or 0), "am")  # "11-2pm" starts in the morning
    if start is None or end is None or not 0 < end - start < _DAY_MINUTES:
        return None
    return end - start


def _minutes(hour: int, minute: int, half: str | None) -> int | None:
    """Minutes after midnight of a clock time; None for an impossible one."""
    if minute > 59 or hour > 23 or (half and not 1 <= hour <= 12):
        return None
    if half:
        hour = hour % 12 + (12 if half.lower().startswith("p") else 0)
    return hour * 60 + minute


def _hours(minutes: int) -> str:
    """ "6 hours", "1 hour", "2.5 hours", "45 minutes"."""
    if minutes < 60 or minutes % 30:
        return f"{minutes} minutes"
    hours = minutes / 60
    return "1 hour" if hours == 1 else f"{hours:g} hours"
