from __future__ import annotations

import numpy as np
import torch

from townsquare.feed.model import HSTU, HSTUConfig
from townsquare.feed.sequences import HeldOut, leave_one_out
from townsquare.feed.training.data import RawEvent, build_dataset
from townsquare.feed.training.evaluate import held_out_logits, held_out_ranks
from townsquare.feed.vocabulary import action_bit

from ..conftest import NUM_ITEMS, random_actions


def _held_out() -> HeldOut:
    """Users whose histories run from 3 to 14 events, in no order of length."""
    rng = np.random.default_rng(1)
    events: list[RawEvent] = []
    for user, length in enumerate(rng.permutation(np.arange(3, 15))):
        for t in range(int(length) + 2):  # + the validation and test events
            actions = random_actions(rng) | action_bit("interact")
            item = f"i{rng.integers(NUM_ITEMS)}"
            events.append((f"u{user}", item, actions, 1_700_000_000 + 60 * t))
    return leave_one_out(build_dataset(events).sequences).test


def _model() -> HSTU:
    torch.manual_seed(0)
    return HSTU(HSTUConfig(num_items=NUM_ITEMS, max_len=16, dim=16, num_heads=2))


def _alone(held_out: HeldOut, user: int) -> HeldOut:
    return HeldOut(held_out.events.subset(np.array([user])))


def test_batches_by_length_give_each_user_their_own_rank() -> None:
    held_out, model = _held_out(), _model()
    assert len(set(held_out.histories.lengths.tolist())) == 12  # every batch mixes lengths
    alone = [int(held_out_ranks(model, _alone(held_out, u), max_len=16)[0]) for u in range(12)]
    assert held_out_ranks(model, held_out, max_len=16, batch_size=5).tolist() == alone


def test_head_logits_come_back_in_the_users_order() -> None:
    held_out, model = _held_out(), _model()
    logits, labels = held_out_logits(model, held_out, max_len=16, batch_size=5)
    for user in range(12):
        alone_logits, alone_labels = held_out_logits(model, _alone(held_out, user), max_len=16)
        torch.testing.assert_close(logits[user], alone_logits[0], atol=1e-5, rtol=1e-4)
        assert torch.equal(labels[user], alone_labels[0])
