"""Generate-and-choose for free replies: a character writes a few drafts at its usual
temperature and the one that best fits is shown.

The fit is read with the agent's own embedder: how close a draft is to the member's message
(does it answer what was said?) plus how close it is to the character (its personality, tone,
greeting and the agent's lines of its example dialogues: does it sound like them?). Absolute
cosines, since the reply path knows one character only. How well this picks the better of two
replies was checked on hand-labelled replies (``evals/characters/judges.py``, "choosing"),
which the character benchmark does not score; the benchmark reports a different judge
(multilingual-e5, relative to the other characters and member lines), so a better figure there
is not the chooser agreeing with itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from townsquare.ai.embeddings import Embedder
from townsquare.studio.conversation.persona import Persona


def character_text(persona: Persona) -> str:
    """What the character sounds like, in the owner's own words."""
    lines = [
        line.text
        for dialogue in persona.example_dialogues
        for line in dialogue
        if line.speaker == "agent"
    ]
    return " ".join(t for t in (persona.personality, persona.tone, persona.greeting, *lines) if t)


def fits(
    drafts: Sequence[str], *, message: str, persona: Persona, embedder: Embedder
) -> list[float]:
    """Each draft's cos(draft, message) + cos(draft, character)."""
    vectors = embedder.embed([message, character_text(persona), *drafts], "query")
    message_vector, character_vector, rest = vectors[0], vectors[1], vectors[2:]
    return [float(v @ message_vector + v @ character_vector) for v in rest]


def choose(
    drafts: Sequence[str], *, message: str, persona: Persona, embedder: Embedder | None
) -> int:
    """The index of the draft to show: the best fit, or the first when there is no embedder
    (or one draft)."""
    if embedder is None or len(drafts) < 2:
        return 0
    scores = fits(drafts, message=message, persona=persona, embedder=embedder)
    return max(range(len(drafts)), key=scores.__getitem__)
