"""Agents as members and their owners see them, and the passages they cite."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent, KnowledgeChunk, KnowledgeSource
from townsquare.presenters import AccountSummary, account_summary_by_id, avatar_url
from townsquare.studio import agents
from townsquare.studio.spec import AgentProfile

AI_LABEL = "AI"


class AgentPublic(BaseModel):
    """What anyone who can see the agent sees. ``label`` is always "AI"."""

    handle: str
    name: str
    kind: str
    label: str = AI_LABEL
    tagline: str
    owner: AccountSummary
    avatar_url: str | None
    greeting: str
    openers: list[str]
    traits: list[str]
    interests: list[str]
    tone: str
    visibility: str


class AgentDetail(AgentPublic):
    """The owner's view: every field, the lorebook and the knowledge version."""

    profile: AgentProfile
    lorebook: dict[str, Any] | None
    knowledge_version: int


class PassagePublic(BaseModel):
    """A passage an agent cited: what a citation link shows."""

    chunk_id: int
    source_id: int
    title: str
    locator: str
    text: str


def agent_public(session: Session, agent: Agent) -> AgentPublic:
    account = agents.agent_account(session, agent)
    return AgentPublic(
        handle=account.handle,
        name=account.display_name,
        kind=agent.kind,
        tagline=agent.tagline,
        owner=account_summary_by_id(session, agent.owner_id),
        avatar_url=avatar_url(account),
        greeting=agent.greeting,
        openers=agent.openers,
        traits=agent.traits,
        interests=agent.interests,
        tone=agent.tone,
        visibility=agent.visibility,
    )


def agent_detail(session: Session, agent: Agent) -> AgentDetail:
    return AgentDetail(
        **agent_public(session, agent).model_dump(),
        profile=agents.agent_profile(session, agent),
        lorebook=agent.lorebook,
        knowledge_version=agent.knowledge_version,
    )


def agent_seen_by(session: Session, agent: Agent, viewer: Account) -> AgentPublic | AgentDetail:
    """Every field for the agent's owner, the public ones for anyone else."""
    if agent.owner_id == viewer.id:
        return agent_detail(session, agent)
    return agent_public(session, agent)


def passage_public(chunk: KnowledgeChunk, source: KnowledgeSource) -> PassagePublic:
    return PassagePublic(
        chunk_id=chunk.id,
        source_id=source.id,
        title=source.title,
        locator=chunk.locator,
        text=chunk.text,
    )
