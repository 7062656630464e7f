"""Helpers for the web tests: a browser-like client that signs in through the forms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.utils.factories import PASSWORD, signup

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
