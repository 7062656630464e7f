"""Training and evaluation runs end to end: from the platform's database or a benchmark file to a
checkpointed (and, for the platform, published) model, and back to figures.

This is what `townsquare feed train/eval` and a scheduled retraining call; `feed.training.train`
knows nothing about databases, embedders or where runs live.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from sqlalchemy import func, select

from townsquare.ai.embeddings import Embedder
from townsquare.db import Database
from townsquare.db.models import Event
from townsquare.feed.catalog import PlatformCatalog
from townsquare.feed.histories import PlatformOptions, platform_dataset
from townsquare.feed.items import ItemFeatures
from townsquare.feed.model import HSTU, HSTUConfig
from townsquare.feed.runs import RUNS, feed_dir, publish
from townsquare.feed.sequences import Dataset, leave_one_out
from townsquare.feed.training.baseline_sasrec import SASRecConfig
from townsquare.feed.training.checkpoint import load_checkpoint, load_item_tokens
from townsquare.feed.training.config import TrainConfig
from townsquare.feed.training.data import DataFormat, load_dataset
from townsquare.feed.training.evaluate import evaluate, evaluate_heads
from townsquare.feed.training.train import TrainResult, build_model, train

# Settings for a community's own log: few members, long histories of mostly impressions, ranking
# heads that matter as much as retrieval, and new posts every day (id dropout teaches the model
# to rank an item it has no id for). Benchmarks use TrainConfig's defaults.
PLATFORM_PRESET = TrainConfig(
    model=HSTUConfig(max_len=100, dim=64, num_layers=2, num_heads=2, dropout=0.2, id_dropout=0.1),
    epochs=60,
    batch_size=16,
    lr=3e-3,
    ranking_weight=1.0,
    patience=10,
)


@dataclass(frozen=True)
class RunData:
    """What a run trains or is evaluated on."""

    dataset: Dataset
    catalog: ItemFeatures | None  # (N+1,) side features by item id; None = ids only
    embedder: str  # name of the embedder behind the text vectors; "" = none
    through_event: int = 0  # platform: the newest event log id read (events after it are new)

    @property
    def text_dim(self) -> int:
        if self.catalog is None or self.catalog.text is None:
            return 0
        return int(self.catalog.text.shape[1])


def with_text(config: TrainConfig, data: RunData) -> TrainConfig:
    """The config with the model's text width set from the data's vectors."""
    model = config.model
    if isinstance(model, SASRecConfig):
        if data.text_dim:
            raise ValueError("the SASRec baseline reads item ids only; train it without text")
        return config
    return replace(config, model=replace(model, text_dim=data.text_dim))


def benchmark_data(
    path: Path, data_format: DataFormat, *, min_count: int, embedder: Embedder | None
) -> RunData:
    """A benchmark file or RecBole folder; item texts (RecBole `.item`) are embedded when an
    embedder is given, so the model can rank items by text too."""
    dataset = load_dataset(path, data_format, min_count=min_count)
    if embedder is None:
        return RunData(dataset, None, "")
    if dataset.item_texts is None:
        raise ValueError(f"{path} has no item texts to embed; train without text")
    vectors = torch.from_numpy(embedder.embed(list(dataset.item_texts), "query"))  # (N+1, E)
    vectors[0] = 0.0  # padding
    ids = torch.arange(len(dataset.item_tokens))
    return RunData(dataset, ItemFeatures(ids=ids, text=vectors), embedder.name)


def platform_data(
    database: Database, options: PlatformOptions, *, embedder: Embedder | None
) -> RunData:
    """Every member's encounters, over every post and account (text vectors when an embedder
    is given)."""
    catalog = PlatformCatalog()
    # It only reads (on SQLite: no write lock), and the texts are embedded after the transaction:
    # that takes minutes of CPU on a big community, while members go on posting.
    with database.session(writes=False) as session:
        catalog.refresh(session)
        through_event = session.scalar(select(func.max(Event.id))) or 0
        dataset = platform_dataset(session, catalog, options)
    if embedder is not None:
        catalog.embed_texts(embedder)
    name = "" if embedder is None else embedder.name
    return RunData(dataset, catalog.features(), name, through_event=through_event)


def new_run_name(rank: int = 0, world_size: int = 1) -> str:
    """A timestamp that sorts in training order; under DDP, rank 0's (all ranks share it)."""
    name = [datetime.now(UTC).strftime("%Y%m%d-%H%M%S")]
    if world_size > 1:
        if not dist.is_initialized():
            dist.init_process_group("gloo", rank=rank, world_size=world_size)
        dist.broadcast_object_list(name, src=0)
    return name[0]


def latest_unfinished_run(data_dir: Path) -> str | None:
    """The newest platform run that saved a resumable state but never finished."""
    runs = feed_dir(data_dir) / RUNS
    unfinished = (
        [
            run.name
            for run in runs.iterdir()
            if (run / "last.json").exists() and not (run / "final.json").exists()
        ]
        if runs.exists()
        else []
    )
    return max(unfinished, default=None)


def train_on_platform(
    data: RunData,
    data_dir: Path,
    config: TrainConfig,
    options: PlatformOptions,
    *,
    run_name: str,
    rank: int = 0,
    world_size: int = 1,
) -> tuple[TrainResult, Path]:
    """Trains on the platform's events into `<data_dir>/feed/runs/<run_name>` and, when it
    finishes, makes it the served model (rank 0 publishes)."""
    root = feed_dir(data_dir)
    run = root / RUNS / run_name
    config = replace(with_text(config, data), data="platform", out_dir=str(run))
    meta: dict[str, Any] = {
        "embedder": data.embedder,
        "platform": {
            "options": dataclasses.asdict(options),
            "through_event": data.through_event,
        },
    }
    result = train(
        config,
        rank=rank,
        world_size=world_size,
        dataset=data.dataset,
        catalog=data.catalog,
        meta=meta,
    )
    if rank == 0:
        publish(root, run)
    return result, run


def train_on_benchmark(
    data: RunData, config: TrainConfig, run: Path, *, rank: int = 0, world_size: int = 1
) -> TrainResult:
    """Trains on a benchmark (`config.data`) into the folder `run`; nothing is published."""
    config = replace(with_text(config, data), out_dir=str(run))
    return train(
        config,
        rank=rank,
        world_size=world_size,
        dataset=data.dataset,
        catalog=data.catalog,
        meta={"embedder": data.embedder},
    )


def evaluate_run(run: Path, data: RunData) -> dict[str, Any]:
    """Test figures of a finished run on `data`, split as in training: retrieval HR@K/NDCG@K
    with full ranking (and without the history) and, for HSTU, each head's AUC and log-loss.

    `data` is indexed as the run's own vocabulary when it was built from the same source; for
    the platform, rows are the current catalog's and the run's ids are mapped onto them, so
    items published since training are ranked from their features (cold start)."""
    saved = load_checkpoint(run / "final")
    config = TrainConfig.from_dict(saved.meta["config"])
    model = build_model(config.model)
    model.load_state_dict(saved.model)
    if saved.meta.get("embedder", "") != data.embedder:
        raise ValueError(
            f"{run} reads {saved.meta.get('embedder') or 'no'} text vectors; "
            f"the data was embedded with {data.embedder or 'nothing'}"
        )
    catalog = data.catalog
    if catalog is not None and "platform" in saved.meta:
        tokens = load_item_tokens(run)
        vocabulary = {token: index for index, token in enumerate(tokens) if index}
        ids = torch.tensor([vocabulary.get(token, 0) for token in data.dataset.item_tokens])
        authors = None if catalog.authors is None else ids[catalog.authors]
        catalog = replace(catalog, ids=ids, authors=authors)
    held_out = leave_one_out(data.dataset.sequences).test
    max_len = config.model.max_len
    figures: dict[str, Any] = {
        "test": evaluate(model, held_out, max_len=max_len, catalog=catalog),
        "test_filtered": evaluate(
            model, held_out, max_len=max_len, catalog=catalog, exclude_history=True
        ),
        "users": len(held_out.targets),
        "engaged_users": len(held_out.engaged().targets),
    }
    if isinstance(model, HSTU):
        figures["heads"] = evaluate_heads(model, held_out, max_len=max_len, catalog=catalog)
    return figures
