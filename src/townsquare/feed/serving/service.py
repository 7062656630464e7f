"""The served feed: one ranked page for one member, from live history and the latest model.

A request reads the member's history and exclusions from the database as they are now (so a like,
a hide or a follow changes the very next page, no retraining), asks each candidate source for a
bounded list of ids by indexed queries and loads only those items (`feed.serving.candidates`,
`feed.serving.live`: a page's cost does not grow with the community), adds the model's retrieval
over them, scores all of them in one model pass (`feed.serving.scoring`) and fills the page with
diversity rules (`feed.serving.ranking`).

No model yet, or one that cannot serve: the same candidates are ranked by a heuristic and every
item says so. A failure inside the model path is logged and answered the same way: the feed
never fails because of the model.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ai.embeddings import Embedder
from townsquare.db.models import Account, Digest
from townsquare.errors import InvalidInput
from townsquare.feed.catalog import PlatformCatalog, post_token
from townsquare.feed.histories import EventRow, fold_events, recent_events
from townsquare.feed.items import KIND_IDS
from townsquare.feed.runs import feed_dir
from townsquare.feed.serving.candidates import (
    Viewer,
    account_ids,
    best_followed,
    digest_ids,
    digests,
    eligible,
    fresh,
    from_following,
    like_counts,
    load_viewer,
    newest_ids,
    popular,
    popular_ids,
    suggested_accounts,
)
from townsquare.feed.serving.config import FeedConfig, SurfaceConfig, load_feed_config
from townsquare.feed.serving.live import Snapshot, TextVectors, build_snapshot
from townsquare.feed.serving.ranking import Candidate, Ranked, diversify, heuristic_scores, reasons
from townsquare.feed.serving.scoring import history_features, recent, retrieve, score
from townsquare.feed.serving.store import ModelStore, ServingModel

log = logging.getLogger(__name__)

_CURSOR_KEY = re.compile(r"[pa][0-9]{1,19}")
_ENGAGED = frozenset({"open", "dwell", "like", "comment", "share", "follow"})
BEST_FOLLOWED = 1_000  # the community's best-followed accounts kept for suggestions
BEST_FOLLOWED_TTL_S = 300.0  # how long that list is reused before it is counted again


@dataclass(frozen=True)
class FeedEntry:
    kind: Literal["post", "account"]
    id: int  # the post's or the account's id
    score: float
    predictions: dict[str, float]  # head -> probability; empty under the heuristic
    reasons: list[str]


@dataclass(frozen=True)
class FeedPage:
    entries: list[FeedEntry]
    next_cursor: str | None  # None when nothing is left to show
    surface: str
    ranking: Literal["model", "heuristic"]
    model_version: str | None  # the run that ranked this page
    note: str  # why the heuristic ranked it; "" under the model


@dataclass(frozen=True)
class _Request:
    """Everything one page is computed from."""

    session: Session
    config: FeedConfig
    surface: SurfaceConfig
    snapshot: Snapshot
    viewer: Viewer
    allowed: npt.NDArray[np.bool_]  # (M,) rows this member may be shown here, now
    now: datetime
    popular: list[int]  # post ids, most liked first
    events: list[EventRow]  # the member's latest log events, oldest first (read with a model)
    best_followed: dict[int, int]  # the community's best-followed accounts -> their followers


def parse_cursor(cursor: str | None, max_served: int) -> list[str]:
    """The row keys a cursor carries (`CatalogColumns.key`, oldest first)."""
    if not cursor:
        return []
    keys = cursor.split(".")
    if len(keys) > max_served or not all(_CURSOR_KEY.fullmatch(key) for key in keys):
        raise InvalidInput("cursor is not one this feed gave out; omit it for the first page")
    return keys


class FeedService:
    """Feeds for every member of one data directory; safe to share between request threads."""

    def __init__(self, data_dir: Path, embedder: Callable[[], Embedder]) -> None:
        self.root = feed_dir(data_dir)
        self.store = ModelStore(self.root)
        self._embedder = embedder
        self._config = FeedConfig()
        self._config_stamp: int | None = None
        self._vectors = TextVectors(embedder, self._config.text_vectors)
        self._best_lock = threading.Lock()
        self._best_followed: tuple[float, dict[int, int]] | None = None  # (monotonic s, counts)

    def config(self) -> FeedConfig:
        """`<data_dir>/feed/feed.toml`, re-read when it changes; a broken file is logged and the
        previous configuration kept."""
        path = self.root / "feed.toml"
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if stamp != self._config_stamp:
            try:
                self._config = load_feed_config(path)
            except ValueError as error:
                log.error("feed: keeping the previous configuration: %s", error)
            self._config_stamp = stamp
        return self._config

    def page(
        self,
        session: Session,
        account_id: int,
        *,
        surface: str = "home",
        cursor: str | None = None,
        limit: int = 20,
        now: datetime | None = None,
    ) -> FeedPage:
        """One page of the member's feed on a surface; `cursor` is the previous page's."""
        config = self.config()
        surface_config = config.surfaces.get(surface)
        if surface_config is None:
            names = ", ".join(config.surfaces)
            raise InvalidInput(f"surface must be one of {names}; got {surface!r}")
        served = parse_cursor(cursor, config.max_served)
        now = now or datetime.now(UTC)
        serving, note = self._usable_model()
        seen_since = now - timedelta(days=config.seen_window_days)
        viewer = load_viewer(session, account_id, frozenset(served), seen_since=seen_since)
        self._vectors.capacity = config.text_vectors
        events = (
            recent_events(session, account_id, max_events=config.history_events)
            if serving is not None
            else []
        )
        best = self._community_best_followed(session) if surface_config.accounts else {}
        catalog, liked = self._items(session, viewer, surface_config, config, events, best, now)
        items = build_snapshot(catalog, serving, self._vectors)
        allowed = eligible(session, items.columns, viewer, surface_config)
        request = _Request(
            session, config, surface_config, items, viewer, allowed, now, liked, events, best
        )
        candidates = _gather(request)
        ranked = None
        if serving is not None:
            try:
                ranked = _rank_with_model(request, serving, candidates)
            except Exception:  # the feed must answer; the heuristic below always can
                log.exception("feed: model %s failed; ranking by the heuristic", serving.version)
                serving, note = None, "the feed model failed on this request"
        if ranked is None:
            ranked = _rank_by_heuristic(request, candidates)
        scores = np.array([r.score for r in ranked])
        listed = [candidates[r.row] for r in ranked]
        page = [ranked[i] for i in diversify(listed, scores, items.columns, config, limit)]
        keys = served + [items.columns.key(r.row) for r in page]
        return FeedPage(
            entries=_entries(request, page, candidates),
            next_cursor=".".join(keys[-config.max_served :])
            if page and len(ranked) > len(page)
            else None,
            surface=surface,
            ranking="heuristic" if serving is None else "model",
            model_version=None if serving is None else serving.version,
            note=note,
        )

    def _items(
        self,
        session: Session,
        viewer: Viewer,
        surface: SurfaceConfig,
        config: FeedConfig,
        events: list[EventRow],
        best_followed: dict[int, int],
        now: datetime,
    ) -> tuple[PlatformCatalog, list[int]]:
        """The page's catalog: the items of the member's history and what every source found
        (with a model, also the pool its retrieval searches); and the popular posts' ids, most
        liked first."""
        kinds = surface.kinds
        since = now - timedelta(days=config.popular_days)
        liked = popular_ids(session, viewer, kinds, since, config.popular_candidates)
        posts = {
            *newest_ids(
                session, viewer, kinds, config.following_candidates, authors=viewer.following
            ),
            *newest_ids(
                session,
                viewer,
                kinds,
                config.fresh_candidates,
                since=now - timedelta(days=config.fresh_days),
            ),
            *liked,
            *digest_ids(session, viewer),
            *(post_id for _, _, _, post_id, _, _, _ in events if post_id is not None),
        }
        accounts = {target for _, _, _, _, target, _, _ in events if target is not None}
        if surface.accounts:
            accounts |= account_ids(session, viewer, best_followed, config.account_candidates)
        catalog = PlatformCatalog()
        catalog.load(session, account_ids=accounts, post_ids=posts)
        if events:  # the model's retrieval: the newest posts, and those of whom they engaged with
            engaged = {
                catalog.owners[catalog.ids[post_token(post_id)]]
                for _, type, _, post_id, _, _, _ in events
                if type in _ENGAGED and post_id is not None and post_token(post_id) in catalog.ids
            }
            engaged |= {t for _, type, _, _, t, _, _ in events if type in _ENGAGED and t}
            pool = newest_ids(session, viewer, kinds, config.retrieval_pool)
            k = config.retrieval_candidates
            pool += newest_ids(session, viewer, kinds, k, authors=engaged)
            catalog.load(session, account_ids=(), post_ids=pool)
        return catalog, liked

    def _community_best_followed(self, session: Session) -> dict[int, int]:
        """The community's best-followed accounts, counted at most every few minutes (one pass
        over every follow: the same list for every member)."""
        with self._best_lock:
            cached = self._best_followed
            if cached is None or time.monotonic() - cached[0] > BEST_FOLLOWED_TTL_S:
                cached = (time.monotonic(), best_followed(session, BEST_FOLLOWED))
                self._best_followed = cached
            return cached[1]

    def _usable_model(self) -> tuple[ServingModel | None, str]:
        serving = self.store.current()
        if serving is None:
            return None, self.store.error or "no feed model has been trained yet"
        if serving.embedder:
            embedder = self._embedder()
            if embedder.name != serving.embedder:
                return None, (
                    f"model {serving.version} reads {serving.embedder!r} text vectors; "
                    f"this server embeds with {embedder.name!r}"
                )
        return serving, ""


def _gather(request: _Request) -> dict[int, Candidate]:
    """Candidates from every source that needs no model, keyed by catalog row."""
    session, columns, allowed = request.session, request.snapshot.columns, request.allowed
    config, viewer = request.config, request.viewer
    candidates: dict[int, Candidate] = {}

    def add(rows: npt.NDArray[np.int64], source: str) -> None:
        for row in rows.tolist():
            candidates.setdefault(row, Candidate(row)).sources.add(source)

    add(from_following(columns, allowed, viewer, config.following_candidates), "following")
    add(fresh(columns, allowed, request.now, config.fresh_days, config.fresh_candidates), "fresh")
    add(popular(columns, allowed, request.popular, config.popular_candidates), "popular")
    accounts = suggested_accounts(
        session, columns, allowed, viewer, config.account_candidates, request.best_followed
    )
    for row, suggestion in accounts.items():
        candidate = candidates.setdefault(row, Candidate(row))
        candidate.sources.add("suggested")
        candidate.suggestion = suggestion
    digest_rows = digests(columns, allowed, viewer).tolist()
    if digest_rows:
        counts = dict(
            session.execute(
                select(Digest.post_id, Digest.source_post_ids).where(
                    Digest.post_id.in_([int(columns.post_ids[row]) for row in digest_rows])
                )
            ).all()
        )
        for row in digest_rows:
            candidate = candidates.setdefault(row, Candidate(row))
            candidate.sources.add("digest")
            candidate.digest_of = len(counts.get(int(columns.post_ids[row]), []))
    return candidates


def _rank_with_model(
    request: _Request, serving: ServingModel, candidates: dict[int, Candidate]
) -> list[Ranked]:
    """Adds the model's retrieval to the candidates, then scores them all in one pass."""
    snapshot = request.snapshot
    assert snapshot.features is not None
    model = serving.model
    history = fold_events(request.events, snapshot.catalog, serving.options)
    history = recent(history, len(snapshot), model.config.max_len)
    features = history_features(history, snapshot.features)
    k = request.config.retrieval_candidates
    for row, similar_to in retrieve(model, features, history, snapshot, request.allowed, k).items():
        candidate = candidates.setdefault(row, Candidate(row))
        candidate.sources.add("retrieval")
        candidate.similar_to = similar_to
    return score(model, features, snapshot, list(candidates), request.surface, request.now)


def _rank_by_heuristic(request: _Request, candidates: dict[int, Candidate]) -> list[Ranked]:
    columns = request.snapshot.columns
    listed = list(candidates.values())
    post_ids = [int(columns.post_ids[c.row]) for c in listed if columns.post_ids[c.row]]
    likes = like_counts(request.session, post_ids)
    scores = heuristic_scores(listed, columns, request.viewer, likes, request.now)
    return [Ranked(c.row, float(s), {}) for c, s in zip(listed, scores, strict=True)]


def _entries(
    request: _Request, page: list[Ranked], candidates: dict[int, Candidate]
) -> list[FeedEntry]:
    columns = request.snapshot.columns
    accounts = {int(columns.owners[r.row]) for r in page}
    accounts |= {candidates[r.row].similar_to for r in page} - {0}
    handles = dict(
        request.session.execute(
            select(Account.id, Account.handle).where(Account.id.in_(accounts))
        ).all()
    )
    weights = request.surface.head_weights()
    entries = []
    for ranked in page:
        row = ranked.row
        is_account = columns.kinds[row] == KIND_IDS["account"]
        why = reasons(
            candidates[row],
            columns,
            handles,
            request.viewer,
            ranked.predictions,
            weights,
            request.now,
        )
        entries.append(
            FeedEntry(
                kind="account" if is_account else "post",
                id=int(columns.owners[row] if is_account else columns.post_ids[row]),
                score=ranked.score,
                predictions=ranked.predictions,
                reasons=why,
            )
        )
    return entries
