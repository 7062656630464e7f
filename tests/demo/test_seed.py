from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from tests.demo.conftest import Seeded, fresh
from townsquare.db import Database
from townsquare.db.models import (
    Account,
    Agent,
    Comment,
    Event,
    Media,
    Message,
    Post,
    ThreadMember,
)
from townsquare.db.types import utcnow
from townsquare.demo import seed_demo
from townsquare.demo.content import CREATORS, MEMBERS, REPORTER
from townsquare.social import accounts
from townsquare.social.events import EVENT_TYPES
from townsquare.social.posts import POST_KINDS, SHORT_VIDEO_MAX_MS
from townsquare.studio.agents import agent_account

MEMBER_HANDLES = {member.profile.handle for member in MEMBERS}


def test_every_post_kind_is_there_and_every_creator_posts_each_kind(seeded: Seeded) -> None:
    with seeded.database.session() as session:
        rows = session.execute(
            select(Account.handle, Post.kind).join(Post, Post.author_id == Account.id)
        )
        kinds_by_author: dict[str, Counter[str]] = defaultdict(Counter)
        for handle, kind in rows:
            kinds_by_author[handle][kind] += 1
    assert set().union(*kinds_by_author.values()) == set(POST_KINDS)
    for creator in CREATORS:
        kinds = kinds_by_author[creator.profile.handle]
        assert set(kinds) == set(POST_KINDS), creator.profile.handle
        assert 12 <= kinds.total() <= 20
        assert kinds["text"] >= 6  # the grounding material for the creator's agent


def test_videos_have_real_durations_on_the_right_side_of_three_minutes(seeded: Seeded) -> None:
    with seeded.database.session() as session:
        videos = session.execute(
            select(Post.kind, Media.duration_ms, Media.mime).join(Media, Post.media_id == Media.id)
        ).all()
    durations = {kind: [ms for k, ms, _ in videos if k == kind] for kind in POST_KINDS}
    assert durations["long_video"] and durations["short_video"]
    assert all(ms is not None and ms > SHORT_VIDEO_MAX_MS for ms in durations["long_video"])
    assert all(ms is not None and ms <= SHORT_VIDEO_MAX_MS for ms in durations["short_video"])
    assert {mime for kind, _, mime in videos if kind.endswith("video")} == {"video/mp4"}


def test_media_files_exist_under_the_media_directory(seeded: Seeded) -> None:
    with seeded.database.session() as session:
        rows = session.execute(select(Media.path, Media.size_bytes)).all()
    assert len(rows) == seeded.summary.media > 0
    for path, size in rows:
        assert (seeded.settings.media_dir / path).stat().st_size == size


def test_members_have_a_history_with_signal(seeded: Seeded) -> None:
    with seeded.database.session() as session:
        rows = session.execute(
            select(Account.handle, Event.type).join(Event, Event.account_id == Account.id)
        ).all()
        report = session.execute(
            select(Account.handle, Event.extra)
            .join(Event, Event.account_id == Account.id)
            .where(Event.type == "report")
        ).one()
    types_by_member: dict[str, set[str]] = defaultdict(set)
    for handle, kind in rows:
        types_by_member[handle].add(kind)
    assert set(types_by_member) >= MEMBER_HANDLES
    for handle in MEMBER_HANDLES:
        assert {"impression", "open", "dwell", "like"} <= types_by_member[handle], handle
    assert {kind for _, kind in rows} == set(EVENT_TYPES)
    assert report == (REPORTER, {"reason": "spam"})


def test_the_month_is_in_the_past_and_in_order(seeded: Seeded) -> None:
    with seeded.database.session() as session:
        times = list(
            session.scalars(
                select(Event.created_at).where(Event.type != "follow").order_by(Event.id)
            )
        )
        post_times = list(session.scalars(select(Post.created_at)))
    now = utcnow()
    assert times == sorted(times)
    assert now - timedelta(days=31) < times[0] and times[-1] < now
    assert min(post_times) < now - timedelta(days=20)  # spread over the month, not all today


def test_direct_messages_between_members_and_with_creators(seeded: Seeded) -> None:
    with seeded.database.session() as session:
        handles = dict(session.execute(select(Account.id, Account.handle)).all())
        members_by_thread: dict[int, set[str]] = defaultdict(set)
        for thread_id, account_id in session.execute(
            select(ThreadMember.thread_id, ThreadMember.account_id)
        ):
            members_by_thread[thread_id].add(handles[account_id])
        message_count = session.scalar(select(func.count()).select_from(Message))
    creators = {creator.profile.handle for creator in CREATORS}
    threads = list(members_by_thread.values())
    assert any(members <= MEMBER_HANDLES for members in threads)
    assert any(members & creators and members & MEMBER_HANDLES for members in threads)
    assert message_count == seeded.summary.messages
    assert seeded.summary.threads == len(threads)


def test_logins_authenticate(seeded: Seeded) -> None:
    logins = seeded.summary.logins
    assert {creator.profile.handle for creator in CREATORS} <= {login.handle for login in logins}
    with seeded.database.session() as session:
        for login in logins:
            assert (
                accounts.authenticate(session, login.handle, login.password).handle == login.handle
            )
            assert login.role_description
        assert accounts.get_account(session, "emberandoak").kind == "business"


def test_progress_reaches_the_end_of_every_stage(seeded: Seeded) -> None:
    last: dict[str, tuple[int, int]] = {}
    for stage, done, total in seeded.progress:
        assert 1 <= done <= total
        last[stage] = (done, total)
    assert list(last) == ["media", "accounts", "activity", "agents"]
    assert all(done == total for done, total in last.values())


def _table_counts(seeded: Seeded) -> dict[str, int]:
    with seeded.database.session() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Account, Post, Media, Comment, Event, Message)
        }


def test_a_second_seed_writes_nothing(seeded: Seeded) -> None:
    before = _table_counts(seeded)
    again = seed_demo(seeded.database, seeded.settings)
    assert seeded.summary.created and not again.created
    assert again == type(again)(**{**vars(seeded.summary), "created": False})
    assert _table_counts(seeded) == before


def _contents(database: Database) -> tuple[list[str], ...]:
    with database.session() as session:
        return (
            # Public posts: a digest (a post for one member) is written when a feed is read.
            list(
                session.scalars(
                    select(Post.text).where(Post.audience_id.is_(None)).order_by(Post.id)
                )
            ),
            list(session.scalars(select(Comment.text).order_by(Comment.id))),
            list(session.scalars(select(Media.sha256).order_by(Media.id))),
        )


def test_the_same_seed_gives_the_same_community(seeded: Seeded, tmp_path: Path) -> None:
    database, settings = fresh(tmp_path)
    try:
        summary = seed_demo(database, settings, seed=7)
        assert _contents(database) == _contents(seeded.database)
        assert vars(summary) == vars(seeded.summary)
    finally:
        database.dispose()


def test_the_demo_has_ai_agents_of_several_kinds(seeded: Seeded) -> None:
    with seeded.database.session() as session:
        kinds = {
            agent_account(session, agent).handle: (agent.kind, agent.reply_mode)
            for agent in session.scalars(select(Agent))
        }
    assert kinds == {
        "maya_ai": ("creator", "send"),
        "tom_ai": ("creator", "drafts"),
        "captain_byte": ("character", "send"),
        "ember_help": ("business", "send"),
    }
    assert seeded.summary.agents == 4


def test_demo_members_are_verified_and_the_shops_customers_by_its_addresses(
    seeded: Seeded,
) -> None:
    with seeded.database.session() as session:
        people = session.execute(
            select(Account.handle, Account.email, Account.pending_email).where(
                Account.kind != "agent"
            )
        ).all()
    emails = {handle: (email, pending) for handle, email, pending in people}
    assert emails["sam_k"] == ("alice@example.com", None)
    assert emails["lena_runs"] == ("bruno@example.com", None)
    others = {h: e for h, e in emails.items() if h not in ("sam_k", "lena_runs")}
    assert others and all(e == (f"{h}@example.org", None) for h, e in others.items())
