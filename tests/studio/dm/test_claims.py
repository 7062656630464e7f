"""Replies claimed across processes: one holder per message, a lease that a dead holder loses,
and orphans swept up by a running worker without a restart (issue 19)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.utils.factories import make_account, make_agent
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Message, ReplyClaim
from townsquare.db.types import utcnow
from townsquare.social import messages
from townsquare.studio.agents import agent_account
from townsquare.studio.dm import agent_threads, claims
from townsquare.studio.dm.worker import ReplyWorker

pytestmark = pytest.mark.postgres

LEASE = timedelta(seconds=30)


def member_message(session: Session, text: str = "what do you grow?") -> Message:
    """A member's message in a thread with an agent that answers it."""
    member = make_account(session)
    agent = make_agent(session, make_account(session))
    handle = agent_account(session, agent).handle
    thread = agent_threads.open_agent_thread(session, member, handle).thread
    sent, _ = messages.send_message(session, member, thread.id, text)
    return sent


def test_a_live_claim_keeps_the_message_from_another_holder(database: Database) -> None:
    with database.session() as session:
        message_id = member_message(session).id
    with database.session() as session:
        assert claims.claim(session, message_id, "process-a", lease=LEASE)
    with database.session() as session:
        assert not claims.claim(session, message_id, "process-b", lease=LEASE)
        assert claims.claim(session, message_id, "process-a", lease=LEASE)  # its own: renewed
        assert not claims.renew(session, message_id, "process-b", lease=LEASE)
        assert claims.renew(session, message_id, "process-a", lease=LEASE)
        claims.release(session, message_id, "process-b")  # not b's to release
        assert session.scalar(select(ReplyClaim.holder)) == "process-a"
        claims.release(session, message_id, "process-a")
        assert session.scalar(select(ReplyClaim.holder)) is None
    with database.session() as session:
        assert claims.claim(session, message_id, "process-b", lease=LEASE)


def test_an_expired_claim_is_taken_over_and_its_old_holder_cannot_renew_it(
    database: Database,
) -> None:
    with database.session() as session:
        message_id = member_message(session).id
        session.add(ReplyClaim(message_id=message_id, holder="dead", expires_at=utcnow()))
    with database.session() as session:
        assert claims.claim(session, message_id, "alive", lease=LEASE)
    with database.session() as session:
        assert not claims.renew(session, message_id, "dead", lease=LEASE)
        claim = session.get_one(ReplyClaim, message_id)
        assert claim.holder == "alive" and claim.expires_at > utcnow() + timedelta(seconds=20)


def test_orphans_are_claimed_oldest_first_skipping_live_claims_and_queued_ones(
    database: Database,
) -> None:
    with database.session() as session:
        held, expired, free, queued = (member_message(session).id for _ in range(4))
        session.add(ReplyClaim(message_id=held, holder="other", expires_at=utcnow() + LEASE))
        session.add(
            ReplyClaim(message_id=expired, holder="dead", expires_at=utcnow() - timedelta(1))
        )
    with database.session() as session:
        found = claims.claim_orphans(session, "me", lease=LEASE, skip={queued}, limit=5)
        senders = {m.id: m.sender_id for m in session.scalars(select(Message))}
    assert found == [(expired, senders[expired]), (free, senders[free])]
    with database.session() as session:
        assert claims.claim_orphans(session, "someone", lease=LEASE, skip=set(), limit=5) == [
            (queued, senders[queued])
        ]
        holders = dict(session.execute(select(ReplyClaim.message_id, ReplyClaim.holder)).all())
    assert holders == {held: "other", expired: "me", free: "me", queued: "someone"}


def test_a_running_worker_answers_a_message_whose_holder_died_without_a_restart(
    database: Database, models: Models
) -> None:
    worker = ReplyWorker(database, models, lease=timedelta(seconds=1), sweep_every_s=0.2)
    worker.start()
    try:
        with database.session() as session:
            message_id = member_message(session).id
            # Another process claimed it, then died: its lease runs out in a moment.
            session.add(
                ReplyClaim(
                    message_id=message_id,
                    holder="dead-process",
                    expires_at=utcnow() + timedelta(seconds=1),
                )
            )
        deadline = time.monotonic() + 20
        while True:
            with database.session() as session:
                outcome = agent_threads.stored_outcome(session, message_id)
                claim = session.get(ReplyClaim, message_id)
            if outcome is not None:
                break
            assert time.monotonic() < deadline, "the orphaned message was never answered"
            assert claim is not None and claim.holder in ("dead-process", worker.holder)
            time.sleep(0.1)
    finally:
        worker.stop()
    assert outcome.kind == "reply"
    with database.session() as session:
        assert session.get(ReplyClaim, message_id) is None  # released once answered


def test_two_workers_answer_a_backlog_once_each(database: Database, models: Models) -> None:
    with database.session() as session:
        backlog = [member_message(session, f"question {i}").id for i in range(6)]
    workers = [
        ReplyWorker(database, models, lease=timedelta(seconds=10), sweep_every_s=0.2)
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    try:
        deadline = time.monotonic() + 30
        while True:
            with database.session() as session:
                replies = list(
                    session.scalars(
                        select(Message.reply_to_id).where(Message.reply_to_id.in_(backlog))
                    )
                )
            if len(replies) == len(backlog):
                break
            assert time.monotonic() < deadline, f"answered {len(replies)} of {len(backlog)}"
            time.sleep(0.1)
    finally:
        for worker in workers:
            worker.stop()
    assert sorted(r for r in replies if r is not None) == backlog
