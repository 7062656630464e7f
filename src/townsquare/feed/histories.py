"""The platform's event log as feed histories: per member, time-ordered encounters with items.

The log records single actions (an impression, then an open, a dwell, a like ...). The model
reads *encounters*: everything a member did with one item in one sitting, folded into one
event whose actions are a bitmask (`feed.vocabulary`). An impression with nothing after it stays
an event of its own: it is what tells the ranking heads what members scroll past.

Rules, in order:
  - events on the same item within `session_gap_s` of the encounter's last event join it; a
    second impression always starts a new encounter (the item was shown again);
  - a dwell counts as the "dwell" action (a long view) when it lasted `long_view_ms` or more;
  - a follow is an encounter with the followed account, and also sets "follow" on the member's
    latest encounter with a post by that account within the gap (the post that won the follow:
    the label of the "follow the author" head);
  - hide and report land on the post, or on the account when they name only an account;
  - an encounter happened where it started (its first event's surface) and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from townsquare.db.models import Event
from townsquare.feed.catalog import STREAM_ROWS, PlatformCatalog, account_token, post_token
from townsquare.feed.sequences import Dataset, IntArray, Sequences
from townsquare.feed.vocabulary import SURFACE_IDS, action_bit


@dataclass(frozen=True)
class PlatformOptions:
    long_view_ms: int = 10_000  # a dwell at least this long is a long view (the "dwell" action)
    session_gap_s: int = 1_800  # events on one item this close together are one encounter


# (account id, type, surface, post id, target account id, dwell ms, created at)
EventRow = tuple[int, str, str, int | None, int | None, int | None, datetime]


def _event_rows() -> Select[int, str, str, int | None, int | None, int | None, datetime]:
    return select(
        Event.account_id,
        Event.type,
        Event.surface,
        Event.post_id,
        Event.target_account_id,
        Event.dwell_ms,
        Event.created_at,
    )


@dataclass(frozen=True)
class History:
    """One member's encounters, oldest first."""

    items: IntArray  # (L,) catalog item ids
    actions: IntArray  # (L,) action bitmasks
    times: IntArray  # (L,) unix seconds the encounter started
    surfaces: IntArray  # (L,) feed.vocabulary.SURFACES index

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class _Encounter:
    item: int
    actions: int
    start: int
    last: int
    surface: int


@dataclass
class _Folder:
    """Folds one member's events, in time order, into encounters."""

    catalog: PlatformCatalog
    options: PlatformOptions
    encounters: list[_Encounter] = field(default_factory=list)
    latest: dict[int, int] = field(default_factory=dict)  # item -> its latest encounter
    latest_by_author: dict[int, int] = field(default_factory=dict)  # author -> latest post one

    def add(self, row: EventRow) -> None:
        _, type, surface, post_id, target_id, dwell_ms, created_at = row
        token = post_token(post_id) if post_id is not None else account_token(target_id or 0)
        item = self.catalog.ids.get(token)
        if item is None:  # created after the catalog was refreshed
            return
        at = int(created_at.timestamp())
        bits = self._bits(type, dwell_ms)
        encounter = self._encounter_for(item, type, at, SURFACE_IDS.get(surface, 0))
        encounter.actions |= bits
        encounter.last = at
        if post_id is not None:
            self.latest_by_author[self.catalog.authors[item]] = self.latest[item]
        if type == "follow":
            self._credit_follow(item, at)

    def _bits(self, type: str, dwell_ms: int | None) -> int:
        if type == "dwell":
            long_view = dwell_ms is not None and dwell_ms >= self.options.long_view_ms
            return action_bit("dwell") if long_view else 0
        return action_bit(type)

    def _encounter_for(self, item: int, type: str, at: int, surface: int) -> _Encounter:
        index = self.latest.get(item)
        if index is not None:
            current = self.encounters[index]
            shown_again = type == "impression" and current.actions & action_bit("impression")
            if at - current.last <= self.options.session_gap_s and not shown_again:
                return current
        self.latest[item] = len(self.encounters)
        encounter = _Encounter(item, 0, at, at, surface)
        self.encounters.append(encounter)
        return encounter

    def _credit_follow(self, account_item: int, at: int) -> None:
        index = self.latest_by_author.get(account_item)
        if index is not None and at - self.encounters[index].last <= self.options.session_gap_s:
            self.encounters[index].actions |= action_bit("follow")

    def history(self) -> History:
        return History(
            items=np.array([e.item for e in self.encounters], dtype=np.int64),
            actions=np.array([e.actions for e in self.encounters], dtype=np.int64),
            times=np.array([e.start for e in self.encounters], dtype=np.int64),
            surfaces=np.array([e.surface for e in self.encounters], dtype=np.int64),
        )


def fold_events(
    rows: Iterable[EventRow], catalog: PlatformCatalog, options: PlatformOptions
) -> History:
    """One member's events, oldest first, as encounters (see the module's rules)."""
    folder = _Folder(catalog, options)
    for row in rows:
        folder.add(row)
    return folder.history()


def recent_events(session: Session, account_id: int, *, max_events: int) -> list[EventRow]:
    """A member's most recent `max_events` log events, oldest first (by time, then id)."""
    newest_first = session.execute(
        _event_rows()
        .where(Event.account_id == account_id)
        .order_by(Event.id.desc())
        .limit(max_events)
    )
    # Oldest first, as in training (by time, then id): the sort is stable over ascending ids.
    rows: list[EventRow] = [(a, t, s, p, ta, d, c) for a, t, s, p, ta, d, c in newest_first]
    return sorted(reversed(rows), key=lambda row: row[6])


def member_history(
    session: Session,
    catalog: PlatformCatalog,
    account_id: int,
    options: PlatformOptions,
    *,
    max_events: int,
) -> History:
    """A member's latest encounters, read live from the log: the most recent `max_events`
    events, folded."""
    rows = recent_events(session, account_id, max_events=max_events)
    return fold_events(rows, catalog, options)


def platform_dataset(
    session: Session, catalog: PlatformCatalog, options: PlatformOptions
) -> Dataset:
    """Every member's encounters as training sequences over the catalog's items. Members with
    no events are left out; item tokens and texts are the catalog's (ids match)."""
    ordered = _event_rows().order_by(Event.account_id, Event.created_at, Event.id)
    rows = session.execute(ordered.execution_options(yield_per=STREAM_ROWS))  # not all in memory
    users: list[str] = []
    items, actions, times, surfaces = [], [], [], []
    for account_id, member_rows in groupby(rows, key=lambda row: row[0]):
        history = fold_events(member_rows, catalog, options)
        if len(history):
            users.append(account_token(account_id))
            items.append(history.items)
            actions.append(history.actions)
            times.append(history.times)
            surfaces.append(history.surfaces)
    sequences = Sequences(items, actions, times, num_items=len(catalog), surfaces=surfaces)
    return Dataset(sequences, tuple(users), tuple(catalog.tokens), tuple(catalog.texts))
