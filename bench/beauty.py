"""Amazon Beauty 5-core: HSTU (ours) against our SASRec, same pipeline, loss and protocol.

    python bench/beauty.py --data ../shared/data/amazon-beauty.txt

Protocol (../shared/README.md): leave-one-out, full ranking over all 12,101 items, history items
not removed from the ranking (the filtered figures are printed too), HR@5/10 and NDCG@5/10 on the
test item of the epoch chosen on validation NDCG@10. Figures and settings of the last full run are
in docs/benchmarks.md ("Feed model"); the target there is NDCG@10 >= 0.055 and HR@10 >= 0.095.
"""

from __future__ import annotations

import os

# Before torch loads OpenMP: idle threads sleep instead of spinning, which on a shared 2-core
# machine keeps one busy neighbour from slowing every parallel kernel many times over.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import platform
from dataclasses import asdict, replace
from pathlib import Path

import torch

from townsquare.feed.model import HSTUConfig
from townsquare.feed.training.baseline_sasrec import SASRecConfig
from townsquare.feed.training.config import TrainConfig
from townsquare.feed.training.train import TrainResult, train

# Both models: width 128 with dropout 0.5 (Beauty is sparse: 8.9 events a user), a learned repeat
# bias, the learning rate halved at each evaluation without progress, 3 of them and selection
# stops, the weights averaged over the last 3 epochs, then the chosen epoch count refit on train +
# validation events. The full softmax's products take bfloat16 operands where the CPU has
# AVX512-BF16 or AMX (half the loss's time, as this benchmark's machine has) and float32
# elsewhere (emulated bfloat16 is many times slower): loss_dtype "auto", the default.
RECIPE = TrainConfig(lr_decay=0.5, patience=3, average_epochs=3, final_fit=True)
HSTU_SETTINGS = replace(RECIPE, model=HSTUConfig(dim=128, dropout=0.5))
SASREC_SETTINGS = replace(RECIPE, model=SASRecConfig(dim=128, dropout=0.5))


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _row(name: str, result: TrainResult) -> str:
    t, filtered = result.test, result.test_filtered["ndcg@10"]
    figures = f"{t['hr@5']:.4f} | {t['hr@10']:.4f} | {t['ndcg@5']:.4f} | {t['ndcg@10']:.4f}"
    return (
        f"| {name} | {figures} | {filtered:.4f} | {result.best_epoch} | {result.seconds / 60:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/amazon-beauty.txt", help="user item file")
    parser.add_argument("--out", default="runs/beauty", help="checkpoints, curves and results")
    parser.add_argument("--threads", type=int, default=2, help="torch threads per model")
    parser.add_argument(
        "--budget-minutes",
        type=float,
        default=0.0,
        help="cap on each model's whole run: selection stops past half of it, then the final fit",
    )
    parser.add_argument("--epochs", type=int, default=0, help="override the epoch bound")
    parser.add_argument("--only", choices=["hstu", "sasrec"], help="train one model")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    results: dict[str, TrainResult] = {}
    for name, settings in (("hstu", HSTU_SETTINGS), ("sasrec", SASREC_SETTINGS)):
        if args.only and args.only != name:
            continue
        config = replace(
            settings,
            data=args.data,
            out_dir=str(Path(args.out) / name),
            num_threads=args.threads,
            time_budget_s=args.budget_minutes * 60,
            epochs=args.epochs or settings.epochs,
        )
        print(f"training {name}: {json.dumps(asdict(config))}", flush=True)
        results[name] = train(config)
        print(_row(name, results[name]), flush=True)

    print(
        f"\nmachine: {_cpu_model()}, {torch.get_num_threads()} threads, torch {torch.__version__}"
    )
    print("| model | HR@5 | HR@10 | NDCG@5 | NDCG@10 | NDCG@10 filtered | epoch | minutes |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, result in results.items():
        print(_row(name, result))
    if len(results) == 2:
        hstu, sasrec = results["hstu"].test, results["sasrec"].test
        ratios = {k: hstu[k] / sasrec[k] for k in ("hr@10", "ndcg@10")}
        print(f"HSTU / SASRec: HR@10 x{ratios['hr@10']:.2f}, NDCG@10 x{ratios['ndcg@10']:.2f}")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    summary = {
        name: {"test": r.test, "test_filtered": r.test_filtered, "valid": r.valid}
        | {"best_epoch": r.best_epoch, "seconds": r.seconds, "config": asdict(r.config)}
        for name, r in results.items()
    }
    (Path(args.out) / "results.json").write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
