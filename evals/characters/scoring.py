"""How a character's replies are scored.

- **repetition** — ``degeneration.repeated_ngram_share``: the share of a reply's 4-word
  sequences said earlier in the same reply.
- **over the limit** — a reply with more sentences than the persona's ``reply_sentences``.
- **on topic** and **in voice** — the learned judges of the reply path's draft chooser
  (``choosing``: a logistic model each over general features of the reply, MiniLM), fitted
  on the hand labels (``*labels*.jsonl``, ``*check*.jsonl``, ``*rater*.jsonl``) and checked on
  characters they were not fitted on by ``judges.py``. The bench and the chooser read the same
  judges, so a run with drafts is graded by what chose its replies: its judge figures are
  flattered, and hand labels of its replies are the measure.
- The earlier judges (``EARLIER``): an embedding score of the reply against the member's line
  (or the character) and a threshold, kept as the baseline.

The scores:

- ``relative`` — cos(reply, own line or character) less the mean cos(reply, each other member
  line of the set, or each other character): a reply that would fit any character (or none:
  "As an AI language model ...") is not in voice, and a short reply is not off topic for being
  short;
- ``cosine`` — the plain cosine.

A character is its description, tone, greeting and the agent's lines of its example dialogues
(``voice_text``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from evals.characters import (
    FRESH_SETS,
    Character,
    characters,
    fresh_conversations,
    scripts,
)
from townsquare.ai.e5_embedder import E5Embedder
from townsquare.ai.embeddings import Embedder
from townsquare.ai.sentence_embedder import SentenceTransformerEmbedder
from townsquare.studio.conversation.choosing import FEATURES, features, judges
from townsquare.studio.conversation.persona import Persona

Model = Literal["MiniLM", "e5"]
Measure = Literal["relative", "cosine"]


@dataclass(frozen=True)
class ThresholdJudge:
    model: Model
    measure: Measure
    threshold: float  # a reply passes at or over it


@dataclass(frozen=True)
class Said:
    """One reply to be judged: who said it, to which member line."""

    character: str
    member: str
    reply: str


def voice_text(persona: Persona) -> str:
    lines = [
        line.text
        for dialogue in persona.example_dialogues
        for line in dialogue
        if line.speaker == "agent"
    ]
    return " ".join([persona.personality, persona.tone, persona.greeting, *lines])


def relative(
    vector: NDArray[np.float32], own: NDArray[np.float32], others: NDArray[np.float32]
) -> float:
    """cos(vector, own) less the mean cos(vector, each of others)."""
    return float(vector @ own - (others @ vector).mean())


@cache
def embedder(model: Model) -> Embedder:
    return E5Embedder() if model == "e5" else SentenceTransformerEmbedder()


def raw_scores(said: Sequence[Said], model: Model) -> dict[str, list[float]]:
    """Every score of every reply with ``model``: "on_topic/relative", "in_voice/cosine", ..."""
    cast, members = set_of(said)
    names = [c.persona.name for c in cast]
    encode = embedder(model).embed
    lines, voices = encode(members, "query"), encode([voice_text(c.persona) for c in cast], "query")
    out: dict[str, list[float]] = {
        f"{q}/{m}": [] for q in ("on_topic", "in_voice") for m in ("relative", "cosine")
    }
    for vector, s in zip(encode([s.reply for s in said], "query"), said, strict=True):
        k, j = members.index(s.member), names.index(s.character)
        out["on_topic/relative"].append(relative(vector, lines[k], np.delete(lines, k, axis=0)))
        out["on_topic/cosine"].append(float(vector @ lines[k]))
        out["in_voice/relative"].append(relative(vector, voices[j], np.delete(voices, j, axis=0)))
        out["in_voice/cosine"].append(float(vector @ voices[j]))
    return out


def set_of(said: Sequence[Said]) -> tuple[list[Character], list[str]]:
    """The set (dev or one of the fresh sets) the replies were said in: its characters and member
    lines, which each reply is scored against."""
    if {s.character for s in said} <= {c.persona.name for c in characters()}:
        cast = characters()
        return cast, sorted({line for c in cast for s in scripts(c.persona) for line in s.lines})
    for folder in FRESH_SETS:
        fresh = fresh_conversations(folder)
        if {s.character for s in said} <= {c.persona.name for c, _ in fresh}:
            return [c for c, _ in fresh], sorted({line for _, s in fresh for line in s.lines})
    raise ValueError("replies of characters from more than one set, or of none")


# The earlier bench judges (``talk7``), chosen by ``judges.py`` on the even rows of the 120
# hand labels of then: on topic MiniLM relative, in voice e5 cosine, each over a threshold.
# Kept as the baseline the learned judges are compared with on the same held-out labels.
EARLIER = (
    ThresholdJudge("MiniLM", "relative", 0.088),
    ThresholdJudge("e5", "cosine", 0.823),
)


def threshold_judge(said: Sequence[Said]) -> tuple[list[bool], list[bool]]:
    """(on topic, in voice) of each reply, by the ``EARLIER`` judges."""
    topic, voice = EARLIER
    on_topic = raw_scores(said, topic.model)[f"on_topic/{topic.measure}"]
    in_voice = raw_scores(said, voice.model)[f"in_voice/{voice.measure}"]
    return [v >= topic.threshold for v in on_topic], [v >= voice.threshold for v in in_voice]


def feature_rows(said: Sequence[Said]) -> NDArray[np.float64]:
    """``choosing.features`` of each reply (MiniLM, the agent's embedder), one row each."""
    fresh = [c for folder in FRESH_SETS for c, _ in fresh_conversations(folder)]
    everyone = [*characters(), *fresh]
    cast = {c.persona.name: c.persona for c in everyone}
    rows = [
        features(
            [s.reply], message=s.member, persona=cast[s.character], embedder=embedder("MiniLM")
        )
        for s in said
    ]
    return np.vstack(rows) if rows else np.zeros((0, len(FEATURES)))


def judge(said: Sequence[Said]) -> tuple[list[bool], list[bool]]:
    """(on topic, in voice) of each reply by the shipped learned judges (``choosing.json``):
    yes at a probability of 0.5 or more."""
    rows = feature_rows(said)
    topic, voice = judges()
    return (
        [bool(p >= 0.5) for p in topic.probability(rows)],
        [bool(p >= 0.5) for p in voice.probability(rows)],
    )
