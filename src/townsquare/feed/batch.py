"""Typed batches: what the models read, and how histories are padded and grouped into them.

Rows are left-aligned and padded on the right, so event t of a row is at column t and a causal
model never needs a padding mask for its real positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from townsquare.feed.items import ItemFeatures, ids_only
from townsquare.feed.sequences import IntArray, Sequences
from townsquare.feed.vocabulary import ENGAGED, OBJECTIVE_MASKS, REJECTED


@dataclass(frozen=True)
class SequentialFeatures:
    """A batch of histories, the most recent `T` events of each user."""

    items: ItemFeatures  # (B, T) each event's item: id 0 = padding, or known only by features
    actions: Tensor  # (B, T) int64 action bitmask (feed.vocabulary); 0 = padding
    timestamps: Tensor  # (B, T) int64 unix seconds; 0 when unknown
    lengths: Tensor  # (B,) int64 real events per row, 1..T
    surfaces: Tensor | None = None  # (B, T) int64 feed.vocabulary.SURFACES index; None = unknown

    @property
    def item_ids(self) -> Tensor:  # (B, T) int64
        return self.items.ids

    @property
    def mask(self) -> Tensor:  # (B, T) bool, True on real events
        columns = torch.arange(self.item_ids.shape[1], device=self.item_ids.device)
        return columns[None, :] < self.lengths[:, None]


@dataclass(frozen=True)
class Candidates:
    """Items to score against a history: each attends to the history, never to the others."""

    items: ItemFeatures  # (B, C) id 0 for an item outside the id table, scored from its features
    timestamps: Tensor  # (B, C) int64 unix seconds the candidate is (or was) shown
    visible: Tensor  # (B, C) int64 history events each candidate may read (its first v events)
    surfaces: Tensor | None = None  # (B, C) int64 surface the candidate is shown on


@dataclass(frozen=True)
class TrainingBatch:
    """Every prefix of each history predicts the event that followed it."""

    features: SequentialFeatures  # events 0..L-2 of each row
    targets: Tensor  # (B, T) int64 item of event t+1; 0 where there is none
    engaged: Tensor  # (B, T) bool: event t+1 is a retrieval target (feed.vocabulary.is_engaged)
    candidates: Candidates | None = None  # the target events as ranking candidates
    labels: Tensor | None = None  # (B, T, H) float32 objective labels of each target event


_OBJECTIVE_MASKS = torch.tensor(OBJECTIVE_MASKS)  # (H,) int64


def objective_labels(actions: Tensor) -> Tensor:
    """(..., H) float32 multi-hot objective labels of events with action bitmasks (...)."""
    return ((actions[..., None] & _OBJECTIVE_MASKS) != 0).float()


def engaged(actions: Tensor) -> Tensor:
    """(...) bool: which events with action bitmasks (...) are retrieval targets."""
    return ((actions & ENGAGED) != 0) & ((actions & REJECTED) == 0)


def _pad(rows: Sequence[IntArray], width: int) -> Tensor:
    out = np.zeros((len(rows), width), dtype=np.int64)
    for r, row in enumerate(rows):
        out[r, : len(row)] = row
    return torch.from_numpy(out)


def _items(item_ids: Tensor, catalog: ItemFeatures | None) -> ItemFeatures:
    return ids_only(item_ids) if catalog is None else catalog.take(item_ids)


def history_features(
    sequences: Sequences, rows: Sequence[int], max_len: int, *, catalog: ItemFeatures | None = None
) -> SequentialFeatures:
    """The last `max_len` events of the given rows. `catalog` is the (N+1,) item feature table
    when the model reads more than ids."""
    recent = sequences.window(rows, -max_len, None)
    width = max(len(row) for row in recent.items)
    return SequentialFeatures(
        items=_items(_pad(recent.items, width), catalog),
        actions=_pad(recent.actions, width),
        timestamps=_pad(recent.times, width),
        lengths=torch.tensor([len(row) for row in recent.items], dtype=torch.int64),
        surfaces=None if recent.surfaces is None else _pad(recent.surfaces, width),
    )


def training_batch(
    sequences: Sequences,
    rows: Sequence[int],
    max_len: int,
    *,
    with_candidates: bool = False,
    catalog: ItemFeatures | None = None,
) -> TrainingBatch:
    """Inputs are events 0..L-2 and targets 1..L-1 of each row's last `max_len + 1` events.

    With `with_candidates`, each target event is also a ranking candidate that sees exactly the
    events before it, labelled with the objectives its actions satisfy.
    """
    window = max_len + 1
    inputs = history_features(
        sequences.window(rows, -window, -1), range(len(rows)), max_len, catalog=catalog
    )
    following = sequences.window(rows, -window, None).window(range(len(rows)), 1, None)
    width = inputs.item_ids.shape[1]
    targets = _pad(following.items, width)  # (B, T)
    target_actions = _pad(following.actions, width)  # (B, T)
    if not with_candidates:
        return TrainingBatch(inputs, targets, engaged(target_actions))
    candidates = Candidates(
        items=_items(targets, catalog),
        timestamps=_pad(following.times, width),
        visible=torch.arange(1, width + 1).expand(len(rows), width),
        surfaces=None if following.surfaces is None else _pad(following.surfaces, width),
    )
    labels = objective_labels(target_actions)  # (B, T, H)
    return TrainingBatch(inputs, targets, engaged(target_actions), candidates, labels)


class LengthBuckets:
    """Batches of users with similar history lengths, so little of each batch is padding.

    Each epoch draws a fresh order from (seed, epoch), which makes a resumed run repeat exactly
    what an uninterrupted one would. With several processes each rank takes every
    `world_size`-th batch, and all ranks get the same number of batches (DDP steps in lockstep).
    """

    def __init__(
        self,
        lengths: IntArray,
        batch_size: int,
        *,
        seed: int = 0,
        rank: int = 0,
        world_size: int = 1,
    ) -> None:
        self.lengths = lengths
        self.batch_size = batch_size
        self.seed = seed
        self.rank = rank
        self.world_size = world_size

    def batches(self, epoch: int) -> list[list[int]]:
        rng = np.random.default_rng([self.seed, epoch])
        jitter = rng.random(len(self.lengths))  # random order among equal lengths
        order = np.lexsort((jitter, self.lengths))
        chunks = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        shuffled = [chunks[i].tolist() for i in rng.permutation(len(chunks))]
        per_rank = len(shuffled) // self.world_size
        return shuffled[self.rank :: self.world_size][:per_rank]

    def __len__(self) -> int:
        return -(-len(self.lengths) // self.batch_size) // self.world_size
