"""A newer announcement overrides the chosen value: the learned choice (``selection``) scores
each candidate sentence on its own, so a newer post's short announcement ("It's now on Saturday
10 October, same times, same price.") scores far below an older, fuller sentence that states
the old value, whose words cover the question better. The chosen sentence gives way to a
candidate that

- comes from a source dated after the chosen value (``answers.as_of``: an undated catalog row
  is as new as the newest post that agrees with it),
- states a value of the asked type that the chosen sentence does not, in the same form as one
  of the chosen sentence's (a calendar date for a calendar date, a figure for a figure, a word
  for a word): a new value replaces an old one of its kind, so "the farm needs the field that
  weekend" does not replace "Saturday 3 October",
- names half the question's subject itself or in its source's title and heading (across two
  languages, where no word is shared: its passage's cosine as high): a newer post's sentence
  about another thing ("a 340g jar of heather honey is now £10.50") does not replace the size
  of a box of cut comb, though its post names the cut comb too,
- and announces a change in words of the question's cue table (``Cues.changes``: "now",
  "instead", "moved", "no longer" ...; English too, as a passage is often in English).

Of those, the most probable answers, "as of" its source's date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Literal

from townsquare.studio.conversation.answers import PARTIAL_SUBJECT, Candidate, as_of
from townsquare.studio.knowledge.dates import DATE

Form = Literal["date", "figure", "word"]


def superseding(
    chosen: Candidate,
    pool: Sequence[Candidate],
    probabilities: Sequence[float],
    *,
    changes: str,
    since: date | None = None,
) -> Candidate | None:
    """The candidate of ``pool`` that announces a newer value than ``chosen``'s, or None.
    ``probabilities`` are the pool's, in its order; ``changes`` the cue table's pattern;
    ``since`` a date the newer source may not be older than (the value a newer rival won with)."""
    if not changes:
        return None
    day = as_of(chosen, list(pool))
    forms = {form(value) for value in chosen.found}
    newer = [
        (p, c)
        for c, p in zip(pool, probabilities, strict=True)
        if _after(c.passage.dated, day)
        and (since is None or (c.passage.dated is not None and c.passage.dated >= since))
        and any(v not in chosen.found and form(v) in forms for v in c.found)
        and (c.passage_cover if c.across else c.sentence_cover) >= PARTIAL_SUBJECT
        and re.search(changes, c.sentence.lower()) is not None
    ]
    return max(newer, key=lambda item: item[0])[1] if newer else None


def form(value: str) -> Form:
    """What shape a value has: a calendar date, a figure (a price, a time, a count), a word."""
    if DATE.search(value):
        return "date"
    return "figure" if any(character.isdigit() for character in value) else "word"


def _after(dated: date | None, than: date | None) -> bool:
    return dated is not None and (than is None or dated > than)
