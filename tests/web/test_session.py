"""The browser-session check: a read that never takes SQLite's write lock, and a renewal of its
own once every few minutes (issue 16)."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from tests.web.conftest import web_signin
from townsquare.db import Database
from townsquare.db.engine import WRITES
from townsquare.db.models import Account, BrowserSession
from townsquare.db.types import utcnow

pytestmark = pytest.mark.postgres


@pytest.fixture
def begun(database: Database) -> list[bool]:
    """Whether each transaction a request begins writes (ask for it before ``client``)."""
    found: list[bool] = []

    def record(connection: Any) -> None:
        if threading.current_thread().name == "AnyIO worker thread":
            found.append(connection.get_execution_options().get(WRITES, True))

    event.listen(database.engine, "begin", record)
    return found


def _row(database: Database, handle: str) -> BrowserSession:
    with database.session() as session:
        row = session.scalars(
            select(BrowserSession).join(Account).where(Account.handle == handle)
        ).one()
        session.expunge(row)
        return row


def test_a_signed_in_page_reads_and_renews_only_after_a_while(
    begun: list[bool], client: TestClient, database: Database
) -> None:
    handle = web_signin(client)
    begun.clear()
    assert client.get("/settings/profile").status_code == 200
    assert begun == [False]  # the session check (the page reads nothing more)

    with database.session() as session:
        row = session.scalars(
            select(BrowserSession).join(Account).where(Account.handle == handle)
        ).one()
        row.last_seen_at = utcnow() - timedelta(minutes=6)
        row.expires_at = utcnow() + timedelta(days=1)
    begun.clear()
    assert client.get("/settings/profile").status_code == 200
    assert begun == [False, True]  # the check, then the renewal
    renewed = _row(database, handle)
    assert renewed.expires_at - utcnow() > timedelta(days=2)
    assert utcnow() - renewed.last_seen_at < timedelta(minutes=1)
