"""A member sends a DM: the message is stored and committed, who answers it is decided once
(``agent_threads.who_answers``), and it is handed to the reply worker. ``reply_stream`` is what
a client following the reply sees, as server-sent events: ``message`` (theirs, stored),
``delta``s of the agent's reply as it is written, then ``reply`` (the stored reply with its
citations), ``draft`` (the owner reviews it first) or ``silent`` (nobody answers it now), and
finally ``done``. Both HTTP shells (the API's threads and the web pages) send through here.
"""

from __future__ import annotations

import json
import queue
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy.orm import Session

from townsquare.db import Database
from townsquare.db.models import Account, Message
from townsquare.presenters.messages import MessagePublic, message_public
from townsquare.social import messages
from townsquare.studio.conversation import agent_threads
from townsquare.studio.conversation.types import Delta, Outcome, ReplyEvent
from townsquare.studio.conversation.worker import ReplyWorker

REPLY_TIMEOUT_S = 300.0  # a follower gives up waiting (the reply still lands) after this


@dataclass(frozen=True)
class Sent:
    message: MessagePublic
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
    follow: bool = False,
) -> Sent:
    """Stores ``sender``'s message and, in a thread with an agent that answers it, hands it to
    the worker (``follow``: subscribed to its reply first). Commits: a message is answered only
    once it is committed, and no transaction stays open while a reply is written."""
    message, created = messages.send_message(
        session, sender, thread_id, text, client_key=client_key
    )
    session.commit()
    shown = message_public(session, message)
    answerer = agent_threads.who_answers(session, message) if created else None
    session.commit()
    events = worker.subscribe(message.id) if follow and answerer is not None else None
    if answerer is not None:
        worker.submit(message.id, answerer.id)
    return Sent(shown, created, answerer is not None, events)


def follow_reply(worker: ReplyWorker, sent: Sent) -> Iterator[Delta | Outcome | None]:
    """The reply's Deltas, then its Outcome; None when it is taking longer than
    ``REPLY_TIMEOUT_S`` (it will still land in the thread)."""
    if sent.events is None:
        return
    yield from worker.follow(sent.message.id, sent.events, REPLY_TIMEOUT_S)


def reply_stream(database: Database, worker: ReplyWorker, sent: Sent) -> Iterator[str]:
    """The server-sent events of a sent message and its reply (the module's docstring)."""
    yield _sse("message", sent.message)
    if sent.events is None:
        yield _sse("silent", {"detail": "nobody answers this message automatically"})
        yield _sse("done", {})
        return
    for event in follow_reply(worker, sent):
        if event is None:
            yield _sse(
                "error", {"detail": "the reply is taking long; it will appear in the thread"}
            )
        elif isinstance(event, Delta):
            yield _sse("delta", {"text": event.text})
        else:
            yield _outcome_event(database, event)
    yield _sse("done", {})


def _sse(event: str, data: BaseModel | dict[str, object]) -> str:
    payload = data.model_dump_json() if isinstance(data, BaseModel) else json.dumps(data)
    return f"event: {event}\ndata: {payload}\n\n"


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
