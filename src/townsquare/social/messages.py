"""Direct-message threads between accounts."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Message, Thread, ThreadMember
from townsquare.db.unique import Duplicate, once
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.social.events import record_event
from townsquare.social.pagination import Page, paginate
from townsquare.social.posts import get_post
from townsquare.social.visibility import is_visible

MAX_MESSAGE = 4_000
MAX_MEMBERS = 32


def open_thread(session: Session, starter: Account, others: list[Account]) -> Thread:
    """The existing thread between exactly these accounts, or a new one."""
    member_ids = {starter.id, *(other.id for other in others)}
    if len(member_ids) < 2:
        raise InvalidInput("a thread needs at least one other account")
    if len(member_ids) > MAX_MEMBERS:
        raise InvalidInput(f"a thread has at most {MAX_MEMBERS} members")
    for other in others:
        if not is_visible(session, other.id, starter):
            raise NotFound(f"no account @{other.handle}")
    key = members_key(member_ids)
    existing = session.scalar(select(Thread).where(Thread.members_key == key))
    if existing is not None:
        return existing
    try:
        with once(session):  # two requests at once: one thread, the second finds it
            thread = Thread(members_key=key)
            session.add(thread)
            session.flush()
            session.add_all(
                ThreadMember(thread_id=thread.id, account_id=i) for i in sorted(member_ids)
            )
    except Duplicate:
        return session.scalars(select(Thread).where(Thread.members_key == key)).one()
    return thread


def members_key(member_ids: set[int]) -> str:
    """What makes a thread unique: the SHA-256 of its sorted member ids (``Thread.members_key``)."""
    return hashlib.sha256(",".join(map(str, sorted(member_ids))).encode()).hexdigest()


def member_thread(session: Session, account: Account, thread_id: int) -> Thread:
    """The thread, if ``account`` is in it."""
    thread = session.get(Thread, thread_id)
    if thread is None or session.get(ThreadMember, (thread_id, account.id)) is None:
        raise NotFound(f"no thread {thread_id}")
    return thread


def thread_member_ids(session: Session, thread_id: int) -> list[int]:
    return list(
        session.scalars(
            select(ThreadMember.account_id)
            .where(ThreadMember.thread_id == thread_id)
            .order_by(ThreadMember.account_id)
        )
    )


def check_text(text: str) -> None:
    """The one check of a message's text: not blank, and at most ``MAX_MESSAGE`` characters."""
    if not text.strip():
        raise InvalidInput("a message needs text. Write a message first")
    if len(text) > MAX_MESSAGE:
        raise InvalidInput(f"a message is at most {MAX_MESSAGE} characters")


def append(
    session: Session,
    thread: Thread,
    sender_id: int,
    text: str,
    *,
    client_key: str | None = None,
    ai_generated: bool = False,
    citations: list[dict[str, object]] | None = None,
    reply_to_id: int | None = None,
    written_by_id: int | None = None,
    shared_post_id: int | None = None,
) -> Message:
    """The one writer of a message: checks its text, stores it, and moves the thread's
    ``last_message_at``. ``ai_generated`` is set by the server only (an agent's reply)."""
    check_text(text)
    message = Message(
        thread_id=thread.id,
        sender_id=sender_id,
        text=text,
        client_key=client_key,
        ai_generated=ai_generated,
        citations=citations,
        reply_to_id=reply_to_id,
        written_by_id=written_by_id,
        shared_post_id=shared_post_id,
    )
    session.add(message)
    session.flush()
    thread.last_message_at = message.created_at
    return message


def send_message(
    session: Session,
    sender: Account,
    thread_id: int,
    text: str,
    *,
    client_key: str | None = None,
    shared_post_id: int | None = None,
) -> tuple[Message, bool]:
    """A member's message; returns (message, created). A repeated ``client_key`` from the same
    sender returns the stored message instead of a duplicate, so clients can retry safely.
    ``shared_post_id``: the message shares that post (one the sender may see, not one meant
    for them alone), and the sender's ``share`` event is logged with it."""
    thread = member_thread(session, sender, thread_id)
    check_text(text)
    shared = None if shared_post_id is None else get_post(session, shared_post_id, sender.id)
    if shared is not None and shared.audience_id is not None:
        raise Forbidden(f"post {shared.id} was written for you alone; it cannot be shared")
    if client_key is not None:
        previous = _sent_with(session, sender, thread, client_key)
        if previous is not None:
            return previous, False
    try:
        with once(session):  # the same key sent twice at once: the second gets the first
            message = append(
                session,
                thread,
                sender.id,
                text,
                client_key=client_key,
                shared_post_id=shared_post_id,
            )
    except Duplicate:
        assert client_key is not None  # the only unique key a new message can repeat
        again = _sent_with(session, sender, thread, client_key)
        assert again is not None
        return again, False
    if shared is not None:
        record_event(
            session,
            sender,
            "share",
            surface="messages",
            post_id=shared.id,
            extra={"message": message.id},
        )
    mark_read(session, sender, thread.id, message.id)
    return message, True


def _sent_with(
    session: Session, sender: Account, thread: Thread, client_key: str
) -> Message | None:
    """The message ``sender`` stored under ``client_key``, if any; in another thread, refused."""
    previous = session.scalar(
        select(Message).where(Message.sender_id == sender.id, Message.client_key == client_key)
    )
    if previous is not None and previous.thread_id != thread.id:
        raise Forbidden("client_key was already used in another thread")
    return previous


def list_messages(
    session: Session, account: Account, thread_id: int, *, cursor: str | None, limit: int = 50
) -> Page[Message]:
    member_thread(session, account, thread_id)
    query = select(Message).where(Message.thread_id == thread_id)
    return paginate(session, query, Message.id, cursor=cursor, limit=limit)


def list_threads(
    session: Session, account: Account, *, cursor: str | None, limit: int = 20
) -> Page[Thread]:
    query = select(Thread).join(ThreadMember).where(ThreadMember.account_id == account.id)
    return paginate(session, query, Thread.id, cursor=cursor, limit=limit)


def mark_read(session: Session, account: Account, thread_id: int, message_id: int) -> None:
    membership = session.get(ThreadMember, (thread_id, account.id))
    if membership is None:
        raise NotFound(f"no thread {thread_id}")
    if membership.last_read_message_id is None or membership.last_read_message_id < message_id:
        membership.last_read_message_id = message_id


def unread_count(session: Session, account: Account, thread_id: int) -> int:
    membership = session.get(ThreadMember, (thread_id, account.id))
    if membership is None:
        raise NotFound(f"no thread {thread_id}")
    query = select(func.count()).where(
        Message.thread_id == thread_id, Message.sender_id != account.id
    )
    if membership.last_read_message_id is not None:
        query = query.where(Message.id > membership.last_read_message_id)
    return session.scalar(query) or 0
