"""An agent's inbox, for its owner: read its threads, approve or edit its drafts, take a
thread over and answer in person, hand it back."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import Cursor, IdPath, Limit, SessionDep
from townsquare.presenters import PageOut, RequestModel, page_out
from townsquare.presenters.messages import (
    AgentThreadPublic,
    DraftPublic,
    MessagePublic,
    agent_thread_public,
    draft_public,
    message_public,
)
from townsquare.social.messages import MAX_MESSAGE
from townsquare.studio import owner_inbox

router = APIRouter(prefix="/agents/{handle}", tags=["agent inbox"])


class DraftApproval(RequestModel):
    text: str | None = Field(
        None, min_length=1, max_length=MAX_MESSAGE, description="Your edit; omit to send as is."
    )


class OwnerMessage(RequestModel):
    text: str = Field(min_length=1, max_length=MAX_MESSAGE)


class HandBack(BaseModel):
    notice: MessagePublic | None = Field(description="What the agent said on resuming.")


@router.get("/threads", response_model=PageOut[AgentThreadPublic])
def list_threads(
    handle: str, me: CurrentAccount, session: SessionDep, cursor: Cursor = None, limit: Limit = 20
) -> PageOut[AgentThreadPublic]:
    """Your agent's conversations, newest first."""
    page = owner_inbox.list_agent_threads(session, me, handle, cursor=cursor, limit=limit)
    return page_out(page, lambda s: agent_thread_public(session, s))


@router.get("/threads/{thread_id:int}/messages", response_model=PageOut[MessagePublic])
def thread_messages(
    handle: str,
    thread_id: IdPath,
    me: CurrentAccount,
    session: SessionDep,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOut[MessagePublic]:
    """One conversation of your agent, newest first."""
    page = owner_inbox.thread_messages(session, me, handle, thread_id, cursor=cursor, limit=limit)
    return page_out(page, lambda m: message_public(session, m))


@router.post("/threads/{thread_id:int}/takeover", response_model=AgentThreadPublic)
def take_over(
    handle: str, thread_id: IdPath, me: CurrentAccount, session: SessionDep
) -> AgentThreadPublic:
    """You answer this conversation in person; the agent stays silent until you hand it back."""
    state = owner_inbox.take_over(session, me, handle, thread_id)
    session.commit()
    return agent_thread_public(session, state)


@router.post("/threads/{thread_id:int}/handback", response_model=HandBack)
def hand_back(handle: str, thread_id: IdPath, me: CurrentAccount, session: SessionDep) -> HandBack:
    """The agent answers again, and tells the member it is back."""
    notice = owner_inbox.hand_back(session, me, handle, thread_id)
    session.commit()
    return HandBack(notice=message_public(session, notice) if notice is not None else None)


@router.post(
    "/threads/{thread_id:int}/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=MessagePublic,
)
def send_in_person(
    handle: str, thread_id: IdPath, body: OwnerMessage, me: CurrentAccount, session: SessionDep
) -> MessagePublic:
    """Writes to the member yourself (signed with your account, not labelled AI). This takes
    the thread over."""
    message = owner_inbox.owner_send(session, me, handle, thread_id, body.text)
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
    page = owner_inbox.list_drafts(session, me, handle, status=status_, cursor=cursor, limit=limit)
    return page_out(page, lambda d: draft_public(session, d))


@router.post("/drafts/{draft_id:int}/approve", response_model=MessagePublic)
def approve_draft(
    handle: str, draft_id: IdPath, body: DraftApproval, me: CurrentAccount, session: SessionDep
) -> MessagePublic:
    """Sends a draft, as written or with your edit."""
    message = owner_inbox.approve_draft(session, me, handle, draft_id, text=body.text)
    session.commit()
    return message_public(session, message)


@router.post("/drafts/{draft_id:int}/discard", response_model=DraftPublic)
def discard_draft(
    handle: str, draft_id: IdPath, me: CurrentAccount, session: SessionDep
) -> DraftPublic:
    """Drops a draft; the member gets no reply to that message unless you write one."""
    draft = owner_inbox.discard_draft(session, me, handle, draft_id)
    session.commit()
    return draft_public(session, draft)
