"""How a character's replies are scored.

- **repetition** — ``degeneration.repeated_ngram_share``: the share of a reply's 4-word
  sequences said earlier in the same reply.
- **over the limit** — a reply with more sentences than the persona's ``reply_sentences``.
- **on topic** and **in voice** — a ``Judge`` each: an embedding score of the reply against
  the member's line (or the character) and a threshold. Which embedder, which score and which
  threshold were chosen on half of the hand labels (``*labels*.jsonl``) and checked on the
  other half by ``judges.py``, which prints the agreement of every candidate; ``TOPIC`` and
  ``VOICE`` below are the winners. The reply path's own draft chooser (``choosing``) reads a
  different score (MiniLM, absolute), so the bench does not grade the chooser by itself.

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

from evals.characters import characters, scripts
from townsquare.ai.e5_embedder import E5Embedder
from townsquare.ai.embeddings import Embedder
from townsquare.ai.sentence_embedder import SentenceTransformerEmbedder
from townsquare.studio.conversation.persona import Persona

Model = Literal["MiniLM", "e5"]
Measure = Literal["relative", "cosine"]


@dataclass(frozen=True)
class Judge:
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
    cast = characters()
    names = [c.persona.name for c in cast]
    members = sorted({line for c in cast for s in scripts(c.persona) for line in s.lines})
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


# Chosen by ``judges.py`` on the even rows of the 120 hand labels; agreement on the odd rows:
# on topic 0.77 (MiniLM relative and cosine tie; e5 0.57-0.63; always "yes" 0.68), in voice
# 0.75 (e5 cosine and MiniLM relative tie; e5 is taken, as the draft chooser reads MiniLM).
# The topic judge is MiniLM like the chooser (e5 does worse than always "yes"), but relative to
# the other member lines where the chooser reads the plain cosine; hand labels of the bench's
# own replies are the check on both (docs/benchmarks.md, "fourth pass").
TOPIC = Judge("MiniLM", "relative", 0.088)
VOICE = Judge("e5", "cosine", 0.823)


def judge(said: Sequence[Said]) -> tuple[list[bool], list[bool]]:
    """(on topic, in voice) of each reply, by ``TOPIC`` and ``VOICE``."""
    topic = raw_scores(said, TOPIC.model)[f"on_topic/{TOPIC.measure}"]
    voice = raw_scores(said, VOICE.model)[f"in_voice/{VOICE.measure}"]
    return [v >= TOPIC.threshold for v in topic], [v >= VOICE.threshold for v in voice]
