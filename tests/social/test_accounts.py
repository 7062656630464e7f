import pytest

from tests.utils.factories import PASSWORD, make_account
from townsquare.db import Database
from townsquare.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from townsquare.social import accounts


def test_password_hash_verifies_only_the_right_password() -> None:
    stored = accounts.hash_password("s3cret-pass")
    assert stored.startswith("scrypt$")
    assert accounts.verify_password("s3cret-pass", stored)
    assert not accounts.verify_password("s3cret-pasS", stored)
    assert not accounts.verify_password("s3cret-pass", "garbage")


@pytest.mark.parametrize("handle", ["ab", "has space", "UPPER!", "x" * 33, "émile"])
def test_bad_handles_are_refused(database: Database, handle: str) -> None:
    with pytest.raises(InvalidInput, match="handle"), database.session() as session:
        accounts.create_account(session, handle=handle, password=PASSWORD)


def test_handles_are_normalised_and_unique(database: Database) -> None:
    with database.session() as session:
        account = accounts.create_account(session, handle="@Ada_L", password=PASSWORD)
        assert account.handle == "ada_l"
        assert account.display_name == "ada_l"
    with pytest.raises(Conflict, match="@ada_l is taken"), database.session() as session:
        accounts.create_account(session, handle="ADA_L", password=PASSWORD)


def test_email_is_unique_case_insensitively(database: Database) -> None:
    with database.session() as session:
        make_account(session, email="Ada@Example.org")
    with pytest.raises(Conflict, match="email"), database.session() as session:
        make_account(session, email="ada@example.org")


def test_short_password_and_unknown_kind_are_refused(database: Database) -> None:
    with pytest.raises(InvalidInput, match="at least 8"), database.session() as session:
        accounts.create_account(session, handle="shorty", password="1234567")
    with pytest.raises(InvalidInput, match="kind"), database.session() as session:
        accounts.create_account(session, handle="robot", password=PASSWORD, kind="robot")


def test_authenticate(database: Database) -> None:
    with database.session() as session:
        make_account(session, handle="grace")
    with database.session() as session:
        assert accounts.authenticate(session, "@Grace", PASSWORD).handle == "grace"
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(session, "grace", "wrong password")
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(session, "nobody", PASSWORD)


def test_tokens_resolve_until_revoked_and_are_stored_hashed(database: Database) -> None:
    with database.session() as session:
        account = make_account(session)
        token, plaintext = accounts.issue_token(session, account, "laptop")
        assert plaintext.startswith(accounts.TOKEN_PREFIX)
        assert plaintext not in token.token_hash
    with database.session() as session:
        found = accounts.account_for_token(session, plaintext)
        assert found is not None and found.id == account.id
        assert [t.name for t in accounts.list_tokens(session, found)] == ["laptop"]
        accounts.revoke_token(session, found, token.id)
    with database.session() as session:
        assert accounts.account_for_token(session, plaintext) is None
        assert accounts.account_for_token(session, "ts_made_up") is None
        with pytest.raises(NotFound):
            accounts.revoke_token(session, account, token.id)


def test_another_accounts_token_cannot_be_revoked(database: Database) -> None:
    with database.session() as session:
        owner, other = make_account(session), make_account(session)
        token, _ = accounts.issue_token(session, owner)
        with pytest.raises(NotFound):
            accounts.revoke_token(session, other, token.id)


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
