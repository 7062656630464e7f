"""Is "the next" a date to come of the same thing? A sentence that dates itself only by
"tonight", "today" or "tomorrow" is dated by its source ("Tonight's the night: the full moon
paddle!" in a post of 12 May is a past date on 10 June), and ``answers.Chooser.next_date`` looks
for the first date from today only among the candidates about as good as the best one, so "the
next full moon paddle" is not answered by another event's date in July.

A second test was measured and not kept (docs/benchmarks.md, "I don't know and off-limits"):
vetoing a candidate whose passage lacks a key word of the question, unless the missing words
are close in meaning to its sentence, turned 4 kayak near misses into "I don't know" but cost 9
right answers on the baker set, whose questions say in other words what its material says.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

# Words that date a sentence by the day it was written: the day's offset from it.
_DEICTIC = {"today": 0, "tonight": 0, "tomorrow": 1}
_DEICTIC_WORD = re.compile(rf"\b(?:{'|'.join(_DEICTIC)})\b", re.I)


def deictic_dates(sentence: str, written: date | None) -> list[tuple[str, date]]:
    """The days ``sentence`` names relative to the day it was ``written`` ("tonight" in a post
    of 12 May is 12 May); none when its source has no date."""
    if written is None:
        return []
    return [
        (match.group(0), written + timedelta(days=_DEICTIC[match.group(0).lower()]))
        for match in _DEICTIC_WORD.finditer(sentence)
    ]
