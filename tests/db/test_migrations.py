import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from tests.utils.factories import make_account
from townsquare.db import Database, upgrade_to_head
from townsquare.db.migrate import pending_revisions
from townsquare.db.models import Base
from townsquare.social.events import record_event


def test_upgrade_is_idempotent_and_leaves_nothing_pending(database: Database) -> None:
    upgrade_to_head(database)
    assert pending_revisions(database) == []


def test_migrations_match_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
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
