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

from townsquare.feed.actions import ACTIONS, objective_labels
from townsquare.feed.data import IntArray, Sequences


@dataclass(frozen=True)
class SequentialFeatures:
    """A batch of histories, the most recent `T` events of each user."""

    item_ids: Tensor  # (B, T) int64 item ids; 0 = padding, or an item known only by its text
    action_ids: Tensor  # (B, T) int64 ids from feed.actions; 0 = padding
    timestamps: Tensor  # (B, T) int64 unix seconds; 0 when unknown
    lengths: Tensor  # (B,) int64 real events per row, 1..T
    item_text: Tensor | None = None  # (B, T, E) float32 text vector of each event's item

    @property
    def mask(self) -> Tensor:  # (B, T) bool, True on real events
        columns = torch.arange(self.item_ids.shape[1], device=self.item_ids.device)
        return columns[None, :] < self.lengths[:, None]


@dataclass(frozen=True)
class Candidates:
    """Items to score against a history: each attends to the history, never to the others."""

    item_ids: Tensor  # (B, C) int64; 0 for an item outside the id table, scored from its text
    timestamps: Tensor  # (B, C) int64 unix seconds the candidate is (or was) shown
    visible: Tensor  # (B, C) int64 history events each candidate may read (its first v events)
    item_text: Tensor | None = None  # (B, C, E) float32 text vector per candidate


@dataclass(frozen=True)
class TrainingBatch:
    """Every prefix of each history predicts the event that followed it."""

    features: SequentialFeatures  # events 0..L-2 of each row
    targets: Tensor  # (B, T) int64 item of event t+1; 0 where there is none
    candidates: Candidates | None = None  # the target events as ranking candidates
    labels: Tensor | None = None  # (B, T, H) float32 objective labels of each target event


# (A, H) float32: row a holds the objective labels of an event with action a.
_LABELS = torch.tensor([objective_labels(a) for a in range(len(ACTIONS))])


def _pad(rows: Sequence[IntArray], width: int) -> Tensor:
    out = np.zeros((len(rows), width), dtype=np.int64)
    for r, row in enumerate(rows):
        out[r, : len(row)] = row
    return torch.from_numpy(out)


def _gather_text(item_ids: Tensor, item_text: Tensor | None) -> Tensor | None:
    return None if item_text is None else item_text[item_ids]  # (B, T, E)


def history_features(
    sequences: Sequences, rows: Sequence[int], max_len: int, *, item_text: Tensor | None = None
) -> SequentialFeatures:
    """The last `max_len` events of the given rows. `item_text` is the (N+1, E) catalog table."""
    items = [sequences.items[r][-max_len:] for r in rows]
    width = max(len(row) for row in items)
    item_ids = _pad(items, width)
    return SequentialFeatures(
        item_ids=item_ids,
        action_ids=_pad([sequences.actions[r][-max_len:] for r in rows], width),
        timestamps=_pad([sequences.times[r][-max_len:] for r in rows], width),
        lengths=torch.tensor([len(row) for row in items], dtype=torch.int64),
        item_text=_gather_text(item_ids, item_text),
    )


def training_batch(
    sequences: Sequences,
    rows: Sequence[int],
    max_len: int,
    *,
    with_candidates: bool = False,
    item_text: Tensor | None = None,
) -> TrainingBatch:
    """Inputs are events 0..L-2 and targets 1..L-1 of each row's last `max_len + 1` events.

    With `with_candidates`, each target event is also a ranking candidate that sees exactly the
    events before it, labelled with the objectives its action satisfies.
    """
    window = max_len + 1
    inputs = history_features(
        Sequences(
            items=[sequences.items[r][-window:-1] for r in rows],
            actions=[sequences.actions[r][-window:-1] for r in rows],
            times=[sequences.times[r][-window:-1] for r in rows],
            num_items=sequences.num_items,
        ),
        range(len(rows)),
        max_len,
        item_text=item_text,
    )
    width = inputs.item_ids.shape[1]
    targets = _pad([sequences.items[r][-window:][1:] for r in rows], width)
    if not with_candidates:
        return TrainingBatch(inputs, targets)
    target_actions = _pad([sequences.actions[r][-window:][1:] for r in rows], width)  # (B, T)
    candidates = Candidates(
        item_ids=targets,
        timestamps=_pad([sequences.times[r][-window:][1:] for r in rows], width),
        visible=torch.arange(1, width + 1).expand(len(rows), width),
        item_text=_gather_text(targets, item_text),
    )
    return TrainingBatch(inputs, targets, candidates, _LABELS[target_actions])  # labels (B, T, H)


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
