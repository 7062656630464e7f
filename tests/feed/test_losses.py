from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from townsquare.feed.losses import expected_draws_log, full_softmax_loss, sampled_softmax_loss


def _unit(rows: int, dim: int = 8, seed: int = 0) -> torch.Tensor:
    return F.normalize(torch.randn(rows, dim, generator=torch.Generator().manual_seed(seed)), dim=1)


def test_full_softmax_never_counts_the_padding_item() -> None:
    queries, items = _unit(3), _unit(6, seed=1)
    targets = torch.tensor([1, 5, 2])
    logits = queries @ items[1:].T / 0.1
    expected = F.cross_entropy(logits, targets - 1)
    assert full_softmax_loss(queries, targets, items, 0.1) == pytest.approx(float(expected))


def test_sampled_softmax_masks_a_negative_equal_to_the_target() -> None:
    queries, items = _unit(1), _unit(10, seed=1)
    samples = torch.tensor([3, 4, 7, 3, 8])  # target 3, then draws; the second 3 is the target
    loss = sampled_softmax_loss(queries, samples, items[samples], torch.zeros(10), 0.1)
    logits = queries @ items[[3, 4, 7, 8]].T / 0.1  # the duplicate is not a negative
    assert float(loss) == pytest.approx(float(F.cross_entropy(logits, torch.tensor([0]))))


def test_in_batch_negatives_are_the_other_rows_targets() -> None:
    queries, items = _unit(3), _unit(10, seed=1)
    samples = torch.tensor(
        [2, 5, 2]
    )  # rows 0 and 2 share a target: neither is the other's negative
    log_q = torch.randn(10)
    loss = sampled_softmax_loss(queries, samples, items[samples], log_q, 0.1)
    logits = queries @ items[samples].T / 0.1 - log_q[samples]
    logits[0, 2] = logits[2, 0] = float("-inf")
    assert float(loss) == pytest.approx(float(F.cross_entropy(logits, torch.arange(3))))


def test_log_q_is_the_expected_number_of_draws() -> None:
    popularity = torch.tensor([0.0, 0.5, 0.25, 0.25])
    log_q = expected_draws_log(popularity, num_targets=8, num_uniform=6)
    assert log_q[1:].exp().tolist() == pytest.approx([4 + 2, 2 + 2, 2 + 2])
    assert math.isfinite(float(log_q[0]))
