"""Which process writes a reply. With several server processes on one database, a member
message is claimed by one of them for a lease (``reply_claims``) that its holder renews while
it writes the reply; a holder that stops renewing (a process that died mid-reply) loses the
message when the lease runs out, and the next process that sweeps takes it over, without a
restart. The claim only keeps work from being done twice; the unique ``reply_to_id`` of a reply
is what guarantees one answer per message.

A claim is one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` (a free, expired or own row is
taken; a live row of another holder is left), the same statement on SQLite and PostgreSQL.
Sweeping for orphans locks its candidates ``FOR NO KEY UPDATE SKIP LOCKED`` so that processes
sweeping at once take different messages instead of queueing on the same ones.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from townsquare.db.models import Message, ReplyClaim
from townsquare.db.types import utcnow
from townsquare.studio.dm import agent_threads


def claim(session: Session, message_id: int, holder: str, *, lease: timedelta) -> bool:
    """Claims ``message_id`` for ``holder`` until ``lease`` from now; False while another
    holder's claim on it is live."""
    now = utcnow()
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(ReplyClaim).values(
        message_id=message_id, holder=holder, expires_at=now + lease
    )
    taken = statement.on_conflict_do_update(
        index_elements=[ReplyClaim.message_id],
        set_={"holder": statement.excluded.holder, "expires_at": statement.excluded.expires_at},
        where=or_(ReplyClaim.expires_at <= now, ReplyClaim.holder == holder),
    ).returning(ReplyClaim.message_id)
    return session.execute(taken).first() is not None


def renew(session: Session, message_id: int, holder: str, *, lease: timedelta) -> bool:
    """Extends ``holder``'s claim; False when it no longer holds it (its lease ran out and
    another process took the message over)."""
    renewed = session.execute(
        update(ReplyClaim)
        .where(ReplyClaim.message_id == message_id, ReplyClaim.holder == holder)
        .values(expires_at=utcnow() + lease)
        .returning(ReplyClaim.message_id)
    ).first()
    return renewed is not None


def release(session: Session, message_id: int, holder: str) -> None:
    """Ends ``holder``'s claim (the reply is done, or it failed and may be tried again)."""
    session.execute(
        delete(ReplyClaim).where(ReplyClaim.message_id == message_id, ReplyClaim.holder == holder)
    )


def claim_orphans(
    session: Session, holder: str, *, lease: timedelta, skip: set[int], limit: int = 1
) -> list[tuple[int, int]]:
    """Claims up to ``limit`` unanswered member messages that no process holds (never claimed,
    or their holder's lease ran out), oldest first, leaving out ``skip`` (what this process
    already has queued); returns (message id, sender id) pairs."""
    now = utcnow()
    candidates = agent_threads.unanswered_messages(
        session, limit=limit + len(skip), unclaimed_at=now
    )
    claimed: list[tuple[int, int]] = []
    for message_id in candidates:
        if message_id in skip or len(claimed) == limit:
            continue
        if claim(session, message_id, holder, lease=lease):
            sender = session.get_one(Message, message_id).sender_id
            claimed.append((message_id, sender))
    return claimed
