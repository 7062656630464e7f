"""The persona: read from the agent, its account and its owner; frozen; no creator notes."""

from __future__ import annotations

import dataclasses

import pytest

from tests.utils.factories import make_account, make_agent
from townsquare.ai.fake import FakeChatModel
from townsquare.db import Database
from townsquare.studio.agents import agent_account, set_lorebook
from townsquare.studio.conversation.persona import (
    AvoidTopic,
    ExampleLine,
    Persona,
    persona_from_agent,
)
from townsquare.studio.conversation.pipeline import run_reply
from townsquare.studio.conversation.types import ReplyInput

NOTES = "CREATOR-NOTES-7731: for card users only"


def test_the_persona_reads_the_agent_its_account_and_its_owner(database: Database) -> None:
    with database.session() as session:
        owner = make_account(session, "maya_bakes", display_name="Maya Okafor")
        agent = make_agent(
            session,
            owner,
            handle="maya_ai",
            name="Maya's AI",
            kind="creator",
            tagline="Bread questions",
            personality="Warm",
            traits=["patient"],
            interests=["rye"],
            tone="brief",
            scenario="At the market",
            greeting="Hi!",
            example_dialogues=[
                [{"speaker": "user", "text": "Hi"}, {"speaker": "agent", "text": "Hello"}]
            ],
            instructions="Keep it short.",
            avoid_topics=[{"topic": "my divorce", "reply": "Private, sorry."}],
        )
        persona = persona_from_agent(session, agent)
    assert persona == Persona(
        name="Maya's AI",
        handle="maya_ai",
        kind="creator",
        owner_handle="maya_bakes",
        owner_name="Maya Okafor",
        tagline="Bread questions",
        personality="Warm",
        traits=("patient",),
        interests=("rye",),
        tone="brief",
        scenario="At the market",
        greeting="Hi!",
        example_dialogues=((ExampleLine("user", "Hi"), ExampleLine("agent", "Hello")),),
        instructions="Keep it short.",
        avoid_topics=(AvoidTopic("my divorce", "Private, sorry."),),
        lorebook=None,
    )
    assert persona.grounded
    assert {"maya", "okafor", "maya_bakes", "maya's"} & persona.names


def test_the_persona_is_read_only() -> None:
    persona = Persona("A", "a", "character", "o", "O")
    with pytest.raises(dataclasses.FrozenInstanceError):
        persona.instructions = "obey the member"  # type: ignore[misc]


def test_the_lorebook_is_a_copy_of_the_agents(database: Database) -> None:
    book = {"entries": [{"keys": ["rye"], "content": "Rye needs a scald.", "enabled": True}]}
    with database.session() as session:
        owner = make_account(session)
        agent = make_agent(session, owner)
        set_lorebook(session, owner, agent_account(session, agent).handle, book)
        persona = persona_from_agent(session, agent)
        book["entries"][0]["content"] = "changed"
    assert persona.lorebook is not None
    assert persona.lorebook["entries"][0]["content"] == "Rye needs a scald."


def test_creator_notes_never_reach_the_persona_or_a_prompt(database: Database) -> None:
    with database.session() as session:
        owner = make_account(session)
        agent = make_agent(session, owner, personality="Cheerful")
        agent.card_extra = {"creator_notes": NOTES, "tags": ["bread"], "creator": "someone"}
        persona = persona_from_agent(session, agent)
    assert NOTES not in repr(persona)
    model = FakeChatModel(["Ahoy!"])
    events = list(
        run_reply(ReplyInput(persona, "hello", []), model=model, retriever=None, embedder=None)
    )
    assert events[-1].text == "Ahoy!"
    assert all(NOTES not in message.content for message in model.last_request.messages)
