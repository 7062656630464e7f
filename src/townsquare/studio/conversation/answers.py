"""The extractive answer: the sentence that answers the question, not a sentence near it.

A typed question (``questions.read_question``: a price, a date, a name, ...) is answered from
the retrieved passages without the model:

1. **candidates**: every sentence (a catalog or table row is one sentence) that states an answer
   of the asked type (``values``) and is about the question's subject: enough of the subject's
   words in its passage, or an embedding close to the question. A passage about shipping holds
   prices, but none about gift wrapping, so it is not a candidate for "how much is gift
   wrapping?".
2. **choice**: the candidate that matches the subject best; when another, as good, states a
   different value, the one from the newer source answers ("As of 3 March 2026, ...").
   "When is the next ..." takes the first date from today; every date past: no answer.
3. **two sources, sums in code** (``sums``): totals, shares and deadlines.
4. **nothing answers**: no candidate, so the agent says it does not know (``UNKNOWN``).

The reply is a template around the source's whole sentence, so everything it states is the
source's; the templates are the language table's (``questions.Phrases``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from townsquare.db.types import utcnow
from townsquare.studio.conversation.answered import deictic_dates
from townsquare.studio.conversation.cues import LANGUAGES, cues
from townsquare.studio.conversation.focus import (
    asked_measure,
    counted,
    counts,
    measures,
    names_the_subject,
    other_day,
    restated,
    shares,
)
from townsquare.studio.conversation.grounding import ACROSS_LANGUAGES_DENSE, Guard, across_languages
from townsquare.studio.conversation.questions import Asked
from townsquare.studio.conversation.values import values
from townsquare.studio.conversation.wording import content_words, meets, split_sentences, words
from townsquare.studio.knowledge.dates import DATE, find_dates
from townsquare.studio.knowledge.passages import Passage

# A candidate is about the subject when its passage holds this share of the subject's words
# (all of one to three words, three of four, ...),
SUBJECT_MIN = 0.75
# or half of them and its sentence is this close to the question in meaning (MiniLM cosine),
PARTIAL_SUBJECT, PARTIAL_DENSE = 0.5, 0.5
# or none of them but its sentence is this close.
DENSE_MIN = 0.6
# Candidates within this score of the best, about the subject as much, are the same question's
# answer: when their values differ, the newer source wins.
SAME_ANSWER = 0.25
NOW_WIDENS = 2.0  # when the question asks what holds "now", "about as good" is this much wider
RIVAL_SENTENCE_GAP = 0.5  # and whose sentence names at most this share less of the subject
RIVAL_DENSE_GAP = 0.2  # and is at most this much further from the question in meaning
WEIGHTS = (0.3, 0.4, 0.3)  # sentence coverage, passage coverage, cosine
RANK_WEIGHT = 0.1  # retrieval's order breaks near-ties: the best passage scores this much more
FAQ_MATCH = 0.75  # an FAQ whose question is this close to the member's answers it
PREFIX_MIN = 4  # stems this long meet the longer stems they begin
YESNO_MIN_WORDS = 4  # a yes/no question is answered by a sentence, not a title or a heading
LABEL_WORDS = 6  # a row's label before its colon is at most this long

UNKNOWN: Literal["unknown"] = "unknown"
_DATING = frozenset({"post", "updat", "last", "chang", "publish", "written"})
# The words of a line that only dates its source in the other languages a passage is written in.
_DATELINE = frozenset().union(*(table.dateline for table in LANGUAGES.values()))


def today() -> date:
    """The date "the next" and deadlines count from: the one clock of the answer, so an
    evaluation pins it (time-machine) and a test passes its own."""
    return utcnow().date()


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    sentence: str
    found: tuple[str, ...]  # the values of the asked type, the sentence's words
    sentence_cover: float  # share of the subject in the sentence and its locator
    passage_cover: float  # share of the subject in the whole passage
    dense: float  # cosine of question and sentence (0 without an embedder)
    prior: float  # from retrieval's order, in [0, RANK_WEIGHT]
    rank: int = 0  # its passage's place in retrieval's order, 0 first
    across: bool = False  # the question and the passage are in two languages
    heading_cover: float = 0.0  # share of the subject in its passage's title and locator
    faq: float = 0.0  # closeness of the question to the FAQ question it answers (0: none)
    label_dense: float = 0.0  # closeness of the question to what the sentence is under
    unnamed: float = 0.0  # share of the subject named nowhere in the passages (one language)

    @property
    def score(self) -> float:
        a, b, c = WEIGHTS
        return a * self.sentence_cover + b * self.passage_cover + c * self.dense + self.prior


@dataclass(frozen=True)
class Answer:
    text: str
    citations: list[dict[str, object]]


class Chooser:
    """Answers one typed question from its passages."""

    def __init__(
        self,
        question: str,
        asked: Asked,
        guard: Guard,
        *,
        owner: str,
        on: date,
    ) -> None:
        self.question = question
        self.asked = asked
        self.guard = guard
        self.owner = owner
        self.on = on
        self.cues = cues(asked.language)
        self.measure = asked_measure(question, asked.language)
        self.counted = counted(question, asked.language)

    def answer(self, passages: Sequence[Passage]) -> Answer | Literal["unknown"]:
        asked = self.asked
        found = self.candidates(passages, asked.type, asked.subject)
        if not found:
            return UNKNOWN
        if asked.wants_next:
            upcoming = self.next_date(found)
            if upcoming is not None:
                return upcoming
        return self._best(found)

    def candidates(
        self, passages: Sequence[Passage], kind: str, subject: frozenset[str]
    ) -> list[Candidate]:
        """Sentences of ``passages`` stating an answer of ``kind`` about ``subject``."""
        return [c for c, about in self.scan(passages, kind, subject) if about]

    def scan(
        self, passages: Sequence[Passage], kind: str, subject: frozenset[str]
    ) -> list[tuple[Candidate, bool]]:
        """Every sentence of ``passages`` stating an answer of ``kind``, and whether the rules
        take it to be about ``subject`` (``selection`` scores them all instead)."""
        found = []
        # A yes/no or how-many question about something no passage names ("monthly
        # instalments", "students") is not answered by a sentence that names the rest ("3
        # months warranty on a refurb bike", "10 kg of clay on the six-week course").
        everywhere = content_words(" ".join(f"{p.title} {p.locator} {p.text}" for p in passages))
        missing = 1.0 - _cover(subject, everywhere)
        unnamed = kind in ("yesno", "quantity") and missing > 0
        for rank, passage in enumerate(passages):
            heading = f"{passage.title}\n{passage.locator}"
            across = across_languages(self.question, passage.text)
            # Across two languages no word is shared, so what the passage is about is told by
            # meaning: its closeness to the question stands for the share of the subject.
            passage_cover = (
                self._similarity(f"{heading}\n{passage.text}")
                if across
                else _cover(subject, content_words(f"{heading}\n{passage.text}"))
            )
            prior = RANK_WEIGHT * (len(passages) - rank) / len(passages)
            # What the sentence is under: a section's heading, an FAQ's question, a row's name,
            # else its source's title ("fix-a-flat-class.md" reads "fix a flat class").
            context = passage.locator or re.sub(r"[-_.]+", " ", passage.title)
            faq = self._similarity(passage.locator) if passage.locator.endswith("?") else 0.0
            same_question = faq >= FAQ_MATCH
            heading_cover = _cover(subject, content_words(heading))
            for sentence in split_sentences(passage.text):
                if not _may_answer(sentence, kind, heading) or other_day(self.question, sentence):
                    continue
                hits = self._values(kind, sentence)
                if not hits:
                    continue
                dense = max(self._similarity(sentence), self._similarity(f"{context}: {sentence}"))
                label = _label(sentence) or context
                sentence_cover = _cover(subject, content_words(f"{heading}\n{sentence}"))
                # Across two languages only meaning says a sentence is about the question: its
                # own, or its passage's (a lone sentence often leaves its subject to the
                # passage: "From March the ride meets at the workshop" under a post about the
                # Sunday ride). A yes/no question is answered by a sentence that names all it
                # asks about ("Can I hire a bike for the weekend?" is not answered by "Have a
                # lovely weekend, go ride your bikes"), or by the answer to the same FAQ
                # question.
                if across:
                    about = max(dense, passage_cover) >= ACROSS_LANGUAGES_DENSE or same_question
                elif kind == "yesno":
                    about = (sentence_cover >= SUBJECT_MIN and not unnamed) or same_question
                else:
                    about = same_question or (not unnamed and _about(passage_cover, dense))
                candidate = Candidate(
                    passage,
                    sentence,
                    tuple(hits),
                    sentence_cover,
                    passage_cover,
                    dense,
                    prior,
                    rank,
                    across,
                    heading_cover,
                    faq,
                    self._similarity(label),
                    0.0 if across else missing,
                )
                found.append((candidate, about))
        return found

    def _values(self, kind: str, sentence: str) -> list[str]:
        """The answers of ``kind`` in ``sentence``: a measure's in its unit, a count's of the
        thing asked, a part's percentage for a price (a deposit), and none that only repeats
        a figure of the question ("six" of "the six-week course")."""
        if kind == "quantity" and self.measure is not None:
            return measures(self.measure, sentence)
        found = values(kind, sentence)  # type: ignore[arg-type]
        if kind == "price":
            found += shares(self.asked.subject, sentence)
        if kind == "quantity" and self.counted is not None:
            found = [v for v in found if counts(self.counted, v, sentence)]
        if kind == "name":
            found = [v for v in found if not names_the_subject(v, self.question)]
        return found if kind == "yesno" else [v for v in found if not restated(v, self.question)]

    def _similarity(self, text: str) -> float:
        return max(0.0, self.guard.similarity(self.question, text) or 0.0)

    def pick(self, found: list[Candidate]) -> tuple[Candidate, bool]:
        """The candidate that answers, and whether a newer source decided it: when another
        candidate, about as good and about the same subject, states a different value, the
        one from the newer source wins; "about as good" is wider when the question asks what
        holds now."""
        best = max(found, key=lambda c: c.score)
        wider = NOW_WIDENS if self.asked.wants_current else 1.0
        rivals = [
            c
            for c in found
            if c.score >= best.score - SAME_ANSWER * wider
            and c.passage_cover >= min(best.passage_cover, SUBJECT_MIN)
            and c.sentence_cover >= best.sentence_cover - RIVAL_SENTENCE_GAP
            and c.dense >= best.dense - RIVAL_DENSE_GAP * wider
            and c.passage.chunk_id != best.passage.chunk_id
            and not set(c.found) & set(best.found)
        ]
        dated = {id(c): as_of(c, found) for c in [best, *rivals]}
        newest = max([best, *rivals], key=lambda c: (dated[id(c)] or date.min, c.score))
        if rivals and dated[id(newest)] is not None and len(set(dated.values())) > 1:
            return newest, True
        return best, False

    def _best(self, found: list[Candidate]) -> Answer:
        return self.reply(*self.pick(found))

    def reply(self, chosen: Candidate, by_date: bool) -> Answer:
        """``chosen``'s sentence quoted, "as of" its source's date when a newer source decided."""
        if by_date and chosen.passage.dated is not None:
            text = self.cues.phrases.as_of.format(
                date=chosen.passage.dated.strftime(self.cues.phrases.date_format),
                owner=self.owner,
                quote=chosen.sentence,
            )
        else:
            text = self.cues.phrases.quoted.format(owner=self.owner, quote=chosen.sentence)
        return Answer(text, [chosen.passage.citation(chosen.sentence)])

    def next_date(self, found: list[Candidate]) -> Answer | Literal["unknown"] | None:
        """The first date from today among the candidates, quoted; UNKNOWN when every date
        they name is past; None when they name no calendar date (only "every Saturday")."""
        first = self.upcoming(found)
        if first is None or first == UNKNOWN:
            return first
        _, words, candidate = first
        text = self.cues.phrases.next.format(value=words, quote=candidate.sentence)
        return Answer(text, [candidate.passage.citation(candidate.sentence)])

    def upcoming(
        self, found: list[Candidate]
    ) -> tuple[date, str, Candidate] | Literal["unknown"] | None:
        """The first date from today among the candidates (the date, its words and its
        sentence); UNKNOWN when every date they name is past; None when they name none."""
        # Only the candidates about as good as the best are about the thing asked: another
        # event's date is not the next one of this (``answered``).
        top = max(c.score for c in found)
        dated = [
            (day, words, c)
            for c in found
            if c.score >= top - SAME_ANSWER
            for words, day in [
                *find_dates(c.sentence, near=c.passage.dated or self.on),
                *deictic_dates(c.sentence, c.passage.dated),
            ]
        ]
        if not dated:
            return None
        upcoming = [item for item in dated if item[0] >= self.on]
        if not upcoming:
            return UNKNOWN
        return min(upcoming, key=lambda item: (item[0], -item[2].score))


def as_of(candidate: Candidate, found: list[Candidate]) -> date | None:
    """How new ``candidate``'s value is: its source's date; for an undated source (a catalog,
    an FAQ) the newest dated source that states the same value, else None (older than any
    dated source)."""
    if candidate.passage.dated is not None:
        return candidate.passage.dated
    agreeing = [
        c.passage.dated
        for c in found
        if c.passage.dated is not None and set(c.found) & set(candidate.found)
    ]
    return max(agreeing, default=None)


def _label(sentence: str) -> str:
    """What a row's sentence is under: "Spain" of "Spain: Cost €9; Time 3-5 days." ("" when
    it has no short lead before a colon)."""
    lead, colon, _ = sentence.partition(":")
    return lead.strip() if colon and 0 < len(lead.split()) <= LABEL_WORDS else ""


def _about(cover: float, dense: float) -> bool:
    """Whether a sentence is about the question's subject (a near miss is not)."""
    return (
        cover >= SUBJECT_MIN
        or (cover >= PARTIAL_SUBJECT and dense >= PARTIAL_DENSE)
        or dense >= DENSE_MIN
    )


def _may_answer(sentence: str, kind: str, heading: str) -> bool:
    """Whether ``sentence`` can be an answer at all: not a question (an FAQ's own, or the
    member's words quoted back), not a line that only dates its source, and for a yes/no
    question not a title."""
    if sentence.endswith("?"):
        return False
    if _dates_only(sentence):
        return False
    if kind == "yesno":
        return len(sentence.split()) >= YESNO_MIN_WORDS and sentence not in heading
    return True


def _dates_only(sentence: str) -> bool:
    """Whether ``sentence`` only dates its source: "Posted 3 March 2026", and in a passage
    written in another language "Publicado el 10 de junio de 2026", "Geplaatst op 1 juni"."""
    if not content_words(DATE.sub(" ", sentence)) - _DATING:
        return True
    said = words(sentence)
    figures = [w for w in said if w.isdigit()]
    return bool(figures) and all(w.isdigit() or w in _DATELINE for w in said)


def _cover(subject: frozenset[str] | set[str], held: set[str]) -> float:
    """The share of ``subject`` in ``held``; a stem also meets a longer one it begins
    ("stor" of "store" meets "storag" of "storage")."""
    if not subject:
        return 1.0
    return sum(meets(word, held, shortest=PREFIX_MIN) for word in subject) / len(subject)
