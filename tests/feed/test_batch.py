from __future__ import annotations

import numpy as np
import torch

from townsquare.feed.batch import LengthBuckets, history_features, training_batch
from townsquare.feed.items import ItemFeatures
from townsquare.feed.sequences import Sequences
from townsquare.feed.vocabulary import OBJECTIVE_NAMES, SURFACE_IDS, action_bit, action_mask

INTERACT = action_bit("interact")
LIKE = action_bit("like")
SHARE = action_bit("share")
IMPRESSION = action_bit("impression")
HIDE = action_mask({"impression", "hide"})


def _sequences(*, surfaces: bool = False) -> Sequences:
    feed, post = SURFACE_IDS["feed"], SURFACE_IDS["post"]
    return Sequences(
        items=[np.array([1, 2, 3, 4, 5]), np.array([5, 6])],
        actions=[
            np.array([INTERACT, LIKE | INTERACT, IMPRESSION, SHARE, HIDE]),
            np.array([INTERACT, INTERACT]),
        ],
        times=[np.array([10, 20, 30, 40, 50]), np.array([50, 60])],
        num_items=6,
        surfaces=[np.array([feed, post, feed, post, feed]), np.array([feed, feed])]
        if surfaces
        else None,
    )


def test_each_prefix_predicts_the_next_event() -> None:
    batch = training_batch(_sequences(), [0, 1], max_len=4, with_candidates=True)
    assert batch.features.item_ids.tolist() == [[1, 2, 3, 4], [5, 0, 0, 0]]
    assert batch.features.lengths.tolist() == [4, 1]
    assert batch.targets.tolist() == [[2, 3, 4, 5], [6, 0, 0, 0]]
    assert batch.candidates is not None and batch.labels is not None
    assert batch.candidates.visible.tolist() == [[1, 2, 3, 4], [1, 2, 3, 4]]
    assert batch.candidates.timestamps.tolist() == [[20, 30, 40, 50], [60, 0, 0, 0]]
    like, share = OBJECTIVE_NAMES.index("like"), OBJECTIVE_NAMES.index("comment_or_share")
    hide = OBJECTIVE_NAMES.index("hide_or_report")
    assert batch.labels[0, 0, like] == 1 and batch.labels[0, 2, share] == 1
    assert batch.labels[0, 1].sum() == 0  # an impression scrolled past: negative for every head
    assert batch.labels[0, 3].tolist() == [float(h == hide) for h in range(len(OBJECTIVE_NAMES))]


def test_only_engaged_events_are_retrieval_targets() -> None:
    batch = training_batch(_sequences(), [0, 1], max_len=4)
    # Targets 2 (like), 3 (impression only), 4 (share), 5 (hidden); 6; padding.
    assert batch.engaged.tolist() == [[True, False, True, False], [True, False, False, False]]
    assert batch.candidates is None and batch.labels is None


def test_long_histories_keep_their_latest_events() -> None:
    features = history_features(_sequences(), [0], max_len=2)
    assert features.item_ids.tolist() == [[4, 5]]
    assert features.timestamps.tolist() == [[40, 50]]
    assert features.actions.tolist() == [[SHARE, HIDE]]
    batch = training_batch(_sequences(), [0], max_len=2)
    assert batch.features.item_ids.tolist() == [[3, 4]]
    assert batch.targets.tolist() == [[4, 5]]


def test_surfaces_follow_their_events() -> None:
    batch = training_batch(_sequences(surfaces=True), [0], max_len=2, with_candidates=True)
    assert batch.features.surfaces is not None and batch.candidates is not None
    assert batch.features.surfaces.tolist() == [[SURFACE_IDS["feed"], SURFACE_IDS["post"]]]
    assert batch.candidates.surfaces is not None
    assert batch.candidates.surfaces.tolist() == [[SURFACE_IDS["post"], SURFACE_IDS["feed"]]]
    assert history_features(_sequences(), [0], max_len=2).surfaces is None


def test_side_features_follow_the_item_ids() -> None:
    catalog = ItemFeatures(
        ids=torch.arange(7),
        text=torch.arange(7.0)[:, None].expand(7, 3),  # item i's text vector is [i, i, i]
        kinds=torch.arange(7) % 3,
        authors=torch.arange(7) + 100,
        created=torch.arange(7) * 1000,
    )
    features = history_features(_sequences(), [1], max_len=5, catalog=catalog)
    items = features.items
    assert items.text is not None and items.kinds is not None
    assert items.authors is not None and items.created is not None
    assert items.text[0, :, 0].tolist() == [5.0, 6.0]
    assert items.kinds.tolist() == [[2, 0]]
    assert items.authors.tolist() == [[105, 106]]
    assert items.created.tolist() == [[5000, 6000]]
    batch = training_batch(_sequences(), [1], max_len=5, with_candidates=True, catalog=catalog)
    assert batch.candidates is not None and batch.candidates.items.authors is not None
    assert batch.candidates.items.authors.tolist() == [[106]]


def test_length_buckets_cover_every_row_once_and_shard_evenly() -> None:
    lengths = np.random.default_rng(0).integers(2, 30, size=103)
    whole = LengthBuckets(lengths, 10, seed=3).batches(epoch=0)
    assert sorted(i for batch in whole for i in batch) == list(range(103))
    assert whole == LengthBuckets(lengths, 10, seed=3).batches(epoch=0)
    assert whole != LengthBuckets(lengths, 10, seed=3).batches(epoch=1)
    spans = [lengths[b].max() - lengths[b].min() for b in whole]
    assert max(spans) <= 6  # lengths run 2..29: a random batch of 10 would span ~20
    shards = [LengthBuckets(lengths, 10, seed=3, rank=r, world_size=2).batches(0) for r in (0, 1)]
    assert len(shards[0]) == len(shards[1]) == 5
    assert not {i for b in shards[0] for i in b} & {i for b in shards[1] for i in b}
