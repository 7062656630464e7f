"""Direct-message threads."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import Cursor, IdPath, Limit, SessionDep, event_stream, wants_event_stream
from townsquare.presenters import HandleIn, PageOut, RequestModel, RowId, page_out
from townsquare.presenters.messages import (
    MessagePublic,
    ThreadPublic,
    message_public,
    reply_events,
    thread_public,
)
from townsquare.social import accounts, messages
from townsquare.studio.dm import sending

router = APIRouter(prefix="/threads", tags=["messages"])


class ThreadCreate(RequestModel):
    handles: list[HandleIn] = Field(min_length=1, max_length=messages.MAX_MEMBERS - 1)


class MessageCreate(RequestModel):
    text: str = Field(min_length=1, max_length=messages.MAX_MESSAGE)
    client_key: str | None = Field(
        None, max_length=64, description="Your id for this message; a retry with it is stored once."
    )
    shared_post_id: RowId | None = Field(
        None, description="Share this post with the message (one you may see); logs your share."
    )


class ReadMark(RequestModel):
    message_id: RowId


@router.get("", response_model=PageOut[ThreadPublic])
def list_threads(
    me: CurrentAccount, session: SessionDep, cursor: Cursor = None, limit: Limit = 20
) -> PageOut[ThreadPublic]:
    """Your threads."""
    page = messages.list_threads(session, me, cursor=cursor, limit=limit)
    return page_out(page, lambda t: thread_public(session, me, t))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ThreadPublic)
def open_thread(body: ThreadCreate, me: CurrentAccount, session: SessionDep) -> ThreadPublic:
    """Opens the thread with these accounts (or returns the one that exists)."""
    others = [accounts.get_account(session, handle) for handle in body.handles]
    thread = messages.open_thread(session, me, others)
    session.commit()
    return thread_public(session, me, thread)


@router.get("/{thread_id:int}", response_model=ThreadPublic)
def get_thread(thread_id: IdPath, me: CurrentAccount, session: SessionDep) -> ThreadPublic:
    """One of your threads."""
    return thread_public(session, me, messages.member_thread(session, me, thread_id))


@router.get("/{thread_id:int}/messages", response_model=PageOut[MessagePublic])
def list_messages(
    thread_id: IdPath,
    me: CurrentAccount,
    session: SessionDep,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOut[MessagePublic]:
    """A thread's messages, newest first."""
    page = messages.list_messages(session, me, thread_id, cursor=cursor, limit=limit)
    return page_out(page, lambda m: message_public(session, m))


@router.post(
    "/{thread_id:int}/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=MessagePublic,
    responses={
        200: {"description": "A retry: the message was already stored."},
        201: {
            "content": {
                "text/event-stream": {
                    "description": "With `Accept: text/event-stream`, in a thread with an agent: "
                    "`message` (yours, stored), `delta`s of the agent's reply as it is written, "
                    "then `reply` (the stored reply with citations), `draft` (its owner reviews "
                    "it first) or `silent` (its owner answers in person); finally `done`."
                }
            }
        },
    },
)
def send_message(
    thread_id: IdPath,
    body: MessageCreate,
    me: CurrentAccount,
    session: SessionDep,
    request: Request,
    response: Response,
) -> MessagePublic | StreamingResponse:
    """Sends a message; answered only once it is committed. In a thread with an agent, the
    agent replies in the background (or streams its reply here, see the responses)."""
    stream = wants_event_stream(request)
    worker = request.app.state.reply_worker
    sent = sending.send(
        session,
        worker,
        me,
        thread_id=thread_id,
        text=body.text,
        client_key=body.client_key,
        shared_post_id=body.shared_post_id,
        follow=stream,
    )
    shown = message_public(session, sent.message)
    if stream:
        return event_stream(
            reply_events(request.app.state.database, worker, sent, shown),
            status_code=status.HTTP_201_CREATED if sent.created else status.HTTP_200_OK,
        )
    if not sent.created:
        response.status_code = status.HTTP_200_OK
    return shown


@router.post("/{thread_id:int}/read", status_code=status.HTTP_204_NO_CONTENT)
def mark_read(thread_id: IdPath, body: ReadMark, me: CurrentAccount, session: SessionDep) -> None:
    """Marks the thread read up to a message."""
    messages.mark_read(session, me, thread_id, body.message_id)
    session.commit()
