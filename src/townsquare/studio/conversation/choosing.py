"""Generate-and-choose for free replies: a character writes a few drafts and the one the
judges score best is shown.

Two judges, "on the member's topic" and "in the character's voice", each a logistic model
over the same general features of a draft (``FEATURES``): its cosine with the member's line
and with the character (the agent's own embedder), how much of it is the card's own words and
the example lines' phrases, first person against the character described from outside (its
own name in the reply), the assistant's register ("As an AI", "I'd be happy to help", "Here
are some tips"), its length, and how many of the member's words it takes up. The weights
(``choosing.json``) are fitted on hand-labelled replies of five characters and checked on the
other five (``evals/characters/judges.py``); a draft's fit is the probability that both
judges say yes (their product).

A draft is never chosen when it states a number (digits) that neither the card nor the
conversation holds: a small model invents figures, and the member cannot tell.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from townsquare.ai.embeddings import Embedder
from townsquare.studio.conversation.persona import Persona
from townsquare.studio.conversation.wording import content_words, words

WEIGHTS = Path(__file__).with_name("choosing.json")
FEATURES = (
    "cos_message",  # cos(draft, member's line)
    "cos_character",  # cos(draft, character_text)
    "card_words",  # share of the draft's content words that are the card's
    "example_phrases",  # word pairs of the agent's example lines the draft repeats (up to 3)/3
    "first_person",  # share of the draft's sentences with I / me / my / we ...
    "own_name",  # the draft names the character (third person, or the member misnamed)
    "assistant",  # an assistant's phrase ("As an AI", "I'd be happy to help", ...)
    "length",  # log(1 + words) / 4
    "message_words",  # share of the member's content words the draft takes up
)
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "our", "us"})
ASSISTANT = re.compile(
    r"\b(?:as an ai|language model|i'?d be (?:happy|glad) to|here are (?:some|a few)"
    r"|i can help|how can i (?:help|assist)|feel free to|let me know if|i hope this helps"
    r"|it'?s important to|in conclusion|tips?\b)",
    re.I,
)
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")
_DIGITS = re.compile(r"\d+(?:[.,:]\d+)*")


def character_text(persona: Persona) -> str:
    """What the character sounds like, in the owner's own words."""
    return " ".join(
        t for t in (persona.personality, persona.tone, persona.greeting, *_lines(persona)) if t
    )


def card_text(persona: Persona) -> str:
    """Every field of the card a reply may draw on."""
    fields = (persona.tagline, persona.scenario, *persona.traits, *persona.interests)
    return " ".join(t for t in (character_text(persona), *fields) if t)


def _lines(persona: Persona) -> list[str]:
    return [
        line.text
        for dialogue in persona.example_dialogues
        for line in dialogue
        if line.speaker == "agent"
    ]


def _pairs(text: str) -> set[tuple[str, str]]:
    return set(itertools.pairwise(words(text)))


def _own_names(persona: Persona) -> set[str]:
    """The words of the character's name that name it (not "the", "sir", ...)."""
    return content_words(persona.name) - {"captain", "sir", "dr", "mr", "mrs", "ms", "miss"}


def features(
    drafts: Sequence[str], *, message: str, persona: Persona, embedder: Embedder
) -> NDArray[np.float64]:
    """One row of ``FEATURES`` per draft: shape (len(drafts), len(FEATURES))."""
    vectors = embedder.embed([message, character_text(persona), *drafts], "query")
    card = content_words(card_text(persona))
    phrases = set().union(*(_pairs(line) for line in _lines(persona))) if _lines(persona) else set()
    names = _own_names(persona)
    asked = content_words(message)
    rows = []
    for draft, vector in zip(drafts, vectors[2:], strict=True):
        said = content_words(draft)
        sentences = [s for s in _SENTENCE.findall(draft) if s.strip()] or [draft]
        rows.append(
            [
                float(vector @ vectors[0]),
                float(vector @ vectors[1]),
                len(said & card) / len(said) if said else 0.0,
                min(len(_pairs(draft) & phrases), 3) / 3,
                sum(bool(FIRST_PERSON & set(words(s))) for s in sentences) / len(sentences),
                float(bool(names & set(words(draft)))),
                float(bool(ASSISTANT.search(draft))),
                math.log1p(len(draft.split())) / 4,
                len(said & asked) / len(asked) if asked else 0.0,
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(drafts), len(FEATURES))


@dataclass(frozen=True)
class Judge:
    """A logistic model over standardised ``FEATURES``:
    P(yes) = sigmoid(((features - mean) / scale) @ weights + bias)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        z = (rows - np.asarray(self.mean)) / np.asarray(self.scale)  # (N, F)
        logits: NDArray[np.float64] = z @ np.asarray(self.weights) + self.bias  # (N,)
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float64)


@cache
def judges(path: Path = WEIGHTS) -> tuple[Judge, Judge]:
    """The shipped (on topic, in voice) judges."""
    data = json.loads(path.read_text())
    assert tuple(data["features"]) == FEATURES, "choosing.json was fitted on other features"
    return tuple(  # type: ignore[return-value]
        Judge(
            tuple(data["mean"]),
            tuple(data["scale"]),
            tuple(data[q]["weights"]),
            float(data[q]["bias"]),
        )
        for q in ("on_topic", "in_voice")
    )


def invented_numbers(draft: str, known: str) -> bool:
    """Whether ``draft`` states a number (digits) that ``known`` does not."""
    return bool(set(_DIGITS.findall(draft)) - set(_DIGITS.findall(known)))


def fits(
    drafts: Sequence[str], *, message: str, persona: Persona, embedder: Embedder
) -> list[float]:
    """Each draft's P(on topic) x P(in voice) by the shipped judges."""
    rows = features(drafts, message=message, persona=persona, embedder=embedder)
    topic, voice = judges()
    return [float(p) for p in topic.probability(rows) * voice.probability(rows)]


def choose(
    drafts: Sequence[str],
    *,
    message: str,
    persona: Persona,
    embedder: Embedder | None,
    known: str = "",
) -> int:
    """The index of the draft to show: the best fit of those that invent no number (of all,
    when every one does), or the first when there is no embedder (or one draft). ``known`` is
    the conversation so far; the card is always known."""
    if embedder is None or len(drafts) < 2:
        return 0
    scores = fits(drafts, message=message, persona=persona, embedder=embedder)
    context = f"{card_text(persona)} {known} {message}"
    allowed = [i for i, d in enumerate(drafts) if not invented_numbers(d, context)]
    return max(allowed or range(len(drafts)), key=scores.__getitem__)
