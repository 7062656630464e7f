"""The grounding guard: a creator or business agent states only what its sources say.

A 135M model copies, paraphrases and invents in the same breath, so its reply is never trusted
as a whole. It is split into sentences; a sentence that carries a fact must be *supported* by
one retrieved passage, or the reply is not shown. The tests are deterministic and cheap, so
they hold for any chat model:

- **numbers**: every number in the sentence (prices, times, dates, quantities) occurs in the
  passage. A wrong number is the commonest and costliest invention, and nothing else catches it.
- **binding**: a number stays with what the passage says it is about. "The stall closes at 8am"
  holds only numbers and words of "the stall opens at 8am and closes at 1pm", but ties 8am to
  "closes", which the passage ties to 1pm; a word the passage does not use binds nothing.
- **negation**: the sentence and the passage sentence closest to it agree on being negated;
  "we don't ship abroad" is not supported by "we ship abroad".
- **content**: at least ``LEXICAL_SUPPORT`` of the sentence's content words (stemmed, stopwords
  removed) occur in the passage. An embedding similarity route was tried and dropped: MiniLM
  puts "I bake in Leeds, a small town in the north of England" at 0.7 from "I bake from my
  home kitchen in Headingley, Leeds", so it let paraphrased inventions through. A correct
  paraphrase that fails here costs little: the passage is quoted instead.

Relevance asks the other question: does a passage answer *this* question at all? Retrieval
always returns its top k, so an unanswerable question still gets passages; only an absolute
score can tell "nothing relevant" apart. It mixes how many of the question's content words the
passage holds with the embedding similarity of the question to the passage's closest sentence;
a question in another language than the passage shares no words with it, so there the
similarity alone decides.
The thresholds are calibrated on the studio evaluation set (``bench/studio_eval.py``) with
all-MiniLM-L6-v2; another embedder's cosines are mapped onto MiniLM's scale
(``Embedder.calibrated``); without an embedder only the lexical halves apply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from townsquare.ai.embeddings import Embedder, Side
from townsquare.ai.languages import detect_language
from townsquare.studio.conversation.wording import (
    content_words,
    misbinds,
    negated,
    numbers,
    split_sentences,
    states_a_fact,
    strip_citation_marks,
    words,
)
from townsquare.studio.knowledge.passages import Passage

# A factual sentence is supported when this share of its content words is in the passage.
LEXICAL_SUPPORT = 0.75
# A passage answers a question when relevance() reaches this; calibrated on the evaluation set.
RELEVANCE_MIN = 0.47
# Across two languages no word is shared, so meaning alone carries a passage, and the
# multilingual embedder puts a question nearer the sentence that answers it in its own language
# than in another (on MiniLM's scale, 0.4-0.77 within English, 0.16-0.55 from Portuguese,
# French, German and Spanish questions to English sentences; creator dev set): this is the bar
# of "close in meaning" across languages.
ACROSS_LANGUAGES_DENSE = 0.3
# A runner-up sentence is quoted too when it scores this share of the best one.
RUNNER_UP = 0.6

# What kind of answer a question wants, and what a sentence holding one looks like.
_DAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday|weekend|noon|midnight"
_MONTH = r"january|february|march|april|may|june|july|august|september|october|november|december"
# "When will it be ready?" is answered by a span from now: "in 2 working days", "one week".
_SPAN = (
    r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
    r"\s+(?:working\s+|business\s+)?(?:days?|weeks?|months?)\b|\bsame day\b"
)
_ANSWER_SHAPES = tuple(
    (re.compile(asks, re.I), re.compile(holds))
    for asks, holds in (
        (r"\bcosts?\b|\bprices?\b|\bfees?\b|\bcharge", r"[£$€]\s?\d|(?<!-)\bfree\b"),
        (
            r"\bwhen\b|\bwhat time\b|\bwhich day|\bwhat day|\bhours\b|\bdeadline|\bby when\b",
            rf"(?i:\d\s?(?:am|pm)\b|\d[:.]\d\d|\b(?:{_DAY}|{_MONTH})s?\b|{_SPAN})",
        ),
        (r"\bwho\b", r"\w[,;:]? [A-Z][a-z]+"),  # a name, not just a capitalised first word
        (r"\b(?:called|named|title|name)\b", r"(?i:\bcalled\b|\bnamed\b|\btitled?\b)"),
        (
            r"\bhow (?:much|many|long|old|far|often|big|hot)\b"
            r"|\bwhat (?:temperature|ratio|hydration|angle)",
            r"(?i:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
            r"|twice)\b)",
        ),
    )
)
# Added to the score of a sentence holding the kind of answer the question wants (scores are
# otherwise at most 1, so such a sentence always comes first).
SHAPE_BONUS = 1.0
# A sentence that ends on a colon or a dash leads in to a value it does not hold itself ("The
# best email to sign up is:"): without what follows it, it states an empty slot.
_OPEN = re.compile(r"[:\-\u2013\u2014]\s*$")


@dataclass(frozen=True)
class SentenceCheck:
    """One sentence of a reply and what supports it (``passage`` None: nothing does)."""

    sentence: str
    factual: bool
    passage: Passage | None = None
    quote: str = ""  # the passage sentence closest to it


@dataclass(frozen=True)
class Verdict:
    """The guard's reading of a reply: every sentence, and whether the reply may be shown."""

    sentences: list[SentenceCheck]

    @property
    def supported(self) -> bool:
        """Every factual sentence is supported, at least one sentence states a fact, and the
        reply does not end on a lead-in whose value is missing."""
        factual = [check for check in self.sentences if check.factual]
        return (
            bool(factual)
            and all(check.passage is not None for check in factual)
            and not opens(self.sentences[-1].sentence)
        )

    def supported_prefix(self) -> Verdict:
        """The reply up to its first unsupported factual sentence, less the lead-ins that
        ended up last ("The address is:" before a made-up address). A small model often
        answers in its first sentence and then drifts; what comes before the drift is still
        sound, and nothing after it is shown."""
        kept = self.sentences
        for index, check in enumerate(self.sentences):
            if check.factual and check.passage is None:
                kept = self.sentences[:index]
                break
        while kept and opens(kept[-1].sentence):
            kept = kept[:-1]
        return Verdict(kept)


def opens(sentence: str) -> bool:
    """Whether ``sentence`` only leads in to a value that should follow it."""
    return _OPEN.search(sentence) is not None


def _coverage(part: set[str], whole: set[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def across_languages(question: str, text: str) -> bool:
    """The question and the text are told apart as two languages."""
    asked_in, written_in = detect_language(question), detect_language(text)
    return asked_in is not None and written_in is not None and asked_in != written_in


def _answer_shape(question: str, sentence: str) -> float:
    """``SHAPE_BONUS`` when the question wants a price, a time, a quantity or a name and the
    sentence holds one, else 0: the sentence that restates the question (and so matches it
    best) rarely holds its answer."""
    for asks, holds in _ANSWER_SHAPES:
        if asks.search(question):
            return SHAPE_BONUS if holds.search(sentence) else 0.0
    return 0.0


class Guard:
    """Checks one reply's question, passages and text, embedding each distinct text once.

    ``names`` (the agent's and owner's) are never facts; ``embedder`` None leaves only the
    lexical tests, which are stricter, never looser.
    """

    def __init__(self, embedder: Embedder | None, names: frozenset[str] = frozenset()) -> None:
        self._embedder = embedder
        self._names = names
        self._vectors: dict[tuple[Side, str], NDArray[np.float32]] = {}

    def _embed(self, texts: Sequence[str], side: Side) -> None:
        missing = list(dict.fromkeys(t for t in texts if (side, t) not in self._vectors))
        if self._embedder is not None and missing:
            rows = self._embedder.embed(missing, side)  # (N, D)
            self._vectors.update(((side, t), row) for t, row in zip(missing, rows, strict=True))

    def similarity(self, a: str, b: str) -> float | None:
        """How close passage text ``b`` is to ``a`` (a question, or a sentence of the reply):
        their cosine on MiniLM's scale (``Embedder.calibrated``); None without an embedder."""
        if self._embedder is None:
            return None
        self._embed([a], "query")
        self._embed([b], "passage")
        cosine = float(self._vectors["query", a] @ self._vectors["passage", b])
        return self._embedder.calibrated(cosine)

    def _closeness(self, sentence: str, candidate: str) -> float:
        dense = self.similarity(sentence, candidate)
        if dense is not None:
            return dense
        return _coverage(content_words(sentence), content_words(candidate))

    def _score(self, question: str, sentence: str, topic: frozenset[str]) -> float:
        """How well one sentence answers ``question``: lexical (the question's words beyond
        ``topic``) and dense halves, plus the bonus for holding the answer's shape."""
        asked = content_words(question, ignore=topic)
        lexical = _coverage(asked, content_words(sentence))
        dense = self.similarity(question, sentence)
        base = lexical if dense is None else (lexical + max(0.0, dense)) / 2
        return base + _answer_shape(question, sentence)

    def relevance(self, question: str, passage: Passage) -> float:
        """How well ``passage`` answers ``question``: the share of the question's content words
        it holds, averaged with the cosine of its closest sentence when there is an embedder
        (the two fail differently: paraphrase defeats one, shared idle words the other)."""
        asked = content_words(question, ignore=self._names)
        lexical = _coverage(asked, content_words(passage.text))
        sentences = split_sentences(passage.text)
        self._embed(sentences, "passage")
        dense = [d for s in sentences if (d := self.similarity(question, s)) is not None]
        if not dense:
            return lexical
        if across_languages(question, passage.text):
            # No word is shared across languages: meaning alone, with its own bar, on the
            # scale where RELEVANCE_MIN is the bar.
            return max(0.0, *dense) * RELEVANCE_MIN / ACROSS_LANGUAGES_DENSE
        return (lexical + max(0.0, *dense)) / 2

    def best_sentences(self, question: str, passage: Passage, *, limit: int = 2) -> list[str]:
        """The passage's sentences that best answer ``question``, in their original order: the
        best, and the runners-up that score at least ``RUNNER_UP`` of it (a fact often spans
        two sentences). Its title line and its questions (an FAQ's) are never an answer."""
        sentences = split_sentences(passage.text)
        title = f" {' '.join(words(passage.title))} "
        candidates = [
            (index, sentence)
            for index, sentence in enumerate(sentences)
            if not sentence.endswith("?") and f" {' '.join(words(sentence))} " not in title
        ] or list(enumerate(sentences))
        # Every sentence is about the passage's subject, so the question's words that name
        # the subject ("advanced sourdough") cannot tell its sentences apart; the rest can.
        topic = frozenset(content_words(passage.title)) | self._names
        self._embed([sentence for _, sentence in candidates], "passage")
        scored = sorted(
            ((self._score(question, sentence, topic), index) for index, sentence in candidates),
            reverse=True,
        )
        top = scored[0][0]
        keep = sorted(index for score, index in scored[:limit] if score >= RUNNER_UP * top)
        return [sentences[index] for index in keep]

    def _supports(self, sentence: str, passage: Passage) -> str | None:
        """The passage sentence that makes ``passage`` support ``sentence``, or None."""
        passage_sentences = split_sentences(passage.text)
        if not passage_sentences or not numbers(sentence) <= numbers(passage.text):
            return None
        if misbinds(sentence, passage.text):
            return None
        claimed = content_words(sentence, ignore=self._names)
        held = content_words(passage.text)
        self._embed(passage_sentences, "passage")
        closest = max(passage_sentences, key=lambda candidate: self._closeness(sentence, candidate))
        if negated(sentence) != negated(closest):
            return None
        return closest if _coverage(claimed, held) >= LEXICAL_SUPPORT else None

    def check(self, reply: str, passages: Sequence[Passage]) -> Verdict:
        """Reads every sentence of ``reply`` against ``passages`` (the best-ranked that supports
        a sentence is the one cited for it)."""
        seen: set[str] = set()
        checks = []
        for sentence in split_sentences(strip_citation_marks(reply)):
            if sentence.lower() in seen:
                continue  # a small model repeats itself; once is enough
            seen.add(sentence.lower())
            if not states_a_fact(sentence, self._names):
                checks.append(SentenceCheck(sentence, factual=False))
                continue
            found = SentenceCheck(sentence, factual=True)
            for passage in passages:
                quote = self._supports(sentence, passage)
                if quote is not None:
                    found = SentenceCheck(sentence, True, passage, quote)
                    break
            checks.append(found)
        return Verdict(checks)


def used_citations(verdict: Verdict) -> list[dict[str, object]]:
    """Citations of the passages that support some sentence of a reply, in order of use."""
    seen: dict[int, dict[str, object]] = {}
    for check in verdict.sentences:
        if check.passage is not None and check.passage.chunk_id not in seen:
            seen[check.passage.chunk_id] = check.passage.citation(check.quote)
    return list(seen.values())


def with_citations(verdict: Verdict) -> tuple[str, list[dict[str, object]]]:
    """The checked reply with a [n] mark on each factual sentence, and the n-th citation."""
    order: dict[int, int] = {}
    citations: list[dict[str, object]] = []
    sentences = []
    for check in verdict.sentences:
        if check.passage is None:
            sentences.append(check.sentence)
            continue
        if check.passage.chunk_id not in order:
            order[check.passage.chunk_id] = len(citations) + 1
            citations.append(check.passage.citation(check.quote))
        mark = f" [{order[check.passage.chunk_id]}]"
        body = check.sentence.rstrip(".!?…")
        sentences.append(f"{body}{mark}{check.sentence[len(body) :]}")
    return " ".join(sentences), citations
