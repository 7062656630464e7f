"""Tiny synthetic histories with a pattern a model can learn in seconds: each user walks the
catalog in steps of one or two items, so the next item is predictable from the last."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from townsquare.feed.actions import ACTIONS, CANDIDATE, PAD
from townsquare.feed.batch import SequentialFeatures
from townsquare.feed.data import Dataset, RawEvent, build_dataset

# Tiny tensors gain nothing from threads, and on a busy machine spinning threads cost a lot.
torch.set_num_threads(1)

NUM_ITEMS = 20
EVENT_ACTIONS = [a for a in range(len(ACTIONS)) if a not in (PAD, CANDIDATE)]


def walk_events(num_users: int = 48, length: int = 9, seed: int = 0) -> list[RawEvent]:
    rng = np.random.default_rng(seed)
    events: list[RawEvent] = []
    for user in range(num_users):
        item, step = int(rng.integers(NUM_ITEMS)), 1 + user % 2
        for t in range(length):
            action = int(rng.choice(EVENT_ACTIONS))
            events.append((f"u{user}", f"i{item}", action, 1_700_000_000 + 3_600 * t * (user + 1)))
            item = (item + step) % NUM_ITEMS
    return events


@pytest.fixture
def walks() -> Dataset:
    return build_dataset(walk_events())


def random_features(
    batch: int, length: int, num_items: int, *, seed: int = 0, text_dim: int = 0
) -> SequentialFeatures:
    """A padded batch of random events; row lengths vary from 1 to `length`."""
    generator = torch.Generator().manual_seed(seed)
    lengths = torch.randint(1, length + 1, (batch,), generator=generator)
    lengths[0] = length
    mask = torch.arange(length)[None, :] < lengths[:, None]
    items = torch.randint(1, num_items + 1, (batch, length), generator=generator) * mask
    actions = (
        torch.tensor(EVENT_ACTIONS)[
            torch.randint(0, len(EVENT_ACTIONS), (batch, length), generator=generator)
        ]
        * mask
    )
    times = torch.randint(0, 10**9, (batch, length), generator=generator).sort(dim=1).values
    text = torch.randn(batch, length, text_dim, generator=generator) if text_dim else None
    return SequentialFeatures(items, actions, times * mask, lengths, text)
