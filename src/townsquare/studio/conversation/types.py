"""What flows through a reply: its inputs, the pieces streamed as it is written, the final
``Reply`` of the pipeline, and the ``Outcome`` of answering a DM message (sent, drafted, silent)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from townsquare.studio.conversation.memory import Turn
from townsquare.studio.conversation.persona import Persona
from townsquare.studio.knowledge.passages import Passage


@dataclass(frozen=True)
class ReplyInput:
    persona: Persona
    message: str
    history: Sequence[Turn]  # oldest first, before ``message``
    summary: str = ""
    member_name: str = "there"


@dataclass(frozen=True)
class Delta:
    """A piece of the reply to show now."""

    text: str


@dataclass(frozen=True)
class Reply:
    text: str  # final text (what is stored and shown; the UI adds the AI label)
    citations: list[dict[str, object]]  # Passage.citation(quote) of the passages actually used
    # "tools": a business agent's turn (``studio.business.turn``)
    outcome: Literal["answered", "quoted", "unknown", "avoided", "chat", "tools"]
    passages: list[Passage]  # what was retrieved (for debugging and evaluation)
    offer_handoff: bool  # "unknown": the agent offered to pass the question to its owner
    transferred: bool = False  # a business agent handed the conversation to its owner


@dataclass(frozen=True)
class Outcome:
    """How a member message was answered: ``reply`` (a message was sent), ``draft`` (waiting
    for the owner), or ``silent`` (nobody should answer: taken over, off, answered already)."""

    kind: Literal["reply", "draft", "silent"]
    message_id: int | None = None
    draft_id: int | None = None
    outcome: str = ""  # the pipeline's: answered | quoted | unknown | avoided | chat
    citations: list[dict[str, object]] = field(default_factory=list)


ReplyEvent = Delta | Outcome
