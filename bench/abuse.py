"""Normal members' latency with and without one abusive client, on a real server (issue 16).

A `townsquare serve` runs in a child process on loopback with a fresh data directory and the
quotas, throttles and request-rate limits as shipped; each member (and the abuser) sends from
its own loopback address (127.0.x.y), as people in different places would. The bench seeds
members (each with an API token) and an agent, then runs the same normal traffic twice: each
member, every `--interval` seconds, reads the feed, posts, logs events, DMs the agent and reads
the thread, with at most `--concurrency` members mid-round at once. The first phase runs alone;
in the second one abusive member does everything at once: floods the agent with DMs, sends
`/v1/chat/completions` long histories (some within the caps, some over), uploads the hostile PDF
of finding 2 as knowledge, and guesses another member's password. Printed per phase: normal
requests and p50/p95 latency per kind, the abuser's answers by status, and how long a normal
member's small knowledge file then waits to be indexed; at the end, every write the server
accepted (2xx) is looked up in the database. `--attacks` picks which of the abuser's attacks
run, to see which one costs the members most.

Also printed per phase, since the bench shares this machine's cores with the server: the CPU
seconds the server used (and its knowledge-file readers, once reaped), the members' client and
the abuser's client, and the abuser's client CPU per request of each attack. The abuser sends
its long histories as bytes encoded once, as a real one would; `--abuser-nice N` runs its
client process at `nice N`, so that on a small machine it takes only CPU the server leaves
(its request count says how hard it still flooded).

By default the server answers with the fake chat model and embedder, so the figures are about
the server, not the model; `--model embedded` runs the shipped embedded models instead.

    python bench/abuse.py [--members 50] [--duration 60] [--concurrency 50] [--model fake]
                          [--attacks "dm flood" "long history" "hostile pdf" "password guessing"]
                          [--abuser-nice 0]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select

from abuse_world import (  # bench/abuse_world.py
    Member,
    Seeded,
    Server,
    cpu_s,
    hostile_pdf,
    knowledge_wait,
    long_histories,
    open_threads,
    seed,
)
from townsquare.db import Database
from townsquare.db.models import Event, Message, Post
from townsquare.settings import Settings

KINDS = ("feed", "post", "events", "dm", "thread")


@dataclass
class Record:
    """What one phase saw: normal latencies per kind, errors, the abuser's statuses, and the ids
    of every write the server accepted."""

    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    abuser: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    accepted: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    lock: threading.Lock = field(default_factory=threading.Lock)
    knowledge_s: float | None = None  # a normal member's upload, from sending to indexed
    cpu_s: dict[str, float] = field(default_factory=dict)  # CPU seconds in the phase, by process
    abuser_cpu_s: dict[str, float] = field(default_factory=dict)  # the abuser's client, by attack

    def normal(
        self, kind: str, seconds: float, response: httpx.Response | None, failure: str = ""
    ) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            if response is None or response.status_code >= 400:
                code = failure if response is None else str(response.status_code)
                self.errors[f"{kind} {code}"] += 1

    def abusive(self, kind: str, response: httpx.Response | None) -> None:
        with self.lock:
            self.abuser[kind][0 if response is None else response.status_code] += 1

    def accept(self, table: str, ids: list[int]) -> None:
        with self.lock:
            self.accepted[table].update(ids)


def _timed(
    record: Record, kind: str, call: httpx.Client, method: str, url: str, **kw: object
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response: httpx.Response | None = call.request(method, url, **kw)  # type: ignore[arg-type]
    except httpx.TransportError as error:
        record.normal(kind, time.perf_counter() - started, None, type(error).__name__)
        return None
    record.normal(kind, time.perf_counter() - started, response)
    return response


def member_rounds(
    url: str,
    member: Member,
    record: Record,
    until: float,
    interval: float,
    gate: threading.Semaphore,
    done: list[int],
) -> None:
    """One member's traffic: a round of the five kinds every ``interval`` seconds (jittered),
    slow enough to stay inside the member's own DM and model-call quotas."""
    rng = random.Random(member.handle)
    time.sleep(rng.uniform(0, interval))
    n = 0
    with member.client(url, timeout=60) as client:
        while time.monotonic() < until:
            started = time.monotonic()
            n += 1
            with gate:
                _timed(record, "feed", client, "GET", "/feed?limit=20")
                r = _timed(
                    record, "post", client, "POST", "/posts", json={"kind": "text", "text": f"{n}"}
                )
                if r is not None and r.status_code == 201:
                    post_id = int(r.json()["id"])
                    record.accept("posts", [post_id])
                    event = {"type": "open", "surface": "feed", "post_id": post_id}
                    r = _timed(
                        record, "events", client, "POST", "/events", json={"events": [event]}
                    )
                    if r is not None and r.status_code == 201:
                        record.accept("events", [int(i) for i in r.json()["ids"]])
                body = {"text": f"question {n}", "client_key": f"{member.handle}-{until}-{n}"}
                r = _timed(
                    record, "dm", client, "POST", f"/threads/{member.thread_id}/messages", json=body
                )
                if r is not None and r.status_code == 201:
                    record.accept("messages", [int(r.json()["id"])])
                _timed(record, "thread", client, "GET", f"/threads/{member.thread_id}/messages")
            with record.lock:
                done[0] += 1
            time.sleep(max(0.0, interval * rng.uniform(0.8, 1.2) - (time.monotonic() - started)))


def _abuse(
    url: str, abuser: Member, record: Record, until: float, kind: str, seeded: Seeded
) -> None:
    """One of the abuser's attacks, repeated as fast as the answers come until ``until``;
    records the CPU seconds this thread of the abuser's client spent on it."""
    n = 0
    histories = long_histories() if kind == "long history" else []
    json_body = {"Content-Type": "application/json"}
    with abuser.client(url, timeout=120) as client:
        while time.monotonic() < until:
            n += 1
            try:
                if kind == "dm flood":
                    body = {"text": f"spam {n}", "client_key": f"spam-{until}-{n}"}
                    r = client.post(f"/threads/{abuser.thread_id}/messages", json=body)
                    if r.status_code == 201:
                        record.accept("messages", [int(r.json()["id"])])
                elif kind == "long history":
                    r = client.post(
                        "/v1/chat/completions", content=histories[n % 3], headers=json_body
                    )
                elif kind == "hostile pdf":
                    files = {"file": (f"report{n}.pdf", hostile_pdf(n), "application/pdf")}
                    r = client.post(f"/agents/{seeded.abuser_agent}/knowledge", files=files)
                else:  # password guessing
                    body = {"handle": seeded.victim, "password": f"guess number {n}"}
                    r = client.post("/auth/token", json=body)
            except httpx.TransportError:
                record.abusive(kind, None)
                continue
            record.abusive(kind, r)
            if r.status_code == 429:
                time.sleep(0.05)  # a flood, not a busy loop on this machine's two cores
    with record.lock:
        record.cpu_s[kind] = time.thread_time()


# What the abuser's process puts back: its answers by status per attack, the ids of the messages
# it got stored, and its client's CPU seconds per attack.
Abused = tuple[dict[str, Counter[int]], set[int], dict[str, float]]
ATTACKS = ("dm flood", "long history", "hostile pdf", "password guessing")


def abuser_process(
    url: str,
    seeded: Seeded,
    until: float,
    attacks: list[str],
    abuser_nice: int,
    results: multiprocessing.Queue[Abused],
) -> None:
    """The abuser's attacks at once, each in a thread, until ``until`` (the monotonic clock is
    the machine's); puts back its answers by status, the messages it got stored and the CPU
    seconds its client spent on each attack (on this machine it shares the cores with the
    server; in the world it would not)."""
    if abuser_nice:
        os.nice(abuser_nice)
    record = Record()
    threads = [
        threading.Thread(target=_abuse, args=(url, seeded.abuser, record, until, a, seeded))
        for a in attacks
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((dict(record.abuser), record.accepted["messages"], record.cpu_s))


def run_phase(
    name: str, server: Server, seeded: Seeded, args: argparse.Namespace, abuse: bool
) -> Record:
    assert server.process is not None
    url = server.url
    record = Record()
    until = time.monotonic() + args.duration
    gate = threading.Semaphore(args.concurrency)
    done = [0]
    workers = [
        threading.Thread(
            target=member_rounds, args=(url, m, record, until, args.interval, gate, done)
        )
        for m in seeded.members
    ]
    # The abuser runs in a process of its own: building its bodies (1.35 MB of JSON, PDFs)
    # in this one would hold the members' client threads on the GIL and count as server time.
    spawn = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[Abused] = spawn.Queue()
    abuser = spawn.Process(
        target=abuser_process,
        args=(url, seeded, until, args.attacks, args.abuser_nice, results),
    )
    pid = server.process.pid
    server_cpu, readers_cpu = cpu_s(pid), cpu_s(pid, children=True)
    client_cpu = time.process_time()
    if abuse:
        abuser.start()
    expected = int(len(seeded.members) * args.duration / args.interval)
    with Progress(
        TextColumn(f"{name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as progress:
        task = progress.add_task(name, total=expected)
        for worker in workers:
            worker.start()
        while any(w.is_alive() for w in workers):
            progress.update(task, completed=done[0])
            time.sleep(0.5)
        progress.update(task, completed=done[0], total=max(expected, done[0]))
    for worker in workers:
        worker.join()
    record.cpu_s["server"] = cpu_s(pid) - server_cpu
    record.cpu_s["its file readers"] = cpu_s(pid, children=True) - readers_cpu
    record.cpu_s["members' client"] = time.process_time() - client_cpu
    if abuse:
        statuses, messages, attack_cpu = results.get()
        record.cpu_s["abuser's client"] = sum(attack_cpu.values())
        record.abuser_cpu_s = attack_cpu
        abuser.join()
        record.abuser.update(statuses)
        record.accept("messages", sorted(messages))
    record.knowledge_s = knowledge_wait(url, seeded.members[0], name.split()[0], args.duration)
    return record


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50, help="normal members (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument(
        "--concurrency", type=int, default=50, help="members mid-round at once (default 50)"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=8.0,
        help="seconds between a member's rounds (default 8: under the DM and model-call quotas)",
    )
    parser.add_argument("--model", choices=("fake", "embedded"), default="fake")
    parser.add_argument(
        "--abuser-nice",
        type=int,
        default=0,
        help="nice the abuser's client process by this much (default 0: its client competes "
        "with the server for this machine's cores, as it would not from another machine)",
    )
    parser.add_argument(
        "--attacks",
        nargs="+",
        choices=ATTACKS,
        default=list(ATTACKS),
        metavar="ATTACK",
        help=f"what the abuser does, at once (default all: {', '.join(ATTACKS)})",
    )
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        seeded = seed(settings, args.members)
        server = Server(Path(tmp), args.model)
        server.start()
        try:
            open_threads(server.url, seeded)
            calm = run_phase("without the abuser", server, seeded, args, abuse=False)
            abused = run_phase("with the abuser", server, seeded, args, abuse=True)
        finally:
            server.stop()
        database = Database.configured(settings)
        with database.session() as session:
            stored = {
                "posts": set(session.scalars(select(Post.id))),
                "messages": set(session.scalars(select(Message.id))),
                "events": set(session.scalars(select(Event.id))),
            }
        database.dispose()

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    table = Table(
        title=f"Normal members' latency, {args.members} members, {args.duration:.0f} s a phase, "
        f"{args.model} model ({stamp})"
    )
    for column in (
        "kind",
        "requests",
        "p50 ms",
        "p95 ms",
        "requests +abuser",
        "p50 ms +abuser",
        "p95 ms +abuser",
        "p95 ratio",
    ):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind in KINDS:
        a, b = calm.latency[kind], abused.latency[kind]
        table.add_row(
            kind,
            str(len(a)),
            f"{_pct(a, 50) * 1000:.0f}",
            f"{_pct(a, 95) * 1000:.0f}",
            str(len(b)),
            f"{_pct(b, 50) * 1000:.0f}",
            f"{_pct(b, 95) * 1000:.0f}",
            f"{_pct(b, 95) / _pct(a, 95):.2f}x",
        )
    console.print(table)
    for label, record in (("without", calm), ("with", abused)):
        waited = record.knowledge_s
        shown = f"{waited:.1f} s" if waited is not None else f"over {args.duration:.0f} s"
        console.print(f"A normal member's text file indexed {label} the abuser's uploads: {shown}")
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(record.errors.items())) or "none"
        console.print(f"Normal members' errors {label} the abuser: {errors}")
        used = ", ".join(
            f"{who} {seconds:.1f} s ({seconds / args.duration:.0%} of a core)"
            for who, seconds in record.cpu_s.items()
        )
        console.print(f"CPU used {label} the abuser: {used}")
    abuse_table = Table(title="The abuser's answers by status (0: no answer)")
    abuse_table.add_column("attack")
    abuse_table.add_column("requests", justify="right")
    abuse_table.add_column("statuses", justify="left")
    abuse_table.add_column("client CPU ms each", justify="right")
    for attack in args.attacks:
        statuses = abused.abuser[attack]
        shown = ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items()))
        sent = sum(statuses.values())
        each = abused.abuser_cpu_s.get(attack, 0.0) * 1000 / max(1, sent)
        abuse_table.add_row(attack, str(sent), shown, f"{each:.1f}")
    console.print(abuse_table)
    everything = Counter[int]()
    for statuses in abused.abuser.values():
        everything.update(statuses)
    console.print(
        f"The abuser got {everything[429]} x 429, {everything[413]} x 413, "
        f"{everything[422]} x 422 of {sum(everything.values())} requests."
    )
    for table_name in ("posts", "messages", "events"):
        accepted = calm.accepted[table_name] | abused.accepted[table_name]
        lost = accepted - stored[table_name]
        console.print(
            f"Accepted {table_name}: {len(accepted)}, in the database at the end: "
            f"{len(accepted) - len(lost)}, lost: {len(lost)}"
        )


if __name__ == "__main__":
    main()
