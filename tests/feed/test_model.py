from __future__ import annotations

import dataclasses

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.feed.actions import OBJECTIVE_NAMES
from townsquare.feed.baseline_sasrec import SASRec, SASRecConfig
from townsquare.feed.batch import Candidates, SequentialFeatures
from townsquare.feed.model import HSTU, HSTUConfig, rank_reference
from townsquare.feed.recommender import SequenceRecommender

from .conftest import random_features

ITEMS = 30


def _hstu(seed: int = 0, **overrides: int) -> HSTU:
    torch.manual_seed(seed)
    config = HSTUConfig(num_items=ITEMS, max_len=12, dim=16, num_heads=2)
    return HSTU(dataclasses.replace(config, **overrides)).eval()


def _sasrec() -> SASRec:
    torch.manual_seed(0)
    return SASRec(SASRecConfig(num_items=ITEMS, max_len=12, dim=16, num_heads=2)).eval()


def _candidates(
    features: SequentialFeatures, count: int, seed: int = 1, text_dim: int = 0
) -> Candidates:
    generator = torch.Generator().manual_seed(seed)
    B = features.item_ids.shape[0]
    return Candidates(
        item_ids=torch.randint(0, ITEMS + 1, (B, count), generator=generator),
        timestamps=torch.full((B, count), 2 * 10**9),
        visible=features.lengths[:, None].expand(B, count),
        item_text=torch.randn(B, count, text_dim, generator=generator) if text_dim else None,
    )


def _with(features: SequentialFeatures, **changes: torch.Tensor) -> SequentialFeatures:
    return dataclasses.replace(features, **changes)


@pytest.mark.parametrize("model", [_hstu(), _sasrec()], ids=["hstu", "sasrec"])
def test_a_later_event_does_not_change_earlier_outputs(model: SequenceRecommender) -> None:
    features = random_features(3, 10, ITEMS)
    features = _with(features, lengths=torch.full((3,), 10))
    changed_items = features.item_ids.clone()
    changed_items[:, 6:] = torch.randint(1, ITEMS + 1, (3, 4))
    changed_times = features.timestamps.clone()
    changed_times[:, 6:] += 10**6
    before = model(features)
    after = model(_with(features, item_ids=changed_items, timestamps=changed_times))
    torch.testing.assert_close(after[:, :6], before[:, :6])
    assert not torch.allclose(after[:, 6:], before[:, 6:])


def test_padding_does_not_change_real_positions() -> None:
    model = _hstu()
    features = random_features(2, 5, ITEMS)
    padded = _with(
        features,
        item_ids=torch.cat([features.item_ids, torch.zeros(2, 3, dtype=torch.int64)], 1),
        action_ids=torch.cat([features.action_ids, torch.zeros(2, 3, dtype=torch.int64)], 1),
        timestamps=torch.cat([features.timestamps, torch.zeros(2, 3, dtype=torch.int64)], 1),
    )
    torch.testing.assert_close(model.last_query(padded), model.last_query(features))


def test_a_candidate_does_not_see_the_other_candidates() -> None:
    model = _hstu()
    features = random_features(2, 8, ITEMS)
    candidates = _candidates(features, 5)
    scores = model.rank(features, candidates)
    assert scores.shape == (2, 5, len(OBJECTIVE_NAMES))
    changed = candidates.item_ids.clone()
    changed[:, 2] = changed[:, 2] % ITEMS + 1
    rescored = model.rank(features, dataclasses.replace(candidates, item_ids=changed))
    keep = [0, 1, 3, 4]
    torch.testing.assert_close(rescored[:, keep], scores[:, keep])
    assert not torch.allclose(rescored[:, 2], scores[:, 2])


def test_ranking_does_not_change_the_history_outputs() -> None:
    model = _hstu()
    features = random_features(2, 8, ITEMS)
    history, _ = model.transduce(features, _candidates(features, 4))
    torch.testing.assert_close(history, model(features))


@settings(max_examples=25, deadline=None)
@given(
    batch=st.integers(1, 3),
    length=st.integers(1, 12),
    count=st.integers(1, 6),
    layers=st.integers(1, 2),
    text_dim=st.sampled_from([0, 4]),
    seed=st.integers(0, 2**16),
    earlier=st.booleans(),
)
def test_one_pass_ranking_matches_one_pass_per_candidate(
    batch: int, length: int, count: int, layers: int, text_dim: int, seed: int, earlier: bool
) -> None:
    model = _hstu(seed, num_layers=layers, text_dim=text_dim)
    features = random_features(batch, length, ITEMS, seed=seed, text_dim=text_dim)
    candidates = _candidates(features, count, seed=seed + 1, text_dim=text_dim)
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


def test_a_cold_item_is_scored_from_its_text() -> None:
    model = _hstu(text_dim=8)
    features = random_features(1, 6, ITEMS, text_dim=8)
    text = torch.randn(1, 2, 8)
    cold = Candidates(
        item_ids=torch.zeros(1, 2, dtype=torch.int64),  # neither id is in the table
        timestamps=torch.zeros(1, 2, dtype=torch.int64),
        visible=features.lengths[:, None].expand(1, 2),
        item_text=text,
    )
    scores = model.rank(features, cold)
    assert not torch.allclose(scores[0, 0], scores[0, 1])
    swapped = dataclasses.replace(cold, item_text=text.flip(1))
    torch.testing.assert_close(model.rank(features, swapped), scores.flip(1))
    with pytest.raises(ValueError, match="item_text"):
        model.item_table()


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
