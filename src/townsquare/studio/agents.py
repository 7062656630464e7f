"""Agents: create, read, change, delete, with who may see and change each one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from townsquare.db.models import (
    Account,
    Agent,
    KnowledgeChunk,
    KnowledgeSource,
    Media,
    Message,
    ThreadMember,
)
from townsquare.db.types import utcnow
from townsquare.db.unique import Duplicate, once
from townsquare.errors import Conflict, Forbidden, InvalidInput, NotFound
from townsquare.social.accounts import normalise_handle
from townsquare.social.media import store_media
from townsquare.social.pagination import Page, paginate
from townsquare.social.quotas import Quotas
from townsquare.studio.lorebook_entries import validate_lorebook
from townsquare.studio.spec import AgentProfile, AgentSpec

AGENT_ACCOUNT_KIND = "agent"
# An agent's account has no password: this value never verifies, so nobody can sign in as one.
_NO_PASSWORD = "!agent"


ONE_CREATOR = "@{handle} already has a creator agent; edit that one"
TAKEN = "the handle @{handle} is taken"


def create_agent(
    session: Session,
    owner: Account,
    spec: AgentSpec,
    *,
    lorebook: dict[str, Any] | None = None,
    card_extra: dict[str, Any] | None = None,
) -> Agent:
    """A new agent with its own account. A creator agent is an AI of its owner, so each person
    has at most one, and only they can make it; a business agent belongs to a business account."""
    if owner.kind == AGENT_ACCOUNT_KIND:
        raise Forbidden("an agent cannot own agents")
    if spec.kind == "creator":
        existing = session.scalar(
            select(Agent.id).where(Agent.owner_id == owner.id, Agent.kind == "creator")
        )
        if existing is not None:
            raise Conflict(ONE_CREATOR.format(handle=owner.handle))
    if spec.kind == "business" and owner.kind != "business":
        raise Forbidden("only a business account can create a business agent")
    handle = normalise_handle(spec.handle)
    if session.scalar(select(Account.id).where(Account.handle == handle)) is not None:
        raise Conflict(TAKEN.format(handle=handle))
    account = Account(
        handle=handle,
        kind=AGENT_ACCOUNT_KIND,
        display_name=spec.name,
        email=None,
        password_hash=_NO_PASSWORD,
        bio=spec.tagline,
    )
    # Two requests at once pass the checks above; the unique handle and the one creator agent
    # per owner (constraints) decide, and the second is answered as if it came later.
    try:
        with once(session):
            session.add(account)
    except Duplicate:
        raise Conflict(TAKEN.format(handle=handle)) from None
    agent = Agent(
        account_id=account.id,
        owner_id=owner.id,
        kind=spec.kind,
        lorebook=lorebook,
        card_extra=card_extra or {},
        knowledge_version=0,
    )
    _apply_profile(agent, account, spec)
    try:
        with once(session):
            session.add(agent)
    except Duplicate:
        raise Conflict(ONE_CREATOR.format(handle=owner.handle)) from None
    return agent


def _apply_profile(agent: Agent, account: Account, profile: AgentProfile) -> None:
    account.display_name = profile.name
    account.bio = profile.tagline
    agent.tagline = profile.tagline
    agent.personality = profile.personality
    agent.traits = list(profile.traits)
    agent.interests = list(profile.interests)
    agent.tone = profile.tone
    agent.scenario = profile.scenario
    agent.greeting = profile.greeting
    agent.alternate_greetings = list(profile.alternate_greetings)
    agent.openers = list(profile.openers)
    agent.example_dialogues = [
        [turn.model_dump() for turn in dialogue] for dialogue in profile.example_dialogues
    ]
    agent.instructions = profile.instructions
    agent.avoid_topics = [topic.model_dump() for topic in profile.avoid_topics]
    agent.visibility = profile.visibility
    agent.reply_mode = profile.reply_mode
    agent.reply_sentences = profile.reply_sentences
    agent.updated_at = utcnow()


def agent_profile(session: Session, agent: Agent) -> AgentProfile:
    """The agent's editable fields, as the owner would send them back."""
    account = agent_account(session, agent)
    return AgentProfile.model_validate(
        {
            "name": account.display_name,
            "tagline": agent.tagline,
            "personality": agent.personality,
            "traits": agent.traits,
            "interests": agent.interests,
            "tone": agent.tone,
            "scenario": agent.scenario,
            "greeting": agent.greeting,
            "alternate_greetings": agent.alternate_greetings,
            "openers": agent.openers,
            "example_dialogues": agent.example_dialogues,
            "instructions": agent.instructions,
            "avoid_topics": agent.avoid_topics,
            "visibility": agent.visibility,
            "reply_mode": agent.reply_mode,
            "reply_sentences": agent.reply_sentences,
        }
    )


def update_agent(session: Session, owner: Account, handle: str, changes: dict[str, Any]) -> Agent:
    """Changes some profile fields; the result is validated as a whole."""
    agent = owned_agent(session, owner, handle)
    current = agent_profile(session, agent).model_dump()
    unknown = set(changes) - set(current)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}")
    try:
        profile = AgentProfile.model_validate({**current, **changes})
    except ValidationError as error:  # a change out of range is the caller's mistake: a 422
        raise InvalidInput(
            "; ".join(
                f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
                for problem in error.errors()
            )
        ) from error
    _apply_profile(agent, agent_account(session, agent), profile)
    session.flush()
    return agent


def set_lorebook(
    session: Session, owner: Account, handle: str, book: dict[str, Any] | None
) -> Agent:
    """Replaces the agent's lorebook (checked, see ``validate_lorebook``, once the agent is
    known to be the owner's: a stranger learns nothing from the answer); None removes it."""
    agent = owned_agent(session, owner, handle)
    agent.lorebook = validate_lorebook(book) if book is not None else None
    agent.updated_at = utcnow()
    session.flush()
    return agent


def set_avatar(session: Session, agent: Agent, avatar: Media) -> None:
    if not avatar.mime.startswith("image/"):
        raise InvalidInput(f"an avatar must be an image, not {avatar.mime}")
    agent_account(session, agent).avatar_media_id = avatar.id
    agent.updated_at = utcnow()
    session.flush()


def change_avatar(
    session: Session,
    owner: Account,
    handle: str,
    *,
    data: bytes,
    media_dir: Path,
    quotas: Quotas | None = None,
) -> Agent:
    """Stores ``data`` as the picture of ``owner``'s agent (an upload of ``owner``'s, under
    ``quotas``)."""
    agent = owned_agent(session, owner, handle)
    stored = store_media(session, media_dir, agent_account(session, agent), data, quotas=quotas)
    set_avatar(session, agent, stored)
    return agent


def delete_agent(session: Session, owner: Account, handle: str) -> None:
    """Removes the agent and its account; its DM threads keep the messages it sent."""
    agent = owned_agent(session, owner, handle)
    account = agent_account(session, agent)
    session.delete(agent)
    session.flush()
    # The account stays (messages reference it) but can no longer be reached as an agent.
    account.display_name = f"{account.display_name[:60]} (deleted agent)"
    session.flush()


def agent_account(session: Session, agent: Agent) -> Account:
    account = session.get(Account, agent.account_id)
    assert account is not None, "an agent always has its account"
    return account


def find_agent(session: Session, handle: str) -> Agent | None:
    return session.scalar(
        select(Agent)
        .join(Account, Account.id == Agent.account_id)
        .where(Account.handle == handle.strip().lstrip("@").lower())
    )


def agent_for_account(session: Session, account_id: int) -> Agent | None:
    return session.scalar(select(Agent).where(Agent.account_id == account_id))


def can_see(agent: Agent, viewer: Account | None) -> bool:
    """Public and unlisted agents can be talked to by anyone with the handle; private ones only
    by their owner."""
    return agent.visibility != "private" or (viewer is not None and viewer.id == agent.owner_id)


def visible_agent(session: Session, viewer: Account | None, handle: str) -> Agent:
    agent = find_agent(session, handle)
    if agent is None or not can_see(agent, viewer):
        raise NotFound(f"no agent @{handle.strip().lstrip('@')}")
    return agent


def cited_passage(
    session: Session, viewer: Account, handle: str, chunk_id: int
) -> tuple[KnowledgeChunk, KnowledgeSource]:
    """A passage of an uploaded file the agent learned, for its owner, or for a member it was
    cited to (one of the agent's messages in a thread of theirs cites it); anyone else is
    answered as for a missing passage, so passages cannot be read by counting ids. Posts are
    cited by linking the post itself."""
    agent = visible_agent(session, viewer, handle)
    row = session.execute(
        select(KnowledgeChunk, KnowledgeSource)
        .join(KnowledgeSource, KnowledgeSource.id == KnowledgeChunk.source_id)
        .where(
            KnowledgeChunk.id == chunk_id,
            KnowledgeChunk.agent_id == agent.id,
            KnowledgeSource.kind == "file",
            KnowledgeSource.status == "ready",
        )
    ).first()
    if row is None or not (
        viewer.id == agent.owner_id or _cited_to(session, agent, viewer, chunk_id)
    ):
        raise NotFound(f"@{handle.lstrip('@')} has no passage {chunk_id}")
    chunk, source = row
    return chunk, source


def _cited_to(session: Session, agent: Agent, viewer: Account, chunk_id: int) -> bool:
    """Whether a message of ``agent`` in one of ``viewer``'s threads cites the passage."""
    threads = select(ThreadMember.thread_id).where(ThreadMember.account_id == viewer.id)
    cited = session.scalars(
        select(Message.citations).where(
            Message.sender_id == agent.account_id,
            Message.thread_id.in_(threads),
            Message.citations.is_not(None),
        )
    )
    return any(c.get("chunk_id") == chunk_id for citations in cited for c in citations or [])


def owned_agent(session: Session, owner: Account, handle: str) -> Agent:
    agent = visible_agent(session, owner, handle)
    if agent.owner_id != owner.id:
        raise Forbidden(f"@{handle.strip().lstrip('@')} is not your agent")
    return agent


def list_agents(
    session: Session,
    viewer: Account | None,
    *,
    owner: Account | None = None,
    cursor: str | None,
    limit: int = 20,
) -> Page[Agent]:
    """Public agents (the directory), or one owner's agents; an owner also sees their private
    and unlisted ones."""
    query = select(Agent)
    if owner is not None:
        query = query.where(Agent.owner_id == owner.id)
        if viewer is None or viewer.id != owner.id:
            query = query.where(Agent.visibility == "public")
    else:
        query = query.where(Agent.visibility == "public")
    return paginate(session, query, Agent.id, cursor=cursor, limit=limit)


@dataclass(frozen=True)
class InstanceAgent:
    agent: Agent
    account: Account  # the agent's own account: handle, name
    owner: Account


def instance_agents(session: Session) -> list[InstanceAgent]:
    """Every agent on this instance, private ones included, oldest first: for whoever runs the
    instance (the CLI), never for a member."""
    owners = aliased(Account)
    rows = session.execute(
        select(Agent, Account, owners)
        .join(Account, Account.id == Agent.account_id)
        .join(owners, owners.id == Agent.owner_id)
        .order_by(Agent.id)
    )
    return [InstanceAgent(agent, account, owner) for agent, account, owner in rows]
