"""Training losses, and the objective module that DDP wraps.

Retrieval is a softmax over items: over the whole catalog when it is small enough (Beauty's 12k
items cost less than the model), otherwise over sampled negatives; only events the member engaged
with are targets. Ranking is one binary cross-entropy per objective head, on every event (an
impression scrolled past is a negative for every head). A model with a repeat bias has it added,
in both softmaxes, to the items each query's prefix already holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from townsquare.feed.batch import TrainingBatch
from townsquare.feed.items import ItemFeatures, ids_only
from townsquare.feed.model import HSTU
from townsquare.feed.recommender import SequenceRecommender, held_items


@dataclass(frozen=True)
class Repeats:
    """What the repeat bias needs in a loss: the distinct items each query's prefix holds."""

    bias: Tensor  # () cosine offset, learned
    prefixes: Tensor  # (P, T) ascending distinct item ids of each query's events 0..t, 0-padded

    @classmethod
    def of(cls, model: SequenceRecommender, item_ids: Tensor, engaged: Tensor) -> Repeats | None:
        """For the queries at the `engaged` positions (B, T) of histories `item_ids` (B, T)."""
        if model.repeat_bias is None:
            return None
        T = item_ids.shape[1]
        upto = torch.ones(T, T, dtype=torch.bool).tril()  # (T, T): [t, s] = event s is <= t
        ordered = (item_ids[:, None, :] * upto)[engaged].sort(dim=1).values  # (P, T)
        repeated = torch.zeros_like(ordered, dtype=torch.bool)  # (P, T)
        repeated[:, 1:] = ordered[:, 1:] == ordered[:, :-1]
        return cls(model.repeat_bias, ordered.masked_fill(repeated, 0).sort(dim=1).values)

    def among_catalog(self, num_items: int) -> Tensor:
        """(P, N) whether each of items 1..N is in each query's prefix."""
        return held_items(self.prefixes, num_items)[:, 1:]

    def among(self, samples: Tensor) -> Tensor:
        """(P, S) whether each of the items `samples` (S,) is in each query's prefix."""
        wanted = samples.expand(len(self.prefixes), -1).contiguous()  # (P, S)
        at = torch.searchsorted(self.prefixes, wanted).clamp_max(self.prefixes.shape[1] - 1)
        return self.prefixes.gather(1, at) == wanted  # (P, S)


# Queries per block of the full softmax: a (128, N) block of logits stays in cache for N ~ 10^4.
_BLOCK = 128


class _FullSoftmax(torch.autograd.Function):
    """Mean cross-entropy over the whole catalog, a block of queries at a time, with the
    gradients worked out in the same pass: the (P, N) logits never exist whole, and each block is
    read a few times while it is in cache instead of many times from memory (on Beauty, a third
    off the loss's forward and backward time). With `dtype` bfloat16 the three matrix products
    take bfloat16 operands (and the logits come out rounded to 8 significant bits) while softmax
    and every sum stay in float32: on a CPU with AVX512-BF16 or AMX that halves the loss's time
    again, and the model learns as well (docs/benchmarks.md, Beauty). `full_softmax_loss_reference`
    is the plain definition."""

    @staticmethod
    def forward(
        ctx: torch.autograd.function.FunctionCtx,
        queries: Tensor,  # (P, D) unit-norm
        items: Tensor,  # (N+1, D) unit-norm; row 0 is padding and never a candidate
        bias: Tensor,  # () repeat bias, a cosine offset (0 without one)
        targets: Tensor,  # (P,) item ids
        prefixes: Tensor,  # (P, T) distinct ids each query has seen, 0-padded
        temperature: float,
        dtype: torch.dtype,
    ) -> Tensor:
        P = queries.shape[0]
        scaled = queries / temperature  # (P, D)
        low_scaled, low_items = scaled.to(dtype), items.to(dtype)  # matrix product operands
        offset = float(bias) / temperature
        grad_queries = torch.empty_like(queries)  # (P, D)
        grad_items = torch.zeros_like(items)  # (N+1, D)
        grad_bias = torch.zeros((), dtype=torch.float64)
        total = torch.zeros((), dtype=torch.float64)
        for start in range(0, P, _BLOCK):
            block = slice(start, min(start + _BLOCK, P))
            rows = torch.arange(block.stop - start)
            target, seen = targets[block], prefixes[block]  # (c,), (c, T)
            logits = low_scaled[block] @ low_items.T  # (c, N+1)
            if offset:
                logits.scatter_add_(1, seen, torch.full(seen.shape, offset, dtype=dtype))
            logits[:, 0] = float("-inf")  # padding, and where the prefixes' 0s landed
            probabilities = torch.softmax(logits.float(), dim=1)  # (c, N+1)
            # -log p(target); a probability below float32's range (a logit 87 under the
            # normaliser, far past the +-1 / temperature of cosines) counts as 1e-38
            total -= probabilities[rows, target].clamp_min(1e-38).log().sum().double()
            held_target = (seen == target[:, None]).any(dim=1)  # (c,)
            grad_bias += (probabilities.gather(1, seen).sum() - held_target.sum()).double()
            probabilities[rows, target] -= 1.0  # d loss / d logits, before the 1 / P
            low = probabilities.to(dtype)
            grad_queries[block] = low @ low_items  # (c, D)
            grad_items += low.T @ low_scaled[block]  # (N+1, D), summed in float32
        ctx.save_for_backward(
            grad_queries / (P * temperature),
            grad_items / P,
            (grad_bias / (P * temperature)).float(),
        )
        return (total / P).float()

    @staticmethod
    def backward(
        ctx: torch.autograd.function.FunctionCtx, grad: Tensor
    ) -> tuple[Tensor | None, ...]:
        grad_queries, grad_items, grad_bias = ctx.saved_tensors  # type: ignore[attr-defined]
        return grad_queries * grad, grad_items * grad, grad_bias * grad, None, None, None, None


def full_softmax_loss(
    queries: Tensor,
    targets: Tensor,
    items: Tensor,
    temperature: float,
    repeats: Repeats | None = None,
    dtype: torch.dtype = torch.float32,
) -> Tensor:
    """Cross-entropy of each target among all N items, the repeat bias added to the items each
    query's prefix holds. queries (P, D) unit-norm, targets (P,) item ids, items (N+1, D) unit-norm
    catalog table (row 0, padding, is never a candidate); `dtype` of the matrix products' operands
    (float32 or bfloat16)."""
    if repeats is None:
        bias, prefixes = torch.zeros(()), targets.new_zeros(len(targets), 1)
    else:
        bias, prefixes = repeats.bias, repeats.prefixes
    loss: Tensor = _FullSoftmax.apply(  # type: ignore[no-untyped-call]
        queries, items, bias, targets, prefixes, temperature, dtype
    )
    return loss


def full_softmax_loss_reference(
    queries: Tensor,
    targets: Tensor,
    items: Tensor,
    temperature: float,
    repeats: Repeats | None = None,
) -> Tensor:
    """`full_softmax_loss` the obvious way, kept to test the blocked one against."""
    logits = queries @ items[1:].T / temperature  # (P, N): column i is item i + 1
    if repeats is not None:
        seen = repeats.among_catalog(items.shape[0] - 1)  # (P, N)
        logits = logits + seen * (repeats.bias / temperature)
    return F.cross_entropy(logits, targets - 1)


def sampled_softmax_loss(
    queries: Tensor,
    samples: Tensor,
    sample_items: Tensor,
    log_q: Tensor,
    temperature: float,
    repeats: Repeats | None = None,
) -> Tensor:
    """Softmax of each target against the batch's other targets and uniformly drawn items.

    `samples` (S,) are the P targets, in the order of `queries` (P, D), followed by the uniform
    draws; `sample_items` (S, D) are their unit-norm embeddings. In-batch negatives are drawn in
    proportion to popularity, which would teach the model to push popular items down; subtracting
    log Q, the log of each item's expected number of draws (N+1,), undoes that bias. A negative
    equal to the row's own target is masked out.
    """
    P = queries.shape[0]
    targets = samples[:P]  # (P,)
    similarity = queries @ sample_items.T  # (P, S)
    if repeats is not None:
        similarity = similarity + repeats.among(samples) * repeats.bias
    logits = similarity / temperature - log_q[samples]  # (P, S)
    accidental = samples[None, :] == targets[:, None]  # (P, S)
    accidental[:, :P].fill_diagonal_(False)  # the diagonal holds each row's own positive
    logits = logits.masked_fill(accidental, float("-inf"))
    return F.cross_entropy(logits, torch.arange(P))


def expected_draws_log(popularity: Tensor, num_targets: int, num_uniform: int) -> Tensor:
    """(N+1,) log of how often each item is drawn: `num_targets` by popularity, the rest uniformly.
    `popularity` (N+1,) sums to 1 over items 1..N."""
    uniform = num_uniform / (popularity.shape[0] - 1)
    return (num_targets * popularity + uniform).clamp_min(1e-12).log()


class TrainingObjective(nn.Module):
    """The whole loss as one module: DDP must wrap the module whose forward feeds backward."""

    def __init__(
        self,
        model: SequenceRecommender,
        *,
        negatives: int = 0,
        ranking_weight: float = 0.0,
        popularity: Tensor | None = None,
        dtype: torch.dtype = torch.float32,
    ) -> None:
        super().__init__()
        if negatives and popularity is None:
            raise ValueError("sampled softmax needs item popularity for its logQ correction")
        if ranking_weight and not isinstance(model, HSTU):
            raise ValueError("only HSTU has ranking heads")
        self.model = model
        self.negatives = negatives  # 0 = full softmax over the catalog
        self.ranking_weight = ranking_weight
        self.popularity = popularity  # (N+1,) share of training targets per item
        self.dtype = dtype  # of the full softmax's matrix product operands

    def forward(self, batch: TrainingBatch, catalog: ItemFeatures | None = None) -> Tensor:
        """Mean retrieval loss over every (prefix, engaged next item) pair, plus the weighted
        ranking loss. `catalog` is the (N+1,) item feature table when the model reads more than
        ids."""
        model = self.model
        ranking = None
        if isinstance(model, HSTU) and self.ranking_weight:
            hidden, candidate_states = model.transduce(batch.features, batch.candidates)
            ranking = model.heads(candidate_states)  # (B, T, objectives)
        else:
            hidden = model(batch.features)  # (B, T, D)
        engaged = batch.engaged & (batch.targets > 0)  # (B, T)
        queries = F.normalize(hidden[engaged], dim=-1)  # (P, D)
        targets = batch.targets[engaged]  # (P,)
        repeats = Repeats.of(model, batch.features.item_ids, engaged)
        if not len(targets):
            loss = hidden.sum() * 0.0  # no engaged target in this batch: ranking alone
        elif self.negatives and self.popularity is not None:
            uniform = torch.randint(1, model.num_items + 1, (self.negatives,))  # (R,)
            samples = torch.cat([targets, uniform])  # (S,) = (P + R,)
            items = ids_only(samples) if catalog is None else catalog.take(samples)  # (S,)
            sample_items = F.normalize(model.embed_items(items), dim=-1)  # (S, D)
            log_q = expected_draws_log(self.popularity, len(targets), self.negatives)  # (N+1,)
            loss = sampled_softmax_loss(
                queries, samples, sample_items, log_q, model.temperature, repeats
            )
        else:
            table = model.item_table(catalog)  # (N+1, D)
            loss = full_softmax_loss(
                queries, targets, table, model.temperature, repeats, self.dtype
            )
        if ranking is not None and batch.labels is not None:
            real = batch.targets > 0  # (B, T)
            heads = F.binary_cross_entropy_with_logits(ranking[real], batch.labels[real])
            loss = loss + self.ranking_weight * heads
        return loss
