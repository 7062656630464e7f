"""The owner's inbox of an agent: its threads and drafts; take a thread over, answer in person,
hand it back; approve (as written or edited) or discard a draft."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent, AgentDraft, AgentThread, Message, Thread
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, InvalidInput, NotFound
from townsquare.social import messages
from townsquare.social.pagination import Page, paginate
from townsquare.studio.agents import agent_account, owned_agent
from townsquare.studio.business.held import approve_held, drop_held
from townsquare.studio.dm.agent_threads import post_agent_message

RESUME_NOTICE = (
    "I'm back: {owner} handed this conversation back to me, so I'm answering again."
    " I'm {name}, an automated assistant."
)


def owned_agent_thread(
    session: Session, owner: Account, handle: str, thread_id: int
) -> AgentThread:
    agent = owned_agent(session, owner, handle)
    state = session.get(AgentThread, thread_id)
    if state is None or state.agent_id != agent.id:
        raise NotFound(f"@{handle.lstrip('@')} has no thread {thread_id}")
    return state


def list_agent_threads(
    session: Session, owner: Account, handle: str, *, cursor: str | None, limit: int
) -> Page[AgentThread]:
    agent = owned_agent(session, owner, handle)
    query = select(AgentThread).where(AgentThread.agent_id == agent.id)
    return paginate(session, query, AgentThread.thread_id, cursor=cursor, limit=limit)


def thread_messages(
    session: Session, owner: Account, handle: str, thread_id: int, *, cursor: str | None, limit: int
) -> Page[Message]:
    owned_agent_thread(session, owner, handle, thread_id)
    query = select(Message).where(Message.thread_id == thread_id)
    return paginate(session, query, Message.id, cursor=cursor, limit=limit)


def take_over(session: Session, owner: Account, handle: str, thread_id: int) -> AgentThread:
    """The owner answers this thread in person; the agent stays silent until handed back."""
    state = owned_agent_thread(session, owner, handle, thread_id)
    if state.taken_over_at is None:
        state.taken_over_at = utcnow()
        # Drafts written for this thread are moot once a human answers it.
        for draft in session.scalars(
            select(AgentDraft).where(
                AgentDraft.thread_id == thread_id, AgentDraft.status == "pending"
            )
        ):
            draft.status, draft.decided_at = "discarded", utcnow()
            drop_held(session, draft)
        session.flush()
    return state


def hand_back(session: Session, owner: Account, handle: str, thread_id: int) -> Message | None:
    """The agent answers again, and says so in the thread; None if it was not taken over."""
    state = owned_agent_thread(session, owner, handle, thread_id)
    if state.taken_over_at is None:
        return None
    state.taken_over_at = None
    agent = session.get(Agent, state.agent_id)
    assert agent is not None
    name = agent_account(session, agent).display_name
    notice = RESUME_NOTICE.format(owner=f"@{owner.handle}", name=name)
    return post_agent_message(session, agent, thread_id, notice)


def owner_send(session: Session, owner: Account, handle: str, thread_id: int, text: str) -> Message:
    """The owner writes in the thread as a human (sent from the agent's account, not labelled
    AI, signed with the owner). Writing takes the thread over."""
    messages.check_text(text)
    state = take_over(session, owner, handle, thread_id)
    agent = session.get(Agent, state.agent_id)
    thread = session.get(Thread, thread_id)
    assert agent is not None and thread is not None
    return messages.append(session, thread, agent.account_id, text, written_by_id=owner.id)


def list_drafts(
    session: Session,
    owner: Account,
    handle: str,
    *,
    status: str | None,
    cursor: str | None,
    limit: int,
) -> Page[AgentDraft]:
    agent = owned_agent(session, owner, handle)
    query = select(AgentDraft).where(AgentDraft.agent_id == agent.id)
    if status is not None:
        query = query.where(AgentDraft.status == status)
    return paginate(session, query, AgentDraft.id, cursor=cursor, limit=limit)


def _pending_draft(session: Session, owner: Account, handle: str, draft_id: int) -> AgentDraft:
    agent = owned_agent(session, owner, handle)
    draft = session.get(AgentDraft, draft_id)
    if draft is None or draft.agent_id != agent.id:
        raise NotFound(f"@{handle.lstrip('@')} has no draft {draft_id}")
    if draft.status != "pending":
        raise Conflict(f"draft {draft_id} was already {draft.status}")
    return draft


def approve_draft(
    session: Session, owner: Account, handle: str, draft_id: int, *, text: str | None = None
) -> Message:
    """Sends the draft, as written or as the owner edited it. It stays labelled as AI; an edited
    one is also signed with the owner. A business agent's change that waited for this approval
    is done now, and the draft's announcement of it replaced by what came of it."""
    draft = _pending_draft(session, owner, handle, draft_id)
    if text is not None and not text.strip():
        raise InvalidInput("an edited draft needs text")
    if text is not None:
        messages.check_text(text)
    agent = session.get(Agent, draft.agent_id)
    reply_to = session.get(Message, draft.reply_to_message_id)
    assert agent is not None and reply_to is not None
    edited = text is not None and text != draft.text
    outcome = approve_held(session, draft)
    message = post_agent_message(
        session,
        agent,
        draft.thread_id,
        text if edited and text is not None else outcome,
        reply_to=reply_to,
        citations=draft.citations,
        written_by=owner if edited else None,
    )
    draft.status, draft.decided_at, draft.sent_message_id = "sent", utcnow(), message.id
    session.flush()
    return message


def discard_draft(session: Session, owner: Account, handle: str, draft_id: int) -> AgentDraft:
    draft = _pending_draft(session, owner, handle, draft_id)
    draft.status, draft.decided_at = "discarded", utcnow()
    drop_held(session, draft)
    session.flush()
    return draft
