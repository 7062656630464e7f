"""The request-body limit: every route has one, routes that take a file a larger one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import png_bytes, signup
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.settings import Settings

LIMIT = 4096
UPLOAD_LIMIT = 64 * 1024


@pytest.fixture
def small(settings: Settings, database: Database, models: Models) -> Iterator[TestClient]:
    limited = settings.model_copy(
        update={"max_body_bytes": LIMIT, "max_upload_bytes": UPLOAD_LIMIT}
    )
    with TestClient(create_app(limited, database, models)) as test_client:
        yield test_client


def test_a_body_over_the_limit_is_refused_by_its_declared_length(small: TestClient) -> None:
    response = small.post(
        "/auth/token",
        content=b"{" + b" " * LIMIT + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "the request body is larger than 4096 bytes; send less"}


def test_a_streamed_body_without_a_length_is_counted(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"handle": "'
        for _ in range(10):
            yield b"a" * 1024

    response = small.post(
        "/auth/token", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "the request body is larger than 4096 bytes; send less"


def test_an_invalid_length_is_refused(small: TestClient) -> None:
    response = small.post("/auth/token", content=b"{}", headers={"content-length": "x"})
    assert response.status_code == 413


def test_a_body_under_the_limit_is_served(small: TestClient) -> None:
    response = small.post("/auth/token", json={"handle": "nobody", "password": "wrong password"})
    assert response.status_code == 401


def test_an_upload_route_takes_more_and_is_still_limited(small: TestClient) -> None:
    user = signup(small)
    picture = png_bytes(64, 64) + b"\0" * (LIMIT * 2)
    files = {"file": ("a.png", picture, "image/png")}
    response = small.post("/media", files=files, headers=user.headers)
    assert response.status_code == 201, response.text
    huge = {"file": ("a.png", b"\0" * UPLOAD_LIMIT, "image/png")}
    response = small.post("/media", files=huge, headers=user.headers)
    assert response.status_code == 413
    assert response.json() == {"detail": "the request body is larger than 65536 bytes; send less"}


def test_the_web_upload_routes_are_known_as_uploads(small: TestClient) -> None:
    response = small.post("/studio/import", files={"file": ("c.json", b"{}" * LIMIT)})
    assert response.status_code != 413


def test_the_default_limit_is_one_mebibyte(client: TestClient) -> None:
    response = client.post(
        "/auth/token", content=b" " * (2**20 + 1), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "the request body is larger than 1 MiB; send less"


SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


@pytest.mark.parametrize(
    "path", ["/", "/signin", "/static/townsquare.css", "/health", "/nowhere", "/posts/99"]
)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, path
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy


def test_a_refused_body_carries_them_too(small: TestClient) -> None:
    response = small.post("/auth/token", content=b" " * (LIMIT + 1))
    assert response.status_code == 413
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_api_documentation_may_load_its_viewer(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "https://cdn.jsdelivr.net" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
