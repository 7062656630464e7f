"""The persona: everything the reply pipeline knows about an agent, read once, then frozen.

The model only ever reads it: nothing a member says can change a ``Persona`` (it is a frozen
dataclass of tuples, built fresh from the database for each reply). Card fields that are notes
for humans — ``creator_notes`` and the rest of ``agent.card_extra`` — are deliberately not
fields here, so no prompt can contain them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent
from townsquare.studio.agents import agent_account
from townsquare.studio.spec import DEFAULT_REPLY_SENTENCES, GROUNDED_KINDS


@dataclass(frozen=True)
class AvoidTopic:
    """A subject the agent does not discuss, and the owner's reply, sent as is."""

    topic: str
    reply: str


@dataclass(frozen=True)
class ExampleLine:
    speaker: Literal["user", "agent"]
    text: str


@dataclass(frozen=True)
class Persona:
    name: str
    handle: str
    kind: str  # character | creator | business | assistant
    owner_handle: str
    owner_name: str
    tagline: str = ""
    personality: str = ""
    traits: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    tone: str = ""
    scenario: str = ""
    greeting: str = ""
    example_dialogues: tuple[tuple[ExampleLine, ...], ...] = ()
    instructions: str = ""
    avoid_topics: tuple[AvoidTopic, ...] = ()
    # A Character Card ``character_book`` (see ``studio.lorebook``); None when there is none.
    lorebook: Mapping[str, Any] | None = None
    # The most sentences a free (character or assistant) reply may have: the owner's setting.
    reply_sentences: int = DEFAULT_REPLY_SENTENCES

    @property
    def grounded(self) -> bool:
        """Speaks for a real person or business, so every fact must come from a source."""
        return self.kind in GROUNDED_KINDS

    @property
    def names(self) -> frozenset[str]:
        """Words that name the agent or its owner: never a fact in themselves."""
        text = f"{self.name} {self.handle} {self.owner_name} {self.owner_handle}"
        return frozenset(word for word in text.lower().replace("_", " ").split() if word)


def persona_from_agent(session: Session, agent: Agent) -> Persona:
    """The persona of ``agent`` as its owner last saved it."""
    account = agent_account(session, agent)
    owner = session.get(Account, agent.owner_id)
    assert owner is not None, "an agent always has its owner"
    dialogues = tuple(
        tuple(
            ExampleLine("user" if line["speaker"] == "user" else "agent", line["text"])
            for line in dialogue
        )
        for dialogue in agent.example_dialogues
    )
    return Persona(
        name=account.display_name,
        handle=account.handle,
        kind=agent.kind,
        owner_handle=owner.handle,
        owner_name=owner.display_name,
        tagline=agent.tagline,
        personality=agent.personality,
        traits=tuple(agent.traits),
        interests=tuple(agent.interests),
        tone=agent.tone,
        scenario=agent.scenario,
        greeting=agent.greeting,
        example_dialogues=dialogues,
        instructions=agent.instructions,
        avoid_topics=tuple(AvoidTopic(t["topic"], t["reply"]) for t in agent.avoid_topics),
        # A copy: the persona must not alias the row's JSON, which the session may change.
        lorebook=copy.deepcopy(agent.lorebook) if agent.lorebook else None,
        reply_sentences=agent.reply_sentences,
    )
