from __future__ import annotations

import math

import pytest
import torch

from townsquare.feed.metrics import hit_rate, ndcg, ranking_metrics, target_ranks


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
