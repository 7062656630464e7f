"""The engine's transactions on SQLite: readers never take the write lock, writers queue on it,
commits are not fsynced one by one, and every worker thread can hold a connection (issue 16:
50 members on SQLite stalled on the write lock); PostgreSQL keeps its own behaviour."""

from __future__ import annotations

import threading
from contextlib import ExitStack

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from tests.utils.factories import make_account
from townsquare.db import Database, begin_write, reading_first
from townsquare.db.engine import APPLICATION_NAME, SQLITE_POOL_SIZE, WRITES
from townsquare.db.models import Account
from townsquare.errors import RateLimited
from townsquare.settings import Settings

pytestmark = pytest.mark.postgres

# FastAPI's worker threads (anyio's default limiter): each may hold a connection at once.
WORKER_THREADS = 40


def _handles(database: Database, *, writes: bool) -> list[str]:
    with database.new_session(writes=writes) as session:
        return list(session.scalars(select(Account.handle).order_by(Account.id)))


def test_a_reader_is_not_blocked_while_another_connection_writes(database: Database) -> None:
    """On SQLite a reading session begins deferred: it reads the last committed state while a
    writer holds the lock (before, every transaction began ``BEGIN IMMEDIATE`` and waited for
    the writer, up to the 30 s busy timeout)."""
    with database.session() as session:
        ada = make_account(session).handle
    read: list[list[str]] = []
    with database.new_session() as writer:
        make_account(writer)
        writer.flush()  # holds the write lock (PostgreSQL: an uncommitted row) from here on
        reader = threading.Thread(target=lambda: read.append(_handles(database, writes=False)))
        reader.start()
        reader.join(timeout=5)
        finished = not reader.is_alive()
        writer.rollback()
    reader.join()
    assert finished, "the reader waited for the writer"
    assert read == [[ada]]


def test_writers_queue_on_the_lock_instead_of_failing(database: Database) -> None:
    """Two sessions that read, then write: the second waits for the first and both commit."""
    barrier = threading.Barrier(2)
    failures: list[Exception] = []

    def write(index: int) -> None:
        try:
            with database.new_session() as session:
                barrier.wait(timeout=10)
                count = len(session.scalars(select(Account.id)).all())
                make_account(session, f"writer{index}_{count}")
                session.commit()
        except Exception as error:  # what the test looks at
            failures.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len(_handles(database, writes=False)) == 2


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_reading_session_writes_after_begin_write(database: Database) -> None:
    """A read that upgrades to a write fails on SQLite at once once another connection has
    committed since the read began; ``begin_write`` starts a writing transaction instead."""
    with database.new_session(writes=False) as session:
        assert session.scalars(select(Account.id)).all() == []
        with database.session() as other:
            make_account(other, "other")
        with pytest.raises(OperationalError, match="database is locked"):
            make_account(session, "upgraded")
        session.rollback()

        assert session.scalars(select(Account.id)).all() != []
        with database.session() as other:
            make_account(other, "another")
        begin_write(session)
        make_account(session, "written")
        session.commit()
    assert _handles(database, writes=False) == ["other", "another", "written"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_runs_in_wal_with_an_fsync_per_commit(database: Database) -> None:
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_worker_thread_can_hold_a_connection(database: Database) -> None:
    """A connection for each of FastAPI's worker threads, and the background workers', all
    reading at once (before: 5 + 10 overflow, and the 16th waited 30 s for a connection)."""
    assert SQLITE_POOL_SIZE > WORKER_THREADS
    with ExitStack() as stack:
        sessions = [
            stack.enter_context(database.new_session(writes=False)) for _ in range(SQLITE_POOL_SIZE)
        ]
        assert [s.scalar(text("SELECT 1")) for s in sessions] == [1] * SQLITE_POOL_SIZE


def test_an_in_memory_database_keeps_one_connection_a_thread() -> None:
    database = Database("sqlite://")
    with database.new_session(writes=False) as session:
        assert session.scalar(text("SELECT 1")) == 1
    database.dispose()


def test_reading_first_reads_without_the_lock_and_ends_before_the_write(
    database: Database,
) -> None:
    """The early checks' transaction: it only reads, and it is over when the block ends, even
    when the block raises, so the next statement begins the session's own kind of transaction."""
    begun: list[bool] = []
    event.listen(
        database.engine,
        "begin",
        lambda connection: begun.append(connection.get_execution_options().get(WRITES, True)),
    )
    with database.new_session() as session:
        with pytest.raises(RateLimited), reading_first(session):
            session.scalars(select(Account.id)).all()
            raise RateLimited("refused early", retry_after_s=1)
        assert not session.in_transaction()
        make_account(session)
        with reading_first(session):  # inside an open write: it runs there
            session.scalars(select(Account.id)).all()
        assert session.in_transaction()
        session.commit()
    assert begun == [False, True]


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_process_opens_no_more_postgresql_connections_than_its_settings_allow(
    database: Database, settings: Settings
) -> None:
    """``database_pool_size + database_max_overflow`` at once, then a unit of work waits
    ``database_pool_timeout_s`` and fails (issue 19: every process's pools must fit in the
    server's ``max_connections``); each shows in ``pg_stat_activity`` as townsquare's."""
    sized = settings.model_copy(
        update={"database_pool_size": 2, "database_max_overflow": 1, "database_pool_timeout_s": 0.2}
    )
    configured = Database.configured(sized)
    with ExitStack() as stack:
        held = [stack.enter_context(configured.engine.connect()) for _ in range(3)]
        name = text("SELECT current_setting('application_name')")
        assert {connection.execute(name).scalar() for connection in held} == {APPLICATION_NAME}
        with pytest.raises(PoolTimeout):
            configured.engine.connect()
    configured.dispose()
