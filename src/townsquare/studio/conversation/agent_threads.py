"""Direct messages with agents: who answers a thread (the agent, a draft for the owner, or the
owner in person), and the owner's controls over it.

A member talks to an agent in an ordinary DM thread with the agent's account. The agent's
state in that thread (memory, take-over) lives in ``AgentThread``. Agent replies carry
``ai_generated`` (the label the UI shows; no field lets a client unset it) and ``reply_to_id``,
which is unique, so a member message is answered at most once even if two workers race.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent, AgentDraft, AgentThread, Message, Thread
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, Forbidden, InvalidInput, NotFound
from townsquare.social import messages
from townsquare.social.pagination import Page, paginate
from townsquare.studio.agents import agent_account, owned_agent, visible_agent
from townsquare.studio.business.held import approve_held, drop_held

RESUME_NOTICE = (
    "I'm back: {owner} handed this conversation back to me, so I'm answering again."
    " I'm {name}, an automated assistant."
)


@dataclass(frozen=True)
class OpenedThread:
    thread: Thread
    state: AgentThread
    created: bool


def open_agent_thread(session: Session, member: Account, handle: str) -> OpenedThread:
    """The member's thread with an agent; a new thread starts with the agent's greeting."""
    agent = visible_agent(session, member, handle)
    account = agent_account(session, agent)
    if member.id == account.id:
        raise InvalidInput("an agent cannot message itself")
    if agent.reply_mode == "off" and member.id != agent.owner_id:
        raise Forbidden(f"@{account.handle} is not taking messages right now")
    thread = messages.open_thread(session, member, [account])
    state = session.get(AgentThread, thread.id)
    if state is not None:
        return OpenedThread(thread, state, created=False)
    state = AgentThread(thread_id=thread.id, agent_id=agent.id, member_id=member.id, summary="")
    session.add(state)
    session.flush()
    if agent.greeting:
        post_agent_message(session, agent, thread.id, agent.greeting)
    return OpenedThread(thread, state, created=True)


def post_agent_message(
    session: Session,
    agent: Agent,
    thread_id: int,
    text: str,
    *,
    reply_to: Message | None = None,
    citations: list[dict[str, object]] | None = None,
    written_by: Account | None = None,
) -> Message:
    """A message from the agent's account, labelled as AI-generated."""
    message = Message(
        thread_id=thread_id,
        sender_id=agent.account_id,
        text=text[: messages.MAX_MESSAGE],
        ai_generated=True,
        citations=citations or [],
        reply_to_id=reply_to.id if reply_to is not None else None,
        written_by_id=written_by.id if written_by is not None else None,
    )
    session.add(message)
    session.flush()
    thread = session.get(Thread, thread_id)
    assert thread is not None
    thread.last_message_at = message.created_at
    return message


def agent_state_for(session: Session, thread_id: int) -> AgentThread | None:
    return session.get(AgentThread, thread_id)


def who_answers(session: Session, message: Message) -> Agent | None:
    """The agent that should answer ``message`` now, or None: the message is not a member's
    message in an agent thread, the agent is off or taken over, or it was already answered."""
    state = session.get(AgentThread, message.thread_id)
    if state is None or message.sender_id != state.member_id or state.taken_over_at is not None:
        return None
    agent = session.get(Agent, state.agent_id)
    if agent is None or agent.reply_mode == "off":
        return None
    answered = session.scalar(
        select(
            exists().where(Message.reply_to_id == message.id)
            | exists().where(AgentDraft.reply_to_message_id == message.id)
        )
    )
    return None if answered else agent


def unanswered_messages(session: Session, *, limit: int = 100) -> list[int]:
    """Member messages in agent threads still waiting for the agent, oldest first: what a
    restarted server answers. Only each thread's latest message counts (a member who sent three
    messages in a row gets one reply, to all of them)."""
    newest = (
        select(func.max(Message.id))
        .join(AgentThread, AgentThread.thread_id == Message.thread_id)
        .group_by(Message.thread_id)
        .scalar_subquery()
    )
    rows = session.scalars(
        select(Message.id)
        .join(AgentThread, AgentThread.thread_id == Message.thread_id)
        .join(Agent, Agent.id == AgentThread.agent_id)
        .where(
            Message.id.in_(newest),
            Message.sender_id == AgentThread.member_id,
            AgentThread.taken_over_at.is_(None),
            Agent.reply_mode != "off",
            ~exists().where(AgentDraft.reply_to_message_id == Message.id),
        )
        .order_by(Message.id)
        .limit(limit)
    )
    return list(rows)


def store_reply(
    session: Session,
    agent: Agent,
    reply_to: Message,
    text: str,
    citations: list[dict[str, object]],
) -> Message | AgentDraft:
    """Sends the reply, or files it as a draft when the owner approves replies first."""
    if agent.reply_mode == "drafts":
        draft = AgentDraft(
            thread_id=reply_to.thread_id,
            agent_id=agent.id,
            reply_to_message_id=reply_to.id,
            text=text,
            citations=citations,
            status="pending",
        )
        session.add(draft)
        session.flush()
        return draft
    return post_agent_message(
        session, agent, reply_to.thread_id, text, reply_to=reply_to, citations=citations
    )


def recent_messages(
    session: Session, thread_id: int, *, before_id: int, limit: int
) -> list[Message]:
    """The thread's last ``limit`` messages before ``before_id``, oldest first."""
    rows = session.scalars(
        select(Message)
        .where(Message.thread_id == thread_id, Message.id < before_id)
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


# --- The owner's controls -------------------------------------------------------------------


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
    if not text.strip():
        raise InvalidInput("a message needs text")
    if len(text) > messages.MAX_MESSAGE:
        raise InvalidInput(f"a message is at most {messages.MAX_MESSAGE} characters")
    state = take_over(session, owner, handle, thread_id)
    agent = session.get(Agent, state.agent_id)
    assert agent is not None
    message = Message(
        thread_id=thread_id,
        sender_id=agent.account_id,
        text=text,
        ai_generated=False,
        written_by_id=owner.id,
    )
    session.add(message)
    session.flush()
    thread = session.get(Thread, thread_id)
    assert thread is not None
    thread.last_message_at = message.created_at
    return message


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
