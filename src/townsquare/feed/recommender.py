"""What training, evaluation and serving need from any next-item model, and the parts they share.

A model maps a history to one hidden state per event; the state after event t is the query for
event t+1. Queries and items are compared by cosine similarity over a temperature, so retrieval
over the whole catalog is one matrix product with the item table. A model may also learn a repeat
bias: a cosine offset for items already in the history, so how often people come back to an item
is learned from the data (up for re-watched videos, far down for products bought once) instead
of the query having to unlearn the very items it was built from.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from townsquare.feed.batch import SequentialFeatures
from townsquare.feed.items import ItemFeatures, ids_only


def learned_repeat_bias(enabled: bool) -> nn.Parameter | None:
    """The learned repeat bias, starting at no opinion, or None for a model without one."""
    return nn.Parameter(torch.zeros(())) if enabled else None


def held_items(item_ids: Tensor, num_items: int) -> Tensor:
    """(R, N+1) whether each item id is among each row of `item_ids` (R, T); id 0 (padding, or an
    item known by its features only) is never held."""
    held = torch.zeros(len(item_ids), num_items + 1, dtype=torch.bool)
    held.scatter_(1, item_ids, True)
    held[:, 0] = False
    return held


def embedding_table(rows: int, dim: int, *, padding: bool = False) -> nn.Embedding:
    """An embedding table drawn at the scale of a unit-norm vector (std 1/sqrt(dim)). Tables that
    are summed into one token must start at the same scale, or one drowns the others (PyTorch's
    default std of 1 would make a position or action vector 8x an item vector at D = 64)."""
    table = nn.Embedding(rows, dim, padding_idx=0 if padding else None)
    nn.init.normal_(table.weight, std=dim**-0.5)
    if padding:
        table.weight.data[0].zero_()
    return table


class SequenceRecommender(nn.Module, ABC):
    """A causal next-item model: HSTU (`feed.model`) and the SASRec baseline both are one."""

    num_items: int  # ids 1..num_items; 0 is padding
    temperature: float  # cosine similarity is divided by this to give logits
    repeat_bias: nn.Parameter | None  # () cosine offset of an item already in the history

    @abstractmethod
    def forward(self, features: SequentialFeatures) -> Tensor:
        """(B, T, D) hidden state after each event; each depends only on events up to it."""

    @abstractmethod
    def embed_items(self, items: ItemFeatures) -> Tensor:
        """(..., D) representations of items (...); they do not depend on when or where the
        item is shown, so a catalog's table is computed once and searched by many queries."""

    def queries(self, features: SequentialFeatures) -> Tensor:
        hidden: Tensor = self(features)  # (B, T, D)
        return F.normalize(hidden, dim=-1)  # (B, T, D)

    def last_query(self, features: SequentialFeatures) -> Tensor:
        rows = torch.arange(features.lengths.shape[0])
        return self.queries(features)[rows, features.lengths - 1]  # (B, D)

    def item_table(self, catalog: ItemFeatures | None = None) -> Tensor:
        """(M, D) unit-norm embedding of every row of a catalog (M = N+1 ids when None; row 0
        is padding either way)."""
        items = ids_only(torch.arange(self.num_items + 1)) if catalog is None else catalog
        return F.normalize(self.embed_items(items), dim=-1)

    def next_item_logits(
        self, features: SequentialFeatures, table: Tensor, ids: Tensor | None = None
    ) -> Tensor:
        """(B, M) logits of each row of an `item_table` as the next item after each history, the
        repeat bias included; row 0 (padding) scores -inf. `ids` (M,) are the rows' item ids
        (0 for an item the id table does not know); None when row i is item i."""
        similarity = self.last_query(features) @ table.T  # (B, M)
        if self.repeat_bias is not None:
            held = held_items(features.item_ids, self.num_items)  # (B, N+1)
            seen = held if ids is None else held[:, ids]  # (B, M)
            similarity = similarity + self.repeat_bias * seen
        logits = similarity / self.temperature
        logits[:, 0] = float("-inf")
        return logits

    def catalog_scores(
        self, features: SequentialFeatures, catalog: ItemFeatures | None = None
    ) -> Tensor:
        """(B, M) logits for the next item over every catalog row; padding scores -inf."""
        ids = None if catalog is None else catalog.ids
        return self.next_item_logits(features, self.item_table(catalog), ids)

    @torch.no_grad()
    def retrieve(
        self,
        features: SequentialFeatures,
        k: int,
        *,
        catalog: ItemFeatures | None = None,
        exclude_history: bool = False,
    ) -> tuple[Tensor, Tensor]:
        """Top-k (scores, catalog rows), each (B, k), best first. `exclude_history` drops the
        history's own rows (for a catalog of the model's ids, rows are ids)."""
        scores = self.catalog_scores(features, catalog)  # (B, M)
        if exclude_history:
            scores.scatter_(1, features.item_ids, float("-inf"))
        top = scores.topk(min(k, scores.shape[1] - 1), dim=1)
        return top.values, top.indices
