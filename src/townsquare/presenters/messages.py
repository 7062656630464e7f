"""Public shapes of DM threads and messages, of an agent's inbox (its threads and drafts), and
the events a member following an agent's reply sees (``reply_events``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.db import Database
from townsquare.db.models import Account, AgentDraft, AgentThread, Message, Thread
from townsquare.presenters import AccountSummary, account_summary, account_summary_by_id
from townsquare.social import messages
from townsquare.studio.business import tickets
from townsquare.studio.conversation.types import Delta, Outcome
from townsquare.studio.dm.sending import Sent, follow_reply
from townsquare.studio.dm.worker import ReplyWorker


class ThreadPublic(BaseModel):
    id: int
    members: list[AccountSummary]
    last_message_at: datetime
    unread: int


class Citation(BaseModel):
    """A passage an agent's reply drew on; ``url`` links to it."""

    chunk_id: int
    source_id: int
    source_kind: str
    title: str
    locator: str
    url: str
    quote: str


class MessagePublic(BaseModel):
    id: int
    thread_id: int
    sender: AccountSummary
    text: str
    created_at: datetime
    ai_generated: bool = Field(description="An agent wrote it; clients must show `label`.")
    label: str | None = Field(description='"AI" on every agent-written message, else null.')
    written_by: AccountSummary | None = Field(
        description="The human who wrote or edited a message sent from an agent's account."
    )
    citations: list[Citation]
    reply_to_id: int | None
    shared_post_id: int | None = Field(description="The post this message shares, if any.")


class AgentThreadPublic(BaseModel):
    thread_id: int
    member: AccountSummary
    taken_over: bool = Field(description="You answer in person; the agent stays silent.")
    pending_drafts: int
    last_message: MessagePublic | None
    handoff_summary: str | None = Field(
        description="A business agent's summary when it handed the conversation to you."
    )


class DraftPublic(BaseModel):
    id: int
    thread_id: int
    reply_to: MessagePublic
    text: str
    citations: list[Citation]
    status: str
    sent_message_id: int | None
    created_at: datetime
    decided_at: datetime | None


def thread_public(session: Session, me: Account, thread: Thread) -> ThreadPublic:
    ids = messages.thread_member_ids(session, thread.id)
    members = session.scalars(select(Account).where(Account.id.in_(ids)).order_by(Account.id))
    return ThreadPublic(
        id=thread.id,
        members=[account_summary(a) for a in members],
        last_message_at=thread.last_message_at,
        unread=messages.unread_count(session, me, thread.id),
    )


def message_public(session: Session, message: Message) -> MessagePublic:
    writer = message.written_by_id
    return MessagePublic(
        id=message.id,
        thread_id=message.thread_id,
        sender=account_summary_by_id(session, message.sender_id),
        text=message.text,
        created_at=message.created_at,
        ai_generated=message.ai_generated,
        label="AI" if message.ai_generated else None,
        written_by=account_summary_by_id(session, writer) if writer else None,
        citations=[Citation.model_validate(c) for c in message.citations or []],
        reply_to_id=message.reply_to_id,
        shared_post_id=message.shared_post_id,
    )


def agent_thread_public(session: Session, state: AgentThread) -> AgentThreadPublic:
    last = session.scalar(
        select(Message)
        .where(Message.thread_id == state.thread_id)
        .order_by(Message.id.desc())
        .limit(1)
    )
    pending = session.scalar(
        select(func.count()).where(
            AgentDraft.thread_id == state.thread_id, AgentDraft.status == "pending"
        )
    )
    return AgentThreadPublic(
        thread_id=state.thread_id,
        member=account_summary_by_id(session, state.member_id),
        taken_over=state.taken_over_at is not None,
        pending_drafts=pending or 0,
        last_message=message_public(session, last) if last is not None else None,
        handoff_summary=tickets.handoff_summary(session, state.thread_id),
    )


def draft_public(session: Session, draft: AgentDraft) -> DraftPublic:
    reply_to = session.get(Message, draft.reply_to_message_id)
    assert reply_to is not None
    return DraftPublic(
        id=draft.id,
        thread_id=draft.thread_id,
        reply_to=message_public(session, reply_to),
        text=draft.text,
        citations=[Citation.model_validate(c) for c in draft.citations],
        status=draft.status,
        sent_message_id=draft.sent_message_id,
        created_at=draft.created_at,
        decided_at=draft.decided_at,
    )


ReplyStreamEvent = tuple[str, MessagePublic | dict[str, object]]


def reply_events(
    database: Database, worker: ReplyWorker, sent: Sent, shown: MessagePublic
) -> Iterator[ReplyStreamEvent]:
    """What a member following their message sees, as named events: ``message`` (``shown``,
    theirs, stored), ``delta``s of the agent's reply as it is written, then ``reply`` (the
    stored reply with its citations), ``draft`` (the owner reviews it first) or ``silent``
    (nobody answers it now), and finally ``done``."""
    yield "message", shown
    if sent.events is None:
        yield "silent", {"detail": "nobody answers this message automatically"}
        yield "done", {}
        return
    for event in follow_reply(worker, sent):
        if event is None:
            yield "error", {"detail": "the reply is taking long; it will appear in the thread"}
        elif isinstance(event, Delta):
            yield "delta", {"text": event.text}
        else:
            yield _outcome_event(database, event)
    yield "done", {}


def _outcome_event(database: Database, outcome: Outcome) -> ReplyStreamEvent:
    if outcome.kind == "reply" and outcome.message_id is not None:
        with database.session() as session:
            reply = session.get(Message, outcome.message_id)
            assert reply is not None
            return "reply", message_public(session, reply)
    if outcome.kind == "draft":
        return "draft", {
            "draft_id": outcome.draft_id,
            "detail": "the agent's owner reviews replies first",
        }
    if outcome.outcome == "error":
        return "error", {"detail": "the agent could not answer now; it will retry"}
    return "silent", {"detail": "the agent is not answering this thread now"}
