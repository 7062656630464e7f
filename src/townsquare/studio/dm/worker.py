"""The reply worker: answers member messages on a background thread, so that no request waits
on the model. On start-up it answers whatever a previous run left unanswered, so a crash loses
no message (a member's message is committed before it is handed here).

Members are served in turn, not first come first served: each member with messages waiting
has a queue of their own, and the worker takes one message from each member in rotation, so
one member's 30 DMs delay another member's reply by at most one answer.

Several server processes may share one database: a message is claimed before it is answered
(``claims``), a sweeper thread renews the claim in hand and, whenever this worker has nothing
queued, claims the oldest message nobody holds (a previous run's, another process's backlog, or
one whose holder died mid-reply), and the reply streams through ``streams`` to whichever process
its follower is connected to."""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from datetime import timedelta

from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.social.quotas import Quotas
from townsquare.studio.conversation.types import Delta, Outcome, ReplyEvent
from townsquare.studio.dm import agent_threads, claims
from townsquare.studio.dm.answering import answer
from townsquare.studio.dm.streams import LocalStreams, streams_for

log = logging.getLogger(__name__)


class ReplyWorker:
    """Answers member messages on a background thread, one at a time (the embedded model runs
    one generation at a time anyway). Subscribers see the reply stream as it is generated."""

    def __init__(
        self,
        database: Database,
        models: Models,
        *,
        quotas: Quotas | None = None,
        streams: LocalStreams | None = None,
        lease: timedelta = timedelta(seconds=60),
        sweep_every_s: float = 5.0,
        check_stored_every_s: float = 5.0,
    ) -> None:
        self._database = database
        self._models = models
        self.quotas = quotas  # what ``sending.send`` checks; None: nothing is limited
        self.streams = streams or streams_for(database)
        self.holder = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._lease = lease  # a claim not renewed for this long goes to another process
        self._sweep_every_s = sweep_every_s  # renewing and looking for orphans; < lease / 2
        self._check_stored_every_s = check_stored_every_s  # a follower that hears nothing reads
        self._current: int | None = None  # the message being answered
        self._drained = threading.Event()  # set as the queue runs dry: the sweeper looks at once
        self._sweeper: threading.Thread | None = None
        # Each member's waiting (message, agent) pairs, and the members in the order of their
        # next turn; a member is in ``_turns`` exactly when they have messages waiting.
        self._waiting: dict[int | None, deque[tuple[int, int | None]]] = {}
        self._turns: deque[int | None] = deque()
        self._stopping = False
        self._pending: set[int] = set()
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Starts the streams, the thread and the sweeper, which at once claims what a
        previous run (or a process that died) left unanswered."""
        if self._thread is not None:
            return
        self._stopping = False
        self.streams.start()
        self._thread = threading.Thread(target=self._run, name="reply-worker", daemon=True)
        self._thread.start()
        self._sweeper = threading.Thread(target=self._sweep, name="reply-sweeper", daemon=True)
        self._sweeper.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Answers what is already queued, then stops."""
        if self._thread is None:
            return
        with self._ready:
            self._stopping = True
            self._ready.notify()
        self._drained.set()
        self._thread.join(timeout)
        self._thread = None
        if self._sweeper is not None:
            self._sweeper.join(timeout)
            self._sweeper = None
        self.streams.stop()

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
                self._drained.set()
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
        return self.streams.subscribe(message_id)

    def follow(
        self, message_id: int, events: queue.Queue[ReplyEvent], timeout_s: float
    ) -> Iterator[ReplyEvent | None]:
        """A subscription's events as they come: Deltas, then the Outcome; None (and the end)
        when none came within `timeout_s`. Whenever the stream is quiet for a while, what is
        stored is read: a stored answer ends it (an outcome whose notification was lost).
        Unsubscribes when done or abandoned."""
        quiet_s = 0.0
        try:
            while True:
                wait_s = min(self._check_stored_every_s, timeout_s - quiet_s)
                try:
                    event = events.get(timeout=wait_s)
                except queue.Empty:
                    quiet_s += wait_s
                    with self._database.session() as session:
                        stored = agent_threads.stored_outcome(session, message_id)
                    if stored is not None:
                        yield stored
                        return
                    if quiet_s >= timeout_s:
                        yield None
                        return
                    continue
                quiet_s = 0.0
                yield event
                if not isinstance(event, Delta):
                    return
        finally:
            self.streams.unsubscribe(message_id, events)

    def _run(self) -> None:
        while (item := self._next()) is not None:
            message_id, agent_id = item
            try:
                if self._claim(message_id):
                    self._answer(message_id, agent_id)
            finally:
                with self._lock:
                    self._pending.discard(message_id)

    def _claim(self, message_id: int) -> bool:
        """Claims the message; False when another process holds it (its reply streams here
        from there) or the database could not be reached (the sweeper tries again)."""
        try:
            with self._database.session() as session:
                claimed = claims.claim(session, message_id, self.holder, lease=self._lease)
        except Exception:
            log.exception("claiming message %s failed", message_id)
            return False
        if claimed:
            self._current = message_id
        return claimed

    def _answer(self, message_id: int, agent_id: int | None) -> None:
        try:
            answer(
                self._database,
                self._models,
                message_id,
                lambda event, m=message_id: self.streams.publish(m, event),  # type: ignore[misc]
                agent_id=agent_id,
            )
        except Exception:
            # The message stays unanswered in the database and is swept up again; one bad
            # message must not stop the worker.
            log.exception("answering message %s failed", message_id)
            self.streams.publish(message_id, Outcome("silent", outcome="error"))
        finally:
            self._current = None
            try:
                with self._database.session() as session:
                    claims.release(session, message_id, self.holder)
            except Exception:
                log.exception("releasing message %s failed; its lease runs out", message_id)

    def _sweep(self) -> None:
        """Renews the claim in hand and, while nothing is queued here, claims the oldest
        message that nobody holds; looks again at once when the queue runs dry."""
        while not self._stopping:
            self._drained.clear()
            try:
                self._sweep_once()
            except Exception:
                log.exception("sweeping for unanswered messages failed; trying again")
            self._drained.wait(self._sweep_every_s)

    def _sweep_once(self) -> None:
        current = self._current
        if current is not None:
            with self._database.session() as session:
                if not claims.renew(session, current, self.holder, lease=self._lease):
                    log.warning("message %s was taken over by another process", current)
        with self._lock:
            busy = bool(self._turns) or self._stopping
            skip = set(self._pending)
        if busy:
            return
        with self._database.session() as session:
            orphans = claims.claim_orphans(session, self.holder, lease=self._lease, skip=skip)
        for message_id, sender_id in orphans:
            self.submit(message_id, member_id=sender_id)
