"""HSTU: the feed's one model, a causal sequential transducer over (item, action, time) events.

After Zhai et al., "Actions Speak Louder than Words" (ICML 2024). Each layer computes
    U, V, Q, K = SiLU(W · LayerNorm(X))
    A = SiLU(Q Kᵀ + relative position bias + relative log-time bias) / max_len   (no softmax)
    X = X + W_o · (LayerNorm(A V) ⊙ U)
A token is an item embedding (a learned id vector plus projected text) plus its action embedding.

Two outputs from one stack:
  retrieval: the hidden state after the last event is the next-item query, compared by cosine with
             every item of the catalog (`SequenceRecommender.retrieve`);
  ranking:   candidates are appended as extra tokens; a block mask lets each read the history but
             not the other candidates, and one linear head per objective scores its output.

Read top to bottom: config, bias, attention, layer, item encoder, model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from townsquare.feed.actions import ACTIONS, CANDIDATE, OBJECTIVE_NAMES
from townsquare.feed.batch import Candidates, SequentialFeatures
from townsquare.feed.recommender import SequenceRecommender, embedding_table

# Time gaps fall into buckets of width 0.35 in log(1 + seconds): 64 buckets reach ~200 years.
_LOG_TIME_BUCKET_WIDTH = 0.35


@dataclass(frozen=True)
class HSTUConfig:
    kind: Literal["hstu"] = "hstu"  # tags the config in checkpoint JSON
    num_items: int = 0  # catalog size N: item ids 1..N, 0 = padding or text-only item
    max_len: int = 50  # longest history read; older events are dropped
    dim: int = 64  # D: width of embeddings and of every layer
    num_layers: int = 2  # stacked HSTU layers
    num_heads: int = 2  # H: attention heads, each D / H wide
    dropout: float = 0.3  # on input embeddings and on each layer's output
    text_dim: int = 0  # E: width of item text vectors (384 for MiniLM); 0 = ids only
    num_time_buckets: int = 64  # log time-gap buckets of the relative bias
    temperature: float = 0.05  # cosine similarity / temperature = retrieval logit


class RelativeBias(nn.Module):
    """Learned per-head attention bias from how far back a key is, in events and in time."""

    def __init__(self, config: HSTUConfig) -> None:
        super().__init__()
        self.position = nn.Embedding(config.max_len + 1, config.num_heads)
        self.time = nn.Embedding(config.num_time_buckets, config.num_heads)
        nn.init.zeros_(self.position.weight)  # attention starts unbiased; bias is learned
        nn.init.zeros_(self.time.weight)

    def forward(self, distance: Tensor, time_bucket: Tensor) -> Tensor:
        bias: Tensor = self.position(distance) + self.time(time_bucket)  # (B, N, N, H)
        return bias.permute(0, 3, 1, 2)  # (B, H, N, N)


def pointwise_attention(
    q: Tensor, k: Tensor, v: Tensor, bias: Tensor, mask: Tensor, norm: float
) -> Tensor:
    """SiLU attention: each weight stands alone, so a key's pull does not shrink as keys are
    added (a softmax would dilute a strong signal among many weak ones)."""
    scores = q @ k.transpose(-2, -1) + bias  # (B, H, N, N)
    weights = F.silu(scores) * mask / norm  # (B, H, N, N)
    return weights @ v  # (B, H, N, D/H)


class HSTULayer(nn.Module):
    def __init__(self, config: HSTUConfig) -> None:
        super().__init__()
        self.heads = config.num_heads
        self.norm_in = nn.LayerNorm(config.dim)
        self.uvqk = nn.Linear(config.dim, 4 * config.dim)
        self.bias = RelativeBias(config)
        self.norm_attn = nn.LayerNorm(config.dim)
        self.out = nn.Linear(config.dim, config.dim)
        self.dropout = nn.Dropout(config.dropout)
        self.norm = float(config.max_len)

    def forward(self, x: Tensor, distance: Tensor, time_bucket: Tensor, mask: Tensor) -> Tensor:
        B, N, D = x.shape
        u, v, q, k = F.silu(self.uvqk(self.norm_in(x))).chunk(4, dim=-1)  # 4 x (B, N, D)
        v, q, k = (t.view(B, N, self.heads, D // self.heads).transpose(1, 2) for t in (v, q, k))
        bias = self.bias(distance, time_bucket)  # (B, H, N, N)
        attended = pointwise_attention(q, k, v, bias, mask[:, None], self.norm)  # (B, H, N, D/H)
        attended = attended.transpose(1, 2).reshape(B, N, D)  # (B, N, D)
        update: Tensor = self.dropout(self.out(self.norm_attn(attended) * u))  # (B, N, D)
        return x + update


class ItemEncoder(nn.Module):
    """Item = learned id vector + projected text vector; id 0 has a zero id vector, so an item the
    table does not know (cold start) is represented by its text alone."""

    def __init__(self, config: HSTUConfig) -> None:
        super().__init__()
        self.ids = embedding_table(config.num_items + 1, config.dim, padding=True)
        self.text = nn.Linear(config.text_dim, config.dim) if config.text_dim else None

    def forward(self, item_ids: Tensor, item_text: Tensor | None) -> Tensor:
        embedding: Tensor = self.ids(item_ids)  # (..., D)
        if self.text is not None:
            if item_text is None:
                raise ValueError("this model reads item text: pass item_text")
            embedding = embedding + self.text(item_text)  # (..., D)
        return embedding


class HSTU(SequenceRecommender):
    def __init__(self, config: HSTUConfig) -> None:
        super().__init__()
        self.config = config
        self.num_items = config.num_items
        self.temperature = config.temperature
        self.items = ItemEncoder(config)
        self.actions = embedding_table(len(ACTIONS), config.dim, padding=True)
        self.dropout = nn.Dropout(config.dropout)
        self.layers = nn.ModuleList(HSTULayer(config) for _ in range(config.num_layers))
        self.norm = nn.LayerNorm(config.dim)
        self.heads = nn.Linear(config.dim, len(OBJECTIVE_NAMES))  # one logit per objective

    def embed_items(self, item_ids: Tensor, item_text: Tensor | None = None) -> Tensor:
        items: Tensor = self.items(item_ids, item_text)  # (..., D)
        return items

    def forward(self, features: SequentialFeatures) -> Tensor:
        return self.transduce(features)[0]  # (B, T, D)

    def rank(self, features: SequentialFeatures, candidates: Candidates) -> Tensor:
        """(B, C, objectives) logits, every candidate scored in one pass."""
        scores: Tensor = self.heads(self.transduce(features, candidates)[1])  # (B, C, H_obj)
        return scores

    def transduce(
        self, features: SequentialFeatures, candidates: Candidates | None = None
    ) -> tuple[Tensor, Tensor]:
        """Hidden states of the history (B, T, D) and of the candidates (B, C, D; C = 0 if none)."""
        B, T = features.item_ids.shape
        x = self.items(features.item_ids, features.item_text)  # (B, T, D)
        x = x + self.actions(features.action_ids)  # (B, T, D)
        position = torch.arange(T).expand(B, T)  # (B, T)
        time = features.timestamps  # (B, T)
        keys = features.mask[:, None, :]  # (B, 1, T) real history events
        mask = torch.ones(T, T, dtype=torch.bool).tril() & keys  # (B, T, T) causal
        if candidates is not None:
            C = candidates.item_ids.shape[1]
            c = self.items(candidates.item_ids, candidates.item_text)  # (B, C, D)
            c = c + self.actions(torch.full_like(candidates.item_ids, CANDIDATE))  # (B, C, D)
            x = torch.cat([x, c], dim=1)  # (B, N, D), N = T + C
            visible = torch.minimum(candidates.visible, features.lengths[:, None])  # (B, C)
            reads = position[:, None, :] < visible[:, :, None]  # (B, C, T)
            position = torch.cat([position, visible], dim=1)  # (B, N)
            time = torch.cat([time, candidates.timestamps], dim=1)  # (B, N)
            itself = torch.eye(C, dtype=torch.bool).expand(B, C, C)  # (B, C, C)
            mask = torch.cat(
                [
                    torch.cat([mask, torch.zeros(B, T, C, dtype=torch.bool)], dim=2),  # (B, T, N)
                    torch.cat([reads, itself], dim=2),  # (B, C, N)
                ],
                dim=1,
            )  # (B, N, N)
        distance = (position[:, :, None] - position[:, None, :]).clamp(0, self.config.max_len)
        gap = (time[:, :, None] - time[:, None, :]).abs().float()  # (B, N, N) seconds
        bucket = (torch.log1p(gap) / _LOG_TIME_BUCKET_WIDTH).long()  # (B, N, N)
        bucket = bucket.clamp(max=self.config.num_time_buckets - 1)
        x = self.dropout(x)
        for layer in self.layers:
            x = layer(x, distance, bucket, mask)  # (B, N, D)
        x = self.norm(x)  # (B, N, D)
        return x[:, :T], x[:, T:]


def _append_one(history: Tensor, candidate: Tensor, b: int, c: int, v: int) -> Tensor:
    return torch.cat([history[b, :v], candidate[b, c, None]])[None]  # (1, v+1, ...)


@torch.no_grad()
def rank_reference(model: HSTU, features: SequentialFeatures, candidates: Candidates) -> Tensor:
    """`HSTU.rank` done the obvious, slow way, kept to test the block mask against: each candidate
    is appended to its visible history as one more causal event, one pass per candidate."""
    B, C = candidates.item_ids.shape
    marker = torch.full_like(candidates.item_ids, CANDIDATE)  # (B, C)
    scores = torch.empty(B, C, len(OBJECTIVE_NAMES))  # (B, C, H_obj)
    for b in range(B):
        for c in range(C):
            v = min(int(candidates.visible[b, c]), int(features.lengths[b]))
            text = None
            if features.item_text is not None and candidates.item_text is not None:
                text = _append_one(features.item_text, candidates.item_text, b, c, v)
            alone = SequentialFeatures(
                item_ids=_append_one(features.item_ids, candidates.item_ids, b, c, v),
                action_ids=_append_one(features.action_ids, marker, b, c, v),
                timestamps=_append_one(features.timestamps, candidates.timestamps, b, c, v),
                lengths=torch.tensor([v + 1]),
                item_text=text,
            )
            scores[b, c] = model.heads(model(alone)[0, v])  # (H_obj,)
    return scores
