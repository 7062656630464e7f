"""The migrated databases the ``database`` fixture hands out: each starts as the migrations left
it, whatever the test before it wrote or changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.command import downgrade
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from tests.conftest import _fresh_postgres_schema, _postgres_url, _schema_url
from tests.utils.databases import MigratedDatabases
from tests.utils.factories import make_account, make_post
from townsquare.db import Database
from townsquare.db.migrate import alembic_config, pending_revisions
from townsquare.db.models import Account, Event, Installation, Post
from townsquare.social.events import record_event

pytestmark = pytest.mark.postgres


def _handed_out(migrated: MigratedDatabases, backend: str, path: Path) -> Database:
    if backend == "sqlite":
        return migrated.sqlite(path)
    url = _postgres_url()
    return migrated.postgres(_schema_url(url), fresh=lambda: _fresh_postgres_schema(url))


def _fill(database: Database) -> int:
    """Writes an account, a post and an event (the append-only log); returns the account's id."""
    with database.session() as session:
        account = make_account(session, handle="ada")
        make_post(session, account)
        record_event(session, account, "follow", surface="api", target_account_id=account.id)
        return account.id


def test_each_database_starts_as_the_migrations_left_it(backend: str, tmp_path: Path) -> None:
    migrated = MigratedDatabases(tmp_path)
    first = _handed_out(migrated, backend, tmp_path / "first.db")
    with first.session() as session:
        installation = session.scalars(select(Installation)).one()
    first_id = _fill(first)
    first.dispose()

    second = _handed_out(migrated, backend, tmp_path / "second.db")
    assert pending_revisions(second) == []
    with second.session() as session:
        for model in (Account, Post, Event):
            assert session.scalar(select(func.count()).select_from(model)) == 0
        assert session.scalars(select(Installation)).one().id != installation.id  # its own
    assert _fill(second) == first_id  # identities start again where the migrations left them
    second.dispose()


def test_a_schema_a_test_changed_is_migrated_again(backend: str, tmp_path: Path) -> None:
    migrated = MigratedDatabases(tmp_path)
    database = _handed_out(migrated, backend, tmp_path / "first.db")
    downgrade(alembic_config(database), "0008_work")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE leftover (id INTEGER)"))
    database.dispose()

    again = _handed_out(migrated, backend, tmp_path / "first.db")
    assert pending_revisions(again) == []
    with again.engine.connect() as connection:
        assert "leftover" not in again.engine.dialect.get_table_names(connection)
    assert _fill(again) == 1
    again.dispose()


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_session_a_test_left_open_does_not_hold_up_the_next(backend: str, tmp_path: Path) -> None:
    migrated = MigratedDatabases(tmp_path)
    first = _handed_out(migrated, backend, tmp_path / "first.db")
    _fill(first)
    left_open = first.engine.connect()  # idle in its transaction, holding locks, never closed
    left_open.execute(text("SELECT count(*) FROM events"))  # what TRUNCATE waits for
    left_open.execute(text("UPDATE accounts SET handle = 'grace'"))  # what DELETE waits for

    again = _handed_out(migrated, backend, tmp_path / "second.db")
    with again.session() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == 0
        assert session.scalar(select(func.count()).select_from(Event)) == 0
    with pytest.raises(OperationalError, match="terminating connection"):
        left_open.execute(text("SELECT 1"))  # ended by the hand-out
    left_open.invalidate()
    first.dispose()
    again.dispose()
