"""The request-rate limit: per credential and per address, refused before the database."""

from __future__ import annotations

import gc
import re
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import event
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from tests.test_durability import _free_port
from tests.utils.factories import signup
from tests.web.conftest import web_signin
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.ratelimit import RateLimit, Rates
from townsquare.settings import Settings

RETRY = re.compile(r"; retry in (\d+) s$")


@pytest.fixture
def backend() -> str:
    """The limit keeps no rows: one database backend is enough."""
    return "sqlite"


Client = Callable[..., TestClient]


@pytest.fixture
def limited(settings: Settings, database: Database, models: Models) -> Iterator[Client]:
    """``limited(**rates)``: a client, from one address, of an app with those request rates
    (the others off).

    The clock starts (and keeps ticking) just after a minute begins: ``limits``' sliding-window
    counter weighs the previous window's hits by the part of it still in view and floors the
    sum, so three hits just before a minute ends and a fourth just after it count as two plus
    one. That approximation is the library's, by design; a test on a loaded machine must not
    straddle it."""
    opened: list[TestClient] = []
    clock = time_machine.travel(datetime(2026, 12, 6, 12, 0, 0, 1000, tzinfo=UTC), tick=True)
    clock.start()

    def make(**rates: int) -> TestClient:
        app = create_app(settings.model_copy(update=rates), database, models)
        client = TestClient(app, client=("203.0.113.7", 40000)).__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)
    clock.stop()


def _from(client: TestClient, address: str) -> TestClient:
    """Another client of the same running app, from ``address``."""
    return TestClient(client.app, client=(address, 40000))


def _statements(database: Database) -> list[str]:
    """Every SQL statement the app runs from now on."""
    seen: list[str] = []
    event.listen(database.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def _refused(response: Any, whose: str, limit: str) -> None:
    assert response.status_code == 429
    detail = response.json()["detail"]
    wait = int(response.headers["retry-after"])
    assert detail == f"too many requests from {whose} (the limit is {limit}); retry in {wait} s"


def test_a_token_over_its_rate_is_refused_before_the_database(
    limited: Client, database: Database
) -> None:
    client = limited(rate_limit_token_per_minute=3)
    member = signup(client)
    for _ in range(3):
        assert client.get("/posts?limit=1", headers=member.headers).status_code == 200
    statements = _statements(database)
    response = client.get("/posts?limit=1", headers=member.headers)
    _refused(response, "this token or session", "3 requests a minute")
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert statements == []
    # Another member's token, from the same address, has its own count.
    other = signup(client)
    assert client.get("/posts?limit=1", headers=other.headers).status_code == 200


def test_a_burst_is_refused_within_the_second(limited: Client) -> None:
    client = limited(rate_limit_token_per_second=2)
    member = signup(client)
    statuses = [client.get("/posts?limit=1", headers=member.headers) for _ in range(10)]
    refused = [r for r in statuses if r.status_code == 429]
    assert refused and len(refused) < 10
    _refused(refused[0], "this token or session", "2 requests a second")
    assert refused[0].headers["retry-after"] == "1"


def test_anonymous_requests_are_limited_by_address(limited: Client) -> None:
    client = limited(rate_limit_address_per_minute=2)
    assert client.get("/posts").status_code == 200
    assert client.post("/auth/token", json={"handle": "x", "password": "y"}).status_code == 401
    _refused(client.get("/posts"), "your address", "2 requests a minute")
    # The refusal comes before the body is read or the route runs.
    refused = client.post("/auth/token", json={"handle": "x", "password": "y"})
    _refused(refused, "your address", "2 requests a minute")
    assert _from(client, "198.51.100.9").get("/posts").status_code == 200


def test_invented_tokens_still_count_against_the_address(limited: Client) -> None:
    client = limited(rate_limit_token_per_minute=100, rate_limit_address_per_minute=3)
    for _ in range(3):
        headers = {"Authorization": f"Bearer {secrets.token_urlsafe(16)}"}
        assert client.get("/auth/tokens", headers=headers).status_code == 401
    headers = {"Authorization": f"Bearer {secrets.token_urlsafe(16)}"}
    _refused(client.get("/auth/tokens", headers=headers), "your address", "3 requests a minute")


def test_a_browser_session_is_limited_like_a_token(limited: Client) -> None:
    client = limited(rate_limit_token_per_minute=3)
    web_signin(client)  # the sign-in itself is anonymous: only the address counts it
    for _ in range(3):
        assert client.get("/").status_code == 200
    _refused(client.get("/"), "this token or session", "3 requests a minute")


def test_the_health_check_and_static_files_are_not_limited(limited: Client) -> None:
    client = limited(rate_limit_address_per_minute=1)
    for _ in range(5):
        assert client.get("/health").status_code == 200
        assert client.get("/static/townsquare.css").status_code == 200
    assert client.get("/posts").status_code == 200
    assert client.get("/posts").status_code == 429


def test_every_limited_operation_documents_the_429(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            documented = operation["responses"].get("429")
            if path == "/health":
                assert documented is None
                continue
            assert documented is not None, f"{method.upper()} {path}"
            assert "Retry-After" in documented["headers"], f"{method.upper()} {path}"


def test_an_unknown_storage_is_refused_at_start_up(
    settings: Settings, database: Database, models: Models
) -> None:
    bad = settings.model_copy(update={"rate_limit_storage": "nosuch://somewhere"})
    with (
        pytest.raises(ValueError, match=r"TOWNSQUARE_RATE_LIMIT_STORAGE='nosuch://somewhere'"),
        TestClient(create_app(bad, database, models)),
    ):
        pass


def test_requests_go_through_when_the_counters_are_unavailable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("served")(scope, receive, send)

    limit = RateLimit(
        app,
        per_token=Rates(0, 0),
        per_address=Rates(1, 1),
        storage_uri="memory://",
        session_cookie="ts_session",
    )

    async def unavailable(*_: object) -> bool:
        raise ConnectionError("storage unreachable")

    limit.limiter.hit = unavailable  # type: ignore[method-assign,assignment]
    client = TestClient(limit)
    assert [client.get("/posts").text for _ in range(3)] == ["served"] * 3
    assert "the request-rate counters are unavailable" in caplog.text


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real Redis server on loopback (Debian's ``redis-server``; ``.ci/run`` installs it)."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not _answers_ping(port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_processes_sharing_a_redis_storage_share_one_count(redis_url: str) -> None:
    """Two limiters on one Redis (as two server processes would be) refuse by the rate's count
    together; on ``memory://`` each counts apart and lets through twice as many."""

    async def served(_: Request) -> PlainTextResponse:
        return PlainTextResponse("served")

    def process(storage_uri: str) -> TestClient:
        limit = RateLimit(
            Starlette(routes=[Route("/posts", served)]),
            per_token=Rates(0, 0),
            per_address=Rates(0, 3),
            storage_uri=storage_uri,
            session_cookie="ts_session",
        )
        return TestClient(limit, client=("198.51.100.9", 40000))

    def first_refused(storage_uri: str) -> int:
        with process(storage_uri) as one, process(storage_uri) as other:
            for hit in range(1, 9):
                if (one, other)[hit % 2].get("/posts").status_code == 429:
                    break
        # A test client's event loop ends with the client (a server's lives as long as its
        # process), leaving the storage's Redis connections to the garbage collector: here.
        gc.collect()
        return hit

    # 3 a minute: the 4th hit is refused (the 5th if a minute ends mid-way: the library weighs
    # the previous minute's hits and floors them); counted apart it is the 7th.
    assert first_refused(redis_url) in (4, 5)
    assert first_refused("memory://") == 7
