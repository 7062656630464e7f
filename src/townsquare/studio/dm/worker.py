"""The reply worker: answers member messages on a background thread, so that no request waits
on the model. On start-up it answers whatever a previous run left unanswered, so a crash loses
no message (a member's message is committed before it is handed here).

Members are served in turn, not first come first served: each member with messages waiting
has a queue of their own, and the worker takes one message from each member in rotation, so
one member's 30 DMs delay another member's reply by at most one answer."""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Iterator

from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Message
from townsquare.social.quotas import Quotas
from townsquare.studio.conversation.types import Delta, Outcome, ReplyEvent
from townsquare.studio.dm import agent_threads
from townsquare.studio.dm.answering import answer

log = logging.getLogger(__name__)


class ReplyWorker:
    """Answers member messages on a background thread, one at a time (the embedded model runs
    one generation at a time anyway). Subscribers see the reply stream as it is generated."""

    def __init__(self, database: Database, models: Models, *, quotas: Quotas | None = None) -> None:
        self._database = database
        self._models = models
        self.quotas = quotas  # what ``sending.send`` checks; None: nothing is limited
        # Each member's waiting (message, agent) pairs, and the members in the order of their
        # next turn; a member is in ``_turns`` exactly when they have messages waiting.
        self._waiting: dict[int | None, deque[tuple[int, int | None]]] = {}
        self._turns: deque[int | None] = deque()
        self._stopping = False
        self._pending: set[int] = set()
        self._subscribers: dict[int, list[queue.Queue[ReplyEvent]]] = {}
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Starts the thread and queues every message a previous run left unanswered."""
        if self._thread is not None:
            return
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="reply-worker", daemon=True)
        self._thread.start()
        with self._database.session() as session:
            for message_id in agent_threads.unanswered_messages(session, limit=1_000):
                message = session.get_one(Message, message_id)
                self.submit(message_id, member_id=message.sender_id)

    def stop(self, timeout: float = 30.0) -> None:
        """Answers what is already queued, then stops."""
        if self._thread is None:
            return
        with self._ready:
            self._stopping = True
            self._ready.notify()
        self._thread.join(timeout)
        self._thread = None

    def submit(
        self, message_id: int, agent_id: int | None = None, *, member_id: int | None = None
    ) -> None:
        """Queues a member message in ``member_id``'s turn (the sender); ``agent_id`` is who
        answers it, if the sender decided it (``agent_threads.who_answers``), else the worker
        decides."""
        with self._ready:
            if message_id in self._pending:
                return
            self._pending.add(message_id)
            if member_id not in self._waiting:
                self._waiting[member_id] = deque()
                self._turns.append(member_id)
            self._waiting[member_id].append((message_id, agent_id))
            self._ready.notify()

    def _next(self) -> tuple[int, int | None] | None:
        """The next member's oldest waiting message, or None once stopped with none waiting."""
        with self._ready:
            while not self._turns:
                if self._stopping:
                    return None
                self._ready.wait()
            member = self._turns.popleft()
            waiting = self._waiting[member]
            item = waiting.popleft()
            if waiting:
                self._turns.append(member)  # their next message waits for everyone else's turn
            else:
                del self._waiting[member]
            return item

    def subscribe(self, message_id: int) -> queue.Queue[ReplyEvent]:
        """Events for one message's reply: Deltas, then one Outcome. Subscribe before submitting."""
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

    def follow(
        self, message_id: int, events: queue.Queue[ReplyEvent], timeout_s: float
    ) -> Iterator[ReplyEvent | None]:
        """A subscription's events as they come: Deltas, then the Outcome; None (and the end)
        when none came within `timeout_s`. Unsubscribes when done or abandoned."""
        try:
            while True:
                try:
                    event = events.get(timeout=timeout_s)
                except queue.Empty:
                    yield None
                    return
                yield event
                if not isinstance(event, Delta):
                    return
        finally:
            self.unsubscribe(message_id, events)

    def _publish(self, message_id: int, event: ReplyEvent) -> None:
        with self._lock:
            listeners = list(self._subscribers.get(message_id, []))
        for listener in listeners:
            listener.put(event)

    def _run(self) -> None:
        while (item := self._next()) is not None:
            message_id, agent_id = item
            try:
                answer(
                    self._database,
                    self._models,
                    message_id,
                    lambda event, m=message_id: self._publish(m, event),  # type: ignore[misc]
                    agent_id=agent_id,
                )
            except Exception:
                # The message stays unanswered in the database and is retried on the next start;
                # one bad message must not stop the worker.
                log.exception("answering message %s failed", message_id)
                self._publish(message_id, Outcome("silent", outcome="error"))
            finally:
                with self._lock:
                    self._pending.discard(message_id)
