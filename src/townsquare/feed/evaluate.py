"""Leave-one-out evaluation with full ranking: every catalog item competes with the target.

The standard protocol ranks all items and does not drop the user's history from the ranking;
`exclude_history=True` gives the filtered variant some papers report, so both can be stated.
"""

from __future__ import annotations

import torch
from torch import Tensor

from townsquare.feed.batch import history_features
from townsquare.feed.data import HeldOut
from townsquare.feed.metrics import ranking_metrics, target_ranks
from townsquare.feed.recommender import SequenceRecommender


@torch.no_grad()
def held_out_ranks(
    model: SequenceRecommender,
    held_out: HeldOut,
    *,
    max_len: int,
    batch_size: int = 1024,
    exclude_history: bool = False,
    item_text: Tensor | None = None,
) -> Tensor:
    """(U,) 0-based rank of each user's held-out item among all N items (padding excluded)."""
    was_training = model.training
    model.eval()
    items = model.item_table(item_text)  # (N+1, D)
    ranks = []
    for start in range(0, len(held_out.targets), batch_size):
        rows = range(start, min(start + batch_size, len(held_out.targets)))
        features = history_features(held_out.histories, rows, max_len, item_text=item_text)
        scores = model.last_query(features) @ items.T  # (B, N+1)
        scores[:, 0] = float("-inf")
        if exclude_history:
            history = torch.zeros_like(scores, dtype=torch.bool)  # (B, N+1)
            for b, r in enumerate(rows):
                history[b, torch.from_numpy(held_out.histories.items[r])] = True
            targets = torch.from_numpy(held_out.targets[list(rows)])  # (B,)
            history[torch.arange(len(rows)), targets] = False  # a repeat is still a hit
            scores[history] = float("-inf")
        ranks.append(target_ranks(scores, torch.from_numpy(held_out.targets[list(rows)])))
    model.train(was_training)
    return torch.cat(ranks)


def evaluate(
    model: SequenceRecommender,
    held_out: HeldOut,
    *,
    max_len: int,
    ks: tuple[int, ...] = (5, 10),
    exclude_history: bool = False,
    item_text: Tensor | None = None,
) -> dict[str, float]:
    """HR@k and NDCG@k of the held-out items, full ranking over the catalog."""
    ranks = held_out_ranks(
        model, held_out, max_len=max_len, exclude_history=exclude_history, item_text=item_text
    )
    return ranking_metrics(ranks, ks)
