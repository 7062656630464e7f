from __future__ import annotations

import dataclasses

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.feed.batch import Candidates, SequentialFeatures
from townsquare.feed.items import ItemFeatures, ids_only
from townsquare.feed.model import HSTU, HSTUConfig, rank_reference
from townsquare.feed.recommender import SequenceRecommender
from townsquare.feed.training.baseline_sasrec import SASRec, SASRecConfig
from townsquare.feed.vocabulary import OBJECTIVE_NAMES, SURFACES, action_bit, action_mask

from .conftest import random_features, random_items

ITEMS = 30


def _hstu(seed: int = 0, **overrides: float) -> HSTU:
    torch.manual_seed(seed)
    config = HSTUConfig(num_items=ITEMS, max_len=12, dim=16, num_heads=2)
    model = HSTU(dataclasses.replace(config, **overrides)).eval()
    with torch.no_grad():  # learned biases start at zero; make them matter in these checks
        for layer in model.layers:
            layer.bias.position.weight.normal_()
            layer.bias.time.weight.normal_()
    return model


def _sasrec() -> SASRec:
    torch.manual_seed(0)
    return SASRec(SASRecConfig(num_items=ITEMS, max_len=12, dim=16, num_heads=2)).eval()


def _candidates(
    features: SequentialFeatures, count: int, seed: int = 1, text_dim: int = 0, side: bool = False
) -> Candidates:
    generator = torch.Generator().manual_seed(seed)
    B = features.item_ids.shape[0]
    surfaces = torch.randint(0, len(SURFACES), (B, count), generator=generator) if side else None
    return Candidates(
        items=random_items((B, count), ITEMS, generator, text_dim=text_dim, side=side),
        timestamps=torch.full((B, count), 2 * 10**9),
        visible=features.lengths[:, None].expand(B, count),
        surfaces=surfaces,
    )


def _with(features: SequentialFeatures, **changes: object) -> SequentialFeatures:
    return dataclasses.replace(features, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("model", [_hstu(), _sasrec()], ids=["hstu", "sasrec"])
def test_a_later_event_does_not_change_earlier_outputs(model: SequenceRecommender) -> None:
    features = random_features(3, 10, ITEMS)
    features = _with(features, lengths=torch.full((3,), 10))
    changed_items = features.item_ids.clone()
    changed_items[:, 6:] = torch.randint(1, ITEMS + 1, (3, 4))
    changed_times = features.timestamps.clone()
    changed_times[:, 6:] += 10**6
    before = model(features)
    after = model(_with(features, items=ids_only(changed_items), timestamps=changed_times))
    torch.testing.assert_close(after[:, :6], before[:, :6])
    assert not torch.allclose(after[:, 6:], before[:, 6:])


def test_padding_does_not_change_real_positions() -> None:
    model = _hstu()
    features = random_features(2, 5, ITEMS)
    zeros = torch.zeros(2, 3, dtype=torch.int64)
    padded = _with(
        features,
        items=ids_only(torch.cat([features.item_ids, zeros], 1)),
        actions=torch.cat([features.actions, zeros], 1),
        timestamps=torch.cat([features.timestamps, zeros], 1),
    )
    torch.testing.assert_close(model.last_query(padded), model.last_query(features))


def test_every_action_of_an_event_is_read() -> None:
    model = _hstu()
    features = random_features(1, 4, ITEMS)
    like = features.actions.clone()
    like[0, -1] = action_bit("open")
    both = like.clone()
    both[0, -1] = action_mask({"open", "like"})
    outputs = [model.last_query(_with(features, actions=a)) for a in (like, both)]
    assert not torch.allclose(outputs[0], outputs[1])


def test_a_candidate_does_not_see_the_other_candidates() -> None:
    model = _hstu()
    features = random_features(2, 8, ITEMS)
    candidates = _candidates(features, 5)
    scores = model.rank(features, candidates)
    assert scores.shape == (2, 5, len(OBJECTIVE_NAMES))
    changed = candidates.items.ids.clone()
    changed[:, 2] = changed[:, 2] % ITEMS + 1
    rescored = model.rank(features, dataclasses.replace(candidates, items=ids_only(changed)))
    keep = [0, 1, 3, 4]
    torch.testing.assert_close(rescored[:, keep], scores[:, keep])
    assert not torch.allclose(rescored[:, 2], scores[:, 2])


def test_ranking_does_not_change_the_history_outputs() -> None:
    model = _hstu()
    features = random_features(2, 8, ITEMS, side=True)
    history, _ = model.transduce(features, _candidates(features, 4, side=True))
    torch.testing.assert_close(history, model(features))


@settings(max_examples=25, deadline=None)
@given(
    batch=st.integers(1, 3),
    length=st.integers(1, 12),
    count=st.integers(1, 6),
    layers=st.integers(1, 2),
    text_dim=st.sampled_from([0, 4]),
    side=st.booleans(),
    seed=st.integers(0, 2**16),
    earlier=st.booleans(),
)
def test_one_pass_ranking_matches_one_pass_per_candidate(
    batch: int,
    length: int,
    count: int,
    layers: int,
    text_dim: int,
    side: bool,
    seed: int,
    earlier: bool,
) -> None:
    model = _hstu(seed, num_layers=layers, text_dim=text_dim)
    features = random_features(batch, length, ITEMS, seed=seed, text_dim=text_dim, side=side)
    candidates = _candidates(features, count, seed=seed + 1, text_dim=text_dim, side=side)
    if earlier:  # training-style candidates that each see only a prefix of the history
        visible = torch.randint(
            0, length + 1, (batch, count), generator=torch.Generator().manual_seed(seed)
        )
        candidates = dataclasses.replace(candidates, visible=visible)
    torch.testing.assert_close(
        model.rank(features, candidates),
        rank_reference(model, features, candidates),
        rtol=1e-4,
        atol=1e-5,
    )


def test_a_cold_item_is_scored_from_its_features() -> None:
    model = _hstu(text_dim=8)
    features = random_features(1, 6, ITEMS, text_dim=8)
    text = torch.randn(1, 2, 8)
    cold = Candidates(
        items=ItemFeatures(ids=torch.zeros(1, 2, dtype=torch.int64), text=text),  # ids unknown
        timestamps=torch.zeros(1, 2, dtype=torch.int64),
        visible=features.lengths[:, None].expand(1, 2),
    )
    scores = model.rank(features, cold)
    assert not torch.allclose(scores[0, 0], scores[0, 1])
    swapped = dataclasses.replace(cold, items=ItemFeatures(ids=cold.items.ids, text=text.flip(1)))
    torch.testing.assert_close(model.rank(features, swapped), scores.flip(1))
    with pytest.raises(ValueError, match="text vectors"):
        model.item_table()


def test_author_kind_and_age_change_a_cold_items_score() -> None:
    model = _hstu()
    features = random_features(1, 6, ITEMS)
    base = ItemFeatures(
        ids=torch.zeros(1, 1, dtype=torch.int64),
        kinds=torch.tensor([[1]]),
        authors=torch.tensor([[3]]),
        created=torch.tensor([[10**9]]),
    )
    shown = torch.full((1, 1), 10**9 + 60)

    def score(items: ItemFeatures, at: torch.Tensor = shown) -> torch.Tensor:
        return model.rank(features, Candidates(items, at, features.lengths[:, None]))

    reference = score(base)
    for changed in (
        dataclasses.replace(base, kinds=torch.tensor([[2]])),
        dataclasses.replace(base, authors=torch.tensor([[4]])),
    ):
        assert not torch.allclose(score(changed), reference)
    assert not torch.allclose(score(base, shown + 30 * 86_400), reference)  # a month older


def test_retrieve_returns_the_top_k_of_the_whole_catalog() -> None:
    model = _hstu()
    features = random_features(3, 7, ITEMS)
    scores, ids = model.retrieve(features, 5)
    assert ids.shape == scores.shape == (3, 5)
    expected = model.catalog_scores(features)[:, 1:].argsort(dim=1, descending=True)[:, :5] + 1
    assert torch.equal(ids, expected)
    assert (scores[:, :-1] >= scores[:, 1:]).all()
    assert (ids > 0).all()
    _, fresh = model.retrieve(features, ITEMS, exclude_history=True)
    for row, history in zip(fresh, features.item_ids, strict=True):
        seen = set(history.tolist()) - {0}
        assert seen.isdisjoint(row[: ITEMS - len(seen)].tolist())


def test_retrieval_over_a_catalog_with_items_unknown_to_the_table() -> None:
    model = _hstu(text_dim=4)
    features = random_features(1, 5, ITEMS, text_dim=4)
    text = torch.nn.functional.normalize(torch.randn(6, 4), dim=-1)
    live = ItemFeatures(ids=torch.tensor([0, 3, 0, 7, 0, 0]), text=text)  # rows 2, 4, 5 are new
    scores, rows = model.retrieve(features, 5, catalog=live)
    assert sorted(rows[0].tolist()) == [1, 2, 3, 4, 5]  # every real row, never padding row 0
    assert torch.isfinite(scores).all()


def test_id_dropout_hides_ids_in_training_only() -> None:
    model = _hstu(text_dim=4, id_dropout=1.0, dropout=0)
    items = ItemFeatures(ids=torch.tensor([3, 5]), text=torch.randn(2, 4))
    text_only = dataclasses.replace(items, ids=torch.zeros(2, dtype=torch.int64))
    with torch.no_grad():
        learned = model.embed_items(items)
        model.train()
        torch.testing.assert_close(model.embed_items(items), model.embed_items(text_only))
        model.eval()
        torch.testing.assert_close(model.embed_items(items), learned)
    assert not torch.allclose(learned, model.embed_items(text_only))


@torch.no_grad()
def test_the_repeat_bias_shifts_only_the_items_in_the_history() -> None:
    model = _hstu()
    features = random_features(2, 5, ITEMS)
    table = model.item_table()
    assert model.repeat_bias is not None
    plain = model.next_item_logits(features, table)  # the bias starts at zero
    model.repeat_bias.fill_(-0.2)
    shifted = model.next_item_logits(features, table)
    for b in range(2):
        held = set(features.item_ids[b].tolist()) - {0}
        moved = {i for i in range(1, ITEMS + 1) if not torch.isclose(shifted[b, i], plain[b, i])}
        assert moved == held
        for i in held:
            assert float(plain[b, i] - shifted[b, i]) == pytest.approx(0.2 / model.temperature)
    first, second = (int(i) for i in features.item_ids[0, :2])  # both in row 0's history
    # A live catalog: row 1 is a new item (id 0) that happens to look like `second`.
    ids = torch.tensor([0, 0, first])
    rows = model.next_item_logits(features, table[[0, second, first]], ids)
    assert float(rows[0, 2]) == pytest.approx(float(shifted[0, first]))
    assert float(rows[0, 1]) == pytest.approx(float(plain[0, second]))  # never taken as seen
    assert torch.isinf(rows[:, 0]).all()
