from __future__ import annotations

import numpy as np
import torch

from townsquare.feed.actions import OBJECTIVE_NAMES, action_id
from townsquare.feed.batch import LengthBuckets, history_features, training_batch
from townsquare.feed.data import Sequences


def _sequences() -> Sequences:
    return Sequences(
        items=[np.array([1, 2, 3, 4]), np.array([5, 6])],
        actions=[np.array([1, action_id("like"), 1, action_id("share")]), np.array([1, 1])],
        times=[np.array([10, 20, 30, 40]), np.array([50, 60])],
        num_items=6,
    )


def test_each_prefix_predicts_the_next_event() -> None:
    batch = training_batch(_sequences(), [0, 1], max_len=3, with_candidates=True)
    assert batch.features.item_ids.tolist() == [[1, 2, 3], [5, 0, 0]]
    assert batch.features.lengths.tolist() == [3, 1]
    assert batch.targets.tolist() == [[2, 3, 4], [6, 0, 0]]
    assert batch.candidates is not None and batch.labels is not None
    assert batch.candidates.visible.tolist() == [[1, 2, 3], [1, 2, 3]]
    assert batch.candidates.timestamps.tolist() == [[20, 30, 40], [60, 0, 0]]
    like, share = OBJECTIVE_NAMES.index("like"), OBJECTIVE_NAMES.index("comment_or_share")
    assert batch.labels[0, 0, like] == 1 and batch.labels[0, 2, share] == 1
    assert batch.labels[0, 1].sum() == 0


def test_long_histories_keep_their_latest_events() -> None:
    features = history_features(_sequences(), [0], max_len=2)
    assert features.item_ids.tolist() == [[3, 4]]
    assert features.timestamps.tolist() == [[30, 40]]
    batch = training_batch(_sequences(), [0], max_len=2)
    assert batch.features.item_ids.tolist() == [[2, 3]]
    assert batch.targets.tolist() == [[3, 4]]


def test_item_text_follows_the_item_ids() -> None:
    table = torch.arange(7.0)[:, None].expand(7, 3)  # item i's text vector is [i, i, i]
    features = history_features(_sequences(), [1], max_len=5, item_text=table)
    assert features.item_text is not None
    assert features.item_text[0, :, 0].tolist() == [5.0, 6.0]


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
