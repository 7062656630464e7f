"""HSTU: the feed's one model, a causal sequential transducer over (item, actions, time) events.

After Zhai et al., "Actions Speak Louder than Words" (ICML 2024). Each layer computes
    U, V, Q, K = SiLU(W · LayerNorm(X))
    A = SiLU(Q Kᵀ + relative position bias + relative log-time bias) / max_len   (no softmax)
    X = X + W_o · (LayerNorm(A V) ⊙ U)
A token is its item (learned id vector + kind + author + projected text) plus the sum of its
actions' vectors, its surface and the item's age when the event happened.

Two outputs from one stack:
  retrieval: the hidden state after the last event is the next-item query, compared by cosine with
             every item of the catalog (`SequenceRecommender.retrieve`);
  ranking:   candidates are extra tokens that read the history (each its visible prefix) and
             themselves, never each other; one linear head per objective scores each.
Candidates attend in a separate product against the history's keys, so C candidates cost C·T,
not (T + C)²; `rank_reference` (one causal pass per candidate) is the plain definition it is
tested against.

Read top to bottom: config, bias, attention, layer, item encoder, model, reference.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from townsquare.feed.batch import Candidates, SequentialFeatures
from townsquare.feed.items import KINDS, ItemFeatures
from townsquare.feed.recommender import SequenceRecommender, embedding_table, learned_repeat_bias
from townsquare.feed.vocabulary import ACTIONS, CANDIDATE, OBJECTIVE_NAMES, SURFACES

# Time gaps fall into buckets of width 0.35 in log(1 + seconds): 64 buckets reach ~200 years.
_LOG_TIME_BUCKET_WIDTH = 0.35


@dataclass(frozen=True)
class HSTUConfig:
    kind: Literal["hstu"] = "hstu"  # tags the config in checkpoint JSON
    num_items: int = 0  # catalog size N: item ids 1..N, 0 = padding or an item known by features
    max_len: int = 50  # longest history read; older events are dropped
    dim: int = 64  # D: width of embeddings and of every layer
    num_layers: int = 2  # stacked HSTU layers
    num_heads: int = 2  # H: attention heads, each D / H wide
    dropout: float = 0.3  # on input embeddings and on each layer's output
    text_dim: int = 0  # E: width of item text vectors (384 for MiniLM); 0 = no text
    id_dropout: float = 0.0  # share of item ids hidden while training, so that side features
    # alone learn to stand for an item: what a cold item (id 0) is ranked by
    num_time_buckets: int = 64  # log time-gap buckets of the relative bias and of item age
    temperature: float = 0.05  # cosine similarity / temperature = retrieval logit
    repeat_bias: bool = True  # learn how likely an item already in the history comes next


def time_buckets(seconds: Tensor, count: int) -> Tensor:
    """(...) int64 log-width bucket of each non-negative gap in seconds (...), 0..count-1."""
    bucket = (torch.log1p(seconds.float()) / _LOG_TIME_BUCKET_WIDTH).long()
    return bucket.clamp(0, count - 1)


class RelativeBias(nn.Module):
    """Learned per-head attention bias from how far back a key is, in events and in time."""

    def __init__(self, config: HSTUConfig) -> None:
        super().__init__()
        self.position = nn.Embedding(config.max_len + 1, config.num_heads)
        self.time = nn.Embedding(config.num_time_buckets, config.num_heads)
        nn.init.zeros_(self.position.weight)  # attention starts unbiased; bias is learned
        nn.init.zeros_(self.time.weight)

    def forward(self, distance: Tensor, time_bucket: Tensor) -> Tensor:
        bias: Tensor = self.position(distance) + self.time(time_bucket)  # (B, Q, K, H)
        return bias.permute(0, 3, 1, 2)  # (B, H, Q, K)

    def itself(self) -> Tensor:
        """(H,) bias of a token on its own key: distance 0, no time gap."""
        return self.position.weight[0] + self.time.weight[0]


def pointwise_attention(
    q: Tensor, k: Tensor, v: Tensor, bias: Tensor, mask: Tensor, norm: float
) -> Tensor:
    """SiLU attention: each weight stands alone, so a key's pull does not shrink as keys are
    added (a softmax would dilute a strong signal among many weak ones).
    q (B, H, Q, d), k and v (B, H, K, d), bias (B, H, Q, K), mask (B, 1, Q, K) -> (B, H, Q, d)."""
    scores = q @ k.transpose(-2, -1) + bias  # (B, H, Q, K)
    weights = F.silu(scores) * mask / norm  # (B, H, Q, K)
    return weights @ v  # (B, H, Q, d)


@dataclass(frozen=True)
class Distances:
    """How far each key is from each query, in events (clamped to max_len) and in log-time
    buckets; computed once per pass, turned into a bias by each layer."""

    events: Tensor  # (B, Q, K) int64
    time_buckets: Tensor  # (B, Q, K) int64

    @classmethod
    def between(
        cls, query_pos: Tensor, key_pos: Tensor, query_t: Tensor, key_t: Tensor, config: HSTUConfig
    ) -> Distances:
        """Queries at positions and times (B, Q), keys at (B, K)."""
        events = (query_pos[:, :, None] - key_pos[:, None, :]).clamp(0, config.max_len)
        gap = (query_t[:, :, None] - key_t[:, None, :]).abs()  # (B, Q, K) seconds
        return cls(events, time_buckets(gap, config.num_time_buckets))


@dataclass(frozen=True)
class _Layout:
    """Who attends to whom in one forward pass, shared by every layer."""

    history: Distances  # (B, T, T) among history events
    history_mask: Tensor  # (B, 1, T, T) causal, real keys only
    candidates: Distances | None  # (B, C, T) from each candidate to the history
    candidate_mask: Tensor | None  # (B, 1, C, T) the history prefix each candidate reads


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

    def _project(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        B, N, D = x.shape
        u, v, q, k = F.silu(self.uvqk(self.norm_in(x))).chunk(4, dim=-1)  # 4 x (B, N, D)
        v, q, k = (t.view(B, N, self.heads, D // self.heads).transpose(1, 2) for t in (v, q, k))
        return u, v, q, k  # u (B, N, D); v, q, k (B, H, N, D/H)

    def _update(self, x: Tensor, attended: Tensor, u: Tensor) -> Tensor:
        B, N, D = x.shape
        attended = attended.transpose(1, 2).reshape(B, N, D)  # (B, N, D)
        update: Tensor = self.dropout(self.out(self.norm_attn(attended) * u))  # (B, N, D)
        return x + update

    def forward(self, x: Tensor, c: Tensor, layout: _Layout) -> tuple[Tensor, Tensor]:
        """History x (B, T, D) and candidates c (B, C, D; C may be 0) one layer up."""
        u, v, q, k = self._project(x)
        history = layout.history
        bias = self.bias(history.events, history.time_buckets)  # (B, H, T, T)
        attended = pointwise_attention(q, k, v, bias, layout.history_mask, self.norm)
        x = self._update(x, attended, u)  # attended (B, H, T, D/H) -> x (B, T, D)
        if layout.candidates is None or layout.candidate_mask is None:
            return x, c
        cu, cv, cq, ck = self._project(c)  # cu (B, C, D); cv, cq, ck (B, H, C, D/H)
        # Each candidate reads the history's keys (its visible prefix) and its own key only.
        bias = self.bias(layout.candidates.events, layout.candidates.time_buckets)  # (B, H, C, T)
        on_history = pointwise_attention(
            cq, k, v, bias, layout.candidate_mask, self.norm
        )  # (B, H, C, D/H)
        own = (cq * ck).sum(-1) + self.bias.itself()[None, :, None]  # (B, H, C)
        attended_c = on_history + F.silu(own)[..., None] * cv / self.norm  # (B, H, C, D/H)
        return x, self._update(c, attended_c, cu)


class ItemEncoder(nn.Module):
    """Item = learned id vector + kind + author + projected text. Id 0 has a zero id vector, so
    an item the table does not know (cold start) is represented by its side features alone; an
    author is an item too (an account one can follow), read through its own id vector."""

    def __init__(self, config: HSTUConfig) -> None:
        super().__init__()
        self.id_dropout = config.id_dropout
        self.ids = embedding_table(config.num_items + 1, config.dim, padding=True)
        self.kinds = embedding_table(len(KINDS), config.dim, padding=True)
        self.author = nn.Linear(config.dim, config.dim, bias=False)
        self.text = nn.Linear(config.text_dim, config.dim) if config.text_dim else None

    def forward(self, items: ItemFeatures) -> Tensor:
        ids = items.ids  # (...)
        if self.training and self.id_dropout:
            ids = ids.masked_fill(torch.rand(ids.shape) < self.id_dropout, 0)
        embedding: Tensor = self.ids(ids)  # (..., D)
        if items.kinds is not None:
            embedding = embedding + self.kinds(items.kinds)  # (..., D)
        if items.authors is not None:
            embedding = embedding + self.author(self.ids(items.authors))  # (..., D)
        if self.text is not None:
            if items.text is None:
                raise ValueError("this model reads item text: give the items' text vectors")
            embedding = embedding + self.text(items.text)  # (..., D)
        return embedding


class HSTU(SequenceRecommender):
    def __init__(self, config: HSTUConfig) -> None:
        super().__init__()
        self.config = config
        self.num_items = config.num_items
        self.temperature = config.temperature
        self.repeat_bias = learned_repeat_bias(config.repeat_bias)
        self.items = ItemEncoder(config)
        self.actions = embedding_table(len(ACTIONS), config.dim, padding=True)
        self.surfaces = embedding_table(len(SURFACES), config.dim, padding=True)
        self.ages = embedding_table(config.num_time_buckets + 1, config.dim, padding=True)
        self.dropout = nn.Dropout(config.dropout)
        self.layers = nn.ModuleList(HSTULayer(config) for _ in range(config.num_layers))
        self.norm = nn.LayerNorm(config.dim)
        self.heads = nn.Linear(config.dim, len(OBJECTIVE_NAMES))  # one logit per objective

    def embed_items(self, items: ItemFeatures) -> Tensor:
        embedding: Tensor = self.items(items)  # (..., D)
        return embedding

    def forward(self, features: SequentialFeatures) -> Tensor:
        return self.transduce(features)[0]  # (B, T, D)

    def rank(self, features: SequentialFeatures, candidates: Candidates) -> Tensor:
        """(B, C, objectives) logits, every candidate scored in one pass."""
        scores: Tensor = self.heads(self.transduce(features, candidates)[1])  # (B, C, H_obj)
        return scores

    def _tokens(
        self, items: ItemFeatures, actions: Tensor, times: Tensor, surfaces: Tensor | None
    ) -> Tensor:
        """(B, N, D) input tokens for events (B, N)."""
        bits = (actions[..., None] >> torch.arange(len(ACTIONS))) & 1  # (B, N, A)
        x = self.embed_items(items) + bits.float() @ self.actions.weight  # (B, N, D)
        if surfaces is not None:
            x = x + self.surfaces(surfaces)  # (B, N, D)
        if items.created is not None:
            age = (times - items.created).clamp_min(0)  # (B, N) seconds since published
            bucket = time_buckets(age, self.config.num_time_buckets) + 1  # (B, N); 0 = unknown
            x = x + self.ages(torch.where(items.created > 0, bucket, 0))  # (B, N, D)
        return x

    def transduce(
        self, features: SequentialFeatures, candidates: Candidates | None = None
    ) -> tuple[Tensor, Tensor]:
        """Hidden states of the history (B, T, D) and of the candidates (B, C, D; C = 0 if none)."""
        B, T = features.item_ids.shape
        x = self._tokens(
            features.items, features.actions, features.timestamps, features.surfaces
        )  # (B, T, D)
        position = torch.arange(T).expand(B, T)  # (B, T)
        times = features.timestamps  # (B, T)
        causal = torch.ones(T, T, dtype=torch.bool).tril() & features.mask[:, None, :]
        layout = _Layout(
            history=Distances.between(position, position, times, times, self.config),
            history_mask=causal[:, None],  # (B, 1, T, T)
            candidates=None,
            candidate_mask=None,
        )
        c = x.new_zeros(B, 0, x.shape[-1])  # (B, 0, D)
        if candidates is not None:
            c = self._tokens(
                candidates.items,
                torch.full_like(candidates.items.ids, CANDIDATE),
                candidates.timestamps,
                candidates.surfaces,
            )  # (B, C, D)
            visible = torch.minimum(candidates.visible, features.lengths[:, None])  # (B, C)
            layout = replace(
                layout,
                candidates=Distances.between(
                    visible, position, candidates.timestamps, times, self.config
                ),  # (B, C, T): a candidate sits right after the events it reads
                candidate_mask=(position[:, None, :] < visible[:, :, None])[:, None],
            )
        x, c = self.dropout(x), self.dropout(c)
        for layer in self.layers:
            x, c = layer(x, c, layout)  # (B, T, D), (B, C, D)
        return self.norm(x), self.norm(c)


def _append(history: Tensor | None, candidate: Tensor | None, b: int, c: int, v: int) -> Tensor:
    assert history is not None and candidate is not None
    return torch.cat([history[b, :v], candidate[b, c, None]])[None]  # (1, v+1, ...)


def _append_items(
    history: ItemFeatures, candidate: ItemFeatures, b: int, c: int, v: int
) -> ItemFeatures:
    def both(h: Tensor | None, k: Tensor | None) -> Tensor | None:
        return None if h is None or k is None else _append(h, k, b, c, v)

    return ItemFeatures(
        ids=_append(history.ids, candidate.ids, b, c, v),
        text=both(history.text, candidate.text),
        kinds=both(history.kinds, candidate.kinds),
        authors=both(history.authors, candidate.authors),
        created=both(history.created, candidate.created),
    )


@torch.no_grad()
def rank_reference(model: HSTU, features: SequentialFeatures, candidates: Candidates) -> Tensor:
    """`HSTU.rank` done the obvious, slow way, kept to test the fast path against: each candidate
    is appended to its visible history as one more causal event, one pass per candidate."""
    B, C = candidates.items.ids.shape
    marker = torch.full_like(candidates.items.ids, CANDIDATE)  # (B, C)
    scores = torch.empty(B, C, len(OBJECTIVE_NAMES))  # (B, C, H_obj)
    for b in range(B):
        for c in range(C):
            v = min(int(candidates.visible[b, c]), int(features.lengths[b]))
            surfaces = None
            if features.surfaces is not None and candidates.surfaces is not None:
                surfaces = _append(features.surfaces, candidates.surfaces, b, c, v)
            alone = SequentialFeatures(
                items=_append_items(features.items, candidates.items, b, c, v),
                actions=_append(features.actions, marker, b, c, v),
                timestamps=_append(features.timestamps, candidates.timestamps, b, c, v),
                lengths=torch.tensor([v + 1]),
                surfaces=surfaces,
            )
            scores[b, c] = model.heads(model(alone)[0, v])  # (H_obj,)
    return scores
