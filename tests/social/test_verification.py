"""Email verification: a sign-up answers the same for a fresh and a registered email; links
verify once, before they expire; resending is limited; two accounts never verify one address."""

from __future__ import annotations

import functools
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.utils.concurrency import together
from tests.utils.factories import PASSWORD, make_account, unique_handle
from tests.utils.mailbox import body, link_token, outbox
from townsquare.db import Database
from townsquare.db.models import Account, EmailToken
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, InvalidInput, NotFound, RateLimited
from townsquare.settings import Settings
from townsquare.social import accounts, verification

pytestmark = pytest.mark.postgres


def sign_up(database: Database, settings: Settings, email: str) -> Account:
    """A sign-up, committed (its throttle commits as it counts, as in a request)."""
    with database.new_session() as session:
        account = accounts.sign_up(
            session,
            address="203.0.113.9",
            settings=settings,
            handle=unique_handle(),
            password=PASSWORD,
            email=email,
        )
        session.commit()
        return account


def test_a_fresh_email_is_verified_by_its_link_once(database: Database, settings: Settings) -> None:
    account = sign_up(database, settings, "Ada@Example.org")
    assert (account.email, account.pending_email) == (None, "ada@example.org")
    [mail] = outbox(settings)
    assert mail["To"] == "ada@example.org"
    assert mail["Subject"] == "Verify your email address for Townsquare"
    assert f"http://127.0.0.1:8000/verify-email?token={link_token(mail)}" in body(mail)
    with database.session() as session:
        verified = verification.verify(session, link_token(mail))
        assert (verified.id, verified.email, verified.pending_email) == (
            account.id,
            "ada@example.org",
            None,
        )
    with pytest.raises(NotFound) as used, database.session() as session:
        verification.verify(session, link_token(mail))
    assert str(used.value) == verification.INVALID_LINK


def test_an_expired_or_unknown_link_does_not_verify(database: Database, settings: Settings) -> None:
    sign_up(database, settings, "bo@example.org")
    with database.session() as session:
        session.execute(update(EmailToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    token = link_token(outbox(settings)[0])
    for attempt in (token, "nope", "x" * 500):
        with pytest.raises(NotFound, match="unknown, used or expired"), database.session() as s:
            verification.verify(s, attempt)


def test_a_registered_email_gets_a_notice_and_never_verifies(
    database: Database, settings: Settings
) -> None:
    first = sign_up(database, settings, "cy@example.org")
    with database.session() as session:
        verification.verify(session, link_token(outbox(settings)[0]))
    second = sign_up(database, settings, "CY@example.org")
    # The same account state as for a fresh email: nothing tells them apart.
    assert (second.email, second.pending_email) == (None, "cy@example.org")
    with database.session() as session:
        assert session.query(EmailToken).filter_by(account_id=second.id).count() == 0
        verification.resend(session, session.get_one(Account, second.id), settings=settings)
    _link, *notices = outbox(settings, "cy@example.org")
    assert [m["Subject"] for m in notices] == [
        "Someone tried to sign up to Townsquare with your address"
    ] * 2
    assert "verify-email" not in body(notices[0])
    with database.session() as session:
        assert session.get_one(Account, first.id).email == "cy@example.org"


def test_resending_is_limited_per_account(database: Database, settings: Settings) -> None:
    account_id = sign_up(database, settings, "di@example.org").id
    with database.session() as session:
        account = session.get_one(Account, account_id)
        for _ in range(settings.verification_mails_per_hour):
            verification.resend(session, account, settings=settings)
        with pytest.raises(RateLimited, match="too many verification emails for your account"):
            verification.resend(session, account, settings=settings)
        # Mails to one address are capped too: the sign-up's and two resends went out.
        assert len(outbox(settings)) == settings.verification_mails_per_hour
        bare = make_account(session)
        with pytest.raises(InvalidInput, match="no email address waiting for verification"):
            verification.resend(session, bare, settings=settings)


def test_an_email_that_is_not_one_is_refused(database: Database, settings: Settings) -> None:
    with pytest.raises(InvalidInput, match=r"^email: "):
        sign_up(database, settings, "not an email")


def test_two_accounts_verifying_one_address_at_once_one_wins(
    database: Database, settings: Settings
) -> None:
    for round_ in range(10):
        email = f"race{round_}@example.org"
        with database.session() as session:
            for _ in range(2):
                account = make_account(session)
                account.pending_email = email
                verification.request(session, account, email, settings=settings)
        tokens = [link_token(m) for m in outbox(settings, email)]
        assert len(tokens) == 2
        results = together(database, functools.partial(_verify_next, tokens), clients=2)
        outcomes = sorted(type(r).__name__ for r in results)
        assert outcomes == ["Account", "Conflict"], results
        conflict = next(r for r in results if isinstance(r, Conflict))
        assert str(conflict) == verification.TAKEN_MEANWHILE


def _verify_next(tokens: list[str], session: Session) -> Account:
    return verification.verify(session, tokens.pop())


def test_a_mail_server_that_fails_is_logged_and_the_sign_up_goes_on(
    database: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    closed = settings.model_copy(update={"smtp_url": SecretStr("smtp://127.0.0.1:9")})  # no one
    # listens on port 9
    account = sign_up(database, closed, "grace@example.org")
    assert (account.email, account.pending_email) == (None, "grace@example.org")
    assert outbox(settings) == []
    assert "could not send mail to grace@example.org" in caplog.text
