from __future__ import annotations

import math

import pytest
import torch

from townsquare.feed.training.metrics import (
    auc,
    head_metrics,
    hit_rate,
    log_loss,
    ndcg,
    ranking_metrics,
    target_ranks,
)


def test_target_ranks_count_the_items_scored_at_least_as_high() -> None:
    scores = torch.tensor(
        [
            [float("-inf"), 0.9, 0.1, 0.5, 0.3],  # target 3 (0.5): only 0.9 is higher
            [float("-inf"), 0.2, 0.2, 0.2, 0.2],  # all tied: the target counts as last
            [float("-inf"), 0.1, 0.2, 0.3, 0.4],  # target 4 is the best
        ]
    )
    assert target_ranks(scores, torch.tensor([3, 2, 4])).tolist() == [1, 3, 0]


def test_hit_rate_and_ndcg_by_hand() -> None:
    ranks = torch.tensor([0, 1, 4, 9, 10])
    assert hit_rate(ranks, 5) == pytest.approx(3 / 5)
    assert hit_rate(ranks, 10) == pytest.approx(4 / 5)
    expected_5 = (1 + 1 / math.log2(3) + 1 / math.log2(6)) / 5
    assert ndcg(ranks, 5) == pytest.approx(expected_5)
    assert ndcg(ranks, 10) == pytest.approx(expected_5 + 1 / math.log2(11) / 5)
    assert ranking_metrics(ranks, (5,)) == {"hr@5": hit_rate(ranks, 5), "ndcg@5": ndcg(ranks, 5)}


def test_auc_counts_pairs_and_halves_ties() -> None:
    labels = torch.tensor([1, 0, 1, 0, 0])
    assert auc(torch.tensor([0.9, 0.1, 0.8, 0.2, 0.3]), labels) == 1.0
    assert auc(torch.tensor([0.1, 0.9, 0.2, 0.8, 0.7]), labels) == 0.0
    # positive 0.5 ties negative 0.5 (half), beats 0.1 and 0.2; positive 0.05 beats nothing.
    tied = auc(torch.tensor([0.5, 0.5, 0.05, 0.1, 0.2]), labels)
    assert tied == pytest.approx((2.5 + 0) / 6)
    assert auc(torch.tensor([0.3, 0.4]), torch.tensor([1, 1])) is None


def test_log_loss_and_head_metrics() -> None:
    logits = torch.tensor([[0.0, 2.0], [0.0, -2.0]])
    labels = torch.tensor([[1.0, 1.0], [0.0, 0.0]])
    assert log_loss(logits[:, 0], labels[:, 0]) == pytest.approx(math.log(2))
    metrics = head_metrics(logits, labels, ("a", "b"))
    assert metrics["a"] == {"auc": 0.5, "log_loss": pytest.approx(math.log(2)), "positives": 1.0}
    assert metrics["b"]["auc"] == 1.0
    assert metrics["b"]["log_loss"] == pytest.approx(math.log1p(math.exp(-2)))
    assert ranking_metrics(torch.zeros(0, dtype=torch.int64)) == {
        "hr@5": 0.0,
        "ndcg@5": 0.0,
        "hr@10": 0.0,
        "ndcg@10": 0.0,
    }
