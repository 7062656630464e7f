"""The served feed in one process, without HTTP: the first page, then CPU and wall time per page
for members drawn from a community, with the heuristic or with a trained HSTU model.

    python -m bench.feed_pages --database-url postgresql+psycopg://.../<a bench.synth community> \
        [--train-url postgresql+psycopg://.../<a smaller community>]

With `--train-url`, a small HSTU model is first trained on that community's log (text vectors by
the configured embedder, MiniLM by default) and published in a scratch data directory, then
serves the pages: items it was not trained on are ranked by their side features (text, kind,
author, age), as a new post would be. The figures are this process's own CPU (the database's is
not counted) and its resident set after the pages.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil
from rich.console import Console
from rich.progress import track
from sqlalchemy import select

from townsquare.ai import build_embedder
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.feed.histories import PlatformOptions
from townsquare.feed.model import HSTUConfig
from townsquare.feed.serving.service import FeedService
from townsquare.feed.training.config import TrainConfig
from townsquare.feed.training.pipeline import platform_data, train_on_platform
from townsquare.settings import Settings

console = Console()
SMALL = TrainConfig(
    model=HSTUConfig(max_len=64, dim=32, num_heads=2, dropout=0.0),
    epochs=1,
    batch_size=64,
    lr=0.01,
    ranking_weight=1.0,
    progress=True,
    num_threads=1,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--train-url", help="train a small model on this community first")
    parser.add_argument("--pages", type=int, default=30, help="timed pages, one member each")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    embedder = build_embedder(Settings())
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        if args.train_url:
            began = time.perf_counter()
            trained_on = Database(args.train_url)
            options = PlatformOptions()
            data = platform_data(trained_on, options, embedder=embedder)
            train_on_platform(data, data_dir, SMALL, options, run_name="bench")
            trained_on.dispose()
            console.print(f"trained a small model in {time.perf_counter() - began:.0f} s")
        database = Database(args.database_url)
        service = FeedService(data_dir, lambda: embedder)
        with database.session() as session:
            people = list(session.scalars(select(Account.id).where(Account.kind == "person")))
        members = random.Random(args.seed).sample(people, args.pages + 1)
        process = psutil.Process()
        walls, cpus, ranking = [], [], ""
        for number, member in enumerate(track(members, description="pages", console=console)):
            cpu, wall = time.process_time(), time.perf_counter()
            with database.session() as session:
                page = service.page(session, member)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            ranking = page.ranking
            if number == 0:
                console.print(f"first page: {walls[0] * 1000:.0f} ms, CPU {cpus[0] * 1000:.0f} ms")
        database.dispose()
    p50, p95 = np.percentile(walls[1:], [50, 95]) * 1000
    console.print(f"{os.cpu_count()} CPUs, load average after: {os.getloadavg()}")
    console.print("| ranking | pages | p50 ms | p95 ms | CPU ms / page (mean) | RSS MiB |")
    console.print("| --- | ---: | ---: | ---: | ---: | ---: |")
    console.print(
        f"| {ranking} | {len(walls) - 1} | {p50:.0f} | {p95:.0f} | "
        f"{np.mean(cpus[1:]) * 1000:.0f} | {process.memory_info().rss / 2**20:.0f} |"
    )


if __name__ == "__main__":
    main()
