"""One process at a time: advisory locks on PostgreSQL, always held on SQLite (issue 19)."""

from __future__ import annotations

import threading

import pytest

from townsquare.db import Database
from townsquare.db.locks import exclusive, lock_key

pytestmark = pytest.mark.postgres


def test_a_lock_keys_its_name_stably_in_64_bits() -> None:
    assert lock_key("townsquare-migrations") == lock_key("townsquare-migrations")
    assert lock_key("a") != lock_key("b")
    assert -(2**63) <= lock_key("a") < 2**63


def test_a_held_lock_is_refused_to_another_holder_until_released(database: Database) -> None:
    other = Database(database.url.render_as_string(hide_password=False))
    try:
        with exclusive(database, "job", wait=False) as first:
            assert first
            with exclusive(other, "job", wait=False) as second:
                assert second is database.is_sqlite  # SQLite: one process, nothing to refuse
            with exclusive(other, "another job", wait=False) as unrelated:
                assert unrelated
        with exclusive(other, "job", wait=False) as after:
            assert after
    finally:
        other.dispose()


def test_a_waiting_holder_gets_the_lock_when_it_is_released(database: Database) -> None:
    if database.is_sqlite:
        pytest.skip("SQLite serves one process: the lock never waits")
    order: list[str] = []

    def second() -> None:
        with exclusive(database, "job", wait=True):
            order.append("second")

    with exclusive(database, "job", wait=True):
        waiter = threading.Thread(target=second)
        waiter.start()
        waiter.join(0.5)
        assert waiter.is_alive()  # still waiting
        order.append("first")
    waiter.join(10)
    assert order == ["first", "second"]
