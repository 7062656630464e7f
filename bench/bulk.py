"""Bulk appends for the benchmark tools: rows given column by column, written with COPY on
PostgreSQL (psycopg 3 ``cursor.copy``) and ``executemany`` on SQLite, with a progress bar per
table."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rich.progress import Progress, TaskID
from sqlalchemy import Connection, Table, func, insert, select, text

from townsquare.db.models import Base

BATCH = 50_000  # rows per COPY or executemany
Column = NDArray[Any] | list[Any]  # one value per row; datetime64 arrays for timestamps


class Writer:
    """Appends rows to tables, given column by column: COPY on PostgreSQL, executemany on
    SQLite. Columns not given get the model's default (evaluated once: a timestamp, ``[]``)."""

    def __init__(self, connection: Connection, progress: Progress) -> None:
        self.connection = connection
        self.progress = progress
        self.postgres = connection.dialect.name == "postgresql"
        self.written: dict[str, int] = {}
        self._tasks: dict[str, TaskID] = {}
        self._expected: set[str] = set()  # tables sized in advance by `expect`

    def next_id(self, table: str) -> int:
        found = self.connection.scalar(select(func.max(Base.metadata.tables[table].c.id)))
        return int(found or 0) + 1

    def expect(self, name: str, total: int) -> None:
        """Sizes the table's progress bar (when it is written in several calls)."""
        self._tasks[name] = self.progress.add_task(name, total=total)
        self._expected.add(name)

    def write(self, name: str, columns: dict[str, Column]) -> None:
        table = Base.metadata.tables[name]
        count = len(next(iter(columns.values())))
        if name not in self._tasks:
            self._tasks[name] = self.progress.add_task(name, total=count)
        elif name not in self._expected:  # a second call: the bar grows by its rows
            task = self._tasks[name]
            self.progress.update(task, total=(self.progress.tasks[task].total or 0) + count)
        values = [self._values(column) for column in columns.values()]
        fill = _defaults(table, list(columns))
        if self.postgres:
            fill = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in fill.items()}
        names = [*columns, *fill]
        values += [itertools.repeat(value, count) for value in fill.values()]
        rows = zip(*values, strict=False)  # the repeats are endless
        written = 0
        while batch := list(itertools.islice(rows, min(BATCH, count - written))):
            written += len(batch)
            if self.postgres:
                self._copy(table, names, batch)
            else:
                self.connection.execute(
                    insert(table), [dict(zip(names, r, strict=True)) for r in batch]
                )
            self.progress.advance(self._tasks[name], len(batch))
        self.written[name] = self.written.get(name, 0) + count

    def _values(self, column: Column) -> list[Any]:
        if isinstance(column, np.ndarray) and np.issubdtype(column.dtype, np.datetime64):
            seconds = column.astype("datetime64[s]")
            if self.postgres:  # COPY takes the text form; no datetime objects needed
                return list(np.char.add(np.datetime_as_string(seconds), "+00").tolist())
            epoch = seconds.astype(np.int64).tolist()
            return [datetime.fromtimestamp(s, UTC) for s in epoch]
        if isinstance(column, np.ndarray):
            return list(column.tolist())
        return column

    def _copy(self, table: Table, names: list[str], batch: list[tuple[Any, ...]]) -> None:
        cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in batch:
                copy.write_row(row)


@contextmanager
def indexes_dropped(
    connection: Connection, tables: Sequence[str], progress: Progress
) -> Iterator[None]:
    """On PostgreSQL, drops the foreign keys and the secondary indexes of ``tables`` for the
    length of the block and builds them again after it (each index once, over all the rows,
    and each foreign key checked by one join instead of a trigger per row). Primary keys and
    unique constraints stay, so the load still refuses a duplicate. Meant for an empty or a
    benchmark database: the tables, and those their foreign keys name, are locked until the
    transaction ends, and the rebuild costs as much as the rows already there. On SQLite the
    block runs as it is."""
    if connection.dialect.name != "postgresql":
        yield
        return
    names = list(tables)
    foreign_keys = connection.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(:names) "
            "ORDER BY conrelid::regclass::text, conname"
        ),
        {"names": names},
    ).all()
    indexes = connection.execute(
        text(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid::regclass::text = ANY(:names) AND NOT i.indisunique "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY 1"
        ),
        {"names": names},
    ).all()
    for table, name, _ in foreign_keys:
        connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    for name, _ in indexes:
        connection.execute(text(f"DROP INDEX {name}"))
    yield
    task = progress.add_task("indexes, keys", total=len(indexes) + len(foreign_keys))
    connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    for _, definition in indexes:
        connection.execute(text(definition))
        progress.advance(task)
    for table, name, definition in foreign_keys:
        connection.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
        progress.advance(task)
    for table in names:  # the planner's statistics, for whoever reads the community next
        connection.execute(text(f"ANALYZE {table}"))


def _defaults(table: Table, given: Sequence[str]) -> dict[str, object]:
    """Each column not in ``given`` that has a model default: that default."""
    values: dict[str, object] = {}
    for column in table.columns:
        if column.name in given or column.primary_key or column.default is None:
            continue
        value = column.default.arg  # type: ignore[attr-defined]
        values[column.name] = value(None) if callable(value) else value
    return values
