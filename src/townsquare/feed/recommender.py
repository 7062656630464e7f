"""What training, evaluation and serving need from any next-item model, and the parts they share.

A model maps a history to one hidden state per event; the state after event t is the query for
event t+1. Queries and items are compared by cosine similarity over a temperature, so retrieval
over the whole catalog is one matrix product with the item table.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from townsquare.feed.batch import SequentialFeatures


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

    @abstractmethod
    def forward(self, features: SequentialFeatures) -> Tensor:
        """(B, T, D) hidden state after each event; each depends only on events up to it."""

    @abstractmethod
    def embed_items(self, item_ids: Tensor, item_text: Tensor | None = None) -> Tensor:
        """(..., D) item representations for ids (...) and, if the model reads text, (..., E)."""

    def queries(self, features: SequentialFeatures) -> Tensor:
        hidden: Tensor = self(features)  # (B, T, D)
        return F.normalize(hidden, dim=-1)  # (B, T, D)

    def last_query(self, features: SequentialFeatures) -> Tensor:
        rows = torch.arange(features.lengths.shape[0])
        return self.queries(features)[rows, features.lengths - 1]  # (B, D)

    def item_table(self, item_text: Tensor | None = None) -> Tensor:
        """(N+1, D) unit-norm embedding of every catalog item; `item_text` is (N+1, E)."""
        ids = torch.arange(self.num_items + 1)
        return F.normalize(self.embed_items(ids, item_text), dim=-1)

    def catalog_scores(
        self, features: SequentialFeatures, item_text: Tensor | None = None
    ) -> Tensor:
        """(B, N+1) logits for the next item over the whole catalog; padding scores -inf."""
        scores = self.last_query(features) @ self.item_table(item_text).T / self.temperature
        scores[:, 0] = float("-inf")
        return scores

    @torch.no_grad()
    def retrieve(
        self,
        features: SequentialFeatures,
        k: int,
        *,
        item_text: Tensor | None = None,
        exclude_history: bool = False,
    ) -> tuple[Tensor, Tensor]:
        """Top-k (scores, item ids), each (B, k), over the catalog, best first."""
        scores = self.catalog_scores(features, item_text)  # (B, N+1)
        if exclude_history:
            scores.scatter_(1, features.item_ids, float("-inf"))
        top = scores.topk(min(k, self.num_items), dim=1)
        return top.values, top.indices
