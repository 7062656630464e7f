"""Degeneration: how much a reply repeats itself, and cutting a reply at its first loop.

A small model at a loose temperature falls into loops: a word ("spooky, spooky, spooky, ..."),
a phrase ("but it's a compliment, but it's a compliment"), or a whole sentence said again with a
word changed. Sampling penalties make loops rarer but never impossible, so every reply that the
model writes freely (characters and assistants, rehearsal partners, a business agent's plain
reply) is cut at its first loop before the member sees it.

A *loop* starts at the first of:

- a word sequence of ``LOOP_NGRAM`` words said a second time in the reply;
- one to three words said ``RUN_LIMIT`` times in a row (the first ``RUN_LIMIT - 1`` are kept:
  "ho ho" stays, the third "ho" goes);
- a sentence that repeats an earlier one of the reply: the same words, or (from
  ``SIMILAR_MIN_WORDS`` words) ``SIMILAR_SHARE`` of the shorter one's words.

The reply is cut before the loop, back to the end of its last whole sentence when it has one, or
else to the last clause and closed with a full stop. ``Shaper`` does the same to a stream: it
shows text a sentence at a time, so a loop is cut before any of it is shown, and it stops after
``max_sentences`` sentences (the owner's reply length).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "LOOP_NGRAM",
    "Shaper",
    "first_sentences",
    "repeated_ngram_share",
    "sentences",
    "trim_loop",
]

LOOP_NGRAM = 4
RUN_LIMIT = 3
MAX_RUN_UNIT = 3
SIMILAR_MIN_WORDS = 4
SIMILAR_SHARE = 0.8

_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
# A sentence ends at . ! ? or … (with any closing quote or bracket) followed by a space and not
# by a lower-case word ("Well... maybe", "e.g. this"), or at a line break.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'\u201d\u2019)\]]*(?=\s+[^a-z\s]|\s+$)|\n")
_TRAILING = re.compile(
    r"(?:[\s,;:\-\u2013\u2014]+|\s+(?:and|but|or|so|because|then|that|which|with|the|a|an)\b)+$",
    re.I,
)


@dataclass(frozen=True)
class _Word:
    text: str  # lower-cased
    start: int  # offsets in the reply
    end: int


def _words(text: str) -> list[_Word]:
    return [_Word(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


def repeated_ngram_share(text: str, n: int = LOOP_NGRAM) -> float:
    """The share of the reply's ``n``-word sequences that occurred earlier in it (0 when it has
    none): 0.0 for text that never repeats a phrase, near 1.0 for one phrase looped."""
    words = [w.text for w in _words(text)]
    grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
    return 1 - len(set(grams)) / len(grams) if grams else 0.0


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, a trailing unfinished one included."""
    parts, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        parts.append(text[start : end.end()])
        start = end.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def _loop_start(text: str) -> int | None:
    """Where in ``text`` the first loop starts, or None."""
    words = _words(text)
    seen: set[tuple[str, ...]] = set()
    cut: int | None = None
    for i in range(len(words) - LOOP_NGRAM + 1):
        gram = tuple(w.text for w in words[i : i + LOOP_NGRAM])
        if gram in seen:
            cut = words[i].start
            break
        seen.add(gram)
    run = _run_start(words)
    if run is not None and (cut is None or run < cut):
        cut = run
    repeat = _repeated_sentence(text)
    if repeat is not None and (cut is None or repeat < cut):
        cut = repeat
    return cut


def _run_start(words: list[_Word]) -> int | None:
    """Where the ``RUN_LIMIT``-th copy of a unit of 1-3 words said in a row begins."""
    texts = [w.text for w in words]
    for i in range(len(texts)):
        for unit in range(1, MAX_RUN_UNIT + 1):
            copies = 1
            while texts[i : i + unit] == texts[i + copies * unit : i + (copies + 1) * unit]:
                copies += 1
                if copies == RUN_LIMIT:
                    return words[i + (RUN_LIMIT - 1) * unit].start
    return None


def _repeated_sentence(text: str) -> int | None:
    """Where the first sentence that repeats an earlier one of ``text`` begins."""
    earlier: list[set[str]] = []
    offset = 0
    for part in sentences(text):
        offset = text.index(part, offset)
        words = {w.text for w in _words(part)}
        for other in earlier:
            shortest = min(len(words), len(other))
            if words == other or (
                shortest >= SIMILAR_MIN_WORDS and len(words & other) >= SIMILAR_SHARE * shortest
            ):
                return offset
        if words:
            earlier.append(words)
        offset += len(part)
    return None


def _close(kept: str) -> str:
    """A reply cut mid-way, ended cleanly: at its last whole sentence if it has one, otherwise
    without a dangling comma or conjunction and with a full stop."""
    kept = kept.rstrip()
    ends = [m.end() for m in _SENTENCE_END.finditer(kept + " ") if m.group() != "\n"]
    if ends and _WORD.search(kept[: ends[-1]]):
        return kept[: ends[-1]].rstrip()
    kept = _TRAILING.sub("", kept).rstrip()
    return f"{kept}." if kept and kept[-1].isalnum() else kept


def trim_loop(text: str) -> str:
    """``text`` cut before its first loop (unchanged when it has none)."""
    start = _loop_start(text)
    return text if start is None else _close(text[:start])


def _ends(text: str) -> list[int]:
    """Where each finished sentence of ``text`` ends (an end after no words is no sentence)."""
    ends, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if _WORD.search(text, start, m.end()):
            ends.append(m.end())
        start = m.end()
    return ends


def first_sentences(text: str, count: int) -> str:
    """``text`` up to the end of its ``count``-th sentence (all of it when it has fewer)."""
    ends = _ends(text + " ")
    return text[: ends[count - 1]].rstrip() if len(ends) > count else text


class Shaper:
    """A streamed reply shown a whole sentence at a time, cut before its first loop and after
    ``max_sentences`` sentences. ``feed`` returns what may be shown now; once ``done``, the
    caller stops generating. ``finish`` returns the rest: the last sentence, unless the reply
    was cut off by the token limit (``cut_off``) and has a whole one before it."""

    def __init__(self, *, max_sentences: int | None = None) -> None:
        self.max_sentences = max_sentences
        self.raw = ""  # everything the model wrote that was fed in
        self.shown = ""  # what feed and finish returned, in order
        self.done = False

    def feed(self, chunk: str) -> str:
        if self.done:
            return ""
        self.raw += chunk
        start = _loop_start(self.raw)
        if start is not None:
            return self._end(_close(self.raw[:start]))
        ends = _ends(self.raw)
        if self.max_sentences is not None and len(ends) >= self.max_sentences:
            return self._end(self.raw[: ends[self.max_sentences - 1]])
        return self._show(self.raw[: ends[-1]] if ends else "")

    def finish(self, *, cut_off: bool = False) -> str:
        if self.done:
            return ""
        ends = _ends(self.raw)
        return self._end(self.raw[: ends[-1]] if cut_off and ends else self.raw)

    @property
    def text(self) -> str:
        """The reply as shown."""
        return self.shown.strip()

    def _end(self, text: str) -> str:
        self.done = True
        return self._show(text.rstrip())

    def _show(self, upto: str) -> str:
        if not upto.startswith(self.shown):
            return ""  # the cut falls inside what is shown already: nothing more to show
        new = upto[len(self.shown) :]
        self.shown = upto
        return new
