"""Intents: workflow throughput and watch-to-wake latency (planning quality is bench/planning.py).

    .venv/bin/python bench/intents.py [--intents 200] [--watches 20]

Both run the real engine (DBOS on a SQLite system database, the app on SQLite) in this process
with the fake chat model.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Intent
from townsquare.settings import Settings
from townsquare.social import accounts, posts
from townsquare.tasks import intents
from townsquare.tasks.engine import IntentEngine

PLAN = [
    {"name": "search_posts", "args": {"query": "meetup"}},
    {"name": "draft_post", "args": {"text": "Meetup on Friday"}},
    {"name": "create_reminder", "args": {"text": "book the room"}},
]


def _wait(database: Database, condition: Any, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with database.session() as session:
            if condition(session):
                return
        time.sleep(0.02)
    raise TimeoutError("the intents did not finish in time")


def engine_figures(n_intents: int, n_watches: int) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-intents-"))
    settings = Settings(data_dir=data_dir, intents_concurrency=32)
    database = Database.configured(settings)
    upgrade_to_head(database)
    models = Models(settings, chat=FakeChatModel(), embedder=FakeEmbedder())
    engine = IntentEngine(settings, database, models, poll_seconds=0.02)
    engine.start()
    with database.session() as session:
        member = accounts.create_account(session, handle="bench", password="correct horse b")
        fan = accounts.create_account(session, handle="fan", password="correct horse b")
        post = posts.create_post(session, member, kind="text", text="hello")
    try:
        with database.session() as session:  # members may have only 20 live intents each
            owners = [
                accounts.create_account(session, handle=f"member{i}", password="correct horse b")
                for i in range(0, n_intents, 20)
            ]
        started = time.perf_counter()
        with database.session() as session:
            for i in range(n_intents):
                owner = session.get(type(member), owners[i // 20].id)
                assert owner is not None
                intents.create_intent(session, owner, f"bench {i}", spec={"plan": PLAN},
                                      autonomous=True, budget={"steps": 10})  # fmt: skip

        def all_started(session: Any) -> bool:
            waiting = select(func.count()).select_from(Intent).where(Intent.status == "pending")
            return session.scalar(waiting) == 0

        _wait(database, all_started)
        start_s = time.perf_counter() - started

        def all_done(session: Any) -> bool:
            done = select(func.count()).select_from(Intent).where(Intent.status == "done")
            return session.scalar(done) == n_intents

        _wait(database, all_done)
        total_s = time.perf_counter() - started

        latencies: list[float] = []
        for i in range(n_watches):
            with database.session() as session:
                owner = session.get(type(member), member.id)
                assert owner is not None
                watcher = intents.create_intent(
                    session, owner, f"watch {i}", spec={"watch": {"kind": "comment"},
                                                         "plan": [PLAN[0]]},
                )  # fmt: skip
            wid = watcher.id
            _wait(database, lambda s, wid=wid: s.get(Intent, wid).status == "watching")
            with database.session() as session:
                commenter = session.get(type(fan), fan.id)
                assert commenter is not None
                posts.add_comment(session, commenter, post.id, f"ping {i}")
            _wait(database, lambda s, wid=wid: s.get(Intent, wid).status == "done")
            with database.session() as session:
                row = session.get(Intent, wid)
                assert row is not None
                latencies.append(float(row.used["last_wake_latency_s"]))
    finally:
        engine.stop()
        database.dispose()
    latencies.sort()
    return {
        "intents": n_intents,
        "intents_started_per_s": n_intents / start_s,
        "intents_completed_per_s": n_intents / total_s,
        "steps_per_s": n_intents * len(PLAN) / total_s,
        "wake_latency_median_ms": 1000 * statistics.median(latencies),
        "wake_latency_p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--intents", type=int, default=200)
    parser.add_argument("--watches", type=int, default=20)
    args = parser.parse_args()
    print(f"# intents bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    figures = engine_figures(args.intents, args.watches)
    for key, value in figures.items():
        print(f"{key}: {value:.1f}")


if __name__ == "__main__":
    main()
