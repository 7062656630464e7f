"""Schemathesis over the whole OpenAPI document, against a live server, signed in as a member.

The server runs on loopback (uvicorn on ``create_app``, fake models, a fresh data directory) with
its quotas and throttles lifted, so the generated traffic reaches the handlers instead of
stopping at 429. Schemathesis runs as its CLI in a child process and signs in through
``POST /auth/token`` again whenever an answer is 401 (a generated call may revoke the token:
``/auth/signout-everywhere``, ``DELETE /auth/tokens/{id}``). The server counts every answer
itself: the run must make at least ``MIN_REQUESTS`` requests, none answered 5xx, and every
response must conform to the document (its body's schema, content type and headers). A run with
every schemathesis check (documented status codes, positive and negative data acceptance,
``Allow`` on 405, ...) is skipped until what it still finds is fixed (``CONFORMANCE_GAPS``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.utils.factories import PASSWORD
from tests.web.browser import free_port
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database, upgrade_to_head
from townsquare.settings import Settings

pytestmark = pytest.mark.slow

MIN_REQUESTS = 5_000
MAX_TIME_S = 90  # schemathesis's own budget; the run ends sooner when examples run out
MEMBER = "fuzzer"
# No 5xx; each body, content type and documented header as the document says.
CHECKS = ",".join(
    (
        "not_a_server_error",
        "response_schema_conformance",
        "content_type_conformance",
        "response_headers_conformance",
    )
)
# What `--checks all` still finds (schemathesis 4.32, seed 16); docs/security.md, "Not done yet".
CONFORMANCE_GAPS = (
    "some error statuses are still undocumented (403, 409, some 400 and 404); "
    "some schema-valid bodies are refused (422) and a few schema-invalid ones accepted; 405 "
    "answers lack an Allow header; a few operations answer without a token"
)

CONFIG = """\
[auth.dynamic.openapi.HTTPBearer]
path = "/auth/token"
payload = {{ handle = "{handle}", password = "{password}" }}
extract_selector = "/token"
retry_on = [401]

[generation]
max-examples = {max_examples}
database = "none"
"""


class StatusCounter:
    """ASGI middleware that counts the status of every answer the server sends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.statuses: Counter[int] = Counter()
        self.lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                with self.lock:
                    self.statuses[int(message["status"])] += 1
            await send(message)

        await self.app(scope, receive, counting_send)


def _settings(data_dir: Path) -> Settings:
    unlimited = 1_000_000
    return Settings(
        data_dir=data_dir,
        intents_in_server=False,
        signin_failures_per_handle=unlimited,
        signin_failures_per_address=unlimited,
        signups_per_address=unlimited,
        quota_messages_per_minute=0,
        quota_messages_per_day=0,
        quota_model_calls_per_minute=0,
        quota_model_calls_per_day=0,
        quota_uploads_per_hour=0,
        quota_storage_mb=0,
        rate_limit_token_per_second=0,
        rate_limit_token_per_minute=0,
        rate_limit_address_per_second=0,
        rate_limit_address_per_minute=0,
        knowledge_extract_timeout_s=5.0,
    )


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, StatusCounter]]:
    settings = _settings(tmp_path / "data")
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database)
    models = Models(settings, chat=FakeChatModel(), embedder=FakeEmbedder())
    counter = StatusCounter(create_app(settings, database, models))
    port = free_port()
    config = uvicorn.Config(
        counter, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", counter
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        database.dispose()


def _run_schemathesis(url: str, tmp_path: Path, checks: str) -> tuple[int, str]:
    """Runs the CLI over the whole document; returns its exit status and its report."""
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG.format(handle=MEMBER, password=PASSWORD, max_examples=40))
    schemathesis = Path(sys.executable).with_name("schemathesis")
    run = subprocess.run(
        [
            str(schemathesis),
            "--config-file",
            str(config),
            "run",
            f"{url}/openapi.json",
            f"--checks={checks}",
            "--workers=2",
            f"--max-time={MAX_TIME_S}",
            "--continue-on-failure",
            "--no-color",
            "--seed=16",
            "--request-timeout=30",
        ],
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false"},
        capture_output=True,
        text=True,
        timeout=MAX_TIME_S + 120,
    )
    return run.returncode, run.stdout[-20_000:] + run.stderr[-5_000:]


def _sign_up(url: str) -> None:
    signup = httpx.post(f"{url}/auth/signup", json={"handle": MEMBER, "password": PASSWORD})
    assert signup.status_code == 201, signup.text


def test_no_5xx_and_every_response_conforms_to_its_schema(
    live: tuple[str, StatusCounter], tmp_path: Path
) -> None:
    url, counter = live
    _sign_up(url)
    started = time.monotonic()
    status, report = _run_schemathesis(url, tmp_path, CHECKS)
    elapsed = time.monotonic() - started
    total = sum(counter.statuses.values())
    server_errors = {s: n for s, n in counter.statuses.items() if s >= 500}
    summary = f"{total} requests in {elapsed:.0f} s: {sorted(counter.statuses.items())}"
    print(summary)
    assert status == 0, f"{summary}\n{report}"
    assert not server_errors, summary
    assert total >= MIN_REQUESTS, summary


@pytest.mark.skip(reason=CONFORMANCE_GAPS)
def test_every_schemathesis_check_passes(live: tuple[str, StatusCounter], tmp_path: Path) -> None:
    url, _ = live
    _sign_up(url)
    status, report = _run_schemathesis(url, tmp_path, "all")
    assert status == 0, report
