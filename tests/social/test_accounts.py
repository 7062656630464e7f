import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.utils.concurrency import repeat_together
from tests.utils.factories import PASSWORD, PASSWORD_HASH_COST, make_account, unique_handle
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.demo.content import DEMO_PASSWORD
from townsquare.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from townsquare.settings import Settings
from townsquare.social import accounts, verification


def test_password_hash_verifies_only_the_right_password() -> None:
    stored = accounts.hash_password("s3cret-pass")
    assert stored.startswith("scrypt$")
    assert accounts.verify_password("s3cret-pass", stored)
    assert not accounts.verify_password("s3cret-pasS", stored)
    assert not accounts.verify_password("s3cret-pass", "garbage")


def test_a_hash_keeps_its_cost_and_verifies_at_any_configured_one() -> None:
    cheap = accounts.hash_password("s3cret-pass", cost=4)
    default = accounts.hash_password("s3cret-pass")
    assert cheap.split("$")[1:4] == ["16", "8", "1"]
    assert default.split("$")[1:4] == ["16384", "8", "1"]
    assert accounts.verify_password("s3cret-pass", cheap)
    assert accounts.verify_password("s3cret-pass", default)
    assert not accounts.verify_password("s3cret-pasS", cheap)
    # N = 2**15 and more need more than hashlib's default 32 MiB ceiling.
    assert accounts.verify_password("s3cret-pass", accounts.hash_password("s3cret-pass", cost=15))


def test_accounts_are_hashed_at_the_configured_cost_and_old_hashes_still_sign_in(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        old = make_account(session)
        old.password_hash = accounts.hash_password(PASSWORD)  # made at the default cost
        old_handle = old.handle
    with database.new_session() as session:  # the throttle commits as it counts
        new = accounts.sign_up(
            session, address="10.0.0.1", settings=settings, handle="grace", password=PASSWORD
        )
        assert new.password_hash.split("$")[1] == str(2**settings.password_hash_cost)
        session.commit()
    for handle in (old_handle, "grace"):
        with database.new_session() as session:
            signed_in = accounts.sign_in(
                session, handle=handle, password=PASSWORD, address="10.0.0.1", settings=settings
            )
            assert signed_in.handle == handle


@pytest.mark.parametrize("handle", ["ab", "has space", "UPPER!", "x" * 33, "émile"])
def test_bad_handles_are_refused(database: Database, handle: str) -> None:
    with pytest.raises(InvalidInput, match="handle"), database.session() as session:
        accounts.create_account(session, handle=handle, password=PASSWORD)


def test_handles_are_normalised_and_unique(database: Database) -> None:
    with database.session() as session:
        account = accounts.create_account(session, handle="@Ada_L", password=PASSWORD)
        assert account.handle == "ada_l"
        assert account.display_name == "ada_l"
    with pytest.raises(Conflict) as taken, database.session() as session:
        accounts.create_account(session, handle="ADA_L", password=PASSWORD)
    assert str(taken.value) == accounts.SIGNUP_CONFLICT


def test_an_email_waits_for_verification_and_a_taken_one_is_no_conflict(
    database: Database,
) -> None:
    with database.session() as session:
        first = make_account(session, email="Ada@Example.org")
        verification.mark_verified(session, first, "ada@example.org")
        second = make_account(session, email="ada@example.org")  # no error: nothing tells
        assert (first.email, first.pending_email) == ("ada@example.org", None)
        assert (second.email, second.pending_email) == (None, "ada@example.org")
    with pytest.raises(Conflict) as taken, database.session() as session:
        verification.mark_verified(session, session.get_one(Account, second.id), "ada@example.org")
    assert str(taken.value) == verification.TAKEN_MEANWHILE


def test_two_sign_ups_of_one_handle_at_once_make_one_account(database: Database) -> None:
    def create(session: Session, handle: str) -> int:
        return accounts.create_account(session, handle=handle, password=PASSWORD).id

    def check(session: Session, handle: str, results: list[object]) -> None:
        conflicts = [r for r in results if isinstance(r, Conflict)]
        assert len(conflicts) == 1 and str(conflicts[0]) == accounts.SIGNUP_CONFLICT, results
        assert session.scalars(select(Account.id).where(Account.handle == handle)).all() == [
            next(r for r in results if isinstance(r, int))
        ]

    repeat_together(database, lambda _: unique_handle(), create, check)


def test_short_password_and_unknown_kind_are_refused(database: Database) -> None:
    with pytest.raises(InvalidInput, match="at least 8"), database.session() as session:
        accounts.create_account(session, handle="shorty", password="1234567")
    with pytest.raises(InvalidInput, match="kind"), database.session() as session:
        accounts.create_account(session, handle="robot", password=PASSWORD, kind="robot")


@pytest.mark.parametrize("password", ["password", "12345678"])
def test_common_passwords_are_refused_with_the_estimators_advice(
    database: Database, password: str
) -> None:
    with pytest.raises(InvalidInput) as refused, database.session() as session:
        accounts.create_account(session, handle="weak", password=password)
    assert str(refused.value) == (
        "password is too easy to guess: This is a top-10 common password. "
        "Add another word or two. Uncommon words are better."
    )


def test_a_password_made_of_the_handle_is_refused(database: Database) -> None:
    with pytest.raises(InvalidInput, match="too easy to guess"), database.session() as session:
        accounts.create_account(session, handle="margaret_h", password="margaret_h1")


@pytest.mark.parametrize("password", [PASSWORD, DEMO_PASSWORD])
def test_the_demo_and_test_passwords_pass_the_rule(password: str) -> None:
    accounts.check_password_strength(password, user_inputs=["ada"])


def test_an_unknown_handle_costs_the_same_scrypt_work(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with database.session() as session:
        make_account(session, handle="grace")
    calls: list[int] = []
    scrypt = hashlib.scrypt

    def counting(password: bytes, **kwargs: int) -> bytes:
        calls.append(kwargs["n"])
        return scrypt(password, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(hashlib, "scrypt", counting)
    with database.session() as session:
        for handle in ("grace", "nobody"):
            with pytest.raises(AuthenticationFailed, match="wrong handle or password"):
                accounts.authenticate(
                    session, handle, "wrong password", hash_cost=PASSWORD_HASH_COST
                )
    assert calls == [2**PASSWORD_HASH_COST, 2**PASSWORD_HASH_COST]


def test_authenticate(database: Database) -> None:
    with database.session() as session:
        make_account(session, handle="grace")
    with database.session() as session:
        assert accounts.authenticate(session, "@Grace", PASSWORD).handle == "grace"
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(session, "grace", "wrong password")
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(session, "nobody", PASSWORD)


def test_profile_update_changes_only_profile_fields(database: Database) -> None:
    with database.session() as session:
        account = make_account(session)
        accounts.update_profile(session, account, bio="I bake.", location="Lyon")
        assert (account.bio, account.location) == ("I bake.", "Lyon")
        with pytest.raises(InvalidInput, match="handle"):
            accounts.update_profile(session, account, handle="newname")


def test_get_account_by_handle(database: Database) -> None:
    with database.session() as session:
        make_account(session, handle="linus")
        assert accounts.get_account(session, "@linus").handle == "linus"
        with pytest.raises(NotFound, match="@ghost"):
            accounts.get_account(session, "ghost")
