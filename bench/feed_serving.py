"""Feed model speed: ranking candidates, full-catalog retrieval, and training throughput.

    python bench/feed_serving.py --threads 2

Untrained weights (speed does not depend on them), synthetic histories, batch of one member for
serving, as `GET /feed` runs it. Each figure is the median of `--repeats` runs after a warm-up.

* rank: one pass of `HSTU.rank` scoring C candidates against a history of H events (the fast
  path: candidates attend to the history's keys, C·H, not (H + C)²), against C and H;
* reference: the per-candidate definition (`rank_reference`) for the same inputs, at small C,
  to show what the one-pass path saves;
* retrieval: the member's query against a precomputed (N, D) item table, top 200, against N;
  and the one-off cost of building that table;
* training: sequences per second through forward + backward + AdamW, Beauty-sized
  (12,101 items, full softmax), with and without the ranking heads and bfloat16 products.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads OpenMP (see beauty.py)

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import torch

from townsquare.feed.batch import Candidates, SequentialFeatures, training_batch
from townsquare.feed.items import ids_only
from townsquare.feed.model import HSTU, HSTUConfig, rank_reference
from townsquare.feed.sequences import Sequences
from townsquare.feed.training.losses import TrainingObjective
from townsquare.feed.vocabulary import ACTIONS, action_bit

EVENT_BITS = [action_bit(a) for a in ACTIONS if a not in ("pad", "candidate")]


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _median_ms(run: Callable[[], object], repeats: int) -> float:
    run()  # warm-up: allocations, lazy init
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def _history(length: int, num_items: int, generator: torch.Generator) -> SequentialFeatures:
    items = torch.randint(1, num_items + 1, (1, length), generator=generator)
    actions = torch.tensor(EVENT_BITS)[torch.randint(0, len(EVENT_BITS), (1, length))]
    times = torch.arange(length)[None] * 600 + 1_700_000_000
    return SequentialFeatures(ids_only(items), actions, times, torch.tensor([length]))


def _candidates(count: int, length: int, num_items: int, generator: torch.Generator) -> Candidates:
    items = torch.randint(1, num_items + 1, (1, count), generator=generator)
    return Candidates(
        items=ids_only(items),
        timestamps=torch.full((1, count), 1_800_000_000),
        visible=torch.full((1, count), length),
    )


def bench_rank(model: HSTU, repeats: int) -> None:
    generator = torch.Generator().manual_seed(0)
    print("\n| candidates C | history H | rank (ms) |")
    print("| --- | --- | --- |")
    for length in (50, 200):
        for count in (100, 1000, 4000):
            features = _history(length, model.num_items, generator)
            candidates = _candidates(count, length, model.num_items, generator)
            with torch.no_grad():
                ms = _median_ms(partial(model.rank, features, candidates), repeats)
            print(f"| {count} | {length} | {ms:.1f} |", flush=True)
    print("\n| candidates C | history H | one pass (ms) | one pass per candidate (ms) |")
    print("| --- | --- | --- | --- |")
    for count in (10, 50):
        features = _history(200, model.num_items, generator)
        candidates = _candidates(count, 200, model.num_items, generator)
        with torch.no_grad():
            fast = _median_ms(partial(model.rank, features, candidates), repeats)
            slow = _median_ms(partial(rank_reference, model, features, candidates), 1)
        print(f"| {count} | 200 | {fast:.1f} | {slow:.0f} |", flush=True)


def _top(table: torch.Tensor, query: torch.Tensor, k: int) -> torch.Tensor:
    return (table @ query).topk(k).indices  # (k,)


def bench_retrieval(dim: int, repeats: int) -> None:
    print("\n| catalog N | build table (s) | top-200 retrieval (ms) |")
    print("| --- | --- | --- |")
    for size in (10_000, 100_000, 1_000_000):
        torch.manual_seed(0)
        model = HSTU(HSTUConfig(num_items=size, dim=dim, max_len=200)).eval()
        started = time.perf_counter()
        with torch.no_grad():
            table = model.item_table()  # (N+1, D)
        build = time.perf_counter() - started
        features = _history(200, size, torch.Generator().manual_seed(1))
        with torch.no_grad():
            query = model.last_query(features)[0]  # (D,)
        ms = _median_ms(partial(_top, table, query, 200), repeats)
        print(f"| {size:,} | {build:.2f} | {ms:.1f} |", flush=True)


def bench_training(steps: int) -> None:
    num_items, users, max_len, batch_size = 12_101, 4096, 50, 128
    rng = np.random.default_rng(0)
    lengths = rng.integers(5, 60, size=users)
    sequences = Sequences(
        items=[rng.integers(1, num_items + 1, size=n) for n in lengths],
        actions=[np.full(n, action_bit("interact"), dtype=np.int64) for n in lengths],
        times=[np.arange(n, dtype=np.int64) * 86_400 for n in lengths],
        num_items=num_items,
    )
    print("\n| objective | sequences/s | steps |")
    print("| --- | --- | --- |")
    runs = (
        ("retrieval (full softmax)", 0.0, torch.float32),
        ("retrieval, bfloat16 products", 0.0, torch.bfloat16),
        ("+ ranking heads", 1.0, torch.float32),
    )
    for name, ranking_weight, dtype in runs:
        torch.manual_seed(0)
        model = HSTU(HSTUConfig(num_items=num_items, max_len=max_len))
        objective = TrainingObjective(model, ranking_weight=ranking_weight, dtype=dtype)
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
        seen, elapsed = 0, 0.0
        for step in range(steps + 1):
            rows = rng.integers(0, users, size=batch_size).tolist()
            started = time.perf_counter()
            batch = training_batch(sequences, rows, max_len, with_candidates=ranking_weight > 0)
            loss = objective(batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if step:  # the first step is a warm-up
                elapsed += time.perf_counter() - started
                seen += batch_size
        print(f"| {name} | {seen / elapsed:.0f} | {steps} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per figure")
    parser.add_argument("--train-steps", type=int, default=20, help="timed training steps")
    parser.add_argument("--dim", type=int, default=64, help="model width D")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"machine: {_cpu_model()}, {args.threads} threads, torch {torch.__version__}")
    torch.manual_seed(0)
    model = HSTU(HSTUConfig(num_items=12_101, dim=args.dim, max_len=200)).eval()
    bench_rank(model, args.repeats)
    bench_retrieval(args.dim, args.repeats)
    bench_training(args.train_steps)


if __name__ == "__main__":
    main()
