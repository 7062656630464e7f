"""Killing the server while requests are in flight loses nothing it acknowledged."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tests.utils.factories import PASSWORD
from townsquare.db import Database
from townsquare.db.models import Event, Message, Post
from townsquare.settings import Settings

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    settings: Settings
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log: Path) -> None:
        env = {
            **os.environ,
            "TOWNSQUARE_DATA_DIR": str(self.settings.data_dir),
            "TOWNSQUARE_DATABASE_URL": self.settings.resolved_database_url,
            # As much traffic in flight at the kill as the server takes.
            "TOWNSQUARE_RATE_LIMIT_TOKEN_PER_SECOND": "0",
            "TOWNSQUARE_RATE_LIMIT_ADDRESS_PER_SECOND": "0",
            "TOWNSQUARE_IN_FLIGHT_WRITES_TOKEN": "0",  # six writers share one token
        }
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "townsquare", "serve", "--port", str(self.port)],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise TimeoutError(f"server did not start; see {log}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def server(settings: Settings, tmp_path: Path) -> Iterator[Server]:
    running = Server(settings)
    running.start(tmp_path / "server.log")
    yield running
    if running.process and running.process.poll() is None:
        running.kill()


def test_sigkill_mid_traffic_loses_no_acknowledged_write(
    server: Server, database: Database, tmp_path: Path
) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        tokens = []
        for handle in ("writer", "reader"):
            body = client.post("/auth/signup", json={"handle": handle, "password": PASSWORD}).json()
            tokens.append({"Authorization": f"Bearer {body['token']}"})
        thread = client.post("/threads", json={"handles": ["reader"]}, headers=tokens[0]).json()
        seed_post = client.post(
            "/posts", json={"kind": "text", "text": "seed"}, headers=tokens[0]
        ).json()

    acknowledged: dict[str, set[int]] = {"post": set(), "message": set(), "event": set()}
    lock = threading.Lock()
    stop = threading.Event()

    def write(worker: int) -> None:
        with httpx.Client(base_url=server.url, timeout=5, headers=tokens[0]) as client:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    kind = ("post", "message", "event")[i % 3]
                    if kind == "post":
                        r = client.post("/posts", json={"kind": "text", "text": f"w{worker}-{i}"})
                        ids = [r.json()["id"]] if r.status_code == 201 else []
                    elif kind == "message":
                        r = client.post(
                            f"/threads/{thread['id']}/messages",
                            json={"text": f"m{worker}-{i}", "client_key": f"{worker}-{i}"},
                        )
                        ids = [r.json()["id"]] if r.status_code == 201 else []
                    else:
                        event = {"type": "open", "surface": "feed", "post_id": seed_post["id"]}
                        r = client.post("/events", json={"events": [event, event]})
                        ids = r.json()["ids"] if r.status_code == 201 else []
                except httpx.TransportError:
                    return  # the server is gone; whatever was not acknowledged may be lost
                with lock:
                    acknowledged[kind].update(ids)

    workers = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for worker in workers:
        worker.start()
    time.sleep(2.0)
    server.kill()
    stop.set()
    for worker in workers:
        worker.join(timeout=30)

    assert all(acknowledged.values()), f"too little traffic to test: {acknowledged}"
    with database.session() as session:
        stored = {
            "post": set(session.scalars(select(Post.id))),
            "message": set(session.scalars(select(Message.id))),
            "event": set(session.scalars(select(Event.id))),
        }
    for kind, ids in acknowledged.items():
        assert ids <= stored[kind], f"lost acknowledged {kind}s: {sorted(ids - stored[kind])}"

    server.start(tmp_path / "server.log")  # and the server comes back on the same data
    assert httpx.get(f"{server.url}/posts?limit=1").status_code == 200
