import random
import statistics
from datetime import UTC, datetime

from townsquare.demo.behaviour import affinity
from townsquare.demo.content import MEMBERS
from townsquare.demo.plan import build_plan, topics_by_author
from townsquare.demo.timeline import DirectMessage, Follow, Interaction, Publish

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
PLAN = build_plan(random.Random(7), NOW)
MEMBER_BY_HANDLE = {member.profile.handle: member for member in MEMBERS}
TOPICS = topics_by_author()


def test_the_plan_is_in_time_order_and_in_the_past() -> None:
    times = [action.at for action in PLAN.actions]
    assert times == sorted(times)
    assert times[-1] < NOW
    assert all(joined < NOW for joined in PLAN.joined.values())


def test_nobody_acts_on_a_post_before_it_exists() -> None:
    published = {}
    for action in PLAN.actions:
        if isinstance(action, Publish):
            published[action.ref] = action.at
        elif isinstance(action, Interaction):
            assert action.ref in published and published[action.ref] <= action.at


def test_the_plan_is_deterministic() -> None:
    assert build_plan(random.Random(7), NOW) == PLAN
    assert build_plan(random.Random(8), NOW) != PLAN


def test_interests_drive_dwell_and_likes() -> None:
    dwell: dict[bool, list[int]] = {True: [], False: []}
    likes: dict[bool, int] = {True: 0, False: 0}
    for action in PLAN.actions:
        if isinstance(action, Interaction) and action.actor in MEMBER_BY_HANDLE:
            matches = affinity(MEMBER_BY_HANDLE[action.actor], TOPICS[action.ref.author]) >= 0.6
            if action.dwell_ms is not None:
                dwell[matches].append(action.dwell_ms)
            likes[matches] += action.type == "like"
    assert statistics.median(dwell[True]) > 2 * statistics.median(dwell[False])
    assert likes[True] > 3 * likes[False]


def test_there_are_follows_and_messages() -> None:
    follows = [a for a in PLAN.actions if isinstance(a, Follow)]
    assert any(follow.surface == "post" for follow in follows)  # followed after liking
    assert sum(isinstance(a, DirectMessage) for a in PLAN.actions) >= 10
