"""Which errors a step tries again: real ones, from real connections (issue 19: a worker's
steps failed their workflows on a full PostgreSQL instead of waiting a moment)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from townsquare.db import Database
from townsquare.db.transient import is_transient

pytestmark = pytest.mark.postgres


def _raised(database: Database, statement: str) -> SQLAlchemyError:
    with database.engine.connect() as connection, pytest.raises(SQLAlchemyError) as raised:
        connection.execute(text(statement))
    return raised.value


def test_a_wrong_statement_or_missing_table_is_not_retried(database: Database) -> None:
    assert not is_transient(_raised(database, "SELECT * FROM no_such_table"))
    assert not is_transient(_raised(database, "SELEC 1"))
    assert not is_transient(ValueError("not a database error"))


def test_a_refused_duplicate_is_not_retried(database: Database) -> None:
    with database.engine.connect() as connection:
        connection.execute(text("CREATE TEMPORARY TABLE keyed (k INTEGER PRIMARY KEY)"))
        connection.execute(text("INSERT INTO keyed VALUES (1)"))
        with pytest.raises(IntegrityError) as raised:
            connection.execute(text("INSERT INTO keyed VALUES (1)"))
    assert not is_transient(raised.value)


def test_a_server_that_refuses_connections_is_retried() -> None:
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    with pytest.raises(DBAPIError) as raised:
        engine.connect()
    assert is_transient(raised.value)
    engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_pool_with_no_free_connection_in_time_is_retried(database: Database) -> None:
    small = Database(
        database.url.render_as_string(hide_password=False),
        pool_size=1,
        max_overflow=0,
        pool_timeout_s=0.1,
    )
    with small.engine.connect(), pytest.raises(PoolTimeout) as raised:
        small.engine.connect()
    assert is_transient(raised.value)
    small.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_connection_dropped_under_a_statement_is_retried(database: Database) -> None:
    with database.engine.connect() as victim:
        pid = victim.execute(text("SELECT pg_backend_pid()")).scalar()
        with database.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.commit()
        with pytest.raises(DBAPIError) as raised:
            victim.execute(text("SELECT 1"))
    assert is_transient(raised.value)


def test_a_held_sqlite_write_lock_is_retried(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'locked.db'}", connect_args={"timeout": 0})
    with engine.connect() as holder, engine.connect() as other:
        holder.exec_driver_sql("BEGIN IMMEDIATE")
        with pytest.raises(DBAPIError) as raised:
            other.exec_driver_sql("BEGIN IMMEDIATE")
        holder.rollback()
    assert is_transient(raised.value)
    engine.dispose()
