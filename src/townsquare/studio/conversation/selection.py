"""The learned answer choice (``TOWNSQUARE_ANSWER_SELECTION=learned``): a small logistic model
scores every candidate answer, instead of the hand-set bars and weights of ``answers``.

The candidates are the same typed sentences (``Chooser.scan``: every sentence of the retrieved
passages that states a value of the asked type: a price for "how much", a date for "when"),
but none is ruled out by a bar: each is described by general features (below) and the model
gives the probability that it holds the answer. The most probable one answers, quoted and cited
as before; when even it scores under the threshold, the agent says it does not know (a near
miss: a passage about shipping holds prices, but its sentences score low for "how much is gift
wrapping?"). "When is the next ..." takes the first date from today among the candidates that
pass the threshold.

The weights, the feature scaling and the threshold are ``selection.json`` beside this module,
trained by ``bench/answer_selection.py`` on the gold answers of the evaluation sets it names
(its header says how they were validated: leave one set out).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from townsquare.studio.conversation.answers import UNKNOWN, Answer, Candidate, Chooser, as_of
from townsquare.studio.conversation.bridge import bridged
from townsquare.studio.conversation.intervals import time_range
from townsquare.studio.conversation.sums import Search, compute
from townsquare.studio.knowledge.passages import Passage

FEATURES = (
    "sentence_cover",  # share of the question's subject in the sentence and its headings
    "passage_cover",  # ... in its whole passage (across languages: the passage's cosine)
    "heading_cover",  # ... in its passage's title and locator (a row's name, an FAQ question)
    "dense",  # cosine of the question and the sentence
    "faq",  # cosine of the question and the FAQ question the sentence answers (0: none)
    "rank",  # its passage's place in retrieval's order, 0 first, over the number retrieved
    "across",  # the question and the passage are in two languages
    "values",  # log(1 + values of the asked type in the sentence)
    "length",  # log of the sentence's words
    "dense_gap",  # dense less the best dense among the candidates
    "sentence_gap",  # sentence_cover less the best among the candidates
    "passage_gap",  # passage_cover less the best among the candidates
    "dated",  # its source has a date
    "newest",  # its value is as of the newest date among the candidates
    "newest_now",  # newest, and the question asks what holds now
    "yesno",  # the question is a yes/no question (any sentence about it is a value)
    "yesno_cover",  # yesno times sentence_cover
    "subject",  # log(1 + content words of the question's subject)
    "label_dense",  # cosine of the question and what the sentence is under (a row's label)
    "unnamed",  # share of the subject named nowhere in the passages (0 across languages)
    "dense_rank",  # its place among the candidates by dense, 0 first, over their number
    "label_rank",  # ... by label_dense
    "cover_rank",  # ... by sentence_cover
    "candidates",  # log of the number of candidates
)
WEIGHTS_FILE = "selection.json"


def features(chooser: Chooser, pool: Sequence[Candidate]) -> npt.NDArray[np.float64]:
    """One row per candidate, a column per name of ``FEATURES``: (N, F)."""
    if not pool:
        return np.zeros((0, len(FEATURES)))
    passages = max(c.rank for c in pool) + 1
    best_dense = max(c.dense for c in pool)
    best_sentence = max(c.sentence_cover for c in pool)
    best_passage = max(c.passage_cover for c in pool)
    dates = [as_of(c, list(pool)) for c in pool]
    newest = max((d for d in dates if d is not None), default=None)
    yesno = float(chooser.asked.type == "yesno")
    dense_rank = _ranks([c.dense for c in pool])
    label_rank = _ranks([c.label_dense for c in pool])
    cover_rank = _ranks([c.sentence_cover for c in pool])
    rows = []
    for i, (c, day) in enumerate(zip(pool, dates, strict=True)):
        is_newest = float(newest is not None and day == newest)
        rows.append(
            (
                c.sentence_cover,
                c.passage_cover,
                c.heading_cover,
                c.dense,
                c.faq,
                c.rank / passages,
                float(c.across),
                math.log1p(len(c.found)),
                math.log(max(1, len(c.sentence.split()))),
                c.dense - best_dense,
                c.sentence_cover - best_sentence,
                c.passage_cover - best_passage,
                float(c.passage.dated is not None),
                is_newest,
                is_newest * float(chooser.asked.wants_current),
                yesno,
                yesno * c.sentence_cover,
                math.log1p(len(chooser.asked.subject)),
                c.label_dense,
                c.unnamed,
                dense_rank[i],
                label_rank[i],
                cover_rank[i],
                math.log(len(pool)),
            )
        )
    return np.array(rows, dtype=np.float64)


def _ranks(values: Sequence[float]) -> list[float]:
    """Each value's place from the highest (ties share the better place), over their number."""
    return [sum(other > v for other in values) / len(values) for v in values]


@dataclass(frozen=True)
class Selector:
    """A logistic model over ``FEATURES``: p = sigmoid(((x - mean) / scale) . weights + bias)."""

    weights: npt.NDArray[np.float64]  # (F,)
    bias: float
    mean: npt.NDArray[np.float64]  # (F,)
    scale: npt.NDArray[np.float64]  # (F,)
    threshold: float  # the best candidate under this probability: "I don't know"
    margin: float  # candidates this close to the best are rivals: the newest source's wins

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Selector:
        names = tuple(data["features"])
        if names != FEATURES:
            raise ValueError(f"the weights are for features {names}, not {FEATURES}")
        return cls(
            np.array(data["weights"], dtype=np.float64),
            float(data["bias"]),
            np.array(data["mean"], dtype=np.float64),
            np.array(data["scale"], dtype=np.float64),
            float(data["threshold"]),
            float(data["margin"]),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "mean": [round(float(m), 6) for m in self.mean],
            "scale": [round(float(s), 6) for s in self.scale],
            "threshold": round(self.threshold, 4),
            "margin": round(self.margin, 4),
        }

    def probabilities(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """(N, F) features -> (N,) probabilities that each candidate holds the answer."""
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def answer(self, chooser: Chooser, passages: Sequence[Passage]) -> Answer | Literal["unknown"]:
        """The most probable candidate quoted, the first date to come for "the next", or
        UNKNOWN when no candidate reaches the threshold."""
        asked = chooser.asked
        pool = [c for c, _ in chooser.scan(passages, asked.type, asked.subject)]
        if not pool:
            return UNKNOWN
        x = features(chooser, pool)  # (N, F)
        scores = self.probabilities(x)  # (N,)
        kept = [c for c, p in zip(pool, scores, strict=True) if p >= self.threshold]
        if not kept:
            return UNKNOWN
        if asked.wants_next:
            upcoming = chooser.next_date(kept)
            if upcoming is not None:
                return upcoming
        best = pool[choose(x, scores, self.margin)]
        return chooser.reply(best, by_date=_newer_than_rivals(best, kept))


def choose(x: npt.NDArray[np.float64], p: npt.NDArray[np.float64], margin: float) -> int:
    """The index that answers among candidates with features ``x`` (N, F) and probabilities
    ``p`` (N,): the most probable, unless a rival within ``margin`` of it states its value as of
    the newest date among them all (the newer post overrides the older), then that rival."""
    near = p >= p.max() - margin
    newest = near & (x[:, FEATURES.index("newest")] > 0)
    return int(np.argmax(np.where(newest if newest.any() else near, p, -1.0)))


def typed_answer(
    chooser: Chooser, passages: Sequence[Passage], search: Search, selector: Selector | None
) -> Answer | Literal["unknown"]:
    """A typed question's answer: computed from two facts (``sums``), or through a thing
    described and named in a second source (``bridge``), else the one-source choice: the
    rules' (``Chooser.answer``) without a ``selector``; a duration no sentence states is the
    length of the thing's time range (``intervals.time_range``)."""
    computed = compute(chooser, list(passages), search)
    if computed is None:
        computed = bridged(chooser, list(passages), search)
    if computed is not None:
        return computed
    chosen = chooser.answer(passages) if selector is None else selector.answer(chooser, passages)
    if chosen == UNKNOWN and chooser.asked.type == "duration":
        # no stated duration answers: the hours of the thing's time range, when it has one
        return time_range(chooser, passages) or UNKNOWN
    return chosen


def _newer_than_rivals(best: Candidate, kept: list[Candidate]) -> bool:
    """Whether another likely candidate states a different value from an older source, so the
    reply says which date its value is as of."""
    day = as_of(best, kept)
    if day is None:
        return False
    older: list[date | None] = [
        as_of(c, kept) for c in kept if c is not best and not set(c.found) & set(best.found)
    ]
    return any(d is None or d < day for d in older)


@cache
def shipped() -> Selector:
    """The selector trained on the evaluation sets (``selection.json``, package data)."""
    text = resources.files(__package__).joinpath(WEIGHTS_FILE).read_text()
    return Selector.from_dict(json.loads(text))
