"""Interaction histories as arrays, and the leave-one-out split.

Per user, time-ordered (item, actions, time, surface) events with contiguous item ids (0 is
padding).

Benchmark files (`feed.training.data`) and the platform's event log (`feed.histories`) both become
`Sequences`, so training, evaluation and serving never care where the events came from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from townsquare.feed.vocabulary import is_engaged

IntArray = npt.NDArray[np.int64]


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
