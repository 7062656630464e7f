"""Direct messages with agents: opening a member's thread with an agent, the one place that
decides who answers a message (``who_answers``), and the agent's side of the thread (its
messages, its drafts for the owner). The owner's controls are in ``studio.owner_inbox``.

A member talks to an agent in an ordinary DM thread with the agent's account. The agent's
state in that thread (memory, take-over) lives in ``AgentThread``. Agent replies carry
``ai_generated`` (the label the UI shows; no field lets a client unset it) and ``reply_to_id``,
which is unique, so a member message is answered at most once even if two workers race.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from townsquare.db.models import (
    Account,
    Agent,
    AgentDraft,
    AgentThread,
    Message,
    ReplyClaim,
    Thread,
)
from townsquare.errors import Forbidden, InvalidInput
from townsquare.social import messages
from townsquare.studio.agents import agent_account, visible_agent
from townsquare.studio.conversation.macros import expand
from townsquare.studio.conversation.types import Outcome


@dataclass(frozen=True)
class OpenedThread:
    thread: Thread
    state: AgentThread
    created: bool


def open_agent_thread(session: Session, member: Account, handle: str) -> OpenedThread:
    """The member's thread with an agent; a new thread starts with the agent's greeting, its
    card's ``{{char}}``/``{{user}}`` macros read as the agent's and the member's names."""
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
        user = member.display_name or member.handle
        greeting = expand(agent.greeting, char=account.display_name, user=user)
        post_agent_message(session, agent, thread.id, greeting)
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
    """A message from the agent's account, labelled as AI-generated (cut to the longest message
    a member may send)."""
    thread = session.get(Thread, thread_id)
    assert thread is not None
    return messages.append(
        session,
        thread,
        agent.account_id,
        text[: messages.MAX_MESSAGE],
        ai_generated=True,
        citations=citations or [],
        reply_to_id=reply_to.id if reply_to is not None else None,
        written_by_id=written_by.id if written_by is not None else None,
    )


def is_agent_thread(session: Session, thread_id: int) -> bool:
    """Whether an agent talks in ``thread_id`` (its replies cost model calls)."""
    found = session.scalar(select(AgentThread.agent_id).where(AgentThread.thread_id == thread_id))
    return found is not None


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


def stored_outcome(session: Session, message_id: int) -> Outcome | None:
    """How ``message_id`` was answered, read from what is stored (the truth a reply's stream
    only runs ahead of): the reply or the draft, ``silent`` when nobody will answer it, None
    while an answer is still due. An answer stored between these reads (PostgreSQL's READ
    COMMITTED sees each statement's own moment) makes nobody answer the message any more: the
    stored answer is read once more then, so it is never mistaken for ``silent``."""
    stored = _stored_answer(session, message_id)
    if stored is not None:
        return stored
    message = session.get(Message, message_id)
    if message is not None and who_answers(session, message) is not None:
        return None
    return _stored_answer(session, message_id) or Outcome("silent")


def _stored_answer(session: Session, message_id: int) -> Outcome | None:
    reply = session.scalar(select(Message).where(Message.reply_to_id == message_id))
    if reply is not None:
        return Outcome("reply", reply.id, None, citations=list(reply.citations or []))
    draft = session.scalar(select(AgentDraft).where(AgentDraft.reply_to_message_id == message_id))
    if draft is not None:
        return Outcome("draft", None, draft.id, citations=list(draft.citations))
    return None


def unanswered_messages(
    session: Session, *, limit: int = 100, unclaimed_at: datetime | None = None
) -> list[int]:
    """Member messages in agent threads still waiting for the agent, oldest first: what a
    restarted server answers. Only each thread's latest message counts (a member who sent three
    messages in a row gets one reply, to all of them). ``unclaimed_at``: only those no process
    holds a claim on at that time (``studio.dm.claims``), locked for this transaction, skipping
    rows another transaction is claiming (PostgreSQL's ``FOR NO KEY UPDATE SKIP LOCKED``;
    SQLite's one writer needs no lock)."""
    newest = (
        select(func.max(Message.id))
        .join(AgentThread, AgentThread.thread_id == Message.thread_id)
        .group_by(Message.thread_id)
        .scalar_subquery()
    )
    query = (
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
    if unclaimed_at is not None:
        query = query.where(
            ~exists().where(
                ReplyClaim.message_id == Message.id, ReplyClaim.expires_at > unclaimed_at
            )
        ).with_for_update(of=Message, key_share=True, skip_locked=True)
    return list(session.scalars(query))


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
