"""Per-member quotas and rate limits: DMs, model calls, uploads, ingest work and storage.

Each limit counts real rows in the database (a member's messages, their ``model_calls``,
their media and knowledge files), so it holds across every server process that shares one
PostgreSQL, and survives a restart. A check first locks the member's account row, so two
requests of one member at once are counted one after the other (PostgreSQL; SQLite
serialises every writer anyway). A spent limit raises ``RateLimited`` with the seconds
until the oldest counted row leaves its window: the API answers 429 with ``Retry-After``.

A service checks each limit twice: first early, unlocked (``lock=False``), in a transaction
that only reads and ends before the request writes anything (``db.reading_first``), so that a
refused request never begins a write (on SQLite, never takes the one write lock the other
members' writes queue on: an abuser's refused flood would hold it once a request); then again,
locked, in the write transaction that stores what it counts, so that two requests of one member
that both passed the early check are still counted one after the other: the limits stay exact.

Uploads have a burst limit (files a minute) beside the hourly one, and knowledge files are
charged for the work they cost, to the member who owns the agent: a file is charged the read
limit when it is queued (``hold_ingest``), and once the ingest worker has read and indexed it,
the seconds that really took instead (``settle_ingest``). So a member whose files are expensive,
or who queues many at once, has their next ones refused (``check_ingest``) and their queued files
indexed after other members' (``ingest_seconds``, which the worker orders owners by).

The limits are settings (``TOWNSQUARE_QUOTA_*``); 0 turns one off. Work the operator does
(the CLI, the demo) passes no ``Quotas`` and is not counted against anyone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from townsquare.db.models import (
    Account,
    Agent,
    IngestCharge,
    KnowledgeSource,
    Media,
    Message,
    ModelCall,
)
from townsquare.db.types import utcnow
from townsquare.errors import RateLimited
from townsquare.settings import Settings

MINUTE, HOUR, DAY = 60, 3600, 86400
_STORAGE_RETRY_S = HOUR  # a full store frees up only when the member deletes something


@dataclass(frozen=True)
class Quotas:
    messages_per_minute: int
    messages_per_day: int
    model_calls_per_minute: int
    model_calls_per_day: int
    uploads_per_minute: int
    uploads_per_hour: int
    ingest_seconds_per_hour: int
    storage_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Quotas:
        return cls(
            messages_per_minute=settings.quota_messages_per_minute,
            messages_per_day=settings.quota_messages_per_day,
            model_calls_per_minute=settings.quota_model_calls_per_minute,
            model_calls_per_day=settings.quota_model_calls_per_day,
            uploads_per_minute=settings.quota_uploads_per_minute,
            uploads_per_hour=settings.quota_uploads_per_hour,
            ingest_seconds_per_hour=settings.quota_ingest_seconds_per_hour,
            storage_bytes=settings.quota_storage_mb * 1024 * 1024,
        )


def check_message(session: Session, sender: Account, quotas: Quotas, *, lock: bool = True) -> None:
    """Before ``sender`` sends a DM. ``lock=False``: the early check, in a transaction that only
    reads (module docstring)."""
    _lock(session, sender, lock)
    where = [Message.sender_id == sender.id]
    for limit, window, per in (
        (quotas.messages_per_minute, MINUTE, "a minute"),
        (quotas.messages_per_day, DAY, "a day"),
    ):
        _window(session, Message.created_at, where, limit, window, f"{limit} messages {per}")


def check_model_call(
    session: Session, member: Account, quotas: Quotas, *, lock: bool = True
) -> None:
    """Before a request that has the model answer ``member`` is accepted (``lock``:
    ``check_message``)."""
    _lock(session, member, lock)
    where = [ModelCall.account_id == member.id]
    for limit, window, per in (
        (quotas.model_calls_per_minute, MINUTE, "a minute"),
        (quotas.model_calls_per_day, DAY, "a day"),
    ):
        what = f"{limit} agent replies {per}"
        _window(session, ModelCall.created_at, where, limit, window, what)


def record_model_call(session: Session, member: Account) -> None:
    """Once the model will answer ``member``: what ``check_model_call`` counts."""
    session.add(ModelCall(account_id=member.id))
    session.flush()


def check_upload(
    session: Session, uploader: Account, quotas: Quotas, size_bytes: int, *, lock: bool = True
) -> None:
    """Before a file of ``size_bytes`` is stored for ``uploader`` (a member, or their agent:
    an agent's avatar counts against its owner). Uploads are media and knowledge files; both
    fill the member's storage. ``lock``: ``check_message``."""
    member = _payer(session, uploader)
    _lock(session, member, lock)
    accounts = select(Agent.account_id).where(Agent.owner_id == member.id)
    mine = [Media.owner_id.in_(accounts) | (Media.owner_id == member.id)]
    files = [
        KnowledgeSource.kind == "file",
        KnowledgeSource.agent_id.in_(select(Agent.id).where(Agent.owner_id == member.id)),
    ]
    for limit, window, per in (
        (quotas.uploads_per_minute, MINUTE, "a minute"),
        (quotas.uploads_per_hour, HOUR, "an hour"),
    ):
        if not limit:
            continue
        since = utcnow() - timedelta(seconds=window)
        media_count, media_oldest = _count(session, Media.created_at, mine, since)
        file_count, file_oldest = _count(session, KnowledgeSource.created_at, files, since)
        oldest = min((t for t in (media_oldest, file_oldest) if t is not None), default=None)
        if media_count + file_count >= limit and oldest is not None:
            _refuse(f"{limit} uploads {per}", oldest, window)
    if quotas.storage_bytes:
        used = _total(session, Media.size_bytes, mine) + _total(
            session, KnowledgeSource.size_bytes, files
        )
        if used + size_bytes > quotas.storage_bytes:
            raise RateLimited(
                f"your files would take more than your {quotas.storage_bytes // 2**20} MiB of "
                f"storage ({used / 2**20:.1f} MiB used); delete posts with media or knowledge "
                "files you no longer need, or ask whoever runs this server for more",
                retry_after_s=_STORAGE_RETRY_S,
            )


def check_ingest(session: Session, owner: Account, quotas: Quotas, *, lock: bool = True) -> None:
    """Before a knowledge file is queued for ``owner``'s agent: refused while the work their
    files cost in the last hour is at the limit, until enough of it leaves the window
    (``lock``: ``check_message``)."""
    limit = quotas.ingest_seconds_per_hour
    if not limit:
        return
    _lock(session, owner, lock)
    since = utcnow() - timedelta(seconds=HOUR)
    charges = session.execute(
        select(IngestCharge.seconds, IngestCharge.created_at, IngestCharge.held_for)
        .where(IngestCharge.account_id == owner.id, IngestCharge.created_at >= since)
        .order_by(IngestCharge.created_at)
    ).all()
    spent = sum(seconds for seconds, _, _ in charges)
    if spent < limit:
        return
    freed, wait = 0.0, HOUR
    for seconds, stamp, _ in charges:  # the charge whose leaving brings the total under it
        freed += seconds
        if spent - freed < limit:
            wait = max(1, math.ceil((stamp + timedelta(seconds=HOUR) - utcnow()).total_seconds()))
            break
    held = [seconds for seconds, _, source in charges if source is not None]
    up_front = (
        f" ({sum(held):.0f} s of it charged up front for {len(held)} files not read yet)"
        if held
        else ""
    )
    raise RateLimited(
        f"reading and indexing your files took {spent:.0f} s of the server's time in the last "
        f"hour{up_front}, and the limit is {limit} s; try again in {wait} s, or upload smaller "
        "files or their text as .txt",
        retry_after_s=wait,
    )


def hold_ingest(session: Session, owner: Account, source_id: int, seconds: float) -> None:
    """Charges ``owner`` up front for their file ``source_id``, just queued: ``seconds`` (the
    most reading it may cost), held until ``settle_ingest``, so that a member cannot queue
    more files than their hour's ingest quota before any of them is read. A file that already
    has a charge held for it (the same file uploaded again while queued) is not charged twice."""
    held = session.scalar(select(IngestCharge.id).where(IngestCharge.held_for == source_id))
    if held is None:
        session.add(IngestCharge(account_id=owner.id, seconds=seconds, held_for=source_id))
        session.flush()


def settle_ingest(session: Session, owner_id: int, source_id: int, seconds: float) -> None:
    """What reading and indexing the file ``source_id`` cost, charged to the member
    ``owner_id``: in place of the charge held for it since it was queued (the difference
    refunded, or charged when it cost more), or as a charge of its own when none was held (a
    file the operator queued, or one resumed after a restart)."""
    held = session.scalar(select(IngestCharge).where(IngestCharge.held_for == source_id))
    if held is None:
        session.add(IngestCharge(account_id=owner_id, seconds=seconds))
    else:
        held.seconds, held.held_for = seconds, None
    session.flush()


def ingest_seconds(session: Session, owner_ids: list[int]) -> dict[int, float]:
    """Seconds of ingest work each of ``owner_ids`` was charged in the last hour (those with
    none are left out)."""
    since = utcnow() - timedelta(seconds=HOUR)
    rows = session.execute(
        select(IngestCharge.account_id, func.sum(IngestCharge.seconds))
        .where(IngestCharge.account_id.in_(owner_ids), IngestCharge.created_at >= since)
        .group_by(IngestCharge.account_id)
    )
    return {int(account_id): float(total) for account_id, total in rows}


def _payer(session: Session, account: Account) -> Account:
    """The member an upload counts against: an agent's owner for the agent's account."""
    if account.kind != "agent":
        return account
    owner = session.scalar(
        select(Account)
        .join(Agent, Agent.owner_id == Account.id)
        .where(Agent.account_id == account.id)
    )
    return owner if owner is not None else account


def _lock(session: Session, member: Account, lock: bool) -> None:
    if lock:
        session.execute(select(Account.id).where(Account.id == member.id).with_for_update())


def _total(session: Session, size: InstrumentedAttribute[int], where: list[Any]) -> int:
    return int(session.scalar(select(func.coalesce(func.sum(size), 0)).where(*where)) or 0)


def _count(
    session: Session, stamp: InstrumentedAttribute[datetime], where: list[Any], since: datetime
) -> tuple[int, datetime | None]:
    row = session.execute(select(func.count(), func.min(stamp)).where(*where, stamp >= since)).one()
    return int(row[0]), row[1]


def _window(
    session: Session,
    stamp: InstrumentedAttribute[datetime],
    where: list[Any],
    limit: int,
    window_s: int,
    what: str,
) -> None:
    if not limit:
        return
    count, oldest = _count(session, stamp, where, utcnow() - timedelta(seconds=window_s))
    if count >= limit and oldest is not None:
        _refuse(what, oldest, window_s)


def _refuse(what: str, oldest: datetime, window_s: int) -> None:
    wait = math.ceil((oldest + timedelta(seconds=window_s) - utcnow()).total_seconds())
    wait = max(1, wait)
    raise RateLimited(
        f"you have reached your limit of {what}; try again in {wait} s", retry_after_s=wait
    )
