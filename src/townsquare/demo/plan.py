"""A month in the demo community, planned before anything is written.

Pure and deterministic: the same seed and ``now`` give the same plan. Authors post on a schedule;
members follow the authors whose topics they care about and scroll their feed once or twice on
most days (see ``behaviour``); one of them reports the spam; a few write to each other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from townsquare.demo.behaviour import FEED_HORIZON, MemberMonth, affinity
from townsquare.demo.content import (
    AUTHORS,
    CONVERSATIONS,
    MEMBERS,
    PEOPLE,
    REPORTER,
    SPAMMER,
    Member,
)
from townsquare.demo.timeline import Action, DirectMessage, Follow, Interaction, PostRef, Publish

WINDOW_DAYS = 30
SESSION_HOURS = (7, 8, 8, 12, 13, 17, 18, 19, 20, 20, 21, 21, 22)  # when people scroll


@dataclass(frozen=True)
class Plan:
    joined: dict[str, datetime]  # handle -> when the account was created
    actions: list[Action]  # in time order


def build_plan(rng: random.Random, now: datetime) -> Plan:
    start = now - timedelta(days=WINDOW_DAYS)
    joined = {
        **{a.profile.handle: now - timedelta(days=rng.uniform(90, 120)) for a in AUTHORS},
        **{m.profile.handle: now - timedelta(days=rng.uniform(35, 80)) for m in MEMBERS},
    }
    publishes = _schedule_posts(rng, start, now)
    topics = topics_by_author()
    follows = _initial_follows(rng, joined, start)
    actions: list[Action] = [*publishes, *follows]
    spam = next(p for p in publishes if p.ref.author == SPAMMER.profile.handle)
    actions += _report(rng, spam)
    replies = {a.profile.handle: a.replies for a in AUTHORS}
    for member in MEMBERS:
        following = {f.followee for f in follows if f.follower == member.profile.handle}
        seen = {spam.ref} if member.profile.handle == REPORTER else set()
        month = MemberMonth(rng, member, topics, replies, following, seen, now)
        for day in range(WINDOW_DAYS):
            for at in _session_times(rng, member, start + timedelta(days=day), now):
                month.scroll(at, [p for p in publishes if at - FEED_HORIZON < p.at < at])
        actions += month.actions
    actions += _conversations(rng, now)
    actions.sort(key=lambda action: action.at)
    return Plan(joined, actions)


def topics_by_author() -> dict[str, tuple[str, ...]]:
    return {poster.profile.handle: poster.topics for poster in PEOPLE}


def _schedule_posts(rng: random.Random, start: datetime, now: datetime) -> list[Publish]:
    """Spreads each poster's posts over the window in content order, in daytime hours."""
    publishes = []
    for poster in PEOPLE:
        slot = timedelta(days=WINDOW_DAYS) / max(len(poster.posts), 1)
        for index, spec in enumerate(poster.posts):
            day = start + slot * (index + rng.uniform(0.1, 0.9))
            at = day.replace(hour=rng.randint(7, 21), minute=rng.randint(0, 59))
            if at > now - timedelta(hours=1):
                at = now - timedelta(hours=rng.uniform(1, 3))
            publishes.append(Publish(at, PostRef(poster.profile.handle, index), spec))
    return publishes


def _initial_follows(
    rng: random.Random, joined: dict[str, datetime], start: datetime
) -> list[Follow]:
    """Who followed whom before the month began: members follow authors whose topics they care
    about and some members who share their interests; authors follow a few of each other."""
    follows = []

    def add(follower: str, followee: str) -> None:
        first = max(joined[follower], joined[followee])
        at = first + (start - first) * rng.uniform(0.1, 0.95)
        follows.append(Follow(at, follower, followee, "profile"))

    for member in MEMBERS:
        for author in AUTHORS:
            if affinity(member, author.topics) >= 0.6:
                add(member.profile.handle, author.profile.handle)
        for other in MEMBERS:
            shared = sum(
                min(weight, other.interests.get(topic, 0.0))
                for topic, weight in member.interests.items()
            )
            if other is not member and shared >= 0.7 and rng.random() < 0.6:
                add(member.profile.handle, other.profile.handle)
    for author in AUTHORS:
        for peer in AUTHORS:
            if author is not peer and SPAMMER not in (author, peer) and rng.random() < 0.4:
                add(author.profile.handle, peer.profile.handle)
    return follows


def _report(rng: random.Random, spam: Publish) -> list[Action]:
    """The reporter sees the spam soon after it is posted, opens it and reports it."""
    at = spam.at + timedelta(hours=rng.uniform(1, 4))
    return [
        Interaction(at, REPORTER, spam.ref, "impression", "feed"),
        Interaction(at + timedelta(seconds=3), REPORTER, spam.ref, "open", "feed"),
        Interaction(at + timedelta(seconds=8), REPORTER, spam.ref, "dwell", "post", 5000),
        Interaction(
            at + timedelta(seconds=9),
            REPORTER,
            spam.ref,
            "report",
            "post",
            extra={"reason": "spam"},
        ),
    ]


def _session_times(
    rng: random.Random, member: Member, day: datetime, now: datetime
) -> list[datetime]:
    """When the member opens Townsquare on a day: once, sometimes twice, often not at all."""
    times = []
    for chance in (member.activity, member.activity / 2):
        if rng.random() < chance:
            at = day.replace(hour=rng.choice(SESSION_HOURS), minute=rng.randint(0, 59))
            if at < now - timedelta(hours=1):  # a session takes a while; keep it in the past
                times.append(at)
    return sorted(times)


def _conversations(rng: random.Random, now: datetime) -> list[Action]:
    actions: list[Action] = []
    for conversation in CONVERSATIONS:
        at = now - timedelta(days=conversation.days_ago, hours=rng.uniform(0, 10))
        for sender, text in conversation.messages:
            actions.append(DirectMessage(at, sender, conversation.participants, text))
            at += timedelta(minutes=rng.uniform(3, 90))
    return actions
