"""How a character's replies are scored, with the MiniLM embedder (``SentenceTransformerEmbedder``).

- **repetition** — ``degeneration.repeated_ngram_share``: the share of a reply's 4-word
  sequences said earlier in the same reply.
- **over the limit** — a reply with more sentences than the persona's ``reply_sentences``.
- **on topic** — the reply is closer to the member's line it answers than to the member's other
  lines in the whole set: ``cos(reply, line) - mean cos(reply, other lines) >= margin``.
- **in voice** — the reply is closer to its own character than to the others:
  ``cos(reply, own voice) - mean cos(reply, other voices) >= margin``, where a voice is the
  character's description, tone, greeting and the agent's lines of its example dialogues.

Both are relative, so a short everyday reply ("Not bad, thanks!") is not marked off topic for
being short, and a reply that would fit any character (or none: "As an AI language model ...")
is not in voice. The margins are chosen, and checked, by ``validate``: the example dialogues'
agent lines paired with their own member line and character (positives) and with every other
card's (negatives); the margin is the highest that nine in ten positives reach, and the share of
negatives it turns away says how much it tells apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from townsquare.ai.embeddings import Embedder
from townsquare.studio.conversation.persona import Persona

RECALL = 0.9
# Lines no character should say: each is a negative for every character's voice.
OFF_VOICE = (
    "As an AI language model, I can help you with that.",
    "I am an AI assistant. How can I help you today?",
    "You are a pixel-art critic.",
    "Sure! Here is a list of ten tips.",
    "I'm not sure if it's a compliment, but it's a compliment.",
)


def voice_text(persona: Persona, leave_out: str = "") -> str:
    lines = [
        line.text
        for dialogue in persona.example_dialogues
        for line in dialogue
        if line.speaker == "agent" and line.text != leave_out
    ]
    return " ".join([persona.personality, persona.tone, persona.greeting, *lines])


def relative(
    vector: NDArray[np.float32], own: NDArray[np.float32], others: NDArray[np.float32]
) -> float:
    """cos(vector, own) less the mean cos(vector, each of others)."""
    return float(vector @ own - (others @ vector).mean())


@dataclass(frozen=True)
class Validation:
    margin: float
    positives: int
    negatives: int
    true_positive: float  # share of positives at or over the margin
    true_negative: float  # share of negatives under it


def best_margin(positives: Sequence[float], negatives: Sequence[float]) -> Validation:
    """The highest margin that ``RECALL`` of the positives reach, and the share of negatives it
    turns away: a reply passes when it is as close to its line (or character) as nine in ten
    of the card authors' own example lines are."""
    ranked = sorted(positives, reverse=True)
    margin = ranked[max(0, int(np.ceil(RECALL * len(ranked))) - 1)]
    tp = sum(p >= margin for p in positives) / len(positives)
    tn = sum(n < margin for n in negatives) / len(negatives)
    return Validation(round(margin, 3), len(positives), len(negatives), tp, tn)


def validate(personas: Sequence[Persona], embedder: Embedder) -> tuple[Validation, Validation]:
    """(topic, voice): the best margins on the example dialogues, as described above."""
    pairs = [
        (index, previous.text, line.text)
        for index, persona in enumerate(personas)
        for dialogue in persona.example_dialogues
        for previous, line in itertools.pairwise(dialogue)
        if previous.speaker == "user" and line.speaker == "agent"
    ]
    members = embedder.embed([member for _, member, _ in pairs], "query")
    replies = embedder.embed([reply for _, _, reply in pairs], "query")
    topic_pos, topic_neg, voice_pos, voice_neg = [], [], [], []
    for k, (index, _, reply) in enumerate(pairs):
        others = np.delete(members, k, axis=0)
        topic_pos.append(relative(replies[k], members[k], others))
        for j in range(len(pairs)):
            if pairs[j][0] != index:
                rest = np.delete(members, j, axis=0)
                topic_neg.append(relative(replies[k], members[j], rest))
        voices = embedder.embed([voice_text(p, leave_out=reply) for p in personas], "query")
        own, rest = voices[index], np.delete(voices, index, axis=0)
        voice_pos.append(relative(replies[k], own, rest))
        for j in range(len(personas)):
            if j != index:
                voice_neg.append(relative(replies[k], voices[j], np.delete(voices, j, axis=0)))
    voices = embedder.embed([voice_text(p) for p in personas], "query")
    for line in embedder.embed(list(OFF_VOICE), "query"):
        for j in range(len(personas)):
            voice_neg.append(relative(line, voices[j], np.delete(voices, j, axis=0)))
    return best_margin(topic_pos, topic_neg), best_margin(voice_pos, voice_neg)
