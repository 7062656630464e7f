"""Feed training throughput from a community's event log with 1 and 2 `torchrun` processes.

    python -m bench.feed_ddp --database-url postgresql+psycopg://.../townsquare_scale7 \\
        --processes 1 2 --steps 40 --out runs/feed_ddp

First the log is read once, as `townsquare feed train` reads it (`feed.training.pipeline.
platform_data`: the item catalog, then every event folded into encounters), timed, and the
training split is saved to `<out>/data.pkl`. Then, for each process count W, `torchrun
--standalone --nproc_per_node W -m bench.feed_ddp --worker ...` (run as `python -m
torch.distributed.run`) trains the platform preset's model on it for `--steps` DDP steps per
process (gloo, 2 / W torch threads each, so every configuration has the machine's 2 cores),
after `--warmup` untimed steps. Rank 0 writes each step's loss to `<out>/w<W>.json` and draws
`<out>/loss_w<W>.png` as it trains. Sequences/s counts every rank's batches; CPU is the
processes' own (user + system). Sampled softmax (`--negatives`): the preset's full softmax over
a catalog of a million items does not fit in memory (batch x length x items logits).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from rich.console import Console

from townsquare.db import Database
from townsquare.feed.histories import PlatformOptions
from townsquare.feed.sequences import leave_one_out
from townsquare.feed.training.distributed import distributed_from_env
from townsquare.feed.training.pipeline import PLATFORM_PRESET, platform_data
from townsquare.feed.training.train import Trainer

console = Console()


def read_log(url: str, out: Path) -> dict[str, float]:
    """Reads the log as training does, saves the training split; what it cost."""
    began, cpu = time.perf_counter(), time.process_time()
    database = Database(url)
    try:
        data = platform_data(database, PlatformOptions(), embedder=None)
    finally:
        database.dispose()
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    sequences = data.dataset.sequences
    with (out / "data.pkl").open("wb") as file:
        pickle.dump((leave_one_out(sequences).train, data.catalog), file)
    return {
        "events": float(data.through_event),
        "encounters": float(data.dataset.num_events),
        "members": float(len(sequences)),
        "items": float(sequences.num_items),
        "seconds": seconds,
        "cpu_s": cpu,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def plot_losses(losses: list[float], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4))
    axis.plot(range(1, len(losses) + 1), losses, color="tab:gray")
    axis.set_xlabel("step (after the warm-up)")
    axis.set_ylabel("train loss (rank 0's batch)")
    axis.set_title(title, fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def worker(args: argparse.Namespace) -> None:
    """One rank: trains `--steps` steps and, on rank 0, writes the figures and the curve."""
    rank, world_size = distributed_from_env()
    if world_size > 1:
        dist.init_process_group("gloo", rank=rank, world_size=world_size)
    with (args.out / "data.pkl").open("rb") as file:
        sequences, catalog = pickle.load(file)  # written by this bench
    preset = PLATFORM_PRESET
    config = replace(
        preset,
        model=replace(preset.model, num_items=sequences.num_items),
        negatives=args.negatives,
        batch_size=args.batch_size,
        num_threads=max(1, 2 // world_size),
        progress=False,
    ).for_this_cpu()
    torch.set_num_threads(config.num_threads)
    trainer = Trainer(config, sequences, rank=rank, world_size=world_size, catalog=catalog)
    batches = trainer.batches.batches(0)
    if len(batches) < args.warmup + args.steps:
        raise SystemExit(f"{len(batches)} batches per process; fewer than warm-up + steps")
    for positions in batches[: args.warmup]:
        trainer.train_step(positions)
    losses: list[float] = []
    began = time.perf_counter()
    title = f"{world_size} process(es), {config.loss_dtype} loss, batch {args.batch_size}"
    for step, positions in enumerate(batches[args.warmup : args.warmup + args.steps], 1):
        losses.append(trainer.train_step(positions))
        if rank == 0 and (step % 10 == 0 or step == args.steps):
            plot_losses(losses, args.out / f"loss_w{world_size}.png", title)
    seconds = time.perf_counter() - began
    if rank == 0:
        figures = {
            "processes": world_size,
            "steps": args.steps,
            "batch_size": args.batch_size,
            "seconds": seconds,
            "sequences_per_s": args.steps * args.batch_size * world_size / seconds,
            "loss_dtype": config.loss_dtype,
            "threads_per_process": config.num_threads,
            "parameters": sum(p.numel() for p in trainer.model.parameters()),
            "losses": losses,
        }
        (args.out / f"w{world_size}.json").write_text(json.dumps(figures))
    if world_size > 1:
        dist.destroy_process_group()


def run(processes: int, args: argparse.Namespace) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    command += [f"--nproc_per_node={processes}", "-m", "bench.feed_ddp", "--worker"]
    command += ["--out", str(args.out), "--steps", str(args.steps), "--warmup", str(args.warmup)]
    command += ["--batch-size", str(args.batch_size), "--negatives", str(args.negatives)]
    began = time.perf_counter()
    subprocess.run(command, check=True, timeout=args.timeout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures: dict[str, Any] = json.loads((args.out / f"w{processes}.json").read_text())
    figures["wall_s"] = time.perf_counter() - began
    figures["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="the community's database (bench.synth)")
    parser.add_argument("--out", type=Path, default=Path("runs/feed_ddp"))
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--steps", type=int, default=40, help="timed steps per process")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--batch-size", type=int, default=16, help="members per step, per process")
    parser.add_argument("--negatives", type=int, default=512, help="sampled negatives")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per configuration")
    parser.add_argument("--reuse", action="store_true", help="train on <out>/data.pkl as it is")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    console.print(f"load average before: {os.getloadavg()}")
    if not args.reuse:
        if not args.database_url:
            parser.error("--database-url is needed to read the log (or --reuse)")
        read = read_log(args.database_url, args.out)
        console.print(
            f"read {read['events']:,.0f} events -> {read['encounters']:,.0f} encounters of "
            f"{read['members']:,.0f} members over {read['items']:,.0f} items in "
            f"{read['seconds']:.1f} s ({read['cpu_s']:.1f} s CPU, peak RSS "
            f"{read['peak_rss_mib']:,.0f} MiB); load average {os.getloadavg()}"
        )
    console.print("| processes | sequences/s | ratio | s/step | CPU s | loss dtype | load |")
    console.print("| --- | --- | --- | --- | --- | --- | --- |")
    first: float | None = None
    for processes in args.processes:
        got = run(processes, args)
        first = first or got["sequences_per_s"]
        console.print(
            f"| {processes} | {got['sequences_per_s']:.1f} | {got['sequences_per_s'] / first:.2f} "
            f"| {got['seconds'] / got['steps']:.2f} | {got['cpu_s']:.0f} | {got['loss_dtype']} "
            f"| {os.getloadavg()[0]:.1f} |"
        )


if __name__ == "__main__":
    main()
