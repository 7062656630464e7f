"""Direct-message threads."""

from __future__ import annotations

import json
import queue
from collections.abc import Iterator
from datetime import datetime

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.api.deps import CurrentAccount
from townsquare.db import Database
from townsquare.db.models import Account, Message, Thread
from townsquare.http import Cursor, IdPath, Limit, SessionDep
from townsquare.presenters import AccountSummary, PageOut, RequestModel, RowId, account_summary
from townsquare.social import accounts, messages
from townsquare.studio.conversation import agent_threads
from townsquare.studio.conversation.answering import Outcome, ReplyEvent, ReplyWorker
from townsquare.studio.conversation.pipeline import Delta

router = APIRouter(prefix="/threads", tags=["messages"])

REPLY_TIMEOUT_S = 300.0  # a streamed reply gives up waiting (the reply still lands) after this


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


def message_public(session: Session, message: Message) -> MessagePublic:
    sender = session.get(Account, message.sender_id)
    assert sender is not None
    writer = session.get(Account, message.written_by_id) if message.written_by_id else None
    return MessagePublic(
        id=message.id,
        thread_id=message.thread_id,
        sender=account_summary(sender),
        text=message.text,
        created_at=message.created_at,
        ai_generated=message.ai_generated,
        label="AI" if message.ai_generated else None,
        written_by=account_summary(writer) if writer is not None else None,
        citations=[Citation.model_validate(c) for c in message.citations or []],
        reply_to_id=message.reply_to_id,
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
        items=[message_public(session, m) for m in page.items], next_cursor=page.next_cursor
    )


@router.post(
    "/{thread_id}/messages",
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
    message, created = messages.send_message(
        session, me, thread_id, body.text, client_key=body.client_key
    )
    session.commit()
    stored = message_public(session, message)
    worker: ReplyWorker = request.app.state.reply_worker
    needs_reply = created and agent_threads.who_answers(session, message) is not None
    session.commit()  # no transaction may stay open while the reply streams
    if "text/event-stream" in request.headers.get("accept", ""):
        events = worker.subscribe(message.id) if needs_reply else None
        if needs_reply:
            worker.submit(message.id)
        return StreamingResponse(
            _reply_stream(request.app.state.database, worker, stored, events),
            status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    if needs_reply:
        worker.submit(message.id)
    if not created:
        response.status_code = status.HTTP_200_OK
    return stored


def _sse(event: str, data: BaseModel | dict[str, object]) -> str:
    payload = data.model_dump_json() if isinstance(data, BaseModel) else json.dumps(data)
    return f"event: {event}\ndata: {payload}\n\n"


def _reply_stream(
    database: Database,
    worker: ReplyWorker,
    sent: MessagePublic,
    events: queue.Queue[ReplyEvent] | None,
) -> Iterator[str]:
    yield _sse("message", sent)
    if events is None:
        yield _sse("silent", {"detail": "nobody answers this message automatically"})
        yield _sse("done", {})
        return
    for event in worker.follow(sent.id, events, REPLY_TIMEOUT_S):
        if event is None:
            yield _sse(
                "error", {"detail": "the reply is taking long; it will appear in the thread"}
            )
        elif isinstance(event, Delta):
            yield _sse("delta", {"text": event.text})
        else:
            yield _outcome_event(database, event)
    yield _sse("done", {})


def _outcome_event(database: Database, outcome: Outcome) -> str:
    if outcome.kind == "reply" and outcome.message_id is not None:
        with database.session() as session:
            reply = session.get(Message, outcome.message_id)
            assert reply is not None
            return _sse("reply", message_public(session, reply))
    if outcome.kind == "draft":
        return _sse(
            "draft",
            {"draft_id": outcome.draft_id, "detail": "the agent's owner reviews replies first"},
        )
    if outcome.outcome == "error":
        return _sse("error", {"detail": "the agent could not answer now; it will retry"})
    return _sse("silent", {"detail": "the agent is not answering this thread now"})


@router.post("/{thread_id}/read", status_code=status.HTTP_204_NO_CONTENT)
def mark_read(thread_id: IdPath, body: ReadMark, me: CurrentAccount, session: SessionDep) -> None:
    """Marks the thread read up to a message."""
    messages.mark_read(session, me, thread_id, body.message_id)
    session.commit()
