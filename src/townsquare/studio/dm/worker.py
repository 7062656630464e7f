"""The reply worker: answers member messages on a background thread, so that no request waits
on the model. On start-up it answers whatever a previous run left unanswered, so a crash loses
no message (a member's message is committed before it is handed here)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator

from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.studio.conversation.types import Delta, Outcome, ReplyEvent
from townsquare.studio.dm import agent_threads
from townsquare.studio.dm.answering import answer

log = logging.getLogger(__name__)


class ReplyWorker:
    """Answers member messages on a background thread, one at a time (the embedded model runs
    one generation at a time anyway). Subscribers see the reply stream as it is generated."""

    def __init__(self, database: Database, models: Models) -> None:
        self._database = database
        self._models = models
        self._queue: queue.Queue[tuple[int, int | None] | None] = queue.Queue()
        self._pending: set[int] = set()
        self._subscribers: dict[int, list[queue.Queue[ReplyEvent]]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Starts the thread and queues every message a previous run left unanswered."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="reply-worker", daemon=True)
        self._thread.start()
        with self._database.session() as session:
            for message_id in agent_threads.unanswered_messages(session, limit=1_000):
                self.submit(message_id)

    def stop(self, timeout: float = 30.0) -> None:
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join(timeout)
        self._thread = None

    def submit(self, message_id: int, agent_id: int | None = None) -> None:
        """Queues a member message; ``agent_id`` is who answers it, if the sender decided it
        (``agent_threads.who_answers``), else the worker decides."""
        with self._lock:
            if message_id in self._pending:
                return
            self._pending.add(message_id)
        self._queue.put((message_id, agent_id))

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
        while True:
            item = self._queue.get()
            if item is None:
                return
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
