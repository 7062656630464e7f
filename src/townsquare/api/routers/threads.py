"""Direct-message threads."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from townsquare.api.deps import CurrentAccount, Cursor, IdPath, Limit, SessionDep
from townsquare.api.schemas import AccountSummary, PageOut, RequestModel, RowId, account_summary
from townsquare.db.models import Account, Message, Thread
from townsquare.social import accounts, messages

router = APIRouter(prefix="/threads", tags=["messages"])


class ThreadCreate(RequestModel):
    handles: list[str] = Field(min_length=1, max_length=messages.MAX_MEMBERS - 1)


class ThreadPublic(BaseModel):
    id: int
    members: list[AccountSummary]
    last_message_at: datetime
    unread: int


class MessageCreate(RequestModel):
    text: str = Field(min_length=1, max_length=messages.MAX_MESSAGE)
    client_key: str | None = Field(
        None, max_length=64, description="Your id for this message; a retry with it is stored once."
    )


class MessagePublic(BaseModel):
    id: int
    thread_id: int
    sender: AccountSummary
    text: str
    created_at: datetime


class ReadMark(RequestModel):
    message_id: RowId


def _thread_public(session: SessionDep, me: Account, thread: Thread) -> ThreadPublic:
    ids = messages.thread_member_ids(session, thread.id)
    members = session.scalars(select(Account).where(Account.id.in_(ids)).order_by(Account.id))
    return ThreadPublic(
        id=thread.id,
        members=[account_summary(a) for a in members],
        last_message_at=thread.last_message_at,
        unread=messages.unread_count(session, me, thread.id),
    )


def _message_public(session: SessionDep, message: Message) -> MessagePublic:
    sender = session.get(Account, message.sender_id)
    assert sender is not None
    return MessagePublic(
        id=message.id,
        thread_id=message.thread_id,
        sender=account_summary(sender),
        text=message.text,
        created_at=message.created_at,
    )


@router.get("", response_model=PageOut[ThreadPublic])
def list_threads(
    me: CurrentAccount, session: SessionDep, cursor: Cursor = None, limit: Limit = 20
) -> PageOut[ThreadPublic]:
    """Your threads."""
    page = messages.list_threads(session, me, cursor=cursor, limit=limit)
    return PageOut(
        items=[_thread_public(session, me, t) for t in page.items], next_cursor=page.next_cursor
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ThreadPublic)
def open_thread(body: ThreadCreate, me: CurrentAccount, session: SessionDep) -> ThreadPublic:
    """Opens the thread with these accounts (or returns the one that exists)."""
    others = [accounts.get_account(session, handle) for handle in body.handles]
    thread = messages.open_thread(session, me, others)
    session.commit()
    return _thread_public(session, me, thread)


@router.get("/{thread_id}", response_model=ThreadPublic)
def get_thread(thread_id: IdPath, me: CurrentAccount, session: SessionDep) -> ThreadPublic:
    """One of your threads."""
    return _thread_public(session, me, messages.member_thread(session, me, thread_id))


@router.get("/{thread_id}/messages", response_model=PageOut[MessagePublic])
def list_messages(
    thread_id: IdPath,
    me: CurrentAccount,
    session: SessionDep,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOut[MessagePublic]:
    """A thread's messages, newest first."""
    page = messages.list_messages(session, me, thread_id, cursor=cursor, limit=limit)
    return PageOut(
        items=[_message_public(session, m) for m in page.items], next_cursor=page.next_cursor
    )


@router.post(
    "/{thread_id}/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=MessagePublic,
    responses={200: {"description": "A retry: the message was already stored."}},
)
def send_message(
    thread_id: IdPath,
    body: MessageCreate,
    me: CurrentAccount,
    session: SessionDep,
    response: Response,
) -> MessagePublic:
    """Sends a message. Answered only once it is committed."""
    message, created = messages.send_message(
        session, me, thread_id, body.text, client_key=body.client_key
    )
    session.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return _message_public(session, message)


@router.post("/{thread_id}/read", status_code=status.HTTP_204_NO_CONTENT)
def mark_read(thread_id: IdPath, body: ReadMark, me: CurrentAccount, session: SessionDep) -> None:
    """Marks the thread read up to a message."""
    messages.mark_read(session, me, thread_id, body.message_id)
    session.commit()
