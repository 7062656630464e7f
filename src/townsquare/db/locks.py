"""Work that one process at a time may do, among all the processes on one database:
PostgreSQL's advisory locks; SQLite serves one process, so there the lock is always held."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from townsquare.db.engine import Database


def lock_key(name: str) -> int:
    """``name`` as the signed 64-bit key PostgreSQL's advisory locks take."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def exclusive(database: Database, name: str, *, wait: bool) -> Iterator[bool]:
    """Holds the lock ``name`` for the block; ``wait``: until it is free, else the block runs
    at once and is told (False) that another process holds it. Released when the block ends,
    or by PostgreSQL when the holding process dies."""
    if database.is_sqlite:
        yield True
        return
    key = {"key": lock_key(name)}
    with database.engine.connect() as connection:
        if wait:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
            held = True
        else:
            held = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), key))
        connection.commit()
        try:
            yield held
        finally:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                connection.commit()
