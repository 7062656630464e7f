"""A member sends a DM: the message is stored and committed, who answers it is decided once
(``agent_threads.who_answers``), and it is handed to the reply worker. ``follow_reply``
is what a client following the reply waits on: the reply's deltas as it is written, then its
outcome. The API's threads, its chat completions and the web pages all send through here
(``presenters.messages.reply_events`` shows the two HTTP shells' event stream).
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from townsquare.db import reading_first
from townsquare.db.models import Account, Message
from townsquare.social import messages, quotas
from townsquare.studio.conversation.types import Delta, Outcome, ReplyEvent
from townsquare.studio.dm import agent_threads
from townsquare.studio.dm.worker import ReplyWorker

REPLY_TIMEOUT_S = 300.0  # a follower gives up waiting (the reply still lands) after this


@dataclass(frozen=True)
class Sent:
    message: Message  # the stored row, for the caller's session
    message_id: int  # followed by id: the reply outlives the session that sent it
    created: bool  # False: a retry with the same client key, stored before
    answered: bool  # an agent answers it (decided once, here)
    events: queue.Queue[ReplyEvent] | None  # the reply's events, when followed and answered


def send(
    session: Session,
    worker: ReplyWorker,
    sender: Account,
    *,
    thread_id: int,
    text: str,
    client_key: str | None = None,
    shared_post_id: int | None = None,
    follow: bool = False,
) -> Sent:
    """Stores ``sender``'s message and, in a thread with an agent that answers it, hands it to
    the worker (``follow``: subscribed to its reply first); ``shared_post_id``: the message
    shares that post (``messages.send_message`` logs the share). Commits: a message is answered only
    once it is committed, and no transaction stays open while a reply is written. The
    worker's quotas are checked first (``RateLimited``): DMs a member sends, and in a
    thread with an agent, the replies they cause; early, in a transaction that only reads, so
    that a refused message begins no write, then locked (``social.quotas``)."""
    if worker.quotas is not None:
        with reading_first(session):
            _check_quotas(session, sender, worker.quotas, thread_id, lock=False)
        _check_quotas(session, sender, worker.quotas, thread_id, lock=True)
    message, created = messages.send_message(
        session, sender, thread_id, text, client_key=client_key, shared_post_id=shared_post_id
    )
    answerer = agent_threads.who_answers(session, message) if created else None
    if answerer is not None:
        quotas.record_model_call(session, sender)
    session.commit()  # one write: the message and the reply it costs (one fsync on SQLite)
    events = worker.subscribe(message.id) if follow and answerer is not None else None
    if answerer is not None:
        worker.submit(message.id, answerer.id, member_id=sender.id)
    return Sent(message, message.id, created, answerer is not None, events)


def _check_quotas(
    session: Session, sender: Account, limits: quotas.Quotas, thread_id: int, *, lock: bool
) -> None:
    quotas.check_message(session, sender, limits, lock=lock)
    if agent_threads.is_agent_thread(session, thread_id):
        quotas.check_model_call(session, sender, limits, lock=lock)


def follow_reply(worker: ReplyWorker, sent: Sent) -> Iterator[Delta | Outcome | None]:
    """The reply's Deltas, then its Outcome; None when it is taking longer than
    ``REPLY_TIMEOUT_S`` (it will still land in the thread). Nothing for an unfollowed or
    unanswered message."""
    if sent.events is None:
        return
    yield from worker.follow(sent.message_id, sent.events, REPLY_TIMEOUT_S)
