"""The browser-session check: a read that never takes SQLite's write lock, and a renewal of its
own once every few minutes (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import web_signin
from townsquare.db import Database
from townsquare.db.models import Account, BrowserSession
from townsquare.db.types import utcnow
from townsquare.web.session import templates

pytestmark = pytest.mark.postgres


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


def test_times_are_written_on_the_readers_clock() -> None:
    moment = datetime(2026, 12, 8, 23, 30, tzinfo=UTC)
    page = templates.env.from_string('{{ t | clock("%d %b %H:%M %Z") }}')
    assert page.render(t=moment, me=Account(time_zone="Asia/Kolkata")) == "09 Dec 05:00 IST"
    assert page.render(t=moment, me=None) == "08 Dec 23:30 UTC"  # a visitor reads UTC


def test_a_time_inside_an_imported_macro_is_on_the_readers_clock() -> None:
    """The message and post macros are imported with the page's context, so that their times
    know the reader (a macro imported without it sees no ``me``, and writes UTC)."""
    sender = SimpleNamespace(id=1, display_name="Ada")
    message = SimpleNamespace(
        id=7,
        sender=sender,
        ai_generated=False,
        written_by=None,
        created_at=datetime(2026, 12, 8, 23, 30, tzinfo=UTC),
        text="hi",
        shared_post_id=None,
        citations=[],
    )
    page = templates.env.from_string(
        '{% from "_message.html" import message with context %}{{ message(m, me) }}'
    )
    reader = Account(id=2, time_zone="Asia/Kolkata")
    assert ">05:00</time>" in page.render(m=message, me=reader)
