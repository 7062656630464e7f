"""The request-rate limit: per credential and per address, refused before the database."""

from __future__ import annotations

import gc
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import event
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from tests.test_durability import _free_port
from tests.utils.factories import png_bytes, signup
from tests.web.conftest import web_signin
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database
from townsquare.ratelimit import InFlight, RateLimit, Rates
from townsquare.settings import Settings
from townsquare.social import posts

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
        in_flight_token=InFlight(0, 0),
        in_flight_address=InFlight(0, 0),
        remember_refusals_s=0,
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
            in_flight_token=InFlight(0, 0),
            in_flight_address=InFlight(0, 0),
            remember_refusals_s=0,
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


Answers = dict[str, httpx.Response]


@dataclass
class Held:
    """What reached ``/hold``, and the event that lets it answer (made in the test's loop)."""

    entered: list[str] = field(default_factory=list)
    release: anyio.Event | None = None


def _holding(in_flight_token: InFlight, in_flight_address: InFlight) -> tuple[RateLimit, Held]:
    """A limited app whose ``/hold`` (GET or POST) waits until ``held.release`` is set, and whose
    ``/boom`` raises."""
    held = Held()

    async def hold(request: Request) -> PlainTextResponse:
        held.entered.append(f"{request.method} {request.headers.get('authorization')}")
        assert held.release is not None
        await held.release.wait()
        return PlainTextResponse("served")

    async def boom(_: Request) -> PlainTextResponse:
        raise RuntimeError("the handler failed")

    routes = [Route("/hold", hold, methods=["GET", "POST"]), Route("/boom", boom, methods=["POST"])]
    limit = RateLimit(
        Starlette(routes=routes),
        per_token=Rates(0, 0),
        per_address=Rates(0, 0),
        in_flight_token=in_flight_token,
        in_flight_address=in_flight_address,
        remember_refusals_s=0,
        storage_uri="memory://",
        session_cookie="ts_session",
    )
    return limit, held


def _client(app: RateLimit, address: str = "203.0.113.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app, client=(address, 40000), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _until(done: Callable[[], bool]) -> None:
    with anyio.fail_after(10):
        while not done():
            await anyio.sleep(0.01)


def test_a_clients_writes_in_flight_are_limited_while_another_members_is_served() -> None:
    app, held = _holding(InFlight(3, 2), InFlight(0, 0))
    a, b = {"Authorization": "Bearer a"}, {"Authorization": "Bearer b"}
    answers: Answers = {}

    async def main() -> None:
        held.release = anyio.Event()
        async with _client(app) as client, anyio.create_task_group() as group:

            async def send(name: str, method: str, headers: dict[str, str]) -> None:
                answers[name] = await client.request(method, "/hold", headers=headers)

            group.start_soon(send, "a1", "POST", a)
            group.start_soon(send, "a2", "POST", a)
            await _until(lambda: len(held.entered) == 2)
            # The third write of token a is refused at once, before the app sees it.
            third = await client.post("/hold", headers=a, json={"never": "read"})
            _refused(third, "this token or session", "2 writing requests at once")
            assert third.headers["retry-after"] == "1"
            # A read is not a write: it gets in, the third request in flight; a fourth does not.
            group.start_soon(send, "a3", "GET", a)
            await _until(lambda: len(held.entered) == 3)
            _refused(
                await client.get("/hold", headers=a), "this token or session", "3 requests at once"
            )
            # Another member, from the same address, is served meanwhile.
            group.start_soon(send, "b1", "POST", b)
            await _until(lambda: len(held.entered) == 4)
            assert held.entered == [
                "POST Bearer a",
                "POST Bearer a",
                "GET Bearer a",
                "POST Bearer b",
            ]
            held.release.set()
        # Once answered, their places are free again.
        async with _client(app) as client:
            assert (await client.post("/hold", headers=a)).status_code == 200

    anyio.run(main)
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 200)
    assert app.in_flight.requests == {}  # nothing in flight is remembered


def test_a_request_that_fails_gives_its_place_back() -> None:
    app, _ = _holding(InFlight(0, 1), InFlight(0, 0))

    async def main() -> None:
        async with _client(app) as client:
            for _ in range(3):  # each time the handler raises; never 429
                response = await client.post("/boom", headers={"Authorization": "Bearer a"})
                assert response.status_code == 500

    anyio.run(main)


def test_an_address_without_a_token_is_limited_alone() -> None:
    app, held = _holding(InFlight(0, 0), InFlight(0, 1))

    async def main() -> None:
        held.release = anyio.Event()
        async with (
            _client(app) as here,
            _client(app, "198.51.100.9") as elsewhere,
            anyio.create_task_group() as group,
        ):
            group.start_soon(here.post, "/hold")
            await _until(lambda: len(held.entered) == 1)
            _refused(await here.post("/hold"), "your address", "1 writing request at once")
            group.start_soon(elsewhere.post, "/hold")
            await _until(lambda: len(held.entered) == 2)
            held.release.set()

    anyio.run(main)


def test_the_app_limits_a_tokens_writes_in_flight(
    limited: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The settings reach the real app: member a's post is held in its service; a's next write
    is refused before the route runs, while member b posts."""
    client = limited(in_flight_writes_token=1)
    a, b = signup(client), signup(client)
    release, entered = threading.Event(), threading.Event()
    create_post = posts.create_post

    def held_create_post(session: Any, author: Any, **fields: Any) -> Any:
        if author.handle == a.handle:
            entered.set()
            assert release.wait(30)
        return create_post(session, author, **fields)

    monkeypatch.setattr(posts, "create_post", held_create_post)
    first: list[Any] = []
    sender = threading.Thread(
        target=lambda: first.append(
            client.post("/posts", json={"kind": "text", "text": "1"}, headers=a.headers)
        )
    )
    sender.start()
    try:
        assert entered.wait(30)
        refused = client.post("/events", json={"events": []}, headers=a.headers)
        _refused(refused, "this token or session", "1 writing request at once")
        assert (
            client.post("/posts", json={"kind": "text", "text": "b"}, headers=b.headers).status_code
            == 201
        )
        assert client.get("/posts?limit=1", headers=a.headers).status_code == 200  # a read
    finally:
        release.set()
        sender.join(30)
    assert first[0].status_code == 201
    assert (
        client.post("/posts", json={"kind": "text", "text": "2"}, headers=a.headers).status_code
        == 201
    )


def test_the_apps_own_refusal_of_a_token_is_answered_again_from_memory() -> None:
    calls: list[str] = []
    now = [1000.0]

    async def dm(request: Request) -> JSONResponse:
        calls.append(request.headers.get("authorization", "anonymous"))
        return JSONResponse(
            {"detail": "20 DMs a minute; retry in 30 s"}, 429, {"Retry-After": "30"}
        )

    limit = RateLimit(
        Starlette(routes=[Route("/dm", dm, methods=["POST"])]),
        per_token=Rates(0, 0),
        per_address=Rates(0, 0),
        in_flight_token=InFlight(0, 0),
        in_flight_address=InFlight(0, 0),
        remember_refusals_s=20,
        storage_uri="memory://",
        session_cookie="ts_session",
    )
    limit.refusals.clock = lambda: now[0]
    client = TestClient(limit)
    a = {"Authorization": "Bearer a"}
    first = client.post("/dm", headers=a)
    again = client.post("/dm", headers=a)
    assert calls == ["Bearer a"]  # the second never reached the app
    assert again.json() == first.json() == {"detail": "20 DMs a minute; retry in 30 s"}
    assert again.headers["retry-after"] == "20"  # at most remember_refusals_s
    now[0] += 12.5
    assert client.post("/dm", headers=a).headers["retry-after"] == "8"
    # Another token, path, query or body size, and anonymous requests reach the app.
    client.post("/dm", headers={"Authorization": "Bearer b"})
    client.post("/dm?x=1", headers=a)
    client.post("/dm", headers=a, content=b"a body of another size")
    client.post("/dm")
    client.post("/dm")
    assert calls == ["Bearer a", "Bearer b", "Bearer a", "Bearer a", "anonymous", "anonymous"]
    now[0] += 8
    client.post("/dm", headers=a)  # its time is up: the app answers again
    assert calls[-1] == "Bearer a" and len(calls) == 7


def test_a_spent_quota_is_refused_again_without_the_database(
    limited: Client, database: Database
) -> None:
    client = limited(quota_uploads_per_minute=1, rate_limit_remember_refusals_s=60)
    member = signup(client)

    def upload() -> Any:
        files = {"file": ("a.png", png_bytes(), "image/png")}
        return client.post("/media", files=files, headers=member.headers)

    assert upload().status_code == 201
    refused = upload()
    assert refused.status_code == 429
    statements = _statements(database)
    again = upload()
    assert statements == []
    assert again.status_code == 429
    assert again.json() == refused.json()
    assert 1 <= int(again.headers["retry-after"]) <= int(refused.headers["retry-after"])
    # Another member's upload is the app's to answer.
    assert (
        client.post(
            "/media",
            files={"file": ("b.png", png_bytes(), "image/png")},
            headers=signup(client).headers,
        ).status_code
        == 201
    )
