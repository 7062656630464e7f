"""The token check: one short transaction that only reads (on SQLite, without the write lock),
and a write of its own only when the token's expiry moves (issue 16: 50 members queued every
request's token check on SQLite's write lock)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.utils.factories import signup
from townsquare.db import Database
from townsquare.db.models import ApiToken
from townsquare.db.types import utcnow

pytestmark = pytest.mark.postgres


def _last_used(database: Database, user_id: int) -> ApiToken:
    with database.session() as session:
        token = session.scalars(select(ApiToken).where(ApiToken.account_id == user_id)).one()
        session.expunge(token)
        return token


def test_a_signed_in_read_takes_two_reading_transactions(
    begun: list[bool], client: TestClient
) -> None:
    ada = signup(client, "ada")
    assert client.get("/accounts/me", headers=ada.headers).status_code == 200  # renews
    begun.clear()
    answer = client.get("/accounts/me", headers=ada.headers)
    assert answer.status_code == 200 and answer.json()["handle"] == "ada"
    assert begun == [False, False]  # the token check, then the handler


def test_a_signed_in_write_checks_its_token_without_the_write_lock(
    begun: list[bool], client: TestClient
) -> None:
    ada = signup(client, "ada")
    assert client.get("/accounts/me", headers=ada.headers).status_code == 200
    begun.clear()
    answer = client.patch("/accounts/me", json={"bio": "Bakes."}, headers=ada.headers)
    assert answer.status_code == 200 and answer.json()["bio"] == "Bakes."
    # The token check; the handler's write; after its commit, the read its answer makes.
    assert begun == [False, True, True]


def test_a_use_after_a_while_moves_the_expiry_in_a_transaction_of_its_own(
    begun: list[bool], client: TestClient, database: Database
) -> None:
    ada = signup(client, "ada")
    assert client.get("/accounts/me", headers=ada.headers).status_code == 200
    with database.session() as session:
        token = session.scalars(select(ApiToken).where(ApiToken.account_id == ada.id)).one()
        token.last_used_at = utcnow() - timedelta(minutes=6)
        token.expires_at = utcnow() + timedelta(days=1)
    begun.clear()
    assert client.get("/accounts/me", headers=ada.headers).status_code == 200
    assert begun == [False, True, False]  # the check, the renewal, the handler
    renewed = _last_used(database, ada.id)
    assert renewed.expires_at - utcnow() > timedelta(days=2)
    assert renewed.last_used_at is not None and utcnow() - renewed.last_used_at < timedelta(
        minutes=1
    )


def test_an_unknown_token_is_refused_after_one_read(begun: list[bool], client: TestClient) -> None:
    begun.clear()
    answer = client.get("/accounts/me", headers={"Authorization": "Bearer ts_made_up"})
    assert answer.status_code == 401
    assert answer.json() == {
        "detail": "the token is unknown, expired or revoked; get a new one from POST /auth/token"
    }
    assert begun == [False]
