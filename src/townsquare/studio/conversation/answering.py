"""Answering members: one place runs the reply pipeline for a DM and stores the result, and a
worker thread does it in the background so that no request waits on the model.

No database transaction stays open while the model generates (on SQLite every transaction
holds the write lock): the inputs are read in one short transaction, the reply is stored in
another, and the second re-checks that the agent should still answer (the owner may have taken
the thread over meanwhile). A member's message is committed before it is answered, and on
start-up the worker answers whatever is still unanswered, so a crash loses no message.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.exc import IntegrityError

from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Account, AgentThread, Message
from townsquare.db.types import utcnow
from townsquare.studio.business.turn import BusinessTurn, needs_introduction, run_business_turn
from townsquare.studio.conversation import agent_threads
from townsquare.studio.conversation.memory import MemoryWindow, Turn, fit_history, roll_summary
from townsquare.studio.conversation.persona import persona_from_agent
from townsquare.studio.conversation.pipeline import Delta, Reply, ReplyInput, run_reply
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever
from townsquare.studio.knowledge.sync import sync_owner_posts
from townsquare.studio.spec import GROUNDED_KINDS

log = logging.getLogger(__name__)

HISTORY_MESSAGES = 40  # read at most this many earlier messages per reply
HISTORY_BUDGET_TOKENS = 700  # recent turns kept verbatim in the prompt
SUMMARY_BUDGET_TOKENS = 200  # the rolling summary of older turns


@dataclass(frozen=True)
class Outcome:
    """How a member message was answered: ``reply`` (a message was sent), ``draft`` (waiting
    for the owner), or ``silent`` (nobody should answer: taken over, off, answered already)."""

    kind: Literal["reply", "draft", "silent"]
    message_id: int | None = None
    draft_id: int | None = None
    outcome: str = ""  # the pipeline's: answered | quoted | unknown | avoided | chat
    citations: list[dict[str, object]] = field(default_factory=list)


ReplyEvent = Delta | Outcome


@dataclass(frozen=True)
class _Inputs:
    agent_id: int
    reply: ReplyInput
    history_ids: list[int]  # ids of the history turns, oldest first
    business: BusinessTurn | None  # set for business agents, which answer through their tools


def compose(
    database: Database, models: Models, agent_id: int, inp: ReplyInput
) -> tuple[Iterator[Delta | Reply], MemoryWindow]:
    """Runs the pipeline on ``inp`` with its history cut to the memory budget: the turns that
    do not fit are returned in the window, for the caller to roll into the summary."""
    window = fit_history(
        inp.summary,
        inp.history,
        budget_tokens=HISTORY_BUDGET_TOKENS,
        count_tokens=models.chat.count_tokens,
    )
    fitted = ReplyInput(
        persona=inp.persona,
        message=inp.message,
        history=window.recent,
        summary=window.summary,
        member_name=inp.member_name,
    )
    retriever = KnowledgeRetriever(database, models.embedder, agent_id)
    events = run_reply(fitted, model=models.chat, retriever=retriever, embedder=models.embedder)
    return events, window


def answer(
    database: Database, models: Models, message_id: int, emit: Callable[[ReplyEvent], None]
) -> Outcome:
    """Answers one member message; ``emit`` sees each streamed piece, then the outcome."""
    inputs = _read_inputs(database, models, message_id)
    if inputs is None:
        return _emit(emit, Outcome("silent"))
    if inputs.business is not None:
        final = _drain(run_business_turn(database, models, inputs.business), emit)
        return _emit(emit, _store(database, message_id, final, None, None))
    events, window = compose(database, models, inputs.agent_id, inputs.reply)
    final = _drain(events, emit)
    summarised_upto = inputs.history_ids[len(window.dropped) - 1] if window.dropped else None
    new_summary = (
        roll_summary(
            inputs.reply.summary,
            window.dropped,
            budget_tokens=SUMMARY_BUDGET_TOKENS,
            count_tokens=models.chat.count_tokens,
        )
        if window.dropped
        else None
    )
    outcome = _store(database, message_id, final, new_summary, summarised_upto)
    return _emit(emit, outcome)


def _drain(events: Iterator[Delta | Reply], emit: Callable[[ReplyEvent], None]) -> Reply:
    """Emits the Deltas and returns the final Reply."""
    final: Reply | None = None
    for event in events:
        if isinstance(event, Delta):
            emit(event)
        else:
            final = event
    assert final is not None, "a reply pipeline always ends with a Reply"
    return final


def _emit(emit: Callable[[ReplyEvent], None], outcome: Outcome) -> Outcome:
    emit(outcome)
    return outcome


def _read_inputs(database: Database, models: Models, message_id: int) -> _Inputs | None:
    with database.session() as session:
        message = session.get(Message, message_id)
        if message is None:
            return None
        agent = agent_threads.who_answers(session, message)
        if agent is None:
            return None
        state = session.get(AgentThread, message.thread_id)
        member = session.get(Account, message.sender_id)
        assert state is not None and member is not None
        if agent.kind in GROUNDED_KINDS and agent.kind != "business":
            # Business agents answer through their tools (``studio.business.turn``).
            sync_owner_posts(session, models.embedder, agent)
        earlier = [
            m
            for m in agent_threads.recent_messages(
                session, message.thread_id, before_id=message.id, limit=HISTORY_MESSAGES
            )
            if state.summary_upto_message_id is None or m.id > state.summary_upto_message_id
        ]
        history = [
            Turn("agent" if m.sender_id == agent.account_id else "member", m.text) for m in earlier
        ]
        persona = persona_from_agent(session, agent)
        business = (
            BusinessTurn(
                agent_id=agent.id,
                thread_id=message.thread_id,
                message_id=message.id,
                member_id=member.id,
                persona=persona,
                message=message.text,
                history=history,
                introduce=needs_introduction(earlier, agent.account_id, message.created_at),
            )
            if agent.kind == "business"
            else None
        )
        return _Inputs(
            agent_id=agent.id,
            reply=ReplyInput(
                persona=persona,
                message=message.text,
                history=history,
                summary=state.summary,
                member_name=member.display_name,
            ),
            history_ids=[m.id for m in earlier],
            business=business,
        )


def _store(
    database: Database,
    message_id: int,
    reply: Reply,
    new_summary: str | None,
    summarised_upto: int | None,
) -> Outcome:
    try:
        with database.session() as session:
            message = session.get(Message, message_id)
            agent = agent_threads.who_answers(session, message) if message is not None else None
            if message is None or agent is None:
                return Outcome("silent")  # taken over, switched off or answered meanwhile
            stored = agent_threads.store_reply(session, agent, message, reply.text, reply.citations)
            state = session.get(AgentThread, message.thread_id)
            assert state is not None
            if new_summary is not None:
                state.summary, state.summary_upto_message_id = new_summary, summarised_upto
            if reply.transferred:
                state.taken_over_at = utcnow()  # the owner answers from here on
            session.flush()
            if isinstance(stored, Message):
                return Outcome("reply", stored.id, None, reply.outcome, reply.citations)
            return Outcome("draft", None, stored.id, reply.outcome, reply.citations)
    except IntegrityError:
        return Outcome("silent")  # another worker stored its answer first


class ReplyWorker:
    """Answers member messages on a background thread, one at a time (the embedded model runs
    one generation at a time anyway). Subscribers see the reply stream as it is generated."""

    def __init__(self, database: Database, models: Models) -> None:
        self._database = database
        self._models = models
        self._queue: queue.Queue[int | None] = queue.Queue()
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

    def submit(self, message_id: int) -> None:
        with self._lock:
            if message_id in self._pending:
                return
            self._pending.add(message_id)
        self._queue.put(message_id)

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
            message_id = self._queue.get()
            if message_id is None:
                return
            try:
                answer(
                    self._database,
                    self._models,
                    message_id,
                    lambda event, m=message_id: self._publish(m, event),  # type: ignore[misc]
                )
            except Exception:
                # The message stays unanswered in the database and is retried on the next start;
                # one bad message must not stop the worker.
                log.exception("answering message %s failed", message_id)
                self._publish(message_id, Outcome("silent", outcome="error"))
            finally:
                with self._lock:
                    self._pending.discard(message_id)
