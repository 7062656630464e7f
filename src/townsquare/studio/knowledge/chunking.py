"""Sections -> chunks: the passages retrieval ranks and replies cite.

A chunk is 120-200 words: long enough to hold an answer with its context, short enough that
all-MiniLM-L6-v2 (which reads 256 word pieces) sees all of it and a citation points somewhere
precise. Chunks end at sentence ends and never cross a section, so a locator ("page 12",
"Shipping") is true of the whole chunk. Neighbouring chunks share one short sentence, so a fact
that straddles a boundary is still whole in one of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from townsquare.studio.knowledge.extract import Section

MAX_WORDS = 200
SOFT_MAX_WORDS = 180  # what chunk sizes are planned at, leaving room for whole sentences
OVERLAP_WORDS = 40  # the longest sentence repeated at the start of the next chunk
# A keep-whole section (an FAQ answer, a catalog row) longer than this is split after all:
# past it the embedding model would not read the end.
MAX_WHOLE_WORDS = 400

MAX_LEAD_WORDS = 25  # a line ending in ":" up to this long is a list's lead-in
_LIST_ITEM = re.compile(r"^\s*(?:[-*•\u2013]|\d{1,2}[.)])\s+(\S.*)$")
_POSITION = re.compile(r"(?:page|row) \d+")
# A sentence ends at . ! ? (and any closing quote or bracket) followed by whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+")


@dataclass(frozen=True)
class Chunk:
    text: str
    locator: str
    dated: date | None = None  # when its source was written, by what it says


class _Unit(NamedTuple):
    """A sentence, its length in words, and what separates it from the one before."""

    text: str
    words: int
    separator: str  # "\n\n" starts a paragraph, "\n" a line, " " continues one


def chunk_sections(sections: Iterable[Section]) -> list[Chunk]:
    """All chunks of a document, in order."""
    return [
        Chunk(text, section.locator, section.dated)
        for section in sections
        for text in split_section(section)
    ]


def split_section(section: Section) -> list[str]:
    """The texts of one section's chunks."""
    text = join_lists(section.text)
    if section.keep_whole and word_count(text) <= MAX_WHOLE_WORDS:
        return [text]
    units = list(_sentences(text))
    if sum(unit.words for unit in units) <= MAX_WORDS:
        return [text]
    # The overlap a chunk boundary will repeat, on average: one ordinary sentence.
    mean = sum(unit.words for unit in units) / len(units)
    overlap = mean if mean <= OVERLAP_WORDS else 0.0
    chunks: list[list[_Unit]] = []
    start = 0
    while start < len(units):
        # The previous chunk's last sentence opens this one, when it is short and fits.
        previous = chunks[-1][-1] if chunks else None
        current = (
            [previous]
            if previous is not None
            and previous.words <= OVERLAP_WORDS
            and previous.words + units[start].words <= MAX_WORDS
            else []
        )
        size = sum(unit.words for unit in current)
        # Aim at an equal share of what is left, so chunks come out even, not a stub last.
        left = size + sum(unit.words for unit in units[start:])
        count = max(1, math.ceil((left - overlap) / (SOFT_MAX_WORDS - overlap)))
        target = (left + (count - 1) * overlap) / count
        end = start
        while end < len(units):
            words = units[end].words
            if end > start and (size + words / 2 > target or size + words > MAX_WORDS):
                break
            size += words
            end += 1
        chunks.append(current + units[start:end])
        start = end
    return [_join(chunk) for chunk in chunks]


def searchable_text(text: str, locator: str) -> str:
    """What is embedded and indexed for a chunk: its text under its heading, when the locator
    is one. "Shipping" tells a search what "we send parcels within 3 days" is about; "page 12"
    or "row 7" tells it nothing, and an FAQ chunk already starts with its question."""
    if not locator or _POSITION.fullmatch(locator) or text.startswith(locator):
        return text
    return f"{locator}\n{text}"


def join_lists(text: str) -> str:
    """A list under its lead-in as one line: "What to bring:" then "- an apron", "- old
    shoes" becomes "What to bring: an apron; old shoes." A list item alone says nothing of
    what it is a list of, and the sentences a reply quotes are lines."""
    out: list[str] = []
    items: list[str] = []
    lead: str | None = None

    def close() -> None:
        nonlocal lead
        if lead is not None:
            body = "; ".join(item.rstrip(".;,") for item in items)
            out.append(f"{lead} {body}." if items else lead)
        lead = None
        items.clear()

    for line in text.split("\n"):
        item = _LIST_ITEM.match(line)
        if lead is not None and item is not None:
            items.append(item.group(1))
            continue
        close()
        if line.rstrip().endswith(":") and len(line.split()) <= MAX_LEAD_WORDS:
            lead = line.rstrip()
        else:
            out.append(line)
    close()
    return "\n".join(out)


def word_count(text: str) -> int:
    return len(text.split())


def _sentences(text: str) -> Iterable[_Unit]:
    """The sentences of a section. A "sentence" longer than ``MAX_WORDS`` (a list or table
    with no full stops) is cut into pieces of ``MAX_WORDS`` words."""
    for paragraph in re.split(r"\n\s*\n", text):
        separator = "\n\n"
        for line in paragraph.split("\n"):
            separator = "\n" if separator == " " else separator
            for sentence in _SENTENCE_END.split(line.strip()):
                words = sentence.split()
                for start in range(0, len(words), MAX_WORDS):
                    piece = words[start : start + MAX_WORDS]
                    if piece:
                        yield _Unit(" ".join(piece), len(piece), separator)
                        separator = " "


def _join(units: list[_Unit]) -> str:
    """Sentences back into text, keeping line and paragraph breaks between them."""
    return "".join((unit.separator if i else "") + unit.text for i, unit in enumerate(units))
