"""Per-member quotas counted from real rows (issue 16, finding 8)."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from time_machine import TimeMachineFixture

from tests.studio.knowledge.conftest import creator_agent
from tests.utils.factories import make_account, make_agent, png_bytes
from townsquare.db import Database
from townsquare.db.models import Account, IngestCharge
from townsquare.db.types import utcnow
from townsquare.errors import RateLimited
from townsquare.settings import Settings
from townsquare.social import media, messages, quotas
from townsquare.social.quotas import Quotas
from townsquare.studio.agents import agent_account
from townsquare.studio.knowledge import sources, store

pytestmark = pytest.mark.postgres

OPEN = Quotas(
    messages_per_minute=0,
    messages_per_day=0,
    model_calls_per_minute=0,
    model_calls_per_day=0,
    uploads_per_minute=0,
    uploads_per_hour=0,
    ingest_seconds_per_hour=0,
    storage_bytes=0,
)


def test_defaults_come_from_the_settings() -> None:
    assert Quotas.from_settings(Settings()) == Quotas(
        messages_per_minute=20,
        messages_per_day=2000,
        model_calls_per_minute=10,
        model_calls_per_day=1000,
        uploads_per_minute=5,
        uploads_per_hour=60,
        ingest_seconds_per_hour=300,
        storage_bytes=2048 * 2**20,
    )


def test_messages_a_minute_are_counted_per_sender(database: Database) -> None:
    limits = dataclasses.replace(OPEN, messages_per_minute=3)
    with database.session() as session:
        ada, bob = make_account(session), make_account(session)
        thread = messages.open_thread(session, ada, [bob])
        for n in range(3):
            quotas.check_message(session, ada, limits)
            messages.send_message(session, ada, thread.id, f"hello {n}")
        with pytest.raises(RateLimited) as refused:
            quotas.check_message(session, ada, limits)
        assert str(refused.value).startswith(
            "you have reached your limit of 3 messages a minute; try again in "
        )
        assert 1 <= refused.value.retry_after_s <= 60
        assert refused.value.status == 429
        quotas.check_message(session, bob, limits)  # bob's count is his own


def test_model_calls_are_recorded_and_limited_a_day(database: Database) -> None:
    limits = dataclasses.replace(OPEN, model_calls_per_day=2)
    with database.session() as session:
        ada = make_account(session)
        for _ in range(2):
            quotas.check_model_call(session, ada, limits)
            quotas.record_model_call(session, ada)
        with pytest.raises(RateLimited, match="limit of 2 agent replies a day") as refused:
            quotas.check_model_call(session, ada, limits)
        assert 86_000 < refused.value.retry_after_s <= 86_400


def test_uploads_an_hour_count_the_members_agents_too(database: Database, tmp_path: Path) -> None:
    limits = dataclasses.replace(OPEN, uploads_per_hour=2)
    with database.session() as session:
        ada = make_account(session)
        pip = agent_account(session, make_agent(session, ada))
        media.store_media(session, tmp_path, ada, png_bytes(4, 4), quotas=limits)
        media.store_media(session, tmp_path, pip, png_bytes(5, 5), quotas=limits)  # an avatar
        with pytest.raises(RateLimited, match=r"limit of 2 uploads an hour; try again in"):
            media.store_media(session, tmp_path, ada, png_bytes(6, 6), quotas=limits)
        media.store_media(session, tmp_path, ada, png_bytes(6, 6), quotas=None)  # the operator


def test_uploads_a_minute_are_a_burst_limit_beside_the_hourly_one(
    database: Database, tmp_path: Path
) -> None:
    limits = dataclasses.replace(OPEN, uploads_per_minute=2, uploads_per_hour=60)
    with database.session() as session:
        ada, bob = make_account(session), make_account(session)
        media.store_media(session, tmp_path, ada, png_bytes(4, 4), quotas=limits)
        media.store_media(session, tmp_path, ada, png_bytes(5, 5), quotas=limits)
        with pytest.raises(RateLimited) as refused:
            media.store_media(session, tmp_path, ada, png_bytes(6, 6), quotas=limits)
        assert str(refused.value).startswith(
            "you have reached your limit of 2 uploads a minute; try again in "
        )
        assert 1 <= refused.value.retry_after_s <= 60
        media.store_media(session, tmp_path, bob, png_bytes(6, 6), quotas=limits)  # his own


def _charge(session: Session, account: Account, seconds: float, minutes_ago: float) -> None:
    when = utcnow() - timedelta(minutes=minutes_ago)
    session.add(IngestCharge(account_id=account.id, seconds=seconds, created_at=when))
    session.flush()


def test_ingest_work_an_hour_is_limited_until_enough_of_it_leaves_the_window(
    database: Database, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(utcnow(), tick=False)  # the Retry-After, whatever the machine's load
    limits = dataclasses.replace(OPEN, ingest_seconds_per_hour=200)
    with database.session() as session:
        ada, bob = make_account(session), make_account(session)
        _charge(session, ada, 500.0, minutes_ago=61)  # outside the hour: not counted
        _charge(session, ada, 100.0, minutes_ago=50)
        quotas.check_ingest(session, ada, limits)  # 100 s of 200
        _charge(session, ada, 150.0, minutes_ago=10)
        with pytest.raises(RateLimited) as refused:
            quotas.check_ingest(session, ada, limits)
        # 250 s spent; once the 100 s of 50 minutes ago leaves the hour, 150 s is under 200.
        wait = refused.value.retry_after_s
        assert wait == 600
        assert str(refused.value) == (
            "reading and indexing your files took 250 s of the server's time in the last hour, "
            f"and the limit is 200 s; try again in {wait} s, or upload smaller files or their "
            "text as .txt"
        )
        _charge(session, ada, 120.0, minutes_ago=5)
        with pytest.raises(RateLimited) as later:
            quotas.check_ingest(session, ada, limits)
        assert later.value.retry_after_s == 3000  # 370 s: the 100 and the 150 must go
        quotas.check_ingest(session, bob, limits)  # bob is charged nothing
        quotas.check_ingest(session, ada, OPEN)  # 0: no limit
        assert quotas.ingest_seconds(session, [ada.id, bob.id]) == {ada.id: 370.0}


def test_storage_counts_the_bytes_of_a_members_media(database: Database, tmp_path: Path) -> None:
    first, second = png_bytes(4, 4), png_bytes(9, 9)
    limits = dataclasses.replace(OPEN, storage_bytes=len(first) + len(second) - 1)
    with database.session() as session:
        ada = make_account(session)
        media.store_media(session, tmp_path, ada, first, quotas=limits)
        with pytest.raises(RateLimited) as refused:
            media.store_media(session, tmp_path, ada, second, quotas=limits)
    assert str(refused.value) == (
        "your files would take more than your 0 MiB of storage (0.0 MiB used); delete posts "
        "with media or knowledge files you no longer need, or ask whoever runs this server for "
        "more"
    )
    assert refused.value.retry_after_s == 3600


def test_concurrent_requests_of_one_member_are_counted_one_at_a_time(database: Database) -> None:
    """Two requests at once (two server processes on one PostgreSQL) get one answer each way:
    the check locks the member's row, so the second sees the first's row."""
    limits = dataclasses.replace(OPEN, model_calls_per_minute=1)
    with database.session() as session:
        ada_id = make_account(session).id
    results: list[str] = []
    start = threading.Barrier(2)

    def call() -> None:
        start.wait()
        try:
            with database.session() as session:
                ada = session.get_one(Account, ada_id)
                quotas.check_model_call(session, ada, limits)
                time.sleep(0.2)  # both are inside the check-then-insert window
                quotas.record_model_call(session, ada)
            results.append("ok")
        except RateLimited:
            results.append("429")

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["429", "ok"]


def test_knowledge_files_count_as_uploads(database: Database, settings: Settings) -> None:
    limited = settings.model_copy(update={"quota_uploads_per_hour": 1})
    with database.session() as session:
        owner, _ = creator_agent(session, handle="potter_quota")
        sources.add_file(session, limited, owner, "potter_quota", filename="a.md", data=b"# A\nx")
        with pytest.raises(RateLimited, match="limit of 1 uploads an hour"):
            sources.add_file(
                session, limited, owner, "potter_quota", filename="b.md", data=b"# B\ny"
            )
    assert sorted(p.name for p in store.knowledge_dir(settings).iterdir()) == [
        hashlib.sha256(b"# A\nx").hexdigest()
    ]  # the refused file was not kept


def test_a_member_whose_files_cost_the_ingest_quota_is_refused_another(
    database: Database, settings: Settings
) -> None:
    limited = settings.model_copy(update={"quota_ingest_seconds_per_hour": 30})
    with database.session() as session:
        owner, _ = creator_agent(session, handle="potter_ingest")
        _charge(session, owner, 31.0, minutes_ago=1)
        with pytest.raises(RateLimited, match=r"took 31 s of the server's time .* limit is 30 s"):
            sources.add_file(
                session, limited, owner, "potter_ingest", filename="c.md", data=b"# C\nz"
            )
        # Pictures cost the ingest worker nothing: they are not refused for it.
        limits = Quotas.from_settings(limited)
        media.store_media(session, settings.media_dir, owner, png_bytes(4, 4), quotas=limits)
    assert not store.knowledge_dir(settings).exists() or not any(
        store.knowledge_dir(settings).iterdir()
    )  # the refused file was not kept


def test_queued_files_are_charged_the_read_limit_until_they_are_read(
    database: Database, settings: Settings, time_machine: TimeMachineFixture
) -> None:
    """A file's cost is known only once it is read: until then one the reader process reads
    (HTML here) is charged the read limit, so a member cannot queue more files than their
    hour's ingest quota."""
    limited = settings.model_copy(
        update={"quota_ingest_seconds_per_hour": 50, "knowledge_extract_timeout_s": 20.0}
    )
    time_machine.move_to(utcnow(), tick=False)
    with database.session() as session:
        owner, _ = creator_agent(session, handle="potter_hold")
        queued = [
            sources.add_file(
                session, limited, owner, "potter_hold", filename=f"{n}.html", data=_page(n)
            ).source
            for n in range(3)  # 40 s held after two: under 50, so the third is queued too
        ]
        with pytest.raises(RateLimited) as refused:
            sources.add_file(
                session, limited, owner, "potter_hold", filename="3.html", data=_page(3)
            )
        wait = refused.value.retry_after_s
        assert str(refused.value) == (
            "reading and indexing your files took 60 s of the server's time in the last hour "
            "(60 s of it charged up front for 3 files not read yet), and the limit is 50 s; "
            f"try again in {wait} s, or upload smaller files or their text as .txt"
        )
        assert wait == 3600  # the first hold must leave the hour for 40 s to remain
        quotas.settle_ingest(session, owner.id, queued[0].id, 0.5)  # read: 19.5 s refunded
        sources.add_file(session, limited, owner, "potter_hold", filename="3.html", data=_page(3))
        assert quotas.ingest_seconds(session, [owner.id]) == {owner.id: 60.5}


def _page(n: int) -> bytes:
    return f"<html><body><p>Page {n}</p></body></html>".encode()


def test_a_small_text_file_is_held_what_embedding_it_may_cost(
    database: Database, settings: Settings
) -> None:
    """Text read in the server's own process cannot run long: a creator's dozens of notes are
    held a second and a little per KiB each, not the read limit, and fit one hour's quota."""
    many = settings.model_copy(update={"quota_uploads_per_minute": 0, "quota_uploads_per_hour": 0})
    with database.session() as session:
        owner, _ = creator_agent(session, handle="potter_notes")
        for n in range(40):
            note = f"# Note {n}\n" + "A line about glazes and kilns.\n" * 60  # ~1.9 KiB
            sources.add_file(
                session, many, owner, "potter_notes", filename=f"{n}.md", data=note.encode()
            )
        held = quotas.ingest_seconds(session, [owner.id])[owner.id]
        assert 40 < held < 40 * 1.1
        assert held < many.quota_ingest_seconds_per_hour


def test_a_hold_is_charged_once_and_settled_once(database: Database, settings: Settings) -> None:
    with database.session() as session:
        owner, _ = creator_agent(session, handle="potter_settle")
        source = sources.add_file(
            session, settings, owner, "potter_settle", filename="a.html", data=_page(1)
        ).source
        again = sources.add_file(  # the same file while it waits: the same source, one hold
            session, settings, owner, "potter_settle", filename="a.html", data=_page(1)
        ).source
        assert again.id == source.id
        rows = session.scalars(select(IngestCharge).where(IngestCharge.account_id == owner.id))
        assert [(c.seconds, c.held_for) for c in rows] == [
            (settings.knowledge_extract_timeout_s, source.id)
        ]
        quotas.settle_ingest(session, owner.id, source.id, 3.5)
        quotas.settle_ingest(session, owner.id, source.id, 1.25)  # resumed after a restart
        rows = session.scalars(
            select(IngestCharge)
            .where(IngestCharge.account_id == owner.id)
            .order_by(IngestCharge.id)
        )
        assert [(c.seconds, c.held_for) for c in rows] == [(3.5, None), (1.25, None)]


def test_forgetting_a_queued_file_keeps_its_hold_as_a_charge(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        owner, _ = creator_agent(session, handle="potter_forget")
        source = sources.add_file(
            session, settings, owner, "potter_forget", filename="a.html", data=_page(1)
        ).source
        sources.forget_file(session, owner, "potter_forget", source.id)
        session.flush()
        session.expire_all()
        charge = session.scalars(select(IngestCharge).where(IngestCharge.account_id == owner.id))
        assert [(c.seconds, c.held_for) for c in charge] == [
            (settings.knowledge_extract_timeout_s, None)
        ]


def test_storage_counts_knowledge_files_too(database: Database, settings: Settings) -> None:
    """Knowledge files are on the server's disk like media: they fill the same storage."""
    limited = settings.model_copy(update={"quota_storage_mb": 1})
    notes = b"# Notes\n" + b"clay " * 140_000  # 700 KB
    more = b"# More\n" + b"glaze " * 70_000  # 420 KB
    with database.session() as session:
        owner, _ = creator_agent(session, handle="potter_storage")
        sources.add_file(session, limited, owner, "potter_storage", filename="notes.md", data=notes)
        with pytest.raises(RateLimited) as refused:
            sources.add_file(
                session, limited, owner, "potter_storage", filename="more.md", data=more
            )
        assert str(refused.value) == (
            "your files would take more than your 1 MiB of storage (0.7 MiB used); delete posts "
            "with media or knowledge files you no longer need, or ask whoever runs this server "
            "for more"
        )
        # A picture counts against the same storage, knowledge files included.
        tight = dataclasses.replace(OPEN, storage_bytes=len(notes) + 10)
        with pytest.raises(RateLimited, match=r"\(0\.7 MiB used\)"):
            media.store_media(session, settings.media_dir, owner, png_bytes(4, 4), quotas=tight)
