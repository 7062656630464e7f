from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from townsquare.feed.sequences import Sequences, leave_one_out
from townsquare.feed.training.data import (
    RawEvent,
    build_dataset,
    k_core,
    load_dataset,
    read_recbole,
    read_user_item_lines,
)
from townsquare.feed.vocabulary import INTERACT, action_bit, action_mask


def _events(pairs: str) -> list[RawEvent]:
    return [(p[0], p[1:], INTERACT, 0) for p in pairs.split()]


def test_k_core_repeats_until_stable() -> None:
    # 2-core: c goes (one event), then item 3 (left with a only), then a, then item 1, then b.
    events = _events("a1 a3 b1 b2 c3 d2 d4 e2 e4")
    kept = k_core(events, 2)
    assert sorted(f"{u}{i}" for u, i, _, _ in kept) == ["d2", "d4", "e2", "e4"]
    assert k_core(kept, 2) == kept


def test_k_core_keeps_order() -> None:
    events = _events("a1 a2 b2 b1 a3")
    assert k_core(events, 1) == events


def test_build_dataset_numbers_items_from_one_in_order_of_appearance() -> None:
    dataset = build_dataset(_events("a7 a5 b5 b9"))
    assert dataset.item_tokens == ("", "7", "5", "9")
    assert dataset.user_tokens == ("a", "b")
    assert [row.tolist() for row in dataset.sequences.items] == [[1, 2], [2, 3]]
    assert dataset.sequences.num_items == 3


def test_leave_one_out_holds_out_the_last_two_events() -> None:
    sequences = Sequences(
        items=[np.array([1, 2, 3, 4]), np.array([5, 6]), np.array([7, 8, 9])],
        actions=[np.ones(4, np.int64), np.ones(2, np.int64), np.ones(3, np.int64)],
        times=[np.zeros(4, np.int64), np.zeros(2, np.int64), np.zeros(3, np.int64)],
        num_items=9,
    )
    split = leave_one_out(sequences)
    assert [row.tolist() for row in split.train.items] == [[1, 2], [7], [5, 6]]
    assert [row.tolist() for row in split.valid.histories.items] == [[1, 2], [7]]
    assert split.valid.targets.tolist() == [3, 8]
    assert [row.tolist() for row in split.test.histories.items] == [[1, 2, 3], [7, 8]]
    assert split.test.targets.tolist() == [4, 9]
    assert [row.tolist() for row in split.train_with_valid.items] == [[1, 2, 3], [7, 8], [5, 6]]


def test_only_engaged_held_out_events_are_retrieval_targets() -> None:
    seen = action_bit("impression")
    hidden = action_mask({"impression", "open", "hide"})
    sequences = Sequences(
        items=[np.array([1, 2, 3]), np.array([4, 5, 6]), np.array([7, 8, 9])],
        actions=[np.full(3, INTERACT), np.array([INTERACT, INTERACT, seen]), np.full(3, hidden)],
        times=[np.zeros(3, np.int64)] * 3,
        num_items=9,
    )
    test = leave_one_out(sequences).test
    assert test.target_actions.tolist() == [INTERACT, seen, hidden]
    engaged = test.engaged()
    assert engaged.targets.tolist() == [3]
    assert [row.tolist() for row in engaged.histories.items] == [[1, 2]]


def test_surfaces_travel_with_their_events() -> None:
    sequences = Sequences(
        items=[np.array([1, 2, 3]), np.array([4])],
        actions=[np.full(3, INTERACT), np.full(1, INTERACT)],
        times=[np.arange(3), np.zeros(1, np.int64)],
        num_items=4,
        surfaces=[np.array([1, 2, 3]), np.array([4])],
    )
    split = leave_one_out(sequences)
    assert split.train.surfaces is not None
    assert [row.tolist() for row in split.train.surfaces] == [[1], [4]]
    assert split.test.events.surfaces is not None
    assert [row.tolist() for row in split.test.events.surfaces] == [[1, 2, 3]]
    no_surfaces = Sequences(items=[], actions=[], times=[], num_items=4)
    with pytest.raises(ValueError, match="surfaces"):
        sequences.concat(no_surfaces)


def test_user_item_file(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    lines = [f"{user} {item}" for user in (1, 2, 3) for item in (10, 11, 12)] + ["4 10"]
    path.write_text("\n".join(lines) + "\n")
    assert len(read_user_item_lines(path)) == 10
    dataset = load_dataset(path, "user-item", min_count=3)
    assert dataset.num_events == 9  # user 4 has one event
    assert dataset.item_tokens == ("", "10", "11", "12")
    assert dataset.item_texts is None


def test_recbole_folder(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "tiny.inter").write_text(
        "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        "1\t20\t5\t300\n"
        "1\t10\t2\t100\n"
        "2\t10\t4\t50\n"
    )
    (folder / "tiny.item").write_text(
        "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n"
        "10\tToy Story\t1995\tAnimation Comedy\n"
        "20\tHeat\t1995\tAction\n"
    )
    events = read_recbole(folder)
    assert events == [
        ("1", "10", INTERACT, 100),  # sorted by time within the user
        ("1", "20", INTERACT | action_bit("like"), 300),  # rating >= 4 is also a like
        ("2", "10", INTERACT | action_bit("like"), 50),
    ]
    dataset = load_dataset(folder, "recbole", min_count=1)
    assert dataset.item_texts == ("", "Toy Story 1995 Animation Comedy", "Heat 1995 Action")
    assert dataset.sequences.times[0].tolist() == [100, 300]
