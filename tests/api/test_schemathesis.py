"""Schemathesis over the whole OpenAPI document, against a live server, signed in as a member.

The server runs on loopback (uvicorn on ``create_app``, fake models, a fresh data directory) with
its quotas and throttles lifted, so the generated traffic reaches the handlers instead of
stopping at 429. Schemathesis runs as its CLI in a child process with every check it has
(``--checks all``: no 5xx, every answer's status, body, content type and headers as documented,
valid requests accepted and invalid ones refused, ``Allow`` on 405, a token enforced where the
document asks for one, ...) plus ours (``schemathesis_hooks.py``), and signs in through ``POST
/auth/token`` again whenever an answer is 401 (a generated call may revoke the token:
``/auth/signout-everywhere``, ``DELETE /auth/tokens/{id}``). The server counts every answer
itself: the run must make at least ``MIN_REQUESTS`` requests, none answered 5xx, and find
nothing.

A valid request may still be refused with 422 by a service, for a reason no schema states (a
guessable password, following yourself); ``positive_data_acceptance`` accepts that answer, and
our own check fails any valid request that request validation refuses (a 422 with ``errors``).
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
# Schemathesis's own budget (the run ends sooner when its examples run out). 90 s made 5,000+
# requests on an AVX-512 Xeon but only 3,419 on an AVX2-only AMD EPYC, so the cap is twice that.
MAX_TIME_S = 180
MEMBER = "fuzzer"
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")

CONFIG = """\
[auth.dynamic.openapi.HTTPBearer]
path = "/auth/token"
payload = {{ handle = "{handle}", password = "{password}" }}
extract_selector = "/token"
retry_on = [401]

[generation]
max-examples = {max_examples}
database = "none"

# A service's own 422 for a valid request is accepted; request validation's fails (HOOKS).
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
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
        quota_uploads_per_minute=0,
        quota_uploads_per_hour=0,
        quota_ingest_seconds_per_hour=0,
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
    app = create_app(settings, database, models)
    app.openapi()  # built before schemathesis asks: on a busy machine it takes seconds
    counter = StatusCounter(app)
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


def _run_schemathesis(url: str, tmp_path: Path) -> tuple[int, str]:
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
            "--checks=all",
            "--workers=2",
            f"--max-time={MAX_TIME_S}",
            "--continue-on-failure",
            "--no-color",
            "--seed=16",
            "--request-timeout=30",
        ],
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false", "SCHEMATHESIS_HOOKS": str(HOOKS)},
        capture_output=True,
        text=True,
        timeout=MAX_TIME_S + 120,
    )
    out = (
        run.stdout
        if len(run.stdout) < 40_000
        else f"{run.stdout[:20_000]}\n...\n{run.stdout[-20_000:]}"
    )
    return run.returncode, out + run.stderr[-5_000:]


def _sign_up(url: str) -> None:
    signup = httpx.post(f"{url}/auth/signup", json={"handle": MEMBER, "password": PASSWORD})
    assert signup.status_code == 201, signup.text


def test_every_schemathesis_check_passes(live: tuple[str, StatusCounter], tmp_path: Path) -> None:
    url, counter = live
    _sign_up(url)
    started = time.monotonic()
    status, report = _run_schemathesis(url, tmp_path)
    elapsed = time.monotonic() - started
    total = sum(counter.statuses.values())
    server_errors = {s: n for s, n in counter.statuses.items() if s >= 500}
    summary = f"{total} requests in {elapsed:.0f} s: {sorted(counter.statuses.items())}"
    print(summary)
    assert status == 0, f"{summary}\n{report}"
    assert not server_errors, summary
    assert total >= MIN_REQUESTS, summary
