"""Helpers for the web tests: a browser-like client that signs in through the forms."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import PASSWORD, ApiUser, signup, unique_handle, verify_customers
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.db.types import utcnow
from townsquare.demo.shop import seed_shop

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def web_signin(client: TestClient, handle: str | None = None) -> str:
    """Signs up through the API, then signs in through the sign-in form; returns the handle."""
    user = signup(client, handle)
    page = client.get("/signin")
    response = client.post(
        "/signin",
        data={"handle": user.handle, "password": PASSWORD, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return user.handle


def signin_as(client: TestClient, handle: str) -> str:
    """Signs an existing account in through the form; returns the CSRF token of its session."""
    page = client.get("/signin")
    response = client.post(
        "/signin", data={"handle": handle, "password": PASSWORD, "csrf": csrf_of(page.text)}
    )
    assert response.status_code == 200, response.text
    return csrf_of(response.text)


@pytest.fixture
def shop(client: TestClient, database: Database) -> tuple[ApiUser, ApiUser, ApiUser]:
    """The demo shop's owner and its customers Alice (E-1001..3) and Bruno (E-2001..2), each
    with the email the shop holds for them verified."""
    owner = signup(client, unique_handle("shop"), kind="business", display_name="Ember & Oak")
    alice, bruno = signup(client), signup(client)
    with database.session() as session:
        business, *customers = [session.get(Account, u.id) for u in (owner, alice, bruno)]
        assert business is not None
        seed_shop(
            session,
            business,
            [c for c in customers if c is not None],
            now=utcnow(),
            agent_handle=unique_handle("help"),
        )
        verify_customers(session, business)
    return owner, alice, bruno
