from datetime import timedelta

import pytest

from tests.utils.factories import PASSWORD, make_account
from townsquare.db import Database
from townsquare.db.models import Account, ApiToken, BrowserSession
from townsquare.db.types import utcnow
from townsquare.errors import AuthenticationFailed, InvalidInput, NotFound
from townsquare.settings import Settings
from townsquare.social import accounts, sessions

NEW_PASSWORD = "another quite long phrase"


def test_tokens_resolve_until_revoked_and_are_stored_hashed(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        account = make_account(session)
        token, plaintext = sessions.issue_token(session, account, "laptop", settings=settings)
        assert plaintext.startswith(sessions.TOKEN_PREFIX)
        assert plaintext not in token.token_hash
    with database.session() as session:
        used = sessions.token_for(session, plaintext)
        assert used is not None and used.account_id == account.id
        found = session.get(Account, used.account_id)
        assert found is not None
        assert [t.name for t in sessions.list_tokens(session, found)] == ["laptop"]
        sessions.revoke_token(session, found, token.id)
    with database.session() as session:
        assert sessions.token_for(session, plaintext) is None
        assert sessions.token_for(session, "ts_made_up") is None
        with pytest.raises(NotFound):
            sessions.revoke_token(session, account, token.id)


def test_another_accounts_token_cannot_be_revoked(database: Database, settings: Settings) -> None:
    with database.session() as session:
        owner, other = make_account(session), make_account(session)
        token, _ = sessions.issue_token(session, owner, settings=settings)
        with pytest.raises(NotFound):
            sessions.revoke_token(session, other, token.id)


def test_a_token_expires_after_the_ttl_and_use_moves_its_expiry(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        account = make_account(session)
        token, plaintext = sessions.issue_token(session, account, settings=settings)
        assert token.expires_at - utcnow() > timedelta(days=settings.token_ttl_days - 1)
        token.last_used_at = utcnow() - timedelta(days=29)
        token.expires_at = utcnow() + timedelta(days=1)
    with database.session() as session:
        used = sessions.token_for(session, plaintext)
        assert used is not None and sessions.renewal_due(used)
        sessions.renew(used, settings=settings)
        assert not sessions.renewal_due(used)
        assert used.expires_at - utcnow() > timedelta(days=settings.token_ttl_days - 1)
        used.expires_at = utcnow() - timedelta(seconds=1)
    with database.session() as session:
        assert sessions.token_for(session, plaintext) is None
        assert sessions.list_tokens(session, account) == []


def test_past_the_maximum_a_new_token_revokes_the_oldest(
    database: Database, settings: Settings
) -> None:
    capped = settings.model_copy(update={"max_tokens_per_account": 2})
    with database.session() as session:
        account = make_account(session)
        plaintexts = [
            sessions.issue_token(session, account, name, settings=capped)[1]
            for name in ("one", "two", "three")
        ]
        assert [t.name for t in sessions.list_tokens(session, account)] == ["two", "three"]
        assert sessions.token_for(session, plaintexts[0]) is None


def test_browser_sessions_live_until_closed_or_expired(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        account = make_account(session)
        secret = sessions.open_browser_session(session, account, settings=settings)
        expiring = sessions.open_browser_session(session, account, settings=settings)
    with database.session() as session:
        row = sessions.browser_session_for(session, secret)
        assert row is not None and row.account_id == account.id
        # A browser session id is not an API token.
        assert sessions.token_for(session, secret) is None
        sessions.close_browser_session(session, secret)
        other = sessions.browser_session_for(session, expiring)
        assert other is not None
        other.expires_at = utcnow() - timedelta(seconds=1)
    with database.session() as session:
        assert sessions.browser_session_for(session, secret) is None
        assert sessions.browser_session_for(session, expiring) is None


def test_a_password_change_ends_every_other_session_and_token(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        account = make_account(session)
        kept, kept_plaintext = sessions.issue_token(session, account, settings=settings)
        _, other_plaintext = sessions.issue_token(session, account, settings=settings)
        browser = sessions.open_browser_session(session, account, settings=settings)
        accounts.change_password(
            session,
            account,
            current_password=PASSWORD,
            new_password=NEW_PASSWORD,
            settings=settings,
            keep_token_id=kept.id,
        )
    with database.session() as session:
        assert sessions.token_for(session, kept_plaintext) is not None
        assert sessions.token_for(session, other_plaintext) is None
        assert sessions.browser_session_for(session, browser) is None
        assert accounts.authenticate(session, account.handle, NEW_PASSWORD).id == account.id
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(session, account.handle, PASSWORD)


def test_a_password_change_needs_the_current_password_and_a_strong_new_one(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        account = make_account(session)
    with database.new_session() as session:
        account = session.merge(account)
        with pytest.raises(AuthenticationFailed, match="the current password is wrong"):
            accounts.change_password(
                session,
                account,
                current_password="not the password",
                new_password=NEW_PASSWORD,
                settings=settings,
            )
        with pytest.raises(InvalidInput, match="too easy to guess"):
            accounts.change_password(
                session,
                account,
                current_password=PASSWORD,
                new_password="12345678",
                settings=settings,
            )


def test_signing_out_everywhere_ends_everything(database: Database, settings: Settings) -> None:
    with database.session() as session:
        account = make_account(session)
        sessions.issue_token(session, account, settings=settings)
        sessions.open_browser_session(session, account, settings=settings)
        sessions.end_all(session, account)
    with database.session() as session:
        live_tokens = [t for t in session.query(ApiToken).all() if t.revoked_at is None]
        live_browsers = [b for b in session.query(BrowserSession).all() if b.revoked_at is None]
        assert (live_tokens, live_browsers) == ([], [])
