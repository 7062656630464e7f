"""Interaction data: benchmark file readers, the k-core filter, id maps and the leave-one-out split.

Everything becomes `Sequences`: per user, time-ordered (item, actions, time, surface) events with
contiguous item ids (0 is padding). The platform's event log becomes the same shape
(`feed.platform`), so training, evaluation and serving never care where the events came from.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from townsquare.feed.vocabulary import INTERACT, action_bit, is_engaged

IntArray = npt.NDArray[np.int64]
# One event from a source file: (user token, item token, action bitmask, unix seconds; 0 unknown).
RawEvent = tuple[str, str, int, int]
DataFormat = Literal["user-item", "recbole"]


@dataclass(frozen=True)
class Sequences:
    """Per-user event histories in time order, one row per user."""

    items: list[IntArray]  # per user (L_u,) int64 item ids in 1..num_items
    actions: list[IntArray]  # per user (L_u,) int64 action bitmasks (feed.vocabulary)
    times: list[IntArray]  # per user (L_u,) int64 unix seconds, 0 when the source has none
    num_items: int  # size of the item id space, padding excluded
    surfaces: list[IntArray] | None = None  # per user (L_u,) int64 feed.vocabulary.SURFACES index

    def __len__(self) -> int:
        return len(self.items)

    def _map(self, rows: Callable[[list[IntArray]], list[IntArray]]) -> Sequences:
        """The same transformation applied to every per-event field."""
        return Sequences(
            items=rows(self.items),
            actions=rows(self.actions),
            times=rows(self.times),
            num_items=self.num_items,
            surfaces=None if self.surfaces is None else rows(self.surfaces),
        )

    @property
    def lengths(self) -> IntArray:
        return np.array([len(row) for row in self.items], dtype=np.int64)

    def drop_last(self, count: int) -> Sequences:
        """The same users, each history shortened by `count` events (held out for evaluation)."""
        end = slice(None, -count if count else None)
        return self._map(lambda rows: [row[end] for row in rows])

    def window(self, rows: Sequence[int], start: int, stop: int | None) -> Sequences:
        """The given rows, each cut to its events [start:stop] (negative indices count back)."""
        return self._map(lambda table: [table[r][start:stop] for r in rows])

    def concat(self, other: Sequences) -> Sequences:
        if (self.surfaces is None) != (other.surfaces is None):
            raise ValueError("cannot concatenate sequences with and without surfaces")
        surfaces = None
        if self.surfaces is not None and other.surfaces is not None:
            surfaces = self.surfaces + other.surfaces
        return Sequences(
            items=self.items + other.items,
            actions=self.actions + other.actions,
            times=self.times + other.times,
            num_items=self.num_items,
            surfaces=surfaces,
        )

    def subset(self, rows: IntArray) -> Sequences:
        return self._map(lambda table: [table[r] for r in rows])


@dataclass(frozen=True)
class Dataset:
    """Sequences, the maps back to the source's tokens, and item text where the source has it."""

    sequences: Sequences
    user_tokens: tuple[str, ...]  # row -> source user token
    item_tokens: tuple[str, ...]  # item id -> source item token; index 0 is padding ("")
    item_texts: tuple[str, ...] | None  # item id -> text (title, genres, ...); None if no text

    @property
    def num_events(self) -> int:
        return int(self.sequences.lengths.sum())


@dataclass(frozen=True)
class HeldOut:
    """Per evaluated user, a history followed by the one event the model must predict."""

    events: Sequences  # each row's last event is the held-out one

    @cached_property
    def histories(self) -> Sequences:
        """What the model reads: every event before the held-out one."""
        return self.events.drop_last(1)

    @cached_property
    def targets(self) -> IntArray:
        """(U,) int64 item of each held-out event."""
        return np.array([row[-1] for row in self.events.items], dtype=np.int64)

    @cached_property
    def target_actions(self) -> IntArray:
        """(U,) int64 action bitmask of each held-out event."""
        return np.array([row[-1] for row in self.events.actions], dtype=np.int64)

    def engaged(self) -> HeldOut:
        """Only the users whose held-out event is a retrieval target (see `is_engaged`): an item
        seen and scrolled past is no next item to retrieve."""
        keep = [is_engaged(int(mask)) for mask in self.target_actions]
        return HeldOut(self.events.subset(np.flatnonzero(keep)))


@dataclass(frozen=True)
class LeaveOneOut:
    """The standard split: last event = test, second-to-last = validation, the rest = training."""

    train: Sequences  # every user's events but the last two (users too short keep all of them)
    valid: HeldOut  # history = train row, target = second-to-last event
    test: HeldOut  # history = all but the last event, target = last event
    train_with_valid: Sequences  # training rows plus the validation event, for the final fit


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


def leave_one_out(sequences: Sequences) -> LeaveOneOut:
    """Holds out each user's last two events; users with fewer than 3 events only train."""
    lengths = sequences.lengths
    evaluated = sequences.subset(np.flatnonzero(lengths >= 3))
    short = sequences.subset(np.flatnonzero(lengths < 3))
    return LeaveOneOut(
        train=evaluated.drop_last(2).concat(short),
        valid=HeldOut(evaluated.drop_last(1)),
        test=HeldOut(evaluated),
        train_with_valid=evaluated.drop_last(1).concat(short),
    )
