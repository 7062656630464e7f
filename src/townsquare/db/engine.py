"""The engine and session factory for SQLite (WAL) or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from townsquare.db.search import SESSION_SETTINGS
from townsquare.settings import Settings
from townsquare.settings_connections import (
    DEFAULT_MAX_OVERFLOW,
    DEFAULT_POOL_SIZE,
    DEFAULT_POOL_TIMEOUT_S,
)

# The execution option that says whether a session's transactions write: on SQLite one that
# writes begins with the write lock (``BEGIN IMMEDIATE``), one that only reads does not.
WRITES = "townsquare_writes"
# SQLite's connections: one for each of FastAPI's worker threads (anyio's default limiter, 40),
# and the background workers' (replies, ingest, intents, digests). A request never waits for a
# connection that another request's thread holds while it waits for a thread.
SQLITE_POOL_SIZE = 48
# How a process's connections to PostgreSQL show in ``pg_stat_activity``.
APPLICATION_NAME = "townsquare"


def _configure_sqlite(engine: Engine) -> None:
    """WAL, so readers and the one writer do not wait for each other; ``synchronous=FULL``,
    so a committed row survives a power cut as well as a process crash (docs/operations.md);
    a writing transaction begins ``IMMEDIATE``, so writers queue on the lock instead of failing
    when a read upgrades to a write; a reading one begins deferred and never takes the lock."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(WRITES, True)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    """The knowledge search's settings on every new connection (``db.search``)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(SESSION_SETTINGS)
        cursor.close()
        dbapi_connection.commit()


class Database:
    """Owns one engine and hands out sessions; the only place that knows the backend. On
    PostgreSQL the engine opens at most ``pool_size + max_overflow`` connections, and a unit of
    work waits up to ``pool_timeout_s`` for one (``settings_connections``)."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        pool_size: int = DEFAULT_POOL_SIZE,
        max_overflow: int = DEFAULT_MAX_OVERFLOW,
        pool_timeout_s: float = DEFAULT_POOL_TIMEOUT_S,
    ) -> None:
        self.url = make_url(url)
        if self.is_sqlite:
            database = self.url.database
            pool: dict[str, int] = {}  # an in-memory database is one connection a thread
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
                pool = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": 0}
            self.engine = create_engine(
                self.url,
                echo=echo,
                connect_args={"check_same_thread": False, "timeout": 30},
                **pool,
            )
            _configure_sqlite(self.engine)
        else:
            self.engine = create_engine(
                self.url,
                echo=echo,
                pool_pre_ping=True,
                pool_size=pool_size,
                max_overflow=max_overflow,
                pool_timeout=pool_timeout_s,
                connect_args={"application_name": APPLICATION_NAME},
            )
            _configure_postgresql(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def configured(cls, settings: Settings) -> Database:
        """The app database of ``settings``, its pool sized by them."""
        return cls(
            settings.resolved_database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            pool_timeout_s=settings.database_pool_timeout_s,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def new_session(self, *, writes: bool = True) -> Session:
        """A session; ``writes=False`` for one that only reads (a GET request's): on SQLite its
        transactions do not take the write lock, so it neither waits for a writer nor holds
        one up. To write in it, call ``begin_write`` first."""
        return self._sessions(execution_options={WRITES: writes})

    @contextmanager
    def session(self, *, writes: bool = True) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back on error;
        ``writes=False`` for one that only reads (``new_session``)."""
        with self.new_session(writes=writes) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def begin_read(session: Session) -> None:
    """Begins the session's next transaction as one that only reads, whatever the session's
    kind (on SQLite, without the write lock). Call it when no transaction is open."""
    session.connection(execution_options={WRITES: False})


@contextmanager
def reading_first(session: Session) -> Iterator[None]:
    """A transaction that only reads, ended (committed: nothing to keep) when the block ends,
    however it ends: for the checks that may refuse a request before it begins to write. On
    SQLite a request refused inside it never takes the one write lock, which every other
    member's writes queue on. When the session is already in a transaction (it holds what it
    holds), the block runs in that one."""
    if session.in_transaction():
        yield
        return
    begin_read(session)
    try:
        yield
    finally:
        session.commit()


def begin_write(session: Session) -> None:
    """Ends the session's transaction (committing it) and begins one that may write: in a
    reading session, a write inside the read's transaction would fail on SQLite (at once, with
    "database is locked") whenever another connection had written since the read began."""
    session.commit()
    session.connection(execution_options={WRITES: True})
