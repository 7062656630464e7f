"""Benchmark data: file readers, the k-core filter and the id maps that make a `Dataset`.

Every source becomes `Sequences` (`feed.sequences`); the platform's event log becomes the same
shape in `feed.histories`.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import numpy as np

from townsquare.feed.sequences import Dataset, Sequences
from townsquare.feed.vocabulary import INTERACT, action_bit

# One event from a source file: (user token, item token, action bitmask, unix seconds; 0 unknown).
RawEvent = tuple[str, str, int, int]
DataFormat = Literal["user-item", "recbole"]


def read_user_item_lines(path: Path) -> list[RawEvent]:
    """Reads `user item` lines, each user's lines in time order (the SASRec/S3-Rec format)."""
    events: list[RawEvent] = []
    with path.open() as file:
        for number, line in enumerate(file, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 2:
                raise ValueError(f"{path}:{number}: expected 'user item', got {line.strip()!r}")
            events.append((fields[0], fields[1], INTERACT, 0))
    return events


def _recbole_rows(path: Path) -> Iterable[dict[str, str]]:
    """Rows of a RecBole atomic file keyed by bare field name (`item_id:token` -> `item_id`)."""
    with path.open(newline="") as file:
        reader = csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = [field.split(":")[0] for field in next(reader)]
        for row in reader:
            if row:
                yield dict(zip(header, row, strict=True))


def read_recbole(directory: Path, *, like_threshold: float | None = 4.0) -> list[RawEvent]:
    """Reads `<name>.inter` (user_id, item_id, rating?, timestamp) from a RecBole dataset folder.

    Every event is an "interact"; one whose rating is at least `like_threshold` is also a "like",
    so MovieLens can train and test the like head. Events are sorted by time per user (stable).
    """
    rows = _recbole_rows(directory / f"{directory.name}.inter")
    events: list[RawEvent] = []
    for row in rows:
        rating = row.get("rating")
        liked = (
            like_threshold is not None and rating is not None and float(rating) >= like_threshold
        )
        action = INTERACT | action_bit("like") if liked else INTERACT
        time = int(float(row.get("timestamp", "0")))
        events.append((row["user_id"], row["item_id"], action, time))
    order = sorted(range(len(events)), key=lambda i: (events[i][0], events[i][3], i))
    return [events[i] for i in order]


def read_recbole_item_texts(directory: Path) -> dict[str, str]:
    """Item token -> one line of text from `<name>.item` (every non-id field, in file order)."""
    path = directory / f"{directory.name}.item"
    if not path.exists():
        return {}
    texts: dict[str, str] = {}
    for row in _recbole_rows(path):
        item = row.pop("item_id")
        texts[item] = " ".join(value for value in row.values() if value)
    return texts


def k_core(events: list[RawEvent], k: int) -> list[RawEvent]:
    """Drops users and items with fewer than `k` events, repeatedly, until nothing changes."""
    while True:
        users = Counter(event[0] for event in events)
        items = Counter(event[1] for event in events)
        kept = [e for e in events if users[e[0]] >= k and items[e[1]] >= k]
        if len(kept) == len(events):
            return kept
        events = kept


def build_dataset(events: list[RawEvent], item_texts: dict[str, str] | None = None) -> Dataset:
    """Groups events per user (keeping their order) and numbers items 1.. by first appearance."""
    per_user: dict[str, list[RawEvent]] = defaultdict(list)
    item_ids: dict[str, int] = {}
    for event in events:
        per_user[event[0]].append(event)
        item_ids.setdefault(event[1], len(item_ids) + 1)
    sequences = Sequences(
        items=[
            np.array([item_ids[e[1]] for e in rows], dtype=np.int64) for rows in per_user.values()
        ],
        actions=[np.array([e[2] for e in rows], dtype=np.int64) for rows in per_user.values()],
        times=[np.array([e[3] for e in rows], dtype=np.int64) for rows in per_user.values()],
        num_items=len(item_ids),
    )
    item_tokens = ("", *item_ids)
    texts = None
    if item_texts is not None:
        texts = ("", *(item_texts.get(token, "") for token in item_tokens[1:]))
    return Dataset(sequences, tuple(per_user), item_tokens, texts)


def load_dataset(path: Path, data_format: DataFormat, *, min_count: int = 5) -> Dataset:
    """Reads a benchmark file or folder and applies the `min_count`-core filter (1 = no filter)."""
    if data_format == "user-item":
        return build_dataset(k_core(read_user_item_lines(path), min_count))
    return build_dataset(k_core(read_recbole(path), min_count), read_recbole_item_texts(path))
