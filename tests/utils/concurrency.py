"""Concurrent clients for race tests: each runs one unit of work in its own session (its own
connection), all started together behind a barrier, so a check-then-write in a service
interleaves as two real requests would."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from townsquare.db import Database

T = TypeVar("T")


def together(
    database: Database, work: Callable[[Session], T], *, clients: int = 2
) -> list[T | Exception]:
    """Runs ``work`` in ``clients`` threads at once, each in a transaction of its own that
    commits when ``work`` returns; returns each client's result, or the exception it ended with
    (a service error, or anything a race let through, such as an ``IntegrityError``)."""
    barrier = threading.Barrier(clients)
    results: list[T | Exception] = [RuntimeError("did not run")] * clients

    def client(index: int) -> None:
        with database.new_session() as session:
            try:
                if not database.is_sqlite:
                    # Connected before the barrier, the clients race on the work, not on
                    # connecting (SQLite's BEGIN IMMEDIATE would take the write lock here).
                    session.connection()
                barrier.wait(timeout=30)
                results[index] = work(session)
                session.commit()
            except Exception as error:  # a race's outcome is what the test looks at
                session.rollback()
                results[index] = error

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def repeat_together(
    database: Database,
    prepare: Callable[[Session], T],
    work: Callable[[Session, T], object],
    check: Callable[[Session, T, list[object]], None],
    *,
    rounds: int = 20,
    clients: int = 2,
) -> None:
    """``rounds`` times: ``prepare`` fresh rows (committed), run ``work`` on them from
    ``clients`` concurrent clients, then ``check`` what was stored and what each client got."""
    for _ in range(rounds):
        with database.session() as session:
            prepared = prepare(session)
        results = together(database, functools.partial(_bound, work, prepared), clients=clients)
        with database.session() as session:
            check(session, prepared, list(results))


def _bound(work: Callable[[Session, T], object], prepared: T, session: Session) -> object:
    return work(session, prepared)
