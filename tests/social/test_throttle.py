"""The sign-in and sign-up limits (``accounts.sign_in`` / ``sign_up`` over ``throttle``).

These services commit each counted attempt themselves, as a request's session allows: the tests
use plain sessions (``new_session``), not the ``session()`` unit of work."""

from datetime import timedelta

import pytest
from time_machine import TimeMachineFixture

from tests.utils.factories import PASSWORD, make_account
from townsquare.db import Database
from townsquare.db.models import AuthAttempt
from townsquare.db.types import utcnow
from townsquare.errors import AuthenticationFailed, RateLimited
from townsquare.settings import Settings
from townsquare.social import accounts, throttle


@pytest.fixture
def limits(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "signin_failures_per_handle": 3,
            "signin_failures_per_address": 5,
            "signups_per_address": 2,
            "auth_window_s": 600,
        }
    )


def _fail(database: Database, limits: Settings, handle: str, address: str = "198.51.100.7") -> None:
    with pytest.raises(AuthenticationFailed), database.new_session() as session:
        accounts.sign_in(
            session, handle=handle, password="not it at all", address=address, settings=limits
        )


def test_a_handle_is_locked_after_its_failures_even_with_the_right_password(
    database: Database, limits: Settings, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(utcnow(), tick=False)  # the Retry-After, whatever the machine's load
    with database.session() as session:
        make_account(session, handle="grace")
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        _fail(database, limits, "grace", address)
    with pytest.raises(RateLimited) as limited, database.new_session() as session:
        accounts.sign_in(
            session, handle="@Grace", password=PASSWORD, address="203.0.113.5", settings=limits
        )
    assert limited.value.retry_after_s == 600
    assert str(limited.value) == (
        f"too many failed sign-ins for this handle; retry in {limited.value.retry_after_s} s"
    )


def test_an_unknown_handle_is_locked_the_same_way(database: Database, limits: Settings) -> None:
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        _fail(database, limits, "nobody", address)
    with pytest.raises(RateLimited, match="for this handle"), database.new_session() as session:
        accounts.sign_in(
            session, handle="nobody", password=PASSWORD, address="203.0.113.5", settings=limits
        )


def test_an_address_is_limited_across_handles(database: Database, limits: Settings) -> None:
    with database.session() as session:
        make_account(session, handle="grace")
    for n in range(5):
        _fail(database, limits, f"guess{n}")
    with pytest.raises(RateLimited, match="from your address"), database.new_session() as session:
        accounts.sign_in(
            session, handle="grace", password=PASSWORD, address="198.51.100.7", settings=limits
        )
    with database.session() as session:  # another address signs in to the same account
        account = accounts.sign_in(
            session, handle="grace", password=PASSWORD, address="203.0.113.5", settings=limits
        )
        assert account.handle == "grace"


def test_the_count_is_shared_by_every_process_on_the_database(
    database: Database, limits: Settings
) -> None:
    """A second engine on the same database (as a second server process has) sees the failures
    the first one counted."""
    with database.session() as session:
        make_account(session, handle="grace")
    other_process = Database(database.url.render_as_string(hide_password=False))
    try:
        for address in ("198.51.100.1", "198.51.100.2"):
            _fail(database, limits, "grace", address)
        _fail(other_process, limits, "grace", "198.51.100.3")
        with pytest.raises(RateLimited), other_process.new_session() as session:
            accounts.sign_in(
                session, handle="grace", password=PASSWORD, address="203.0.113.5", settings=limits
            )
    finally:
        other_process.dispose()


def test_failures_older_than_the_window_no_longer_count(
    database: Database, limits: Settings
) -> None:
    with database.session() as session:
        make_account(session, handle="grace")
        old = utcnow() - timedelta(seconds=601)
        session.add_all(AuthAttempt(key="signin-handle:grace", at=old) for _ in range(3))
    with database.session() as session:
        account = accounts.sign_in(
            session, handle="grace", password=PASSWORD, address="203.0.113.5", settings=limits
        )
        assert account.handle == "grace"


def test_sign_ups_are_limited_per_address(database: Database, limits: Settings) -> None:
    for handle in ("first", "second"):
        with database.new_session() as session:
            accounts.sign_up(
                session, address="198.51.100.7", settings=limits, handle=handle, password=PASSWORD
            )
    refused = pytest.raises(RateLimited, match="too many sign-ups from your address; retry in")
    with refused, database.new_session() as session:
        accounts.sign_up(
            session, address="198.51.100.7", settings=limits, handle="third", password=PASSWORD
        )
    with database.new_session() as session:
        accounts.sign_up(
            session, address="203.0.113.5", settings=limits, handle="third", password=PASSWORD
        )


def test_a_short_window_does_not_forget_a_longer_ones_attempts(database: Database) -> None:
    with database.new_session() as session:
        session.add(AuthAttempt(key="verify-mail:1", at=utcnow() - timedelta(minutes=20)))
        session.commit()
        throttle.record(session, "signup-address:198.51.100.7", window_s=600)
        with pytest.raises(RateLimited, match="hourly"):
            throttle.check(session, "verify-mail:1", limit=1, window_s=3600, message="hourly")
        session.add(AuthAttempt(key="old", at=utcnow() - timedelta(days=2)))
        session.commit()
        throttle.record(session, "signup-address:198.51.100.7", window_s=600)
        assert session.query(AuthAttempt).filter_by(key="old").count() == 0
