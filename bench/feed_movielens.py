"""The ranking heads on MovieLens-100K, and cold start: items held out of training entirely.

    python bench/feed_movielens.py --data ../shared/data/ml-100k --embedder minilm

A rating of 4 or 5 is a "like" (every rating is an "interact"). A random `--cold-share` of the
movies is removed from every training history, so the model never sees their ids; at test time
they are in the catalog with id 0, known only by the text of their title, year and genres (the
way a post published after the last training run is). Training selects the epoch on validation
NDCG@10 (of the warm data) as `feed train` does.

Test: each member's last rating, after their whole history (cold movies included, by text):
  * per head, AUC and log-loss, on all test events and split by warm/cold target movie;
  * retrieval HR@10 / NDCG@10 with full ranking over all movies, warm and cold targets, and the
    median rank of the target (chance: half the catalog).
Only "like" (and "open", which a like implies) have positives here: MovieLens has no hides,
shares or follows, so those heads print "-".
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads OpenMP (see beauty.py)

import argparse
import json
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from townsquare.ai.embeddings import Embedder
from townsquare.ai.fake import FakeEmbedder
from townsquare.feed.items import ItemFeatures
from townsquare.feed.model import HSTU, HSTUConfig
from townsquare.feed.sequences import Dataset, HeldOut, leave_one_out
from townsquare.feed.training.config import TrainConfig
from townsquare.feed.training.evaluate import evaluate, evaluate_heads, held_out_ranks
from townsquare.feed.training.pipeline import RunData, benchmark_data
from townsquare.feed.training.train import train
from townsquare.settings import Settings

MODEL = HSTUConfig(max_len=50, dim=64, dropout=0.2, id_dropout=0.2)
SETTINGS = TrainConfig(
    data_format="recbole",
    model=MODEL,
    epochs=60,
    batch_size=128,
    lr=2e-3,
    ranking_weight=1.0,
    patience=10,  # validation NDCG plateaus for ~10 epochs before the model passes popularity
)


def _embedder(name: str) -> Embedder:
    if name == "fake":
        return FakeEmbedder(dimension=64)
    from townsquare.ai import build_embedder

    return build_embedder(Settings())


def _without(dataset: Dataset, cold: set[int]) -> Dataset:
    """The same users and vocabulary, with every event on a cold item removed."""
    keep = [np.isin(row, list(cold), invert=True) for row in dataset.sequences.items]
    s = dataset.sequences
    sequences = replace(
        s,
        items=[row[k] for row, k in zip(s.items, keep, strict=True)],
        actions=[row[k] for row, k in zip(s.actions, keep, strict=True)],
        times=[row[k] for row, k in zip(s.times, keep, strict=True)],
    )
    return replace(dataset, sequences=sequences)


def _split(held_out: HeldOut, cold: set[int]) -> dict[str, HeldOut]:
    is_cold = np.isin(held_out.targets, list(cold))
    return {
        "all": held_out,
        "warm": HeldOut(held_out.events.subset(np.flatnonzero(~is_cold))),
        "cold": HeldOut(held_out.events.subset(np.flatnonzero(is_cold))),
    }


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/ml-100k", help="RecBole ml-100k folder")
    parser.add_argument("--embedder", choices=["minilm", "fake"], default="minilm")
    parser.add_argument("--cold-share", type=float, default=0.1, help="movies held out")
    parser.add_argument("--epochs", type=int, default=SETTINGS.epochs, help="upper bound")
    parser.add_argument("--threads", type=int, default=2, help="torch threads")
    parser.add_argument("--out", default="runs/movielens", help="checkpoints and results.json")
    parser.add_argument("--seed", type=int, default=0, help="cold items, init and batches")
    parser.add_argument(
        "--id-dropout", type=float, default=0.2, help="share of ids hidden in training"
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    started = time.perf_counter()
    embedder = _embedder(args.embedder)
    data: RunData = benchmark_data(Path(args.data), "recbole", min_count=5, embedder=embedder)
    assert data.catalog is not None
    num_items = data.dataset.sequences.num_items
    rng = np.random.default_rng(args.seed)
    cold = set(rng.choice(np.arange(1, num_items + 1), round(args.cold_share * num_items), False))
    ids = data.catalog.ids.clone()
    ids[list(cold)] = 0  # the model's table never learns them: text only
    catalog = ItemFeatures(ids=ids, text=data.catalog.text)
    embedded_s = time.perf_counter() - started
    print(
        f"{data.dataset.num_events} ratings, {len(data.dataset.sequences)} users, {num_items} "
        f"movies ({len(cold)} cold); text by {data.embedder} in {embedded_s:.0f} s"
    )

    model_config = replace(
        MODEL, num_items=num_items, text_dim=data.text_dim, id_dropout=args.id_dropout
    )
    config = replace(
        SETTINGS,
        data=args.data,
        epochs=args.epochs,
        num_threads=args.threads,
        seed=args.seed,
        out_dir=str(Path(args.out) / "hstu"),
        model=model_config,
    )
    result = train(config, dataset=_without(data.dataset, cold), catalog=catalog)
    model = HSTU(model_config)
    model.load_state_dict(torch.load(Path(config.out_dir) / "final.pt")["model"])

    test = leave_one_out(data.dataset.sequences).test
    max_len = model_config.max_len
    figures: dict[str, Any] = {}
    for name, held_out in _split(test, cold).items():
        ranks = held_out_ranks(model, held_out, max_len=max_len, catalog=catalog)
        figures[name] = {
            "events": len(held_out.targets),
            "median_rank": float(ranks.double().median()) + 1 if len(ranks) else None,
            "retrieval": evaluate(model, held_out, max_len=max_len, catalog=catalog),
            "heads": evaluate_heads(model, held_out, max_len=max_len, catalog=catalog),
        }

    print(
        f"\ntrained {result.best_epoch} epochs (chosen on validation), {result.seconds:.0f} s, "
        f"{result.sequences_per_s:.0f} sequences/s"
    )
    print(
        f"\n| test events | n | like AUC | like log-loss | open AUC | HR@10 | NDCG@10 | "
        f"median rank of {num_items} |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, row in figures.items():
        like, opened = row["heads"]["like"], row["heads"]["open"]
        print(
            f"| {name} | {row['events']} | {_fmt(like['auc'])} | {_fmt(like['log_loss'])} | "
            f"{_fmt(opened['auc'])} | {row['retrieval']['hr@10']:.4f} | "
            f"{row['retrieval']['ndcg@10']:.4f} | {_fmt(row['median_rank'])} |"
        )
    summary = {"figures": figures, "config": asdict(config), "cold_items": len(cold)}
    summary |= {"seconds": result.seconds, "best_epoch": result.best_epoch}
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "results.json").write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
