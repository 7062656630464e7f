"""Is this question answered by this candidate? Two tests that turn a near miss into "I don't
know", applied to the typed candidates of ``answers`` before either choice (the rules' or the
learned one) picks among them:

- **the question's key words are in the candidate's source**: every word of what the question
  is about (``Asked.subject``: the product, the event of a date, the person) is named by the
  candidate's passage (its text, title or row label), or the words it lacks, read together, are
  close in meaning to the candidate's sentence (``MISSING_DENSE``). "What time does the
  full-day tour get back?" is not answered by the tour's row that says when it leaves ("back"
  is nowhere in it), "How much is the deposit?" not by the price, "How much for a child?" not
  by the adults' price; "What's your dog called?" is answered by "Skipper, my border collie"
  (the dog is named in other words). Across two languages no word is shared, so the test is
  left to meaning there (``answers``: ``ACROSS_LANGUAGES_DENSE``).
- **"the next" is a date to come of the same thing**: a sentence that dates itself only by
  "tonight", "today" or "tomorrow" is dated by its source ("Tonight's the night: the full moon
  paddle!" in a post of 12 May is a past date on 10 June), and the first date from today is
  looked for only among the candidates about as good as the best one, so "the next full moon
  paddle" is not answered by another event's date in July (``answers.Chooser.next_date``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from townsquare.studio.conversation.wording import content_words, meets, stem, words
from townsquare.studio.knowledge.passages import Passage

# The words of the subject a candidate's passage lacks, read together, name what the sentence
# says in other words when they are this close to it (MiniLM cosine, ``Guard.similarity``).
# Measured on words missing from passages of the dev, potter and kayak sets: "minimum" and the
# junior club's "aged 10 to 15" 0.22, "late" and "cancel at least 72 hours before" 0.25, "dog"
# and "my border collie" 0.32, "kids" and "children aged 12 to 15" 0.36; and for near misses
# "deposit" and a price 0.15, "back" and "leaves at 9:30" 0.09, "child" and an adult price
# 0.04, "year" and the business's description -0.01.
MISSING_DENSE = 0.2
PREFIX_MIN = 4  # stems this long meet the longer stems they begin ("paddl" and "paddleboard")
# Words that date a sentence by the day it was written: the day's offset from it.
_DEICTIC = {"today": 0, "tonight": 0, "tomorrow": 1}
_DEICTIC_WORD = re.compile(rf"\b(?:{'|'.join(_DEICTIC)})\b", re.I)


def unnamed(subject: frozenset[str], passage: Passage) -> list[str]:
    """The stems of ``subject`` that ``passage`` (its text, title and locator) never names."""
    held = content_words(f"{passage.title}\n{passage.locator}\n{passage.text}")
    return sorted(word for word in subject if not meets(word, held, shortest=PREFIX_MIN))


def missing_words(question: str, missing: list[str]) -> str:
    """The question's own words whose stems are ``missing``, in the question's order ("money
    back" of "... still get my money back?")."""
    wanted = set(missing)
    return " ".join(dict.fromkeys(w for w in words(question) if stem(w) in wanted))


def deictic_dates(sentence: str, written: date | None) -> list[tuple[str, date]]:
    """The days ``sentence`` names relative to the day it was ``written`` ("tonight" in a post
    of 12 May is 12 May); none when its source has no date."""
    if written is None:
        return []
    return [
        (match.group(0), written + timedelta(days=_DEICTIC[match.group(0).lower()]))
        for match in _DEICTIC_WORD.finditer(sentence)
    ]
