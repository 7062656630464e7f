"""Crash recovery: a real `townsquare worker` process is killed with SIGKILL at random moments,
many times, while intents publish, message, remind and wait for approvals. After the last
restart every intent must finish, every side effect must exist exactly once, and nothing may be
lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.conftest import POSTGRES_URL_VAR
from tests.utils.factories import make_account
from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Account, InboxItem, Intent, IntentEffect, Message, Post
from townsquare.settings import Settings
from townsquare.tasks import inbox, intents

INTENTS = 12
KILLS = 10


def _worker(data_dir: Path, system_env: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TOWNSQUARE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    env.update(system_env)
    env.pop("TOWNSQUARE_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "townsquare", "worker", "--fake-model"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def _ready(worker: subprocess.Popen[bytes]) -> None:
    """Blocks until the worker says it runs (DBOS launched, recovery under way)."""
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert b"running" in line, f"the worker did not start: {line!r}"


def _answer_everything(database: Database, member_id: int) -> None:
    with database.session() as session:
        member = session.get(Account, member_id)
        assert member is not None
        for item in inbox.list_inbox(session, member, unanswered=True, limit=100).items:
            inbox.answer_item(session, member, item.id, "approve")


def _progress(database: Database) -> tuple[int, int]:
    """How many intents are not done yet, and how many side effects exist."""
    with database.session() as session:
        unfinished = session.scalar(
            select(func.count()).select_from(Intent).where(Intent.status != "done")
        )
        effects = session.scalar(select(func.count()).select_from(IntentEffect))
    return unfinished or 0, effects or 0


@pytest.fixture(params=["sqlite", "postgresql"])
def system_env(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Where the workflow engine checkpoints: SQLite beside the app database (the default) or
    a PostgreSQL schema of this test's own."""
    if request.param == "sqlite":
        yield {}
        return
    url = os.environ.get(POSTGRES_URL_VAR)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_URL_VAR} must be set in CI")
        pytest.skip(f"set {POSTGRES_URL_VAR} to run against PostgreSQL")
    schema = f"dbos_crash_{os.getpid()}"
    yield {"TOWNSQUARE_INTENTS_DATABASE_URL": url, "TOWNSQUARE_INTENTS_DATABASE_SCHEMA": schema}
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


@pytest.mark.slow
def test_sigkilled_worker_loses_nothing_and_repeats_nothing(
    tmp_path: Path, system_env: dict[str, str]
) -> None:
    data_dir = tmp_path / "data"
    settings = Settings(data_dir=data_dir)
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database)
    start = datetime.now(UTC)
    with database.session() as session:
        member, friend = make_account(session), make_account(session)
        member_id = member.id
        for n in range(INTENTS):
            plan = [
                {"name": "publish_post", "args": {"text": f"intent {n} post A"}},
                {"name": "send_dm", "args": {"handle": friend.handle, "text": f"intent {n} dm"}},
                {"name": "create_reminder", "args": {"text": f"intent {n} reminder"}},
                {"name": "search_posts", "args": {"query": "intent"}},
                {"name": "publish_post", "args": {"text": f"intent {n} post B"}},
            ]
            # Staggered durable sleeps spread the work over the kills; odd intents ask first.
            intents.create_intent(
                session,
                member,
                f"crash test {n}",
                spec={"plan": plan, "wait_until": (start + timedelta(seconds=3 * n)).isoformat()},
                autonomous=n % 2 == 0,
            )

    rng = random.Random(6)
    # (unfinished intents, side effects) at each kill
    at_kill: list[tuple[int, int]] = []
    worker = _worker(data_dir, system_env)
    try:
        for _ in range(KILLS):
            _ready(worker)
            # Each kill waits for the restarted worker to make progress (a new side effect), so
            # a slow start never lets the kills land before the work begins, then a random while.
            before = at_kill[-1][1] if at_kill else 0
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                _answer_everything(database, member_id)
                unfinished, effects = _progress(database)
                if effects > before or not unfinished:
                    break
                time.sleep(0.1)
            deadline = time.monotonic() + rng.uniform(0.0, 0.5)
            while time.monotonic() < deadline:
                _answer_everything(database, member_id)
                time.sleep(0.1)
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            assert worker.stdout is not None
            worker.stdout.close()
            at_kill.append(_progress(database))
            worker = _worker(data_dir, system_env)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            _answer_everything(database, member_id)
            with database.session() as session:
                done = session.scalar(
                    select(func.count()).select_from(Intent).where(Intent.status == "done")
                )
            if done == INTENTS:
                break
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
        assert worker.stdout is not None
        worker.stdout.close()

    # Kills landed while intents were mid-way (not before they began or after they ended); the
    # later ones may find everything done on a loaded machine, where a restart takes seconds.
    mid_way = [unfinished and effects for unfinished, effects in at_kill]
    assert sum(map(bool, mid_way)) >= KILLS // 3, at_kill
    with database.session() as session:
        statuses = dict(session.execute(select(Intent.goal, Intent.status)).all())
        assert all(s == "done" for s in statuses.values()), statuses
        for n in range(INTENTS):
            for text in (f"intent {n} post A", f"intent {n} post B"):
                assert session.scalar(select(func.count()).where(Post.text == text)) == 1, text
            dm = f"intent {n} dm"
            assert session.scalar(select(func.count()).where(Message.text == dm)) == 1, dm
            reminder = f"Reminder: intent {n} reminder"
            assert session.scalar(select(func.count()).where(InboxItem.text == reminder)) == 1
        assert session.scalar(select(func.count()).select_from(IntentEffect)) == 4 * INTENTS
        results = session.scalar(
            select(func.count()).select_from(InboxItem).where(InboxItem.kind == "result")
        )
        assert results == INTENTS
        used = [i.used["steps"] for i in session.scalars(select(Intent))]
        assert all(steps >= 5 for steps in used)
    database.dispose()
