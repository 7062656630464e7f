"""Metrics: leave-one-out ranking (one held-out target per user, ranked among all items) and the
ranking heads' AUC and log-loss on held-out events."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def target_ranks(scores: Tensor, targets: Tensor) -> Tensor:
    """(B,) 0-based rank of each target among the scored items. scores (B, N+1), targets (B,).

    Ties count against the target (an untrained model with equal scores ranks it last, not first).
    """
    target_scores = scores.gather(1, targets[:, None])  # (B, 1)
    return (scores >= target_scores).sum(dim=1) - 1  # (B,)


def hit_rate(ranks: Tensor, k: int) -> float:
    """Share of users whose target is in the top k; 0 when there are no users."""
    return float((ranks < k).float().mean()) if len(ranks) else 0.0


def ndcg(ranks: Tensor, k: int) -> float:
    """Mean 1 / log2(rank + 2) over users, 0 for a target outside the top k (one relevant item);
    0 when there are no users (so model selection never compares against NaN)."""
    if not len(ranks):
        return 0.0
    gains = 1.0 / torch.log2(ranks.double() + 2.0)  # (B,)
    return float(torch.where(ranks < k, gains, 0.0).mean())


def ranking_metrics(ranks: Tensor, ks: tuple[int, ...] = (5, 10)) -> dict[str, float]:
    """{"hr@5": ..., "ndcg@5": ..., "hr@10": ..., ...} for the given ranks."""
    metrics: dict[str, float] = {}
    for k in ks:
        metrics[f"hr@{k}"] = hit_rate(ranks, k)
        metrics[f"ndcg@{k}"] = ndcg(ranks, k)
    return metrics


def auc(scores: Tensor, labels: Tensor) -> float | None:
    """Area under the ROC curve: the chance a random positive outscores a random negative, ties
    counting half (Mann-Whitney U). scores and labels (P,); None when a class is missing.
    """
    positives = int(labels.sum())
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    order = scores.double().argsort()
    sorted_scores = scores.double()[order]
    ranks = torch.empty(len(scores), dtype=torch.float64)
    ranks[order] = torch.arange(1, len(scores) + 1, dtype=torch.float64)
    # Tied scores share the mean of their ranks.
    _, inverse, counts = torch.unique_consecutive(
        sorted_scores, return_inverse=True, return_counts=True
    )
    ends = counts.cumsum(0).double()
    mean_rank = ends - (counts.double() - 1) / 2  # (groups,)
    ranks[order] = mean_rank[inverse]
    rank_sum = float(ranks[labels.bool()].sum())
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def log_loss(logits: Tensor, labels: Tensor) -> float:
    """Mean binary cross-entropy of logits (P,) against 0/1 labels (P,)."""
    return float(F.binary_cross_entropy_with_logits(logits.double(), labels.double()))


def head_metrics(
    logits: Tensor, labels: Tensor, names: tuple[str, ...]
) -> dict[str, dict[str, float | None]]:
    """{head: {"auc", "log_loss", "positives"}} for logits and labels (P, H), a column a head."""
    return {
        name: {
            "auc": auc(logits[:, h], labels[:, h]),
            "log_loss": log_loss(logits[:, h], labels[:, h]) if len(labels) else None,
            "positives": float(labels[:, h].sum()),
        }
        for h, name in enumerate(names)
    }
