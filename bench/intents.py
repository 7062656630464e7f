"""Intents: workflow throughput, watch-to-wake latency and planning quality.

    .venv/bin/python bench/intents.py [--intents 200] [--watches 20] [--tasks 40]

Throughput and latency run the real engine (DBOS on a SQLite system database, the app on
SQLite) in this process with the fake chat model. Planning quality compares the tree search with
a single-pass plan on choose-among-options tasks with a known best answer, with the same model and
the same budget of model calls. The model there is simulated: it proposes options blindly (it
does not read the constraints when proposing) and judges a proposed plan correctly with
probability 0.9, scoring it by the option's rating plus noise; that is the generator-verifier gap
tree search is meant to exploit, stated here rather than hidden.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from townsquare.ai.chat import ChatChunk, ChatModel, ChatRequest
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Intent
from townsquare.settings import Settings
from townsquare.social import accounts, posts
from townsquare.tasks import intents
from townsquare.tasks.planner import PlanProblem, SearchBudget, single_pass, tree_search
from townsquare.tasks.workflows import IntentEngine

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
    database = Database(settings.resolved_database_url)
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


# --- Planning quality -------------------------------------------------------------------------


class SimulatedPlanner(ChatModel):
    """Proposes blindly, judges with accuracy ``judge_accuracy`` (see the module docstring)."""

    name = "simulated-planner"

    def __init__(self, seed: int, judge_accuracy: float = 0.9, noise: float = 0.1) -> None:
        self.rng = random.Random(seed)
        self.judge_accuracy, self.noise = judge_accuracy, noise

    def stream(self, request: ChatRequest) -> Iterator[ChatChunk]:
        yield ChatChunk(json.dumps(self._reply(request)), "stop")

    def _reply(self, request: ChatRequest) -> dict[str, Any]:
        prompt = request.messages[-1].content
        options = [json.loads(line) for line in
                   prompt.split("Options:\n", 1)[1].split("\n\n", 1)[0].splitlines()]  # fmt: skip
        plan = prompt.split("Plan so far:", 1)[1]
        props = (request.json_schema or {}).get("properties", {})
        shuffled = self.rng.sample(options, len(options))
        if "plan" in props:
            return {"plan": [{"name": "choose", "args": {"option": shuffled[0]["name"]}},
                             {"name": "finish", "args": {"summary": "done"}}]}  # fmt: skip
        if "candidates" in props:
            if "(nothing yet)" in plan:
                k = props["candidates"]["maxItems"]
                return {"candidates": [{"name": "choose", "args": {"option": o["name"]}}
                                       for o in shuffled[:k]]}  # fmt: skip
            return {"candidates": [{"name": "finish", "args": {"summary": "done"}}]}
        chosen = re.findall(r'"option": "([^"]+)"', plan)[-1]
        option = next(o for o in options if o["name"] == chosen)
        feasible = _fits(option, prompt)
        if self.rng.random() > self.judge_accuracy:
            feasible = not feasible
        score = min(1.0, max(0.0, option["rating"] / 5 + self.rng.gauss(0, self.noise)))
        return {"feasible": feasible, "score": score, "reason": "simulated"}


def _fits(option: dict[str, Any], goal: str) -> bool:
    price = int(re.search(r"price_eur <= (\d+)", goal).group(1))  # type: ignore[union-attr]
    seats = int(re.search(r"capacity >= (\d+)", goal).group(1))  # type: ignore[union-attr]
    return bool(option["price_eur"] <= price and option["capacity"] >= seats)


def make_task(rng: random.Random) -> tuple[PlanProblem, str]:
    options = [
        {"name": f"venue-{i}", "price_eur": rng.randrange(200, 900, 10),
         "capacity": rng.randrange(20, 120, 5), "rating": round(rng.uniform(2, 5), 1)}
        for i in range(6)
    ]  # fmt: skip
    goal = "Choose the best-rated venue with price_eur <= 500 and capacity >= 40."
    feasible = [o for o in options if _fits(o, goal)]
    if not feasible:
        return make_task(rng)
    best = max(feasible, key=lambda o: o["rating"])["name"]
    return PlanProblem(goal, ("choose", "finish"), options), best


def planning_quality(n_tasks: int, budget: SearchBudget) -> dict[str, float]:
    rng = random.Random(2026)
    wins = {"tree": 0, "single": 0}
    calls = {"tree": 0, "single": 0}
    for t in range(n_tasks):
        problem, best = make_task(rng)
        for method, plan in (("tree", tree_search), ("single", single_pass)):
            result = plan(SimulatedPlanner(seed=t), problem, budget)
            picked = [a["args"].get("option") for a in result.actions if a["name"] == "choose"]
            wins[method] += picked == [best]
            calls[method] += result.model_calls
    return {
        "tasks": n_tasks,
        "tree_success": wins["tree"] / n_tasks,
        "single_success": wins["single"] / n_tasks,
        "tree_calls_mean": calls["tree"] / n_tasks,
        "single_calls_mean": calls["single"] / n_tasks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--intents", type=int, default=200)
    parser.add_argument("--watches", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--branching", type=int, default=6)
    args = parser.parse_args()
    print(f"# intents bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    figures = engine_figures(args.intents, args.watches)
    for key, value in figures.items():
        print(f"{key}: {value:.1f}")
    budget = SearchBudget(model_calls=16, branching=args.branching, max_depth=2)
    for key, value in planning_quality(args.tasks, budget).items():
        print(f"{key}: {value:.2f}")


if __name__ == "__main__":
    main()
