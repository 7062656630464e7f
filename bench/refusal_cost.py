"""What one refused request costs the server: the request-rate limit vs a quota (issue 16).

Where does a refused request spend its time? A `townsquare serve` (fake models,
`bench/abuse_world.py`) runs in a child process on loopback; one client sends `--requests`
requests of each kind in turn, and the server process's own CPU time (user + system, from /proc)
is read before and after each kind, so the figure is the server's work per request whatever else
the machine is doing; the client's median wall time per request is printed beside it.

Kinds: `/health` (the floor: HTTP and the middleware, no database), a DM refused by the
request-rate limit (the server started with 1 request a minute per token), a DM refused by the
DM quota (rate limit off, refusals not remembered: token lookup, body, quota count in the
database), the same refusal answered again from memory (`rate_limit_remember_refusals_s`: the
first reaches the app, the rest are the middleware's), an invented token (one lookup, 401), a
feed page (200).

    python bench/refusal_cost.py [--requests 300]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from abuse_world import Member, Server, cpu_s, seed  # bench/abuse_world.py
from townsquare.settings import Settings

OFF = "0"


def measure(
    server: Server, requests: int, send: Callable[[httpx.Client], httpx.Response], member: Member
) -> tuple[float, float, dict[int, int]]:
    """(server CPU ms per request, client median wall ms, statuses) over ``requests`` sends."""
    assert server.process is not None
    walls: list[float] = []
    statuses: dict[int, int] = {}
    with member.client(server.url, timeout=30) as client:
        send(client)  # warm: a connection, the routes' first use
        before = cpu_s(server.process.pid)
        for _ in range(requests):
            started = time.perf_counter()
            status = send(client).status_code
            walls.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
        after = cpu_s(server.process.pid)
    return (after - before) / requests * 1000, statistics.median(walls) * 1000, statuses


def run(data_dir: Path, rates: dict[str, str]) -> Server:
    os.environ.update(rates)
    server = Server(data_dir, "fake")
    server.start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind")
    args = parser.parse_args()
    console = Console()
    rows: list[tuple[str, float, float, dict[int, int]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        seeded = seed(Settings(data_dir=data_dir), members=2)
        member = seeded.members[0]
        unlimited = {
            f"TOWNSQUARE_RATE_LIMIT_{who}_PER_{per}": OFF
            for who in ("TOKEN", "ADDRESS")
            for per in ("SECOND", "MINUTE")
        } | {"TOWNSQUARE_RATE_LIMIT_REMEMBER_REFUSALS_S": OFF}

        def dm(client: httpx.Client) -> httpx.Response:
            return client.post(f"/threads/{member.thread_id}/messages", json={"text": "spam"})

        def invented(client: httpx.Client) -> httpx.Response:
            token = {"Authorization": f"Bearer {secrets.token_urlsafe(24)}"}
            return client.get("/auth/tokens", headers=token)

        def spend_dm_quota(server: Server) -> None:
            with member.client(server.url, timeout=30) as client:
                while dm(client).status_code != 429:
                    pass

        server = run(data_dir, unlimited)
        try:
            with member.client(server.url, timeout=30) as client:
                other = seeded.members[1].handle  # a thread between members: no agent answers
                member.thread_id = client.post("/threads", json={"handles": [other]}).json()["id"]
            spend_dm_quota(server)
            kinds: list[tuple[str, Callable[[httpx.Client], httpx.Response]]] = [
                ("/health", lambda c: c.get("/health")),
                ("DM refused by the DM quota", dm),
                ("invented token (401)", invented),
                ("feed page (200)", lambda c: c.get("/feed?limit=20")),
            ]
            for name, send in kinds:
                rows.append((name, *measure(server, args.requests, send, member)))
        finally:
            server.stop()
        server = run(data_dir, {**unlimited, "TOWNSQUARE_RATE_LIMIT_TOKEN_PER_MINUTE": "1"})
        try:
            name = "DM refused by the request-rate limit"
            rows.insert(1, (name, *measure(server, args.requests, dm, member)))
        finally:
            server.stop()
        server = run(data_dir, {**unlimited, "TOWNSQUARE_RATE_LIMIT_REMEMBER_REFUSALS_S": "60"})
        try:
            spend_dm_quota(server)  # a minute may have passed: the quota's window moved on
            name = "DM refused by the DM quota, answered again from memory"
            rows.insert(3, (name, *measure(server, args.requests, dm, member)))
        finally:
            server.stop()

    table = Table(title=f"What a request costs the server ({args.requests} of each, sequential)")
    for column in ("request", "server CPU ms each", "client wall ms (median)", "statuses"):
        table.add_column(column, justify="left" if column in ("request", "statuses") else "right")
    for name, cpu_ms, wall_ms, statuses in rows:
        shown = ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items()))
        table.add_row(name, f"{cpu_ms:.2f}", f"{wall_ms:.2f}", shown)
    console.print(table)


if __name__ == "__main__":
    main()
