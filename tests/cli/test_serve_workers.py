"""`townsquare serve --workers 2` on PostgreSQL: two real server processes behind one port,
sharing one database, and a killed process replaced while the other keeps answering."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.test_durability import _free_port
from tests.utils.factories import PASSWORD
from townsquare.db import Database

pytestmark = pytest.mark.postgres


def _workers(parent: psutil.Process) -> set[int]:
    """The server processes under ``parent`` (a killed one not yet reaped is gone)."""
    found = set()
    for child in parent.children():
        try:
            if any("spawn_main" in part for part in child.cmdline()):
                found.add(child.pid)
        except psutil.Error:  # a zombie, or gone meanwhile
            continue
    return found


def _until(condition: object, what: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def two_processes(
    database: Database, backend: str, tmp_path: Path
) -> Iterator[tuple[str, psutil.Process]]:
    if backend == "sqlite":
        pytest.skip("several processes need PostgreSQL (the SQLite refusal is tested apart)")
    port = _free_port()
    env = {
        **os.environ,
        "TOWNSQUARE_DATA_DIR": str(tmp_path / "data"),
        "TOWNSQUARE_DATABASE_URL": database.url.render_as_string(hide_password=False),
        "TOWNSQUARE_INTENTS_IN_SERVER": "false",
        "TOWNSQUARE_RATE_LIMIT_TOKEN_PER_SECOND": "0",
        "TOWNSQUARE_RATE_LIMIT_ADDRESS_PER_SECOND": "0",
    }
    with (tmp_path / "serve.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "townsquare", "serve", "--workers", "2", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    parent = psutil.Process(process.pid)
    try:
        _until(lambda: _healthy(url) and len(_workers(parent)) == 2, "two healthy processes")
        yield url, parent
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise


def test_two_processes_serve_one_community_and_a_killed_one_is_replaced(
    two_processes: tuple[str, psutil.Process],
) -> None:
    url, parent = two_processes
    with httpx.Client(base_url=url, timeout=10) as client:
        token = client.post("/auth/signup", json={"handle": "poster", "password": PASSWORD})
        assert token.status_code == 201, token.text
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        posted = [
            client.post("/posts", json={"kind": "text", "text": f"post {i}"}, headers=headers)
            for i in range(10)
        ]
        assert [r.status_code for r in posted] == [201] * 10
        ids = {r.json()["id"] for r in posted}
        # Whichever process answers each read, it sees every post the others wrote.
        for post_id in ids:
            assert client.get(f"/posts/{post_id}", headers=headers).status_code == 200

        victim = min(_workers(parent))
        os.kill(victim, signal.SIGKILL)
        _until(lambda: victim not in _workers(parent), "the killed process to go")
        # The client's kept-alive connection may have been the killed process's (the kernel resets
        # it); a new connection is accepted by the process that lives.
        with httpx.Client(base_url=url, timeout=10) as fresh:
            assert fresh.get(f"/posts/{min(ids)}", headers=headers).status_code == 200
        _until(lambda: len(_workers(parent)) == 2, "a replacement process")
        _until(lambda: _healthy(url), "the replacement to answer")
