"""Which items may appear in a member's feed, and where candidates come from.

A page works on a small catalog of the items it needs (`feed.serving.live`), never the whole
platform's: each source below first asks the database, by indexed queries, for a bounded list
of ids (`*_ids`: the newest posts of some authors or of a time window, the most liked, accounts
to suggest), so a page costs the same at 100 members and at 100,000.

Eligibility is one boolean per row of that catalog, computed with numpy: a post is
out when it is deleted, someone else's alone (a digest), the member's own, already seen (see
`load_viewer`), hidden or reported, by an account the member hid or reported, of a kind the
surface does not show, or on an earlier page of the same feed; an account is out when it is the
member, already followed, hidden or reported, or one of the platform's own agents.

Sources, each a handful of rows: the model's retrieval over every eligible row (in
`feed.serving.scoring`, it needs the model; the catalog then also holds the newest public posts
and those of the accounts in the member's history), the newest posts of followed accounts, the
newest posts of anyone, the most liked posts of the last weeks, and accounts to follow (followed
by people the member follows, whose posts the member liked, or simply well followed), and the
member's daily digest (`tasks.digest`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent, Event, Follow, Like, Post
from townsquare.feed.catalog import PlatformCatalog, among
from townsquare.feed.items import KIND_IDS
from townsquare.feed.sequences import IntArray
from townsquare.feed.serving.config import SurfaceConfig
from townsquare.social.visibility import hidden_agents

BoolArray = npt.NDArray[np.bool_]
_ENGAGED = ("open", "dwell", "like", "comment", "share")
_REJECT = ("hide", "report")


@dataclass(frozen=True)
class CatalogColumns:
    """The catalog's per-row facts as arrays (row 0 is padding), for vectorised filtering."""

    kinds: IntArray  # (M,) feed.items.KINDS index
    created: IntArray  # (M,) unix seconds
    owners: IntArray  # (M,) account id: the account itself, or the post's author
    post_ids: IntArray  # (M,) post id; 0 for an account
    audiences: IntArray  # (M,) the one account a post is for (a digest); 0 for everyone

    @classmethod
    def of(cls, catalog: PlatformCatalog) -> CatalogColumns:
        return cls(
            kinds=np.array(catalog.kinds, dtype=np.int64),
            created=np.array(catalog.created, dtype=np.int64),
            owners=np.array(catalog.owners, dtype=np.int64),
            post_ids=np.array(catalog.post_ids, dtype=np.int64),
            audiences=np.array(catalog.audiences, dtype=np.int64),
        )

    def __len__(self) -> int:
        return len(self.kinds)

    def key(self, row: int) -> str:
        """A short stable name for a row, as cursors carry it: p<post id> or a<account id>."""
        post_id = int(self.post_ids[row])
        return f"p{post_id}" if post_id else f"a{int(self.owners[row])}"


@dataclass(frozen=True)
class Viewer:
    """What the feed must know about the member it is for, read live from the database."""

    account_id: int
    following: frozenset[int]  # account ids
    seen_posts: frozenset[int]  # posts engaged with, or shown within the seen window
    hidden_posts: frozenset[int]  # posts hidden or reported
    blocked_accounts: frozenset[int]  # accounts hidden or reported
    served: frozenset[str]  # row keys (`CatalogColumns.key`) earlier pages of this feed showed

    @property
    def served_posts(self) -> set[int]:
        return {int(key[1:]) for key in self.served if key[0] == "p"}

    @property
    def served_accounts(self) -> set[int]:
        return {int(key[1:]) for key in self.served if key[0] == "a"}

    def excluded_posts(self) -> int:
        """At most how many posts of a source's list this member's exclusions remove: a list
        asked for `k + excluded_posts()` ids still holds k eligible ones."""
        return len(self.seen_posts) + len(self.hidden_posts) + len(self.served)


def load_viewer(
    session: Session, account_id: int, served: frozenset[str], *, seen_since: datetime
) -> Viewer:
    """The member's follows and exclusions. A post they opened, liked, commented on or shared
    counts as seen for good; one only shown to them counts as seen when shown after
    `seen_since` (a post scrolled past long ago may come back)."""
    following = session.scalars(select(Follow.followee_id).where(Follow.follower_id == account_id))
    rows = session.execute(
        select(Event.type, Event.post_id, Event.target_account_id, Event.created_at).where(
            Event.account_id == account_id,
            Event.type.in_(("impression", *_ENGAGED, *_REJECT)),
        )
    )
    seen, hidden, blocked = set(), set(), set()
    for type, post_id, target, at in rows:
        if type in _REJECT:
            if post_id is not None:
                hidden.add(post_id)
            elif target is not None:
                blocked.add(target)
        elif post_id is not None and (type != "impression" or at >= seen_since):
            seen.add(post_id)
    return Viewer(
        account_id=account_id,
        following=frozenset(following),
        seen_posts=frozenset(seen),
        hidden_posts=frozenset(hidden),
        blocked_accounts=frozenset(blocked),
        served=served,
    )


def _in(values: IntArray, members: frozenset[int] | set[int]) -> BoolArray:
    return np.isin(values, np.fromiter(members, dtype=np.int64, count=len(members)))


def eligible(
    session: Session, columns: CatalogColumns, viewer: Viewer, surface: SurfaceConfig
) -> BoolArray:
    """(M,) which catalog rows this member may be shown on this surface now."""
    is_post = columns.post_ids > 0
    post_ids = columns.post_ids[is_post].tolist()
    deleted = set(
        session.scalars(
            select(Post.id).where(among(Post.id, post_ids), Post.deleted_at.is_not(None))
        )
    )
    posts = (
        is_post
        & (columns.owners != viewer.account_id)
        & np.isin(columns.audiences, [0, viewer.account_id])
        & ~_in(columns.post_ids, deleted | viewer.seen_posts | viewer.hidden_posts)
    )
    if surface.kinds is not None:
        posts &= np.isin(columns.kinds, [KIND_IDS[kind] for kind in surface.kinds])
    accounts = np.zeros(len(columns), dtype=np.bool_)
    if surface.accounts:
        # The platform's own agents (self-owned: the digest writer) post for one member at a
        # time; following them would show nothing, so they are never suggested.
        platform = set(
            session.scalars(select(Agent.account_id).where(Agent.owner_id == Agent.account_id))
        )
        accounts = (
            ~is_post
            & (columns.owners != viewer.account_id)
            & ~_in(columns.owners, viewer.following | platform)
        )
    # Private agents exist only for their owners: neither suggested nor their posts shown.
    owners = set(columns.owners[1:].tolist())
    hidden = set(
        session.scalars(hidden_agents(viewer.account_id).where(among(Agent.account_id, owners)))
    )
    posts &= ~_in(columns.post_ids, viewer.served_posts)
    accounts &= ~_in(columns.owners, viewer.served_accounts)
    blocked = viewer.blocked_accounts | hidden
    allowed: BoolArray = (posts | accounts) & ~_in(columns.owners, blocked)
    allowed[0] = False  # padding
    return allowed


def newest(columns: CatalogColumns, mask: BoolArray, k: int) -> IntArray:
    """Up to k rows under `mask`, newest first."""
    rows = np.flatnonzero(mask)
    return rows[np.argsort(-columns.created[rows], kind="stable")[:k]]


def digests(columns: CatalogColumns, allowed: BoolArray, viewer: Viewer) -> IntArray:
    """The member's own digests not yet seen (there is at most one a day)."""
    return newest(columns, allowed & (columns.audiences == viewer.account_id), 3)


def from_following(columns: CatalogColumns, allowed: BoolArray, viewer: Viewer, k: int) -> IntArray:
    """The newest eligible posts of followed accounts."""
    return newest(
        columns, allowed & (columns.post_ids > 0) & _in(columns.owners, viewer.following), k
    )


def fresh(
    columns: CatalogColumns, allowed: BoolArray, now: datetime, days: float, k: int
) -> IntArray:
    """The newest eligible posts of the last `days` days."""
    recent = columns.created >= now.timestamp() - days * 86_400
    return newest(columns, allowed & (columns.post_ids > 0) & recent, k)


def like_counts(session: Session, post_ids: list[int]) -> dict[int, int]:
    counts = session.execute(
        select(Like.post_id, func.count()).where(Like.post_id.in_(post_ids)).group_by(Like.post_id)
    )
    return dict(counts.all())


def popular(columns: CatalogColumns, allowed: BoolArray, ranked: Sequence[int], k: int) -> IntArray:
    """The first k eligible posts of `ranked` (post ids, most liked first: `popular_ids`)."""
    row_of = {int(post): row for row, post in enumerate(columns.post_ids) if post}
    rows = [row_of[p] for p in ranked if p in row_of and allowed[row_of[p]]]
    return np.array(rows[:k], dtype=np.int64)


def _public_posts(viewer: Viewer, kinds: Sequence[str] | None) -> ColumnElement[bool]:
    """Posts anyone may see, not the member's own, by nobody they hid, of the surface's kinds."""
    where = and_(
        Post.deleted_at.is_(None),
        Post.audience_id.is_(None),
        Post.author_id != viewer.account_id,
        Post.author_id.not_in(viewer.blocked_accounts) if viewer.blocked_accounts else true(),
    )
    return and_(where, Post.kind.in_(kinds)) if kinds is not None else where


def newest_ids(
    session: Session,
    viewer: Viewer,
    kinds: Sequence[str] | None,
    k: int,
    *,
    authors: Collection[int] | None = None,
    since: datetime | None = None,
) -> list[int]:
    """Ids of the newest public posts (of `authors`, or since `since`), enough that k of them
    are left after the member's exclusions: the indexes on (author, created) and created serve
    it."""
    if k == 0 or (authors is not None and not authors):
        return []
    query = select(Post.id).where(_public_posts(viewer, kinds))
    if authors is not None:
        query = query.where(among(Post.author_id, authors))
    if since is not None:
        query = query.where(Post.created_at >= since)
    query = query.order_by(Post.created_at.desc(), Post.id.desc())
    return list(session.scalars(query.limit(k + viewer.excluded_posts())))


def digest_ids(session: Session, viewer: Viewer) -> list[int]:
    """Ids of the member's newest digests (a post whose audience is the member alone)."""
    query = (
        select(Post.id)
        .where(Post.audience_id == viewer.account_id, Post.deleted_at.is_(None))
        .order_by(Post.created_at.desc(), Post.id.desc())
    )
    return list(session.scalars(query.limit(3 + viewer.excluded_posts())))


def popular_ids(
    session: Session, viewer: Viewer, kinds: Sequence[str] | None, since: datetime, k: int
) -> list[int]:
    """Ids of the public posts with the most likes given since `since`, most liked first (the
    index on the likes' time serves it)."""
    if k == 0:
        return []
    likes = func.count().label("likes")
    query = (
        select(Like.post_id, likes)
        .join(Post, Post.id == Like.post_id)
        .where(Like.created_at >= since, _public_posts(viewer, kinds))
        .group_by(Like.post_id)
        .order_by(likes.desc(), Like.post_id.desc())
        .limit(k + viewer.excluded_posts())
    )
    return [post_id for post_id, _ in session.execute(query)]


def account_ids(
    session: Session, viewer: Viewer, best_followed: Mapping[int, int], k: int
) -> set[int]:
    """Ids of accounts worth suggesting: those most followed by the accounts the member follows,
    the authors of posts the member liked, and the community's best followed (`best_followed`,
    computed once for everyone); each list long enough to leave k after the exclusions."""
    if k == 0:
        return set()
    enough = k + len(viewer.following) + len(viewer.blocked_accounts) + len(viewer.served) + 1
    found = set(list(best_followed)[:enough])
    if viewer.following:
        followed_by_follows = (
            select(Follow.followee_id)
            .where(among(Follow.follower_id, viewer.following))
            .group_by(Follow.followee_id)
            .order_by(func.count().desc(), Follow.followee_id)
            .limit(enough)
        )
        found.update(session.scalars(followed_by_follows))
    liked_authors = (
        select(Post.author_id)
        .join(Like, Like.post_id == Post.id)
        .where(Like.account_id == viewer.account_id)
        .group_by(Post.author_id)
        .order_by(func.count().desc(), Post.author_id)
        .limit(enough)
    )
    found.update(session.scalars(liked_authors))
    return found


def best_followed(session: Session, k: int) -> dict[int, int]:
    """The k accounts with the most followers: {account id: followers}, most first (one pass
    over the follows: cache it)."""
    followers = func.count().label("followers")
    query = (
        select(Follow.followee_id, followers)
        .group_by(Follow.followee_id)
        .order_by(followers.desc(), Follow.followee_id)
        .limit(k)
    )
    return {account_id: count for account_id, count in session.execute(query)}


@dataclass(frozen=True)
class Suggestion:
    """Why an account is suggested: who of the member's follows follow it, the likes the member
    gave its posts, and how many follow it in all."""

    followed_by: tuple[str, ...]  # handles of followed accounts that follow it
    liked_posts: int  # how many of its posts the member liked
    followers: int = 0  # everyone who follows it


def suggested_accounts(
    session: Session,
    columns: CatalogColumns,
    allowed: BoolArray,
    viewer: Viewer,
    k: int,
    known_followers: Mapping[int, int],
) -> dict[int, Suggestion]:
    """Up to k eligible accounts with something to go on: {row: why}. Ranked by how many
    followed accounts follow them, then by how many of their posts the member liked, then by
    followers (so a newcomer, who follows nobody yet, gets the community's best-followed)."""
    account_rows = np.flatnonzero(allowed & (columns.post_ids == 0))
    account_row = {int(columns.owners[r]): int(r) for r in account_rows}
    if not account_row or k == 0:
        return {}
    # Followers of the best followed are known (`best_followed`): the largest counts, not redone.
    followers = {a: known_followers[a] for a in account_row if a in known_followers}
    unknown = [a for a in account_row if a not in known_followers]
    if unknown:
        counted = session.execute(
            select(Follow.followee_id, func.count())
            .where(among(Follow.followee_id, unknown))
            .group_by(Follow.followee_id)
        )
        followers.update(dict(counted.all()))
    followed_by: dict[int, list[str]] = {}
    if viewer.following:
        pairs = session.execute(
            select(Follow.followee_id, Account.handle)
            .join(Account, Account.id == Follow.follower_id)
            .where(
                among(Follow.follower_id, viewer.following),
                among(Follow.followee_id, account_row),
            )
            .order_by(Account.handle)
        )
        for followee, handle in pairs:
            followed_by.setdefault(followee, []).append(handle)
    liked = Counter(
        session.scalars(
            select(Post.author_id)
            .join(Like, Like.post_id == Post.id)
            .where(Like.account_id == viewer.account_id, among(Post.author_id, account_row))
        )
    )
    ranked = sorted(
        (a for a in account_row if a in followed_by or liked[a] or followers.get(a)),
        key=lambda a: (-len(followed_by.get(a, ())), -liked[a], -followers.get(a, 0), a),
    )
    return {
        account_row[a]: Suggestion(tuple(followed_by.get(a, ())), liked[a], followers.get(a, 0))
        for a in ranked[:k]
    }
