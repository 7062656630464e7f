from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.command import downgrade
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, Connection, MetaData, Table, insert, text
from sqlalchemy.exc import DatabaseError

from tests.utils.factories import make_account
from townsquare.db import Database, upgrade_to_head
from townsquare.db.migrate import alembic_config, pending_revisions
from townsquare.db.models import Account, Agent, Base, Thread
from townsquare.db.search import include_object
from townsquare.db.types import utcnow
from townsquare.social import messages
from townsquare.social.events import record_event


def test_upgrade_is_idempotent_and_leaves_nothing_pending(database: Database) -> None:
    upgrade_to_head(database)
    assert pending_revisions(database) == []


def test_migrations_match_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_event_log_is_append_only(database: Database) -> None:
    with database.session() as session:
        account = make_account(session)
        record_event(session, account, "follow", surface="api", target_account_id=account.id)
    for statement in ("UPDATE events SET surface = 'feed'", "DELETE FROM events"):
        with pytest.raises(DatabaseError, match="append-only"), database.session() as session:
            session.execute(text(statement))
    with database.session() as session:
        assert session.scalar(text("SELECT count(*) FROM events")) == 1


def _insert(connection: Connection, table: str, **values: object) -> int:
    """A row inserted at whatever revision the schema is at: columns not given get a plain
    value of their type."""
    columns = Table(table, MetaData(), autoload_with=connection).columns
    row = dict(values)
    for column in columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        kind = column.type.python_type if not isinstance(column.type, JSON) else list
        plain: dict[type, object] = {str: "", int: 0, bool: False, list: [], datetime: utcnow()}
        row[column.name] = plain[kind]
    inserted = connection.execute(insert(columns[0].table).values(row).returning(columns["id"]))
    return int(inserted.scalar_one())


def test_0009_keeps_the_rows_races_left_and_unverifies_emails(database: Database) -> None:
    downgrade(alembic_config(database), "0008_work")
    with database.engine.begin() as connection:
        ada, bob = (
            _insert(connection, "accounts", handle=h, email=f"{h}@example.org", kind="person")
            for h in ("ada", "bob")
        )
        threads = [_insert(connection, "threads") for _ in range(2)]  # a race's two threads
        for thread_id in threads:
            for account_id in (ada, bob):
                connection.execute(
                    text("INSERT INTO thread_members (thread_id, account_id) VALUES (:t, :a)"),
                    {"t": thread_id, "a": account_id},
                )
        agent_accounts = [
            _insert(connection, "accounts", handle=f"twin{i}", kind="agent") for i in range(2)
        ]
        creators = [
            _insert(connection, "agents", account_id=a, owner_id=ada, kind="creator")
            for a in agent_accounts
        ]
    upgrade_to_head(database)
    with database.session() as session:
        keys = [session.get_one(Thread, t).members_key for t in threads]
        assert keys == [messages.members_key({ada, bob}), None]
        assert [session.get_one(Agent, a).kind for a in creators] == ["creator", "character"]
        account = session.get_one(Account, ada)
        assert (account.email, account.pending_email) == (None, "ada@example.org")
        assert (
            messages.open_thread(session, account, [session.get_one(Account, bob)]).id
            == (threads[0])
        )
