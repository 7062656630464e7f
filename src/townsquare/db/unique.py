"""First writer wins: an insert that a unique constraint may refuse because a concurrent
transaction inserted the same key first.

A service checks for the row, then inserts it; two requests at once both pass the check. The
database's unique constraint is what decides: the insert runs in a savepoint, so a refused one
rolls back alone and the caller answers with the row the other transaction stored (or a 409).
On PostgreSQL the second insert waits for the first transaction and fails only once it commits;
on SQLite every writer already holds the write lock, so the savepoint only ever commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

_UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE


class Duplicate(Exception):
    """A unique constraint refused the rows added in ``once``; nothing of them was stored."""


def _is_unique_violation(error: IntegrityError) -> bool:
    if getattr(error.orig, "sqlstate", None) == _UNIQUE_VIOLATION:
        return True
    return "UNIQUE constraint failed" in str(error.orig)  # SQLite's wording


@contextmanager
def once(session: Session) -> Iterator[None]:
    """Flushes what the block adds in a savepoint; raises ``Duplicate`` (the savepoint rolled
    back, the outer transaction intact) when a unique constraint refuses it."""
    try:
        with session.begin_nested():
            yield
    except IntegrityError as error:
        if not _is_unique_violation(error):
            raise
        raise Duplicate(str(error.orig)) from error
