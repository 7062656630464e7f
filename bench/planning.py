"""Planning quality: tree search vs a single-pass plan, same model, same budget of model calls.

    .venv/bin/python bench/planning.py [--model embedded|simulated] [--tasks 20] [--calls 10]

Each task: choose the best-rated of six venues whose price and capacity keep to limits that vary
by task; the best answer is computed in code. The methods, with the same chat model and the same
budget of model calls:

- single: one call writes the whole plan, taken as is;
- tree, model judges: the tree search, with the limits only in the goal's words, so the model
  alone says whether a plan breaks one;
- tree, code checks: the tree search as intents run it with ``constraints``: a plan choosing a
  venue that breaks a limit is pruned in code without a model call.

Every method asks for JSON constrained to each tool's arguments (a "choose" names one of the
venues). ``--model embedded`` is the configured chat model (by default the packaged SmolLM2-135M
through llama.cpp); ``--model simulated`` is a stand-in that proposes blindly and judges a plan
right 90% of the time, scoring it by the rating plus noise: the generator-verifier gap the
search is meant to exploit, stated here rather than hidden.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from townsquare.ai import build_chat_model
from townsquare.ai.chat import ChatChunk, ChatModel, ChatRequest
from townsquare.settings import Settings
from townsquare.tasks.constraints import violations
from townsquare.tasks.planner import (
    PlanProblem,
    PlanResult,
    SearchBudget,
    single_pass,
    tree_search,
)


@dataclass(frozen=True)
class Task:
    problem: PlanProblem  # with the limits as constraints
    best: str  # the best-rated venue that keeps to them


def make_task(rng: random.Random) -> Task:
    max_price, min_seats = rng.choice((400, 500, 600)), rng.choice((30, 40, 50))
    options = [
        {"name": f"venue-{i}", "price_eur": rng.randrange(200, 900, 10),
         "capacity": rng.randrange(20, 120, 5), "rating": round(rng.uniform(2, 5), 1)}
        for i in range(6)
    ]  # fmt: skip
    limits = {"price_eur": {"max": max_price}, "capacity": {"min": min_seats}}
    fits = [o for o in options if not violations(o, limits)]
    if len(fits) < 2 or len(fits) == len(options):  # a real choice, with something to rule out
        return make_task(rng)
    goal = f"Choose the best-rated venue with price_eur <= {max_price} and capacity >= {min_seats}."
    problem = PlanProblem(goal, ("choose", "finish"), options, constraints=limits)
    return Task(problem, str(max(fits, key=lambda o: o["rating"])["name"]))


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
        price, seats = (int(n) for n in re.findall(r"(?:<=|>=) (\d+)", prompt)[:2])
        feasible = option["price_eur"] <= price and option["capacity"] >= seats
        if self.rng.random() > self.judge_accuracy:
            feasible = not feasible
        score = min(1.0, max(0.0, option["rating"] / 5 + self.rng.gauss(0, self.noise)))
        return {"feasible": feasible, "score": score, "reason": "simulated"}


Planner = Callable[[ChatModel, PlanProblem, SearchBudget], PlanResult]
METHODS: dict[str, tuple[Planner, bool]] = {  # name -> (planner, constraints checked in code)
    "single": (single_pass, True),
    "tree, model judges": (tree_search, False),
    "tree, code checks": (tree_search, True),
}


def run(model_for: Callable[[int], ChatModel], n_tasks: int, budget: SearchBudget) -> None:
    rng = random.Random(2026)
    tasks = [make_task(rng) for _ in range(n_tasks)]
    print("| method | success | chose a venue that fits | model calls (mean) | s / task |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for method, (plan, checked) in METHODS.items():
        wins = fits = calls = 0
        started = time.perf_counter()
        for t, task in enumerate(tasks):
            problem = task.problem if checked else replace(task.problem, constraints={})
            result = plan(model_for(t), problem, budget)
            picked = [a["args"].get("option") for a in result.actions if a["name"] == "choose"]
            options = {str(o["name"]): o for o in problem.options}
            limits = task.problem.constraints
            wins += picked == [task.best]
            fits += len(picked) == 1 and not violations(options.get(picked[0], {}), limits)
            calls += result.model_calls
        seconds = (time.perf_counter() - started) / n_tasks
        print(f"| {method} | {wins / n_tasks:.0%} | {fits / n_tasks:.0%} | "
              f"{calls / n_tasks:.1f} | {seconds:.1f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", choices=("embedded", "simulated"), default="embedded")
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--calls", type=int, default=10, help="model calls per plan, at most")
    parser.add_argument("--branching", type=int, default=6)
    args = parser.parse_args()
    budget = SearchBudget(
        model_calls=args.calls, seconds=600, branching=args.branching, max_depth=2
    )
    if args.model == "embedded":
        chat = build_chat_model(Settings(data_dir=Path(tempfile.mkdtemp(prefix="bench-plan-"))))
        model_for: Callable[[int], ChatModel] = lambda _: chat  # noqa: E731
    else:
        model_for = SimulatedPlanner
    load = os.getloadavg()[0]
    print(f"# planning bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, model {args.model}, "
          f"{args.tasks} tasks, {args.calls} calls, branching {args.branching}, "
          f"load {load:.1f} on {os.cpu_count()} cores")  # fmt: skip
    run(model_for, args.tasks, budget)
    print(f"# load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
