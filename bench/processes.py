"""Several server processes on one PostgreSQL: requests per second, p50/p95 latency and server
CPU time per request for the feed, posting, event logging and a DM to an agent, with 1, 2 and 4
processes (`townsquare serve --workers N`).

    TOWNSQUARE_TEST_POSTGRES_URL=postgresql+psycopg://... python -m bench.processes

Each configuration gets a fresh schema, a few members with posts and a thread each with one
agent (or, with ``--community``, serves an existing ``bench.synth`` community as it is, drawing
its members from it and giving each an API token through the service layer), then `--clients`
client threads per operation for `--seconds` (`--dm-clients` for the DM). A DM is timed to the
reply's first token: the message sent with `Accept: text/event-stream`, until the first `delta`
event (the embedded chat model of each process writes it; the stream is then read to its end,
which the requests per second count). CPU time is the server processes' own (user + system, all
N of them), so the curve can be projected to more cores; on a machine shared with other work,
compare the ratios. The table counts the workers uvicorn's supervisor replaced during each run,
the slowest of the first requests (two per process, before the warm-up) and the largest resident
set of one server process after the run.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np
import psutil
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import create_engine, make_url, select, text

from townsquare.db import Database
from townsquare.db.models import Account, Post
from townsquare.settings import Settings
from townsquare.social.sessions import issue_token

PASSWORD = "correct horse battery staple 42"
console = Console()


def fresh_schema(url: str, schema: str) -> str:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    isolated = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return isolated.render_as_string(hide_password=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(url: str, workers: int, data_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "TOWNSQUARE_DATA_DIR": str(data_dir),
        "TOWNSQUARE_DATABASE_URL": url,
        "TOWNSQUARE_INTENTS_IN_SERVER": "false",
        "TOWNSQUARE_FEED_RETRAIN_IN_SERVER": "false",
        "TOWNSQUARE_RATE_LIMIT_TOKEN_PER_SECOND": "0",
        "TOWNSQUARE_RATE_LIMIT_TOKEN_PER_MINUTE": "0",
        "TOWNSQUARE_RATE_LIMIT_ADDRESS_PER_SECOND": "0",
        "TOWNSQUARE_RATE_LIMIT_ADDRESS_PER_MINUTE": "0",
        "TOWNSQUARE_IN_FLIGHT_TOKEN": "0",
        "TOWNSQUARE_IN_FLIGHT_WRITES_TOKEN": "0",
        "TOWNSQUARE_IN_FLIGHT_ADDRESS": "0",
        "TOWNSQUARE_IN_FLIGHT_WRITES_ADDRESS": "0",
        "TOWNSQUARE_RATE_LIMIT_REMEMBER_REFUSALS_S": "0",
        "TOWNSQUARE_SIGNUPS_PER_ADDRESS": "100000",
        "TOWNSQUARE_QUOTA_MESSAGES_PER_MINUTE": "0",
        "TOWNSQUARE_QUOTA_MODEL_CALLS_PER_MINUTE": "0",
    }
    command = [sys.executable, "-m", "townsquare", "serve", "--port", str(port)]
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)], env=env, stdout=output, stderr=output
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    process.kill()
    raise TimeoutError(f"the server did not start; see {log}")


def rss_mib(parent: psutil.Process) -> float:
    """The largest resident set of the server's processes (a worker, or the one process), MiB."""
    largest = 0
    for process in [parent, *parent.children(recursive=True)]:
        try:
            largest = max(largest, process.memory_info().rss)
        except psutil.Error:
            continue
    return largest / 2**20


def cpu_seconds(parent: psutil.Process) -> float:
    total = 0.0
    for process in [parent, *parent.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total


Headers = dict[str, str]


def replacements(log: Path) -> int:
    """Workers uvicorn's supervisor has replaced so far (one that missed its health check or
    died), by its log line."""
    return log.read_text(errors="replace").count("] died")


Request = Callable[[httpx.Client, int], float]  # seconds it took, by the operation's measure


def timed(call: Callable[[], httpx.Response]) -> float:
    began = time.perf_counter()
    call().raise_for_status()
    return time.perf_counter() - began


def first_token(http: httpx.Client, thread_id: int, headers: Headers, text: str) -> float:
    """Seconds from sending a DM to its reply's first piece; the stream is read to its end."""
    began = time.perf_counter()
    seen: float | None = None
    body = {"text": text}
    stream = headers | {"Accept": "text/event-stream"}
    with http.stream("POST", f"/threads/{thread_id}/messages", json=body, headers=stream) as reply:
        reply.raise_for_status()
        for line in reply.iter_lines():
            if seen is None and line == "event: delta":
                seen = time.perf_counter() - began
    if seen is None:
        raise RuntimeError(f"the reply to {text!r} streamed no text")
    return seen


def load(request: Request, clients: int, seconds: float, base: str) -> tuple[list[float], int]:
    """Latencies, and how many requests were dropped: a connection closed unanswered (uvicorn's
    supervisor replaces a worker that misses its health check) or no answer in 120 s."""
    latencies: list[float] = []
    dropped = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        nonlocal dropped
        with httpx.Client(base_url=base, timeout=120) as http:
            mine, lost = [], 0
            i = 0
            while time.monotonic() < stop:
                try:
                    mine.append(request(http, number * 1_000_000 + i))
                except (httpx.TransportError, RuntimeError):  # RuntimeError: a DM without text
                    lost += 1
                i += 1
            with lock:
                latencies.extend(mine)
                dropped += lost

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, dropped


def fresh_members(http: httpx.Client, count: int) -> tuple[list[Headers], list[int]]:
    """``count`` members signed up through the API, five posts each: their tokens and posts."""
    tokens, post_ids = [], []
    for n in range(count):
        signed = http.post("/auth/signup", json={"handle": f"member{n}", "password": PASSWORD})
        signed.raise_for_status()
        headers = {"Authorization": f"Bearer {signed.json()['token']}"}
        tokens.append(headers)
        for k in range(5):
            body = {"kind": "text", "text": f"post {k} by m{n}"}
            post_ids.append(http.post("/posts", json=body, headers=headers).json()["id"])
    return tokens, post_ids


def community_members(url: str, count: int, seed: int) -> tuple[list[Headers], list[int]]:
    """``count`` people drawn from an existing community (``bench.synth``'s, whose members have
    no password), each given an API token by the service layer, and 1,000 of its posts."""
    rng = random.Random(seed)
    database = Database(url)
    try:
        with database.session() as session:
            people = list(session.scalars(select(Account.id).where(Account.kind == "person")))
            post_ids = list(session.scalars(select(Post.id).where(Post.deleted_at.is_(None))))
            if len(people) < count or not post_ids:
                raise SystemExit(f"{url} holds {len(people)} people; --members asks for {count}")
            tokens = []
            for account_id in rng.sample(people, count):
                account = session.get_one(Account, account_id)
                _, plaintext = issue_token(session, account, "bench", settings=Settings())
                tokens.append({"Authorization": f"Bearer {plaintext}"})
            session.commit()
        return tokens, rng.sample(post_ids, min(1_000, len(post_ids)))
    finally:
        database.dispose()


Row = tuple[float, ...]


def measure(
    url: str, workers: int, args: argparse.Namespace, report: Callable[[str, Row], None]
) -> dict[str, Row]:
    schema = f"bench_processes_{os.getpid()}_{workers}"
    with tempfile.TemporaryDirectory() as scratch:
        server_url = url if args.community else fresh_schema(url, schema)
        log = Path(scratch) / "serve.log"
        process, base = start(server_url, workers, Path(scratch), log)
        parent = psutil.Process(process.pid)
        try:
            with httpx.Client(base_url=base, timeout=30) as http:
                if args.community:
                    tokens, post_ids = community_members(url, args.members, workers)
                else:
                    tokens, post_ids = fresh_members(http, args.members)
                agent = {"handle": f"helper{os.getpid()}x{workers}", "name": "Helper"}
                http.post("/agents", json=agent, headers=tokens[0]).raise_for_status()
                threads = []
                for headers in tokens:
                    opened = http.post(f"/agents/{agent['handle']}/threads", headers=headers)
                    threads.append(opened.raise_for_status().json()["thread_id"])

            def member(i: int) -> Headers:
                return tokens[i % len(tokens)]

            def event(i: int) -> dict[str, object]:
                impression = {"type": "impression", "surface": "feed"}
                return {"events": [impression | {"post_id": post_ids[i % len(post_ids)]}]}

            operations: dict[str, Request] = {
                "feed": lambda h, i: timed(lambda: h.get("/feed", headers=member(i))),
                "post": lambda h, i: timed(
                    lambda: h.post(
                        "/posts", json={"kind": "text", "text": f"load {i}"}, headers=member(i)
                    )
                ),
                "event": lambda h, i: timed(
                    lambda: h.post("/events", json=event(i), headers=member(i))
                ),
                "dm": lambda h, i: first_token(
                    h, threads[i % len(threads)], member(i), f"what is good to cook today? ({i})"
                ),
            }
            results: dict[str, Row] = {}
            with Progress(console=console) as progress:
                task = progress.add_task(f"{workers} process(es)", total=len(args.operations))
                for name in args.operations:
                    request = operations[name]
                    clients = args.dm_clients if name == "dm" else args.clients
                    with httpx.Client(base_url=base, timeout=600) as http:
                        # The first feed (DM) of each process loads torch (the chat model): the
                        # slowest of these first requests is what a fresh process costs.
                        firsts = []
                        for i in range(workers * 2):
                            try:
                                firsts.append(request(http, i))
                            except RuntimeError as error:  # counted, not fatal
                                console.print(f"{name}, first requests: {error}")
                        first = max(firsts, default=np.nan)
                    load(request, clients, 2.0, base)  # warm-up
                    before, replaced = cpu_seconds(parent), replacements(log)
                    began = time.perf_counter()
                    latencies, dropped = load(request, clients, args.seconds, base)
                    elapsed = time.perf_counter() - began
                    cpu = cpu_seconds(parent) - before
                    answered = max(len(latencies), 1)  # none: the row says nan and 0 req/s
                    p50, p95 = np.percentile(latencies or [np.nan], [50, 95]) * 1000
                    results[name] = (
                        len(latencies) / elapsed,
                        p50,
                        p95,
                        cpu / answered * 1000,
                        dropped,
                        replacements(log) - replaced,
                        first * 1000,
                        rss_mib(parent),
                    )
                    report(name, results[name])
                    progress.advance(task)
            return results
        finally:
            workers_left = parent.children(recursive=True)
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            # A worker the supervisor could not stop would go on answering this database's DMs
            # (and taking the next configuration's): none may outlive its run.
            for worker in workers_left:
                try:
                    worker.kill()
                except psutil.NoSuchProcess:
                    continue
            if not args.community:
                engine = create_engine(url, isolation_level="AUTOCOMMIT")
                with engine.connect() as connection:
                    connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
                engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("TOWNSQUARE_TEST_POSTGRES_URL"))
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--clients", type=int, default=8, help="client threads per operation")
    parser.add_argument("--dm-clients", type=int, default=4, help="client threads for DMs")
    parser.add_argument("--seconds", type=float, default=15.0, help="per operation")
    parser.add_argument(
        "--operations",
        nargs="+",
        choices=["feed", "post", "event", "dm"],
        default=["feed", "post", "event", "dm"],
        help="which operations to measure, in this order",
    )
    parser.add_argument("--members", type=int, default=20, help="members sending requests")
    parser.add_argument(
        "--community",
        action="store_true",
        help="serve --database-url as it is (a bench.synth community) and draw the members from "
        "it, instead of a fresh schema per configuration; the requests add to it",
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error("set --database-url or TOWNSQUARE_TEST_POSTGRES_URL to a PostgreSQL URL")
    console.print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    console.print(f"load average before: {os.getloadavg()}")
    console.print(
        "| op | processes | req/s | ratio | p50 ms | p95 ms | CPU ms/req | dropped | replaced "
        "| first ms | RSS MiB/process |"
    )
    console.print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    measured: dict[int, dict[str, Row]] = {}
    first = args.processes[0]
    for n in args.processes:

        def report(name: str, row: Row, n: int = n) -> None:
            rps, p50, p95, cpu, dropped, replaced, slowest, rss = row
            base = measured[first][name][0] if n != first else rps
            ratio = rps / base if base else np.nan
            console.print(
                f"| {name} | {n} | {rps:.1f} | {ratio:.2f} | {p50:.1f} | {p95:.1f} | {cpu:.1f} "
                f"| {dropped:.0f} | {replaced:.0f} | {slowest:.0f} | {rss:.0f} |"
            )

        measured[n] = measure(args.database_url, n, args, report)
        console.print(f"load average after {n} process(es): {os.getloadavg()}")
    console.print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
