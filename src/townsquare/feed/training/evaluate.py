"""Held-out evaluation: retrieval by leave-one-out with full ranking, ranking heads by AUC.

Retrieval: every catalog item competes with the held-out item. The standard protocol does not drop
the user's history from the ranking; `exclude_history=True` gives the filtered variant some papers
report, so both can be stated. Only held-out events the member engaged with are retrieval targets
(an impression scrolled past is not a next item to find).

Ranking: each held-out event is a candidate that reads the history before it; each head's logit
is compared with whether the event did what the head predicts.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from townsquare.feed.batch import Candidates, history_features, objective_labels
from townsquare.feed.items import ItemFeatures, ids_only
from townsquare.feed.model import HSTU
from townsquare.feed.recommender import SequenceRecommender
from townsquare.feed.sequences import HeldOut, Sequences
from townsquare.feed.training.metrics import head_metrics, ranking_metrics, target_ranks
from townsquare.feed.vocabulary import OBJECTIVE_NAMES


def _by_length(histories: Sequences, batch_size: int) -> list[list[int]]:
    """Rows in batches of similar history length, shortest first: a batch is padded to its
    longest history, so a random mix of Beauty users (most under 10 events, a few at 50) would
    compute mostly padding."""
    order = np.argsort(histories.lengths, kind="stable")
    return [order[i : i + batch_size].tolist() for i in range(0, len(order), batch_size)]


@torch.no_grad()
def held_out_ranks(
    model: SequenceRecommender,
    held_out: HeldOut,
    *,
    max_len: int,
    batch_size: int = 1024,
    exclude_history: bool = False,
    catalog: ItemFeatures | None = None,
) -> Tensor:
    """(U,) 0-based rank of each user's held-out item among all N items (padding excluded)."""
    was_training = model.training
    model.eval()
    items = model.item_table(catalog)  # (N+1, D)
    ids = None if catalog is None else catalog.ids
    ranks = torch.zeros(len(held_out.targets), dtype=torch.int64)  # (U,)
    for rows in _by_length(held_out.histories, batch_size):
        features = history_features(held_out.histories, rows, max_len, catalog=catalog)
        scores = model.next_item_logits(features, items, ids)  # (B, N+1)
        targets = torch.from_numpy(held_out.targets[rows])  # (B,)
        if exclude_history:
            history = torch.zeros_like(scores, dtype=torch.bool)  # (B, N+1)
            for b, r in enumerate(rows):
                history[b, torch.from_numpy(held_out.histories.items[r])] = True
            history[torch.arange(len(rows)), targets] = False  # a repeat is still a hit
            scores[history] = float("-inf")
        ranks[rows] = target_ranks(scores, targets)
    model.train(was_training)
    return ranks


def evaluate(
    model: SequenceRecommender,
    held_out: HeldOut,
    *,
    max_len: int,
    ks: tuple[int, ...] = (5, 10),
    exclude_history: bool = False,
    catalog: ItemFeatures | None = None,
) -> dict[str, float]:
    """HR@k and NDCG@k of the engaged held-out items, full ranking over the catalog."""
    ranks = held_out_ranks(
        model,
        held_out.engaged(),
        max_len=max_len,
        exclude_history=exclude_history,
        catalog=catalog,
    )
    return ranking_metrics(ranks, ks)


@torch.no_grad()
def held_out_logits(
    model: HSTU,
    held_out: HeldOut,
    *,
    max_len: int,
    batch_size: int = 1024,
    catalog: ItemFeatures | None = None,
) -> tuple[Tensor, Tensor]:
    """(U, H) head logits of each held-out event as a candidate after its history, and its
    (U, H) labels."""
    was_training = model.training
    model.eval()
    events = held_out.events
    logits = torch.zeros(len(held_out.targets), len(OBJECTIVE_NAMES))  # (U, H)
    labels = torch.zeros(len(held_out.targets), len(OBJECTIVE_NAMES))  # (U, H)
    for rows in _by_length(held_out.histories, batch_size):
        features = history_features(held_out.histories, rows, max_len, catalog=catalog)
        targets = torch.from_numpy(held_out.targets[rows])[:, None]  # (B, 1)
        surfaces = None
        if events.surfaces is not None:
            surfaces = torch.from_numpy(np.array([events.surfaces[r][-1] for r in rows]))[:, None]
        candidates = Candidates(
            items=ids_only(targets) if catalog is None else catalog.take(targets),
            timestamps=torch.from_numpy(np.array([events.times[r][-1] for r in rows]))[:, None],
            visible=features.lengths[:, None],  # (B, 1)
            surfaces=surfaces,
        )
        logits[rows] = model.rank(features, candidates)[:, 0]  # (B, H)
        actions = torch.from_numpy(held_out.target_actions[rows])  # (B,)
        labels[rows] = objective_labels(actions)  # (B, H)
    model.train(was_training)
    return logits, labels


def evaluate_heads(
    model: HSTU, held_out: HeldOut, *, max_len: int, catalog: ItemFeatures | None = None
) -> dict[str, dict[str, float | None]]:
    """Per head: AUC (None when the held-out events hold one class only), log-loss, positives."""
    logits, labels = held_out_logits(model, held_out, max_len=max_len, catalog=catalog)
    return head_metrics(logits, labels, OBJECTIVE_NAMES)
