"""How a reply's events reach the members following it, in whichever process holds their
connection. ``LocalStreams`` hands them over inside one process (SQLite: one server process);
``PostgresStreams`` sends each event as a PostgreSQL ``NOTIFY`` on the installation's channel
and every process's listener hands it to its own followers, so a reply written by one process
streams to a member connected to another.

A notification's payload is bounded (PostgreSQL refuses 8000 bytes and more): a delta goes in
pieces of at most ``PIECE_CHARS`` characters, and an outcome carries ids only; the listener
reads its citations from the stored reply. The stream is a courtesy, the stored message the
truth: a follower that hears nothing for a while reads what is stored
(``ReplyWorker.follow``), so a notification lost with a dropped connection loses no reply.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
from collections.abc import Iterator

import psycopg
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from townsquare.db import Database
from townsquare.db.installation import installation_id
from townsquare.studio.conversation.types import Delta, Outcome, ReplyEvent
from townsquare.studio.dm import agent_threads

log = logging.getLogger(__name__)

PIECE_CHARS = 1_000  # a delta's text per notification: <= 6 bytes a character once in JSON
MAX_PAYLOAD_BYTES = 7_999  # what PostgreSQL accepts in one NOTIFY


class LocalStreams:
    """Followers of replies in this process: one queue per follower of a message."""

    def __init__(self) -> None:
        self._subscribers: dict[int, list[queue.Queue[ReplyEvent]]] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        """Nothing to start in one process."""

    def stop(self) -> None:
        """Nothing to stop in one process."""

    def subscribe(self, message_id: int) -> queue.Queue[ReplyEvent]:
        events: queue.Queue[ReplyEvent] = queue.Queue()
        with self._lock:
            self._subscribers.setdefault(message_id, []).append(events)
        return events

    def unsubscribe(self, message_id: int, events: queue.Queue[ReplyEvent]) -> None:
        with self._lock:
            listeners = self._subscribers.get(message_id, [])
            if events in listeners:
                listeners.remove(events)
            if not listeners:
                self._subscribers.pop(message_id, None)

    def publish(self, message_id: int, event: ReplyEvent) -> None:
        """Sends ``event`` to every follower of ``message_id`` (here: in this process)."""
        self.deliver(message_id, event)

    def deliver(self, message_id: int, event: ReplyEvent) -> None:
        with self._lock:
            listeners = list(self._subscribers.get(message_id, []))
        for listener in listeners:
            listener.put(event)


def encode(message_id: int, event: ReplyEvent) -> Iterator[str]:
    """``event`` as notification payloads, each under ``MAX_PAYLOAD_BYTES``."""
    if isinstance(event, Delta):
        # Numbered: PostgreSQL delivers identical payloads of one transaction only once.
        for number, start in enumerate(range(0, max(len(event.text), 1), PIECE_CHARS)):
            piece = event.text[start : start + PIECE_CHARS]
            yield json.dumps({"m": message_id, "i": number, "d": piece}, ensure_ascii=False)
        return
    fields = {"k": event.kind, "r": event.message_id, "f": event.draft_id, "x": event.outcome}
    yield json.dumps({"m": message_id, "o": fields}, ensure_ascii=False)


def decode(payload: str) -> tuple[int, Delta | Outcome]:
    """A payload as (message id, event); an outcome without its citations (they are stored)."""
    data = json.loads(payload)
    if "d" in data:
        return int(data["m"]), Delta(str(data["d"]))
    fields = data["o"]
    return int(data["m"]), Outcome(fields["k"], fields["r"], fields["f"], str(fields["x"]))


class PostgresStreams(LocalStreams):
    """Followers in every process on one PostgreSQL database: ``publish`` notifies, and a
    listener thread on a connection of its own delivers what any process published."""

    def __init__(self, database: Database, *, reconnect_after_s: float = 1.0) -> None:
        super().__init__()
        self._database = database
        self._reconnect_after_s = reconnect_after_s
        self._channel = ""
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def channel(self) -> str:
        return self._channel

    def start(self) -> None:
        """Listens on the installation's channel (read from the migrated database); returns
        once listening, so a follower that subscribes after this hears every later event."""
        with self._database.session() as session:
            installation = installation_id(session)
        self._channel = "townsquare_replies_" + re.sub(r"[^a-z0-9]", "", installation.lower())
        self._stopping.clear()
        self._thread = threading.Thread(target=self._listen, name="reply-streams", daemon=True)
        self._thread.start()
        if not self._listening.wait(10.0):
            log.warning("reply streams: not listening yet; followers read stored replies")

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(5.0)
            self._thread = None
        self._listening.clear()

    def publish(self, message_id: int, event: ReplyEvent) -> None:
        with self._database.engine.connect() as connection:
            for payload in encode(message_id, event):
                connection.execute(
                    text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": self._channel, "payload": payload},
                )
            connection.commit()

    def _listen(self) -> None:
        url = self._database.url.set(drivername="postgresql")
        while not self._stopping.is_set():
            try:
                with psycopg.connect(
                    url.render_as_string(hide_password=False), autocommit=True
                ) as connection:
                    connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                    self._listening.set()
                    while not self._stopping.is_set():
                        for notification in connection.notifies(timeout=0.5):
                            self._receive(notification.payload)
            except psycopg.OperationalError:
                log.warning("reply streams: the listening connection failed; reconnecting")
                self._listening.clear()
                self._stopping.wait(self._reconnect_after_s)

    def _receive(self, payload: str) -> None:
        try:
            message_id, event = decode(payload)
        except (ValueError, KeyError, TypeError):
            log.warning("reply streams: ignored a payload that is not a reply event")
            return
        if isinstance(event, Outcome) and event.kind != "silent":
            try:
                with self._database.session() as session:
                    stored = agent_threads.stored_outcome(session, message_id)
            except SQLAlchemyError:
                log.warning("reply streams: citations unread; the stored reply has them")
                stored = None
            if stored is not None and stored.kind == event.kind:
                event = Outcome(
                    event.kind, event.message_id, event.draft_id, event.outcome, stored.citations
                )
        self.deliver(message_id, event)


def streams_for(database: Database) -> LocalStreams:
    """PostgreSQL's notifications where several processes may serve; else in-process."""
    return LocalStreams() if database.is_sqlite else PostgresStreams(database)
