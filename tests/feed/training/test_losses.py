from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from townsquare.feed.training.baseline_sasrec import SASRec, SASRecConfig
from townsquare.feed.training.losses import (
    Repeats,
    expected_draws_log,
    full_softmax_loss,
    full_softmax_loss_reference,
    sampled_softmax_loss,
)


def _unit(rows: int, dim: int = 8, seed: int = 0) -> torch.Tensor:
    return F.normalize(torch.randn(rows, dim, generator=torch.Generator().manual_seed(seed)), dim=1)


def test_full_softmax_never_counts_the_padding_item() -> None:
    queries, items = _unit(3), _unit(6, seed=1)
    targets = torch.tensor([1, 5, 2])
    logits = queries @ items[1:].T / 0.1
    expected = F.cross_entropy(logits, targets - 1)
    assert full_softmax_loss(queries, targets, items, 0.1) == pytest.approx(float(expected))


def test_sampled_softmax_masks_a_negative_equal_to_the_target() -> None:
    queries, items = _unit(1), _unit(10, seed=1)
    samples = torch.tensor([3, 4, 7, 3, 8])  # target 3, then draws; the second 3 is the target
    loss = sampled_softmax_loss(queries, samples, items[samples], torch.zeros(10), 0.1)
    logits = queries @ items[[3, 4, 7, 8]].T / 0.1  # the duplicate is not a negative
    assert float(loss) == pytest.approx(float(F.cross_entropy(logits, torch.tensor([0]))))


def test_in_batch_negatives_are_the_other_rows_targets() -> None:
    queries, items = _unit(3), _unit(10, seed=1)
    samples = torch.tensor(
        [2, 5, 2]
    )  # rows 0 and 2 share a target: neither is the other's negative
    log_q = torch.randn(10)
    loss = sampled_softmax_loss(queries, samples, items[samples], log_q, 0.1)
    logits = queries @ items[samples].T / 0.1 - log_q[samples]
    logits[0, 2] = logits[2, 0] = float("-inf")
    assert float(loss) == pytest.approx(float(F.cross_entropy(logits, torch.arange(3))))


def test_log_q_is_the_expected_number_of_draws() -> None:
    popularity = torch.tensor([0.0, 0.5, 0.25, 0.25])
    log_q = expected_draws_log(popularity, num_targets=8, num_uniform=6)
    assert log_q[1:].exp().tolist() == pytest.approx([4 + 2, 2 + 2, 2 + 2])
    assert math.isfinite(float(log_q[0]))


def _repeats(item_ids: list[list[int]], engaged: list[list[bool]], bias: float) -> Repeats:
    model = SASRec(SASRecConfig(num_items=9, max_len=4, dim=8))
    with torch.no_grad():
        assert model.repeat_bias is not None
        model.repeat_bias.fill_(bias)
    repeats = Repeats.of(model, torch.tensor(item_ids), torch.tensor(engaged))
    assert repeats is not None
    return repeats


def test_repeats_hold_the_items_of_each_querys_prefix_only() -> None:
    repeats = _repeats([[3, 5, 3, 0]], [[True, False, True, False]], -1.0)
    assert repeats.prefixes.tolist() == [[0, 0, 0, 3], [0, 0, 3, 5]]  # distinct, ascending
    seen = repeats.among_catalog(9)  # (2, 9): column i is item i + 1
    assert [torch.nonzero(row).flatten().add(1).tolist() for row in seen] == [[3], [3, 5]]
    samples = torch.tensor([5, 3, 9, 1])
    assert repeats.among(samples).tolist() == [
        [False, True, False, False],
        [True, True, False, False],
    ]
    torch.testing.assert_close(repeats.among(samples), seen[:, samples - 1])


def test_the_repeat_bias_moves_the_logits_of_held_items_only() -> None:
    queries, items = _unit(2), _unit(10, seed=1)
    targets = torch.tensor([4, 6])
    repeats = _repeats([[3, 5, 3, 0]], [[True, False, True, False]], -0.5)
    repeats = Repeats(repeats.bias.detach(), repeats.prefixes)
    logits = queries @ items[1:].T / 0.1
    logits[0, 2] -= 5.0  # item 3 in the first prefix: -0.5 cosine / 0.1
    logits[1, [2, 4]] -= 5.0  # items 3 and 5 in the second
    expected = F.cross_entropy(logits, targets - 1)
    assert float(full_softmax_loss(queries, targets, items, 0.1, repeats)) == pytest.approx(
        float(expected)
    )
    samples = torch.tensor([4, 6, 3, 5])  # the targets, then two draws
    logits = queries @ items[samples].T / 0.1
    logits[0, 2] -= 5.0
    logits[1, [2, 3]] -= 5.0
    sampled = sampled_softmax_loss(queries, samples, items[samples], torch.zeros(10), 0.1, repeats)
    assert float(sampled) == pytest.approx(float(F.cross_entropy(logits, torch.arange(2))))


def test_a_model_without_a_repeat_bias_has_no_repeats() -> None:
    model = SASRec(SASRecConfig(num_items=9, max_len=4, dim=8, repeat_bias=False))
    assert Repeats.of(model, torch.tensor([[1, 2]]), torch.tensor([[True, True]])) is None


@pytest.mark.parametrize("with_repeats", [False, True])
def test_the_blocked_full_softmax_matches_its_reference_and_its_gradients(
    with_repeats: bool,
) -> None:
    generator = torch.Generator().manual_seed(3)
    histories = torch.randint(1, 40, (20, 12), generator=generator)  # repeats within rows too
    histories[:, 9:] = 0  # padding
    engaged = histories > 0
    repeats = _repeats(histories.tolist(), engaged.tolist(), -0.3) if with_repeats else None
    queries = _unit(int(engaged.sum()), seed=4).requires_grad_()  # 180 > one block of queries
    items = _unit(40, seed=5).requires_grad_()
    targets = torch.randint(1, 40, (len(queries),), generator=generator)
    targets[0] = int(histories[0, 0])  # a target the prefix already holds
    grads = []
    for loss_of in (full_softmax_loss, full_softmax_loss_reference):
        loss = loss_of(queries, targets, items, 0.1, repeats)
        wrt = [queries, items] + ([repeats.bias] if repeats is not None else [])
        grads.append((loss.detach(), *torch.autograd.grad(loss, wrt)))
    for blocked, reference in zip(*grads, strict=True):
        torch.testing.assert_close(blocked, reference, atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("with_repeats", [False, True])
def test_bfloat16_products_stay_within_rounding_of_the_reference(with_repeats: bool) -> None:
    generator = torch.Generator().manual_seed(6)
    histories = torch.randint(1, 300, (30, 10), generator=generator)
    engaged = histories > 0
    repeats = _repeats(histories.tolist(), engaged.tolist(), -0.3) if with_repeats else None
    queries = _unit(int(engaged.sum()), seed=7).requires_grad_()  # 300: three blocks
    items = _unit(300, seed=8).requires_grad_()
    targets = torch.randint(1, 300, (len(queries),), generator=generator)
    wrt = [queries, items] + ([repeats.bias] if repeats is not None else [])
    low_loss = full_softmax_loss(queries, targets, items, 0.05, repeats, torch.bfloat16)
    loss = full_softmax_loss_reference(queries, targets, items, 0.05, repeats)
    low_grads, grads = torch.autograd.grad(low_loss, wrt), torch.autograd.grad(loss, wrt)
    low_loss, loss = low_loss.detach(), loss.detach()
    assert low_loss != loss  # the products were rounded ...
    assert float(low_loss) == pytest.approx(float(loss), rel=1e-3)  # ... to within 8 bits
    for low, exact in zip(low_grads, grads, strict=True):
        assert float((low - exact).norm() / exact.norm()) < 0.02
