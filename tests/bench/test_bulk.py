from __future__ import annotations

import pytest
from bench.bulk import Writer, indexes_dropped
from rich.progress import Progress
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from townsquare.db import Database

pytestmark = pytest.mark.postgres


def _catalog(connection: Connection) -> set[tuple[str, str]]:
    """The events and posts tables' indexes and foreign keys, by name and definition."""
    indexes = connection.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename IN ('events', 'posts') AND schemaname = current_schema()"
        )
    )
    keys = connection.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text IN ('events', 'posts')"
        )
    )
    return {(str(n), str(d)) for n, d in [*indexes, *keys]}


def test_foreign_keys_and_secondary_indexes_are_dropped_for_the_load_and_rebuilt(
    database: Database,
) -> None:
    if database.is_sqlite:
        pytest.skip("PostgreSQL only: SQLite loads with its indexes")
    with database.engine.begin() as connection:
        before = _catalog(connection)
        assert {"ix_events_created_at", "events_account_id_fkey"} <= {n for n, _ in before}
        with indexes_dropped(connection, ["events", "posts"], Progress(disable=True)):
            during = {n for n, _ in _catalog(connection)}
            assert during == {"events_pkey", "posts_pkey"}  # primary keys stay
        assert _catalog(connection) == before


def test_a_row_that_breaks_a_foreign_key_fails_the_rebuild_and_nothing_stays(
    database: Database,
) -> None:
    if database.is_sqlite:
        pytest.skip("PostgreSQL only: SQLite loads with its indexes")
    progress = Progress(disable=True)
    with (
        pytest.raises(IntegrityError, match="events_account_id_fkey"),
        database.engine.begin() as connection,
        indexes_dropped(connection, ["events"], progress),
    ):
        Writer(connection, progress).write(
            "events", {"account_id": [999], "type": ["open"], "surface": ["feed"]}
        )
    with database.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM events")) == 0
        assert "ix_events_created_at" in {n for n, _ in _catalog(connection)}


def test_on_sqlite_the_block_runs_with_the_indexes_in_place(database: Database) -> None:
    if not database.is_sqlite:
        pytest.skip("SQLite only")
    with (
        database.engine.begin() as connection,
        indexes_dropped(connection, ["events"], Progress(disable=True)),
    ):
        names = connection.scalars(text("SELECT name FROM sqlite_master WHERE type='index'"))
        assert "ix_events_created_at" in set(names)


def test_a_table_written_twice_grows_its_bar_and_an_expected_one_keeps_its_size(
    database: Database,
) -> None:
    if not database.is_sqlite:
        pytest.skip("the bars are the same on both")
    progress = Progress(disable=True)
    with database.engine.begin() as connection:
        writer = Writer(connection, progress)
        writer.expect("media", 10)
        for first in (1, 3):
            ids = [first, first + 1]
            names = [f"m{i}" for i in ids]
            writer.write(
                "accounts",
                {"id": ids, "handle": names, "display_name": names, "password_hash": names},
            )
            media = {"owner_id": [first], "path": ["p"], "mime": ["image/png"]}
            writer.write("media", media | {"size_bytes": [1], "sha256": [f"{first:064x}"]})
    totals = {task.description: (task.completed, task.total) for task in progress.tasks}
    assert totals == {"media": (2, 10), "accounts": (4, 4)}
