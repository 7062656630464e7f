"""SASRec (Kang & McAuley, ICDM 2018): causal softmax self-attention over item ids.

The baseline HSTU is measured against, on the same data pipeline, loss and protocol, so the
benchmark's ratio compares the architectures and nothing else. Pre-LayerNorm blocks, learned
absolute positions, a GELU feed-forward, item embeddings shared between input and output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from townsquare.feed.batch import SequentialFeatures
from townsquare.feed.items import ItemFeatures
from townsquare.feed.recommender import SequenceRecommender, embedding_table, learned_repeat_bias


@dataclass(frozen=True)
class SASRecConfig:
    kind: Literal["sasrec"] = "sasrec"  # tags the config in checkpoint JSON
    num_items: int = 0  # catalog size N: item ids 1..N, 0 = padding
    max_len: int = 50  # longest history read; older events are dropped
    dim: int = 64  # D: width of embeddings and of every layer
    num_layers: int = 2  # stacked transformer blocks
    num_heads: int = 1  # H: attention heads, each D / H wide
    dropout: float = 0.3  # on embeddings, attention weights and block outputs
    temperature: float = 0.05  # cosine similarity / temperature = retrieval logit
    repeat_bias: bool = True  # learn how likely an item already in the history comes next


class SASRecBlock(nn.Module):
    def __init__(self, config: SASRecConfig) -> None:
        super().__init__()
        self.heads = config.num_heads
        self.dropout = config.dropout
        self.norm_attn = nn.LayerNorm(config.dim)
        self.qkv = nn.Linear(config.dim, 3 * config.dim)
        self.out = nn.Linear(config.dim, config.dim)
        self.norm_ffn = nn.LayerNorm(config.dim)
        self.ffn = nn.Sequential(
            nn.Linear(config.dim, config.dim),
            nn.GELU(),
            nn.Linear(config.dim, config.dim),
        )

    def forward(self, x: Tensor) -> Tensor:
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm_attn(x)).chunk(3, dim=-1)  # 3 x (B, T, D)
        q, k, v = (t.view(B, T, self.heads, D // self.heads).transpose(1, 2) for t in (q, k, v))
        # Rows are right-padded, so the causal mask alone keeps real positions off the padding.
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=p)  # (B, H, T, D/H)
        y = y.transpose(1, 2).reshape(B, T, D)  # (B, T, D)
        x = x + F.dropout(self.out(y), p, self.training)  # (B, T, D)
        return x + F.dropout(self.ffn(self.norm_ffn(x)), p, self.training)  # (B, T, D)


class SASRec(SequenceRecommender):
    def __init__(self, config: SASRecConfig) -> None:
        super().__init__()
        self.config = config
        self.num_items = config.num_items
        self.temperature = config.temperature
        self.repeat_bias = learned_repeat_bias(config.repeat_bias)
        self.items = embedding_table(config.num_items + 1, config.dim, padding=True)
        self.positions = embedding_table(config.max_len, config.dim)
        self.dropout = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(SASRecBlock(config) for _ in range(config.num_layers))
        self.norm = nn.LayerNorm(config.dim)

    def embed_items(self, items: ItemFeatures) -> Tensor:
        embedding: Tensor = self.items(items.ids)  # (..., D): ids only
        return embedding

    def forward(self, features: SequentialFeatures) -> Tensor:
        T = features.item_ids.shape[1]
        x: Tensor = self.items(features.item_ids) + self.positions(torch.arange(T))  # (B, T, D)
        x = self.dropout(x)
        for block in self.blocks:
            x = block(x)  # (B, T, D)
        hidden: Tensor = self.norm(x)  # (B, T, D)
        return hidden
