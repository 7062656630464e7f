"""A small community written through the social services, with every row's time under control:
readers, authors with posts of several kinds, and what the readers saw and did."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from tests.utils.factories import make_account
from townsquare.db.models import Account, Post
from townsquare.demo.clock import SimulatedClock, simulated_clock
from townsquare.social import events, graph, posts

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOPICS = {
    "baker": ["sourdough starter feeding", "rye bread crumb", "baguette scoring", "levain timing"],
    "runner": ["trail running hills", "marathon pacing", "easy run heart rate", "running shoes"],
    "gamer": ["pixel art sprites", "game jam tips", "indie game launch", "level design"],
}


@dataclass
class Community:
    clock: SimulatedClock
    readers: list[Account]
    authors: dict[str, Account]  # topic -> author
    posts: dict[str, list[Post]] = field(default_factory=dict)  # topic -> posts, oldest first

    def at(self, minutes: float) -> datetime:
        """Moves the clock to T0 + minutes and returns that time."""
        self.clock.now = T0 + timedelta(minutes=minutes)
        return self.clock.now


def record(
    session: Session,
    account: Account,
    type: str,
    *,
    post: Post | None = None,
    target: Account | None = None,
    surface: str = "feed",
    dwell_ms: int | None = None,
) -> None:
    events.record_event(
        session,
        account,
        type,
        surface=surface,
        post_id=None if post is None else post.id,
        target_account_id=None if target is None else target.id,
        dwell_ms=dwell_ms,
    )


def engage(session: Session, reader: Account, post: Post, *, like: bool) -> None:
    """An impression, an open, a long read and maybe a like."""
    record(session, reader, "impression", post=post)
    record(session, reader, "open", post=post)
    record(session, reader, "dwell", post=post, surface="post", dwell_ms=30_000)
    if like:
        posts.like_post(session, reader, post.id, surface="post")


@contextmanager
def community(session: Session, *, readers: int = 4, history: bool = True) -> Iterator[Community]:
    """Three authors with four posts each (the last of each a link post) and readers who
    each love one topic: they engage with its posts and scroll past the others."""
    with simulated_clock(session, T0) as clock:
        built = Community(
            clock,
            [make_account(session) for _ in range(readers)],
            {topic: make_account(session, display_name=f"The {topic}") for topic in TOPICS},
        )
        for minute, (topic, texts) in enumerate(TOPICS.items()):
            author = built.authors[topic]
            built.posts[topic] = []
            for index, text in enumerate(texts):
                built.at(minute * 10 + index)
                if index == len(texts) - 1:
                    post = posts.create_post(
                        session, author, kind="link", text=text, link_url="https://example.org/"
                    )
                else:
                    post = posts.create_post(session, author, kind="text", text=text)
                built.posts[topic].append(post)
        if history:
            topics = list(TOPICS)
            for r, reader in enumerate(built.readers):
                loved = topics[r % len(topics)]
                graph.follow(session, reader, built.authors[loved], surface="profile")
                for index in range(3):
                    for topic in topics:
                        built.at(60 + 60 * r + 10 * index + topics.index(topic))
                        post = built.posts[topic][index]
                        if topic == loved:
                            engage(session, reader, post, like=index != 1)
                        else:
                            record(session, reader, "impression", post=post)
        session.flush()
        yield built
