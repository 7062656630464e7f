"""Tiny synthetic histories with a pattern a model can learn in seconds: each user walks the
catalog in steps of one or two items, so the next item is predictable from the last."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from townsquare.feed.batch import SequentialFeatures
from townsquare.feed.items import KINDS, ItemFeatures
from townsquare.feed.model import HSTUConfig
from townsquare.feed.sequences import Dataset
from townsquare.feed.training.config import TrainConfig
from townsquare.feed.training.data import RawEvent, build_dataset
from townsquare.feed.vocabulary import ACTIONS, REJECTED, SURFACES, action_bit

# Tiny tensors gain nothing from threads, and on a busy machine spinning threads cost a lot.
torch.set_num_threads(1)

# A model and schedule that train on a small community in about a second.
TINY = TrainConfig(
    model=HSTUConfig(max_len=16, dim=16, num_heads=2, dropout=0.0),
    epochs=2,
    batch_size=4,
    lr=0.01,
    ranking_weight=1.0,
    progress=False,
    num_threads=1,
)

NUM_ITEMS = 20
EVENT_BITS = [action_bit(name) for name in ACTIONS if name not in ("pad", "candidate")]


def random_actions(rng: np.random.Generator) -> int:
    """A non-empty random set of event actions, as a bitmask."""
    chosen = rng.choice(EVENT_BITS, size=int(rng.integers(1, 4)), replace=False)
    return int(np.bitwise_or.reduce(chosen))


def walk_events(num_users: int = 48, length: int = 9, seed: int = 0) -> list[RawEvent]:
    rng = np.random.default_rng(seed)
    events: list[RawEvent] = []
    for user in range(num_users):
        item, step = int(rng.integers(NUM_ITEMS)), 1 + user % 2
        for t in range(length):
            # Every step of a walk is engaged with: never hidden or reported.
            actions = random_actions(rng) & ~REJECTED | action_bit("interact")
            events.append((f"u{user}", f"i{item}", actions, 1_700_000_000 + 3_600 * t * (user + 1)))
            item = (item + step) % NUM_ITEMS
    return events


@pytest.fixture
def walks() -> Dataset:
    return build_dataset(walk_events())


def random_items(
    shape: tuple[int, ...],
    num_items: int,
    generator: torch.Generator,
    *,
    text_dim: int = 0,
    side: bool = False,
) -> ItemFeatures:
    """Random item ids (0 allowed: unknown to the table) and, if asked, side features."""
    ids = torch.randint(0, num_items + 1, shape, generator=generator)
    text = torch.randn(*shape, text_dim, generator=generator) if text_dim else None
    if not side:
        return ItemFeatures(ids=ids, text=text)
    return ItemFeatures(
        ids=ids,
        text=text,
        kinds=torch.randint(0, len(KINDS), shape, generator=generator),
        authors=torch.randint(0, num_items + 1, shape, generator=generator),
        created=torch.randint(0, 10**9, shape, generator=generator),
    )


def random_features(
    batch: int,
    length: int,
    num_items: int,
    *,
    seed: int = 0,
    text_dim: int = 0,
    side: bool = False,
) -> SequentialFeatures:
    """A padded batch of random events; row lengths vary from 1 to `length`. With `side`, items
    carry kinds, authors and publication times, and events carry surfaces."""
    generator = torch.Generator().manual_seed(seed)
    lengths = torch.randint(1, length + 1, (batch,), generator=generator)
    lengths[0] = length
    mask = torch.arange(length)[None, :] < lengths[:, None]
    items = random_items((batch, length), num_items, generator, text_dim=text_dim, side=side)
    items = ItemFeatures(
        ids=items.ids.clamp_min(1) * mask,
        text=items.text,
        kinds=items.kinds,
        authors=items.authors,
        created=items.created,
    )
    rng = np.random.default_rng(seed)
    actions = torch.tensor([[random_actions(rng) for _ in range(length)] for _ in range(batch)])
    times = torch.randint(0, 2 * 10**9, (batch, length), generator=generator).sort(dim=1).values
    surfaces = None
    if side:
        surfaces = torch.randint(0, len(SURFACES), (batch, length), generator=generator) * mask
    return SequentialFeatures(items, actions * mask, times * mask, lengths, surfaces)
