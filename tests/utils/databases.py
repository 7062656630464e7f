"""Migrated, empty databases for tests, without running the migrations for every test.

Alembic runs once per test process and storage backend; each test then starts from exactly the
state the migrations leave:

- SQLite: a copy of a template file migrated once (a file copy instead of 17 revisions).
- PostgreSQL: the test process's own schema, migrated once and emptied between tests (rows
  deleted, or truncated where a trigger refuses deletes, sequences and the migrations' own rows
  put back). Emptying is checked against a fingerprint of the schema taken after migrating: a
  test that changed the schema itself (a migration test that downgrades) or dropped it gets
  the schema dropped and migrated again.

Each database handed out gets an installation id of its own, as each migration draws one: the
id names things that outlive one database (workflow ids, DM streams) in this one process.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from psycopg.errors import LockNotAvailable
from sqlalchemy import URL, Connection, create_engine, text, update
from sqlalchemy.exc import OperationalError

from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Installation
from townsquare.db.types import utcnow

# How long emptying waits for a lock before it ends the sessions holding one (milliseconds).
LOCK_TIMEOUT_MS = 2000
# Everything a test could change about the schema's shape, as one digest: relations, columns
# with their types and defaults, indexes, constraints, functions and triggers.
_FINGERPRINT = text(
    """
    SELECT md5(string_agg(item, E'\\n' ORDER BY item)) FROM (
        SELECT 'rel ' || c.relname || ' ' || c.relkind::text AS item
        FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
        UNION ALL
        SELECT 'col ' || c.relname || '.' || a.attname || ' '
            || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' '
            || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        WHERE c.relnamespace = current_schema()::regnamespace
        UNION ALL
        SELECT 'idx ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
        UNION ALL
        SELECT 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
        UNION ALL
        SELECT 'fn ' || proname || '(' || pg_get_function_identity_arguments(oid) || ') '
            || md5(prosrc)
        FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
        UNION ALL
        SELECT 'trg ' || pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
    ) items
    """
)
_TABLES = text(
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
)
# (referencing table, referenced table) for each foreign key between two tables of the schema.
_FOREIGN_KEYS = text(
    """
    SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c
    WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
    """
)
# Tables with a trigger of their own on DELETE (the append-only event log refuses deletes).
_DELETE_TRIGGERS = text(
    """
    SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
        AND t.tgtype & 8 = 8
    """
)
_SEQUENCES = text(
    """
    SELECT sequencename, coalesce(last_value, start_value), last_value IS NOT NULL
    FROM pg_sequences WHERE schemaname = current_schema()
    """
)

# Ends (waiting up to 5 s for each to exit) every other session holding a lock on a relation of
# the current schema.
_TERMINATE_LOCK_HOLDERS = text(
    """
    SELECT pg_terminate_backend(pid, 5000) FROM (
        SELECT DISTINCT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE c.relnamespace = current_schema()::regnamespace AND l.pid <> pg_backend_pid()
    ) holders
    """
)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


@dataclass
class _MigratedSchema:
    """What a PostgreSQL schema looks like right after migrating, to empty it back to that."""

    fingerprint: str
    deletes: list[str]  # child tables before their parents
    truncates: set[str]  # tables whose own triggers refuse DELETE
    sequences: list[tuple[str, int, bool]]  # name, value, is_called
    rows: dict[str, str] = field(default_factory=dict)  # table -> its rows as JSON

    @classmethod
    def read(cls, connection: Connection) -> _MigratedSchema:
        tables = list(connection.scalars(_TABLES))
        parents: dict[str, set[str]] = {table: set() for table in tables}
        for child, parent in connection.execute(_FOREIGN_KEYS):
            if child != parent:  # a table referring to itself empties in one statement
                parents[child].add(parent)
        try:
            order = list(TopologicalSorter(parents).static_order())  # parents first
        except CycleError:
            order = []  # nothing can be deleted in order: every table is truncated
        truncates = set(connection.scalars(_DELETE_TRIGGERS)) | (set(tables) - set(order))
        rows = {
            table: str(connection.scalar(text(f"SELECT json_agg(t)::text FROM {_quoted(table)} t")))
            for table in tables
            if connection.scalar(text(f"SELECT EXISTS (SELECT FROM {_quoted(table)})"))
        }
        return cls(
            fingerprint=str(connection.scalar(_FINGERPRINT)),
            deletes=[table for table in reversed(order) if table not in truncates],
            truncates=truncates,
            sequences=[(str(n), int(v), bool(c)) for n, v, c in connection.execute(_SEQUENCES)],
            rows=rows,
        )

    def empty(self, connection: Connection) -> bool:
        """Empties the schema back to its migrated state in one transaction; False (and
        nothing done) where its shape is not the migrated one any more."""
        if connection.scalar(_FINGERPRINT) != self.fingerprint:
            return False
        filled = self._filled(connection)
        truncate = [table for table in filled if table in self.truncates]
        if truncate:
            names = ", ".join(_quoted(table) for table in truncate)
            connection.execute(text(f"TRUNCATE {names} CASCADE"))
        for table in self.deletes:
            if table in filled:
                connection.execute(text(f"DELETE FROM {_quoted(table)}"))
        if self.sequences:
            restarts = ", ".join(
                f"setval({_literal(_quoted(name))}, {value}, {called})"
                for name, value, called in self.sequences
            )
            connection.execute(text(f"SELECT {restarts}"))
        for table, rows in self.rows.items():
            connection.execute(
                text(
                    f"INSERT INTO {_quoted(table)} SELECT * FROM "
                    f"json_populate_recordset(NULL::{_quoted(table)}, CAST(:rows AS json))"
                ),
                {"rows": rows},
            )
        return True

    def _filled(self, connection: Connection) -> set[str]:
        """The tables with at least one row, in one round trip."""
        tables = [*self.deletes, *self.truncates]
        probes = " UNION ALL ".join(
            f"SELECT {_literal(table)} WHERE EXISTS (SELECT FROM {_quoted(table)})"
            for table in tables
        )
        return set(connection.scalars(text(probes)))


class MigratedDatabases:
    """Hands out migrated, empty databases; one per test process (a session fixture)."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._sqlite_template: Path | None = None
        self._schemas: dict[str, _MigratedSchema] = {}

    def sqlite(self, path: Path) -> Database:
        """A migrated SQLite database at ``path``: a copy of the template."""
        if self._sqlite_template is None:
            template = self._directory / "template.db"
            database = Database(f"sqlite:///{template}")
            upgrade_to_head(database)
            database.dispose()  # the last connection checkpoints and removes the WAL file
            assert not template.with_name("template.db-wal").exists()
            self._sqlite_template = template
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._sqlite_template, path)
        database = Database(f"sqlite:///{path}")
        with database.engine.begin() as connection:
            _draw_installation_id(connection)
        return database

    def postgres(self, url: str, *, fresh: Callable[[], str]) -> Database:
        """The migrated, empty schema that ``url`` (its search path) names; ``fresh`` drops and
        creates it empty, when it must be migrated (again)."""
        state = self._schemas.get(url)
        if state is not None:
            database = Database(url)
            if _emptied(database, state):
                return database
            database.dispose()
        _end_sessions_holding_locks(url)  # or dropping the schema would wait for them
        database = Database(fresh())
        upgrade_to_head(database)
        with database.engine.connect() as connection:
            self._schemas[url] = _MigratedSchema.read(connection)
        return database


def _emptied(database: Database, state: _MigratedSchema) -> bool:
    """Empties ``database`` as ``state`` says, with an installation id of its own; False where
    its shape changed. A session a test left open in the schema (its transaction holding locks
    the emptying needs) is ended, so that one test's leak never hangs the next."""
    try:
        return _empty_once(database, state)
    except OperationalError as error:
        if not isinstance(error.orig, LockNotAvailable):
            raise
    _end_sessions_holding_locks(database.url)
    return _empty_once(database, state)


def _empty_once(database: Database, state: _MigratedSchema) -> bool:
    with database.engine.begin() as connection:
        connection.execute(text(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}"))
        if not state.empty(connection):
            return False
        _draw_installation_id(connection)
    return True


def _end_sessions_holding_locks(url: str | URL) -> None:
    """Terminates the other sessions that hold a lock on a relation of ``url``'s schema (only
    this test process uses it): a connection a test left idle in its transaction."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(_TERMINATE_LOCK_HOLDERS)
    engine.dispose()


def _draw_installation_id(connection: Connection) -> None:
    """A new installation id, drawn as the migration that made the database draws one."""
    connection.execute(update(Installation).values(id=uuid.uuid4().hex, created_at=utcnow()))
