"""The candidate sources' queries: bounded lists of ids, whatever the size of the community."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.utils.factories import make_account, make_post
from townsquare.db import Database
from townsquare.db.models import Account, Follow, Like, Post
from townsquare.feed.serving.candidates import (
    Viewer,
    account_ids,
    best_followed,
    digest_ids,
    newest_ids,
    popular_ids,
)

pytestmark = pytest.mark.postgres

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _viewer(account: Account, **exclusions: frozenset[int] | frozenset[str]) -> Viewer:
    fields: dict[str, frozenset[int] | frozenset[str]] = {
        "following": frozenset(),
        "seen_posts": frozenset(),
        "hidden_posts": frozenset(),
        "blocked_accounts": frozenset(),
        "served": frozenset(),
    }
    return Viewer(account_id=account.id, **(fields | exclusions))  # type: ignore[arg-type]


def _post(session: Session, author: Account, hours: float, kind: str = "text") -> int:
    post = make_post(session, author, f"{kind} at {hours}h")
    post.kind, post.created_at = kind, T0 + timedelta(hours=hours)
    session.flush()
    return post.id


def test_newest_ids_are_public_posts_newest_first_with_room_for_the_exclusions(
    database: Database,
) -> None:
    with database.session() as session:
        reader, potter, baker = (make_account(session, h) for h in ("reader", "potter", "baker"))
        old, mid, new = (_post(session, potter, h) for h in (1, 2, 3))
        video = _post(session, potter, 4, "short_video")
        _post(session, reader, 5)  # the member's own
        deleted = session.get_one(Post, _post(session, potter, 6))
        deleted.deleted_at = T0
        digest = session.get_one(Post, _post(session, baker, 7))
        digest.audience_id = reader.id  # someone else's digest
        bread = _post(session, baker, 0)
        session.flush()
        viewer = _viewer(reader)
        assert newest_ids(session, viewer, None, 10) == [video, new, mid, old, bread]
        assert newest_ids(session, viewer, None, 2) == [video, new]
        assert newest_ids(session, viewer, ["text"], 2) == [new, mid]
        assert newest_ids(session, viewer, None, 10, authors={baker.id}) == [bread]
        assert newest_ids(session, viewer, None, 10, authors=set()) == []
        assert newest_ids(session, viewer, None, 10, since=T0 + timedelta(hours=2)) == [
            video,
            new,
            mid,
        ]
        seen = _viewer(reader, seen_posts=frozenset({video}), served=frozenset({f"p{new}"}))
        assert newest_ids(session, seen, None, 1) == [video, new, mid]  # 1 + 2 excluded
        blocked = _viewer(reader, blocked_accounts=frozenset({potter.id}))
        assert newest_ids(session, blocked, None, 10) == [bread]
        assert newest_ids(session, viewer, None, 0) == []


def test_digest_ids_are_the_members_own_newest_first(database: Database) -> None:
    with database.session() as session:
        reader, writer = make_account(session, "reader"), make_account(session, "writer")
        first, second = (_post(session, writer, h) for h in (1, 2))
        for post_id in (first, second):
            session.get_one(Post, post_id).audience_id = reader.id
        _post(session, writer, 3)  # public: not a digest
        session.flush()
        assert digest_ids(session, _viewer(reader)) == [second, first]
        assert digest_ids(session, _viewer(writer)) == []


def test_popular_ids_count_recent_likes_most_liked_first(database: Database) -> None:
    with database.session() as session:
        reader, potter = make_account(session, "reader"), make_account(session, "potter")
        fans = [make_account(session) for _ in range(3)]
        one, two, three = (_post(session, potter, h) for h in (1, 2, 3))
        video = _post(session, potter, 4, "short_video")
        for fan, post_ids in zip(fans, ([one, two, video], [two, video], [video]), strict=True):
            session.add_all(Like(account_id=fan.id, post_id=p, created_at=T0) for p in post_ids)
        session.add(Like(account_id=reader.id, post_id=three, created_at=T0 - timedelta(days=9)))
        session.flush()
        viewer = _viewer(reader)
        since = T0 - timedelta(days=1)
        assert popular_ids(session, viewer, None, since, 10) == [video, two, one]
        assert popular_ids(session, viewer, ["text"], since, 1) == [two]
        long_ago = T0 - timedelta(days=10)
        assert popular_ids(session, viewer, None, long_ago, 10) == [video, two, three, one]
        assert popular_ids(session, _viewer(potter), None, since, 10) == []  # their own
        assert popular_ids(session, viewer, None, since, 0) == []


def test_account_ids_come_from_follows_of_follows_liked_authors_and_the_best_followed(
    database: Database,
) -> None:
    with database.session() as session:
        reader, friend, star, potter, stranger, famous = (
            make_account(session, h)
            for h in ("reader", "friend", "star", "potter", "stranger", "famous")
        )
        fans = [make_account(session) for _ in range(3)]
        follows = [(reader, friend), (friend, star), *((fan, famous) for fan in fans)]
        follows += [(fans[0], star)]
        session.add_all(Follow(follower_id=a.id, followee_id=b.id) for a, b in follows)
        session.add(Like(account_id=reader.id, post_id=_post(session, potter, 1)))
        session.flush()
        assert best_followed(session, 2) == {famous.id: 3, star.id: 2}
        viewer = _viewer(reader, following=frozenset({friend.id}))
        found = account_ids(session, viewer, best_followed(session, 10), 1)
        assert {star.id, potter.id, famous.id} <= found
        assert stranger.id not in found
        assert account_ids(session, viewer, {famous.id: 3}, 0) == set()
