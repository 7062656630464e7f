"""How a member behaves in their feed: what they open, how long they stay, what they do next.

Interests drive everything, so the history carries the signal a recommender learns from: posts
that match a member's interests are opened more often, watched and read for longer, and liked,
commented on and shared more; posts far from them are sometimes hidden.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta

from townsquare.demo.content import COMMENTS, Member, PostSpec
from townsquare.demo.timeline import Action, Follow, Interaction, PostRef, Publish

FEED_HORIZON = timedelta(days=5)  # how old a post can be and still show up in a feed
READING_WORDS_PER_S = 4


def affinity(member: Member, topics: tuple[str, ...]) -> float:
    """How much a member cares about posts on these topics, 0..1."""
    return max((member.interests.get(topic, 0.0) for topic in topics), default=0.0)


class MemberMonth:
    """One member's month, session by session: what they saw and liked, and whom they follow."""

    def __init__(
        self,
        rng: random.Random,
        member: Member,
        topics: dict[str, tuple[str, ...]],
        replies: dict[str, tuple[str, ...]],
        following: set[str],
        seen: set[PostRef],
        now: datetime,
    ) -> None:
        self.rng = rng
        self.member = member
        self.handle = member.profile.handle
        self.topics = topics
        self.replies = replies
        self.following = following
        self.seen = seen
        self.now = now
        self.likes_by_author: Counter[str] = Counter()
        self.actions: list[Action] = []

    def scroll(self, at: datetime, visible: list[Publish]) -> None:
        """A feed session: the member sees a handful of recent posts and acts on some."""
        candidates = [p for p in visible if p.ref not in self.seen and p.ref.author != self.handle]
        ranked = sorted(candidates, key=lambda p: self._feed_score(p, at), reverse=True)
        for publish in ranked[: self.rng.randint(4, 9)]:
            self.seen.add(publish.ref)
            at = self._view(publish, at) + timedelta(seconds=self.rng.uniform(2, 10))

    def _feed_score(self, publish: Publish, at: datetime) -> float:
        freshness = 1 - (at - publish.at) / FEED_HORIZON
        followed = 0.4 if publish.ref.author in self.following else 0.0
        return self._affinity(publish) + followed + 0.3 * freshness + self.rng.random() * 0.6

    def _affinity(self, publish: Publish) -> float:
        return affinity(self.member, self.topics[publish.ref.author])

    def _add(
        self,
        at: datetime,
        publish: Publish,
        type: str,
        surface: str,
        *,
        dwell_ms: int | None = None,
        comment: str = "",
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self.actions.append(
            Interaction(
                at, self.handle, publish.ref, type, surface, dwell_ms, comment, dict(extra or {})
            )
        )

    def _view(self, publish: Publish, at: datetime) -> datetime:
        """Impression, and maybe open, dwell, like, comment, share or hide; returns when done."""
        rng, interest = self.rng, self._affinity(publish)
        followed = publish.ref.author in self.following
        self._add(at, publish, "impression", "feed")
        at += timedelta(seconds=rng.uniform(1, 4))
        if rng.random() >= 0.04 + 0.55 * interest + (0.1 if followed else 0.0):
            if interest < 0.15 and not followed and rng.random() < 0.06:
                self._add(at, publish, "hide", "feed")
            elif rng.random() < 0.03 * interest:
                self._like(at, publish, "feed")
            return at
        self._add(at, publish, "open", "feed")
        dwell_ms = self._dwell_ms(publish.spec, interest)
        at += timedelta(milliseconds=dwell_ms)
        self._add(at, publish, "dwell", "post", dwell_ms=dwell_ms)
        if rng.random() < 0.1 + 0.6 * interest:
            self._like(at, publish, "post")
        if rng.random() < 0.18 * interest:
            self._comment(at, publish)
        if rng.random() < 0.1 * interest:
            self._add(at, publish, "share", "post", extra={"via": "messages"})
        return at

    def _dwell_ms(self, spec: PostSpec, interest: float) -> int:
        """Time spent on an opened post: longer when it matches the member's interests."""
        engagement = min(1.0, max(0.05, interest * self.rng.uniform(0.6, 1.2)))
        if spec.duration_s is not None:
            return round(spec.duration_s * 1000 * engagement)
        if spec.kind == "text":
            reading_ms = len(spec.text.split()) / READING_WORDS_PER_S * 1000
            return round(1500 + reading_ms * engagement)
        return round(2000 + 15000 * engagement * self.rng.random())

    def _like(self, at: datetime, publish: Publish, surface: str) -> None:
        self._add(at, publish, "like", surface)
        author = publish.ref.author
        self.likes_by_author[author] += 1
        if author not in self.following and self.likes_by_author[author] >= 2:
            self.following.add(author)
            self.actions.append(Follow(at + timedelta(seconds=5), self.handle, author, "post"))

    def _comment(self, at: datetime, publish: Publish) -> None:
        topic = self.topics[publish.ref.author][0]
        self._add(at, publish, "comment", "post", comment=self.rng.choice(COMMENTS[topic]))
        replies = self.replies.get(publish.ref.author, ())
        reply_at = at + timedelta(hours=self.rng.uniform(0.5, 8))
        if replies and reply_at < self.now and self.rng.random() < 0.5:
            self.actions.append(
                Interaction(
                    reply_at,
                    publish.ref.author,
                    publish.ref,
                    "comment",
                    "notifications",
                    comment=f"@{self.handle} {self.rng.choice(replies)}",
                )
            )
