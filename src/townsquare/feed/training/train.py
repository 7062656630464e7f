"""Training as a function: a `TrainConfig` in, a `TrainResult` (metrics, curves, checkpoint) out.

Model selection uses the validation item only: the epoch with the best validation NDCG@10 is the
one whose test figures are reported. With `lr_decay` below 1, every evaluation that does not beat
the best so far multiplies the learning rate by it. With `final_fit`, a fresh model is then trained
for exactly that many epochs, at the learning rates those epochs had, on the training events plus
each user's validation event (the history the test item follows), and that model is tested;
selection still never sees a test item. With `average_epochs` k above 1, the model evaluated,
chosen and tested is the mean of the weights at the end of the last k epochs (in the final fit
too), not the last epoch's own.

Under DDP (`world_size > 1`, gloo on CPU; `torchrun` sets the rank and world size, see
`feed.training.distributed`) every rank trains on its own share of the batches and rank 0
evaluates, writes checkpoints and decides when to stop; at the end every rank holds rank 0's
chosen weights and the ranks compare weight digests, so a silent divergence fails loudly.
"""

from __future__ import annotations

import copy
import time
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from rich.progress import Progress
from torch import Tensor, nn
from torch.nn.parallel import DistributedDataParallel

from townsquare.feed.batch import LengthBuckets, training_batch
from townsquare.feed.items import ItemFeatures
from townsquare.feed.model import HSTU
from townsquare.feed.recommender import SequenceRecommender
from townsquare.feed.sequences import Dataset, Sequences, leave_one_out
from townsquare.feed.training.baseline_sasrec import SASRec, SASRecConfig
from townsquare.feed.training.checkpoint import load_checkpoint, save_checkpoint, save_item_tokens
from townsquare.feed.training.config import ModelConfig, TrainConfig
from townsquare.feed.training.data import load_dataset
from townsquare.feed.training.distributed import (
    check_ranks_agree,
    from_lead,
    parameter_digest,
    shared_stop,
)
from townsquare.feed.training.evaluate import evaluate, evaluate_heads
from townsquare.feed.training.losses import TrainingObjective
from townsquare.feed.training.plot import plot_curves
from townsquare.feed.vocabulary import ENGAGED, REJECTED

SELECTION_METRIC = "ndcg@10"


@dataclass(frozen=True)
class TrainResult:
    best_epoch: int  # the epoch chosen on validation NDCG@10 (1-based)
    valid: dict[str, float]  # validation metrics at that epoch
    test: dict[str, float]  # test metrics, full ranking, history not filtered (the standard)
    test_filtered: dict[str, float]  # the same with the user's history removed from the ranking
    test_heads: dict[str, dict[str, float | None]]  # per head AUC and log-loss (HSTU with heads)
    history: list[dict[str, float]]  # one row per evaluation: epoch, loss, seconds, valid_*
    seconds: float  # wall time of the whole call: training, evaluation, final fit
    config: TrainConfig  # with num_items filled in from the data
    digest: str  # SHA-256 of the final weights: every DDP rank must report the same
    sequences_per_s: float  # training throughput: histories stepped through per second


def build_model(config: ModelConfig) -> SequenceRecommender:
    if isinstance(config, SASRecConfig):
        return SASRec(config)
    return HSTU(config)


class Trainer:
    """One model, its optimizer and its share of the batches, stepped an epoch at a time."""

    def __init__(
        self,
        config: TrainConfig,
        sequences: Sequences,
        *,
        rank: int,
        world_size: int,
        catalog: ItemFeatures | None,
    ) -> None:
        torch.manual_seed(config.seed)
        self.config = config
        self.sequences = sequences
        self.catalog = catalog
        self.model = build_model(config.model)
        targets = np.concatenate(
            [
                items[1:][((actions[1:] & ENGAGED) != 0) & ((actions[1:] & REJECTED) == 0)]
                for items, actions in zip(sequences.items, sequences.actions, strict=True)
            ]
        )  # every retrieval target of the training events
        popularity = torch.from_numpy(np.bincount(targets, minlength=config.model.num_items + 1))
        objective: nn.Module = TrainingObjective(
            self.model,
            negatives=config.negatives,
            ranking_weight=config.ranking_weight,
            popularity=popularity.double() / max(int(popularity.sum()), 1),
            dtype=getattr(torch, config.loss_dtype),
        )
        if world_size > 1:
            objective = DistributedDataParallel(objective, find_unused_parameters=True)
        self.objective = objective
        self.optimizer = torch.optim.AdamW(
            self.model.parameters(),
            lr=config.lr,
            betas=(0.9, config.adam_beta2),
            weight_decay=config.weight_decay,
        )
        trainable = np.flatnonzero(sequences.lengths >= 2)  # one event predicts nothing
        self.rows = trainable
        self.batches = LengthBuckets(
            sequences.lengths[trainable],
            config.batch_size,
            seed=config.seed,
            rank=rank,
            world_size=world_size,
        )
        self.show_progress = config.progress and rank == 0
        self.lrs: list[float] = []  # the learning rate of each epoch trained
        # weights at the end of the last epochs; stays empty when average_epochs is 1
        self.recent: deque[dict[str, Tensor]] = deque(maxlen=config.average_epochs)
        self._average: SequenceRecommender | None = None
        self.step = 0
        self.sequences_seen = 0
        self.training_seconds = 0.0

    @property
    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    def set_lr(self, lr: float) -> None:
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def averaged(self) -> SequenceRecommender:
        """The model to evaluate and keep: the mean of the weights at the end of the last
        `average_epochs` epochs, or the model itself when that is 1."""
        if not self.recent:
            return self.model
        if self._average is None:
            self._average = copy.deepcopy(self.model)
        self._average.load_state_dict(_mean_state(list(self.recent)))
        return self._average

    def train_step(self, positions: list[int]) -> float:
        """One optimizer step on the batch of `positions` (indexes into `rows`); its loss."""
        batch = training_batch(
            self.sequences,
            self.rows[positions].tolist(),
            self.config.model.max_len,
            with_candidates=self.config.ranking_weight > 0,
            catalog=self.catalog,
        )
        loss = self.objective(batch, self.catalog)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        self.step += 1
        self.sequences_seen += len(positions)
        return float(loss.item())

    def epoch(self, epoch: int) -> float:
        """Trains one epoch (0-based) and returns its mean loss on this rank."""
        torch.manual_seed(self.config.seed * 100_003 + epoch)  # dropout and negatives
        self.lrs.append(self.lr)
        self.model.train()
        total = 0.0
        batches = self.batches.batches(epoch)
        started = time.perf_counter()
        with Progress(disable=not self.show_progress, transient=True) as progress:
            task = progress.add_task(f"epoch {epoch + 1}", total=len(batches))
            for positions in batches:
                value = self.train_step(positions)
                total += value
                progress.update(task, advance=1, description=f"epoch {epoch + 1} loss {value:.3f}")
        self.training_seconds += time.perf_counter() - started
        if self.config.average_epochs > 1:
            self.recent.append({k: v.detach().clone() for k, v in self.model.state_dict().items()})
        return total / max(len(batches), 1)


def _mean_state(states: list[dict[str, Tensor]]) -> dict[str, Tensor]:
    """Element-wise mean of state dicts of one model (non-float entries: the last one's)."""
    last = states[-1]
    return {
        name: torch.stack([state[name] for state in states]).mean(dim=0)
        if value.is_floating_point()
        else value
        for name, value in last.items()
    }


def train(
    config: TrainConfig,
    *,
    rank: int = 0,
    world_size: int = 1,
    dataset: Dataset | None = None,
    catalog: ItemFeatures | None = None,
    meta: dict[str, Any] | None = None,
) -> TrainResult:
    """Trains, selects the epoch on validation NDCG@10, and reports test metrics (on rank 0).

    `dataset` replaces reading `config.data`; `catalog` (N+1,) holds the side features of each
    item id when the model reads more than ids. `meta` is added to every checkpoint's JSON (where
    the data came from, which text embedder made the vectors, ...). Under DDP the process group is
    started here (gloo) unless the caller did; the returned test figures are only meaningful on
    rank 0, and every rank checks that all ended with the same weights.
    """
    started = time.perf_counter()
    torch.set_num_threads(config.num_threads)
    if world_size > 1 and not dist.is_initialized():
        dist.init_process_group("gloo", rank=rank, world_size=world_size)
    if dataset is None:
        if not config.data:
            raise ValueError(
                "no training data: set TrainConfig.data to a `user item` file or a RecBole folder "
                "(`townsquare feed train --data PATH`), or pass a dataset"
            )
        dataset = load_dataset(Path(config.data), config.data_format, min_count=config.min_count)
    split = leave_one_out(dataset.sequences)
    config = replace(
        config.for_this_cpu(),
        model=replace(config.model, num_items=dataset.sequences.num_items),
    )
    out_dir = Path(config.out_dir) if config.out_dir else None
    lead = rank == 0
    max_len = config.model.max_len
    extra = dict(meta or {})
    if lead and out_dir is not None:
        save_item_tokens(out_dir, dataset.item_tokens)

    trainer = Trainer(config, split.train, rank=rank, world_size=world_size, catalog=catalog)
    selection_budget_s = config.time_budget_s / (2 if config.final_fit else 1)
    history: list[dict[str, float]] = []
    best: dict[str, Any] = {"epoch": 0, "valid": {SELECTION_METRIC: -1.0}, "waited": 0}
    best_state = copy.deepcopy(trainer.averaged().state_dict())
    first_epoch = 0
    if config.resume and out_dir is not None and (out_dir / "last.json").exists():
        saved = load_checkpoint(out_dir / "last")
        trainer.model.load_state_dict(saved.model)
        if saved.optimizer is not None:
            trainer.optimizer.load_state_dict(saved.optimizer)
        first_epoch, trainer.step = saved.meta["epoch"], saved.meta["step"]
        history, best = saved.meta["history"], saved.meta["best"]
        trainer.lrs = saved.meta.get("lrs", [config.lr] * first_epoch)
        trainer.recent.extend(saved.recent)
        if (out_dir / "best.json").exists():
            best_state = load_checkpoint(out_dir / "best").model

    for epoch in range(first_epoch, config.epochs):
        loss = trainer.epoch(epoch)
        done = epoch + 1
        stop = False
        if lead and (done % config.eval_every == 0 or done == config.epochs):
            kept = trainer.averaged()
            valid = evaluate(kept, split.valid, max_len=max_len, catalog=catalog)
            row = {"epoch": done, "step": trainer.step, "loss": loss, "lr": trainer.lrs[-1]}
            row |= {"seconds": time.perf_counter() - started}
            history.append(row | {f"valid_{k}": v for k, v in valid.items()})
            if valid[SELECTION_METRIC] > best["valid"][SELECTION_METRIC]:
                best = {"epoch": done, "valid": valid, "waited": 0}
                best_state = copy.deepcopy(kept.state_dict())
            else:
                best["waited"] += 1
                trainer.set_lr(trainer.lr * config.lr_decay)
            over_time = config.time_budget_s and time.perf_counter() - started > selection_budget_s
            stop = best["waited"] >= config.patience or bool(over_time)
            if out_dir is not None:
                state = {"config": config.to_dict(), "epoch": done, "step": trainer.step}
                state |= {"metrics": history[-1], "history": history, "best": best} | extra
                state["lrs"] = trainer.lrs
                if best["epoch"] == done:
                    save_checkpoint(out_dir / "best", kept, state)
                save_checkpoint(
                    out_dir / "last", trainer.model, state, trainer.optimizer, list(trainer.recent)
                )
                plot_curves(history, out_dir / "curves.png", title=_title(config))
        trainer.set_lr(from_lead(trainer.lr, world_size))  # only rank 0 knows if it decayed
        if shared_stop(stop, world_size):
            break

    best, best_state = from_lead((best, best_state), world_size)
    final = trainer.model
    final.load_state_dict(best_state)
    seen, seconds = trainer.sequences_seen, trainer.training_seconds
    if config.final_fit and best["epoch"] > 0:
        refit = Trainer(
            config, split.train_with_valid, rank=rank, world_size=world_size, catalog=catalog
        )
        for epoch, lr in enumerate(trainer.lrs[: best["epoch"]]):
            refit.set_lr(lr)
            refit.epoch(epoch)
        final = refit.averaged()
        seen, seconds = seen + refit.sequences_seen, seconds + refit.training_seconds
    digest = parameter_digest(final)
    check_ranks_agree(digest, world_size)
    test, test_filtered, test_heads = {}, {}, {}
    if lead:
        test = evaluate(final, split.test, max_len=max_len, catalog=catalog)
        test_filtered = evaluate(
            final, split.test, max_len=max_len, catalog=catalog, exclude_history=True
        )
        if isinstance(final, HSTU) and config.ranking_weight > 0:
            test_heads = evaluate_heads(final, split.test, max_len=max_len, catalog=catalog)
    result = TrainResult(
        best_epoch=best["epoch"],
        valid=best["valid"],
        test=test,
        test_filtered=test_filtered,
        test_heads=test_heads,
        history=history,
        seconds=time.perf_counter() - started,
        config=config,
        digest=digest,
        sequences_per_s=seen / seconds if seconds else 0.0,
    )
    if lead and out_dir is not None:
        state = {"config": config.to_dict(), "epoch": best["epoch"], "step": trainer.step}
        state |= {"digest": digest, "sequences_per_s": result.sequences_per_s} | extra
        state["metrics"] = {
            "valid": result.valid,
            "test": test,
            "test_filtered": test_filtered,
            "test_heads": test_heads,
        }
        save_checkpoint(out_dir / "final", final, state)
    return result


def _title(config: TrainConfig) -> str:
    model = config.model
    data = Path(config.data).name or "this instance's events"
    return f"{model.kind} D={model.dim} L={model.num_layers} on {data}"
