"""Leave-one-out ranking metrics: one held-out target per user, ranked among all items."""

from __future__ import annotations

import torch
from torch import Tensor


def target_ranks(scores: Tensor, targets: Tensor) -> Tensor:
    """(B,) 0-based rank of each target among the scored items. scores (B, N+1), targets (B,).

    Ties count against the target (an untrained model with equal scores ranks it last, not first).
    """
    target_scores = scores.gather(1, targets[:, None])  # (B, 1)
    return (scores >= target_scores).sum(dim=1) - 1  # (B,)


def hit_rate(ranks: Tensor, k: int) -> float:
    """Share of users whose target is in the top k."""
    return float((ranks < k).float().mean())


def ndcg(ranks: Tensor, k: int) -> float:
    """Mean 1 / log2(rank + 2) over users, 0 for a target outside the top k (one relevant item)."""
    gains = 1.0 / torch.log2(ranks.double() + 2.0)  # (B,)
    return float(torch.where(ranks < k, gains, 0.0).mean())


def ranking_metrics(ranks: Tensor, ks: tuple[int, ...] = (5, 10)) -> dict[str, float]:
    """{"hr@5": ..., "ndcg@5": ..., "hr@10": ..., ...} for the given ranks."""
    metrics: dict[str, float] = {}
    for k in ks:
        metrics[f"hr@{k}"] = hit_rate(ranks, k)
        metrics[f"ndcg@{k}"] = ndcg(ranks, k)
    return metrics
