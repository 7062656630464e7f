"""Answering a member: the one path of a reply to a DM message, and of a reply to a client's own
turns (``/v1/chat/completions``).

``answer(message_id)`` reads the inputs in one short transaction, runs the pipeline (or a
business agent's turn) with no transaction open, and stores the result in another short
transaction, which re-checks that the agent should still answer (the owner may have taken the
thread over meanwhile). On SQLite every transaction holds the write lock, so the owner's posts
are synced in transactions of their own, with the embedding done between them.

``converse`` is the pipeline on a conversation's memory, fitted once to the budget: the turns
that do not fit are rolled into the summary, after the reply for a DM thread (whose summary is
stored) and before it for a client that resends its own turns (nothing is stored).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from sqlalchemy.exc import IntegrityError

from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Account, Agent, AgentThread, Message
from townsquare.db.types import utcnow
from townsquare.errors import InvalidInput
from townsquare.studio.business.turn import BusinessTurn, needs_introduction, run_business_turn
from townsquare.studio.conversation.memory import Turn, fit_history, roll_summary
from townsquare.studio.conversation.persona import persona_from_agent
from townsquare.studio.conversation.pipeline import run_reply
from townsquare.studio.conversation.types import Delta, Outcome, Reply, ReplyEvent, ReplyInput
from townsquare.studio.dm import agent_threads
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever
from townsquare.studio.knowledge.sync import embed_texts, pending_texts, sync_owner_posts
from townsquare.studio.spec import GROUNDED_KINDS

HISTORY_MESSAGES = 40  # read at most this many earlier messages per reply
HISTORY_BUDGET_TOKENS = 700  # recent turns kept verbatim in the prompt
SUMMARY_BUDGET_TOKENS = 200  # the rolling summary of older turns
# What a client that keeps its own conversation may send: every turn is tokenized once, so
# these bound how long one request holds the model.
MAX_CLIENT_TURNS = 100
MAX_TURN_CHARS = 16_000
MAX_HISTORY_CHARS = 64_000


@dataclass(frozen=True)
class Remembered:
    """A DM thread's memory after a reply: the rolled summary, up to this message."""

    summary: str
    upto_message_id: int


@dataclass(frozen=True)
class _Inputs:
    agent_id: int
    reply: ReplyInput
    business: BusinessTurn | None  # set for business agents, which answer through their tools


def converse(
    database: Database, models: Models, agent_id: int, inp: ReplyInput, *, stored: bool
) -> tuple[Iterator[Delta | Reply], Remembered | None]:
    """Runs the pipeline on ``inp`` with its history fitted to the memory budget. ``stored``:
    the history is a DM thread's (each turn with its message id), and the summary it should
    keep from now on is returned for the caller to store; otherwise (a client's own turns) what
    does not fit is summarised into this prompt."""
    count_tokens = models.chat.count_tokens
    window = fit_history(
        inp.summary, inp.history, budget_tokens=HISTORY_BUDGET_TOKENS, count_tokens=count_tokens
    )
    rolled = (
        roll_summary(
            inp.summary,
            window.dropped,
            budget_tokens=SUMMARY_BUDGET_TOKENS,
            count_tokens=count_tokens,
        )
        if window.dropped
        else None
    )
    remembered = None
    if stored and rolled is not None:
        upto = window.dropped[-1].message_id
        assert upto is not None, "a stored thread's turns carry their message ids"
        remembered = Remembered(rolled, upto)
    summary = window.summary if stored or rolled is None else rolled
    fitted = replace(inp, history=window.recent, summary=summary)
    retriever = KnowledgeRetriever(database, models.embedder, agent_id, cross=models.cross_embedder)
    embedder = models.embedder_for(inp.message)
    events = run_reply(
        fitted,
        model=models.chat,
        retriever=retriever,
        embedder=embedder,
        drafts=models.chat_drafts,
        selection=models.answer_selection,
    )
    return events, remembered


def answer_turns(
    database: Database,
    models: Models,
    *,
    agent_id: int,
    member_name: str,
    message: str,
    history: list[Turn],
) -> Iterator[Delta | Reply]:
    """A reply to a client that keeps the conversation itself: ``history`` is its memory,
    at most ``MAX_CLIENT_TURNS`` turns and ``MAX_HISTORY_CHARS`` characters."""
    if len(history) >= MAX_CLIENT_TURNS:
        raise InvalidInput(f"a conversation carries at most {MAX_CLIENT_TURNS - 1} earlier turns")
    if sum(len(turn.text) for turn in history) > MAX_HISTORY_CHARS:
        raise InvalidInput(
            f"a conversation carries at most {MAX_HISTORY_CHARS} characters of earlier turns; "
            "send fewer or shorter ones"
        )
    sync_posts(database, models, agent_id)
    with database.session() as session:
        agent = session.get(Agent, agent_id)
        assert agent is not None
        persona = persona_from_agent(session, agent)
    inp = ReplyInput(persona=persona, message=message, history=history, member_name=member_name)
    events, _ = converse(database, models, agent_id, inp, stored=False)
    return events


def sync_posts(database: Database, models: Models, agent_id: int) -> None:
    """A creator agent learns its owner's new posts before it answers: what changed is read in
    one short transaction, embedded with none open, and stored in another. Business agents
    answer through their tools (``studio.business.turn``)."""
    with database.session() as session:
        agent = session.get(Agent, agent_id)
        if agent is None or agent.kind not in GROUNDED_KINDS or agent.kind == "business":
            return
        texts = pending_texts(session, agent)
    if texts is None:
        return
    embedded = embed_texts(models.embedder, texts)
    with database.session() as session:
        agent = session.get(Agent, agent_id)
        assert agent is not None
        sync_owner_posts(session, models.embedder, agent, embedded=embedded)


def answer(
    database: Database,
    models: Models,
    message_id: int,
    emit: Callable[[ReplyEvent], None],
    *,
    agent_id: int | None = None,
) -> Outcome:
    """Answers one member message; ``emit`` sees each streamed piece, then the outcome.
    ``agent_id``: who answers, as decided when the message was sent (``who_answers``; without
    it, whoever answers now). The decision is checked again when the inputs are read (no model
    runs for a thread taken over meanwhile) and when the reply is stored (in that transaction,
    so a take-over during generation still silences it)."""
    inputs = _read_inputs(database, message_id, agent_id)
    if inputs is None:
        return _emit(emit, Outcome("silent"))
    agent_id = inputs.agent_id
    sync_posts(database, models, agent_id)
    if inputs.business is not None:
        final = _drain(run_business_turn(database, models, inputs.business), emit)
        return _emit(emit, _store(database, message_id, agent_id, final, None))
    events, remembered = converse(database, models, agent_id, inputs.reply, stored=True)
    final = _drain(events, emit)
    return _emit(emit, _store(database, message_id, agent_id, final, remembered))


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


def _read_inputs(database: Database, message_id: int, agent_id: int | None) -> _Inputs | None:
    """What the reply needs, or None when the agent should not answer (any more): the owner may
    have taken the thread over or switched the agent off while the message waited, and then no
    model runs."""
    with database.session(writes=False) as session:
        message = session.get(Message, message_id)
        agent = agent_threads.who_answers(session, message) if message is not None else None
        if message is None or agent is None or agent_id not in (None, agent.id):
            return None
        state = session.get(AgentThread, message.thread_id)
        member = session.get(Account, message.sender_id)
        assert state is not None and member is not None
        earlier = [
            m
            for m in agent_threads.recent_messages(
                session, message.thread_id, before_id=message.id, limit=HISTORY_MESSAGES
            )
            if state.summary_upto_message_id is None or m.id > state.summary_upto_message_id
        ]
        history = [
            Turn("agent" if m.sender_id == agent.account_id else "member", m.text, m.id)
            for m in earlier
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
            business=business,
        )


def _store(
    database: Database,
    message_id: int,
    agent_id: int,
    reply: Reply,
    remembered: Remembered | None,
) -> Outcome:
    try:
        with database.session() as session:
            message = session.get(Message, message_id)
            agent = agent_threads.who_answers(session, message) if message is not None else None
            if message is None or agent is None or agent.id != agent_id:
                return Outcome("silent")  # taken over, switched off or answered meanwhile
            stored = agent_threads.store_reply(session, agent, message, reply.text, reply.citations)
            state = session.get(AgentThread, message.thread_id)
            assert state is not None
            if remembered is not None:
                state.summary = remembered.summary
                state.summary_upto_message_id = remembered.upto_message_id
            if reply.transferred:
                state.taken_over_at = utcnow()  # the owner answers from here on
            session.flush()
            if isinstance(stored, Message):
                return Outcome("reply", stored.id, None, reply.outcome, reply.citations)
            return Outcome("draft", None, stored.id, reply.outcome, reply.citations)
    except IntegrityError:
        return Outcome("silent")  # another worker stored its answer first
