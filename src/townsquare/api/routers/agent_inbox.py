"""An agent's inbox, for its owner: read its threads, approve or edit its drafts, take a
thread over and answer in person, hand it back."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from townsquare.api.deps import CurrentAccount
from townsquare.api.routers.threads import Citation, MessagePublic, message_public
from townsquare.db.models import Account, AgentDraft, AgentThread, Message
from townsquare.http import Cursor, IdPath, Limit, SessionDep
from townsquare.presenters import AccountSummary, PageOut, RequestModel, account_summary
from townsquare.social.messages import MAX_MESSAGE
from townsquare.studio.business import tickets
from townsquare.studio.conversation import agent_threads

router = APIRouter(prefix="/agents/{handle}", tags=["agent inbox"])


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


class DraftApproval(RequestModel):
    text: str | None = Field(
        None, min_length=1, max_length=MAX_MESSAGE, description="Your edit; omit to send as is."
    )


class OwnerMessage(RequestModel):
    text: str = Field(min_length=1, max_length=MAX_MESSAGE)


class HandBack(BaseModel):
    notice: MessagePublic | None = Field(description="What the agent said on resuming.")


def _thread_public(session: SessionDep, state: AgentThread) -> AgentThreadPublic:
    member = session.get(Account, state.member_id)
    assert member is not None
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
        member=account_summary(member),
        taken_over=state.taken_over_at is not None,
        pending_drafts=pending or 0,
        last_message=message_public(session, last) if last is not None else None,
        handoff_summary=tickets.handoff_summary(session, state.thread_id),
    )


def _draft_public(session: SessionDep, draft: AgentDraft) -> DraftPublic:
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


@router.get("/threads", response_model=PageOut[AgentThreadPublic])
def list_threads(
    handle: str, me: CurrentAccount, session: SessionDep, cursor: Cursor = None, limit: Limit = 20
) -> PageOut[AgentThreadPublic]:
    """Your agent's conversations, newest first."""
    page = agent_threads.list_agent_threads(session, me, handle, cursor=cursor, limit=limit)
    return PageOut(
        items=[_thread_public(session, s) for s in page.items], next_cursor=page.next_cursor
    )


@router.get("/threads/{thread_id}/messages", response_model=PageOut[MessagePublic])
def thread_messages(
    handle: str,
    thread_id: IdPath,
    me: CurrentAccount,
    session: SessionDep,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOut[MessagePublic]:
    """One conversation of your agent, newest first."""
    page = agent_threads.thread_messages(session, me, handle, thread_id, cursor=cursor, limit=limit)
    return PageOut(
        items=[message_public(session, m) for m in page.items], next_cursor=page.next_cursor
    )


@router.post("/threads/{thread_id}/takeover", response_model=AgentThreadPublic)
def take_over(
    handle: str, thread_id: IdPath, me: CurrentAccount, session: SessionDep
) -> AgentThreadPublic:
    """You answer this conversation in person; the agent stays silent until you hand it back."""
    state = agent_threads.take_over(session, me, handle, thread_id)
    session.commit()
    return _thread_public(session, state)


@router.post("/threads/{thread_id}/handback", response_model=HandBack)
def hand_back(handle: str, thread_id: IdPath, me: CurrentAccount, session: SessionDep) -> HandBack:
    """The agent answers again, and tells the member it is back."""
    notice = agent_threads.hand_back(session, me, handle, thread_id)
    session.commit()
    return HandBack(notice=message_public(session, notice) if notice is not None else None)


@router.post(
    "/threads/{thread_id}/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=MessagePublic,
)
def send_in_person(
    handle: str, thread_id: IdPath, body: OwnerMessage, me: CurrentAccount, session: SessionDep
) -> MessagePublic:
    """Writes to the member yourself (signed with your account, not labelled AI). This takes
    the thread over."""
    message = agent_threads.owner_send(session, me, handle, thread_id, body.text)
    session.commit()
    return message_public(session, message)


@router.get("/drafts", response_model=PageOut[DraftPublic])
def list_drafts(
    handle: str,
    me: CurrentAccount,
    session: SessionDep,
    status_: Annotated[
        Literal["pending", "sent", "discarded"] | None,
        Query(alias="status", description="Only drafts in this state."),
    ] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> PageOut[DraftPublic]:
    """Replies your agent wrote for you to review (reply mode `drafts`), newest first."""
    page = agent_threads.list_drafts(
        session, me, handle, status=status_, cursor=cursor, limit=limit
    )
    return PageOut(
        items=[_draft_public(session, d) for d in page.items], next_cursor=page.next_cursor
    )


@router.post("/drafts/{draft_id}/approve", response_model=MessagePublic)
def approve_draft(
    handle: str, draft_id: IdPath, body: DraftApproval, me: CurrentAccount, session: SessionDep
) -> MessagePublic:
    """Sends a draft, as written or with your edit."""
    message = agent_threads.approve_draft(session, me, handle, draft_id, text=body.text)
    session.commit()
    return message_public(session, message)


@router.post("/drafts/{draft_id}/discard", response_model=DraftPublic)
def discard_draft(
    handle: str, draft_id: IdPath, me: CurrentAccount, session: SessionDep
) -> DraftPublic:
    """Drops a draft; the member gets no reply to that message unless you write one."""
    draft = agent_threads.discard_draft(session, me, handle, draft_id)
    session.commit()
    return _draft_public(session, draft)
