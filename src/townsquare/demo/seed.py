"""Writes the demo community through the social services: `townsquare demo`'s data.

Four stages, each reported through ``on_progress(stage, done, total)``: ``media`` renders the
pictures and videos (outside any transaction), ``accounts`` creates the people and the business,
``activity`` replays the planned month in time order under a simulated clock, and ``agents``
creates the demo's AI agents and the business's shop (``demo.shop``). Everything is
written in one transaction, so a failed seed leaves no half-built community behind.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from townsquare.db import Database
from townsquare.db.models import (
    Account,
    Agent,
    Comment,
    Event,
    Follow,
    Like,
    Media,
    Message,
    Post,
    ThreadMember,
)
from townsquare.db.types import utcnow
from townsquare.demo import timeline
from townsquare.demo.clock import SimulatedClock, simulated_clock
from townsquare.demo.content import (
    BUSINESS,
    CREATORS,
    DEMO_PASSWORD,
    FEATURED_MEMBERS,
    PEOPLE,
    Author,
)
from townsquare.demo.content.agents import DEMO_AGENTS
from townsquare.demo.media import render_avatar, render_image, render_video
from townsquare.demo.plan import Plan, build_plan
from townsquare.demo.shop import CUSTOMERS, SHOP_CUSTOMERS, add_shop_documents, seed_shop
from townsquare.settings import Settings
from townsquare.social import accounts, events, graph, messages, posts, verification
from townsquare.social.media import store_media
from townsquare.studio.agents import create_agent

Progress = Callable[[str, int, int], None]
DEMO_HANDLES = tuple(person.profile.handle for person in PEOPLE)


@dataclass(frozen=True)
class DemoLogin:
    handle: str
    password: str
    role_description: str


@dataclass(frozen=True)
class DemoSummary:
    """What the demo community holds; ``created`` is False when it was already there."""

    created: bool
    logins: list[DemoLogin]
    accounts: int
    posts: int
    media: int
    follows: int
    likes: int
    comments: int
    events: int
    threads: int
    messages: int
    agents: int


def seed_demo(
    database: Database,
    settings: Settings,
    *,
    on_progress: Progress | None = None,
    seed: int = 7,
) -> DemoSummary:
    """Creates the demo community, or returns its summary if it is already there.

    The same ``seed`` gives the same community: the same posts in the same order, the same
    comments, byte-identical media files, and the same history, dated relative to the hour of
    seeding. ``on_progress(stage, done, total)`` is called as each stage (media, accounts,
    activity, agents) advances.
    """
    progress = on_progress or _no_progress
    with database.session() as session:
        if session.scalar(select(Account.id).where(Account.handle == DEMO_HANDLES[0])):
            return _summarise(session, created=False)
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    month = build_plan(random.Random(seed), now)
    rendered = _render_media(month, seed, progress)
    with database.session() as session, simulated_clock(session, now) as clock:
        people = _create_accounts(session, settings, month, rendered.avatars, clock, progress)
        _replay(session, settings, month, people, rendered.posts, clock, progress)
        _create_agents(session, settings, people, progress)
        return _summarise(session, created=True)


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default ``on_progress``: report nothing."""


@dataclass(frozen=True)
class _Rendered:
    avatars: dict[str, bytes]  # handle -> PNG
    posts: dict[timeline.PostRef, bytes]  # image and video posts -> file


def _render_media(month: Plan, seed: int, progress: Progress) -> _Rendered:
    palettes = {person.profile.handle: person.profile.palette for person in PEOPLE}
    media_posts = [
        action
        for action in month.actions
        if isinstance(action, timeline.Publish) and action.spec.kind not in ("text", "link")
    ]
    total = len(PEOPLE) + len(media_posts)
    avatars = {}
    for done, person in enumerate(PEOPLE, 1):
        avatars[person.profile.handle] = render_avatar(
            person.profile.display_name, person.profile.palette
        )
        progress("media", done, total)
    rendered = {}
    for done, publish in enumerate(media_posts, len(PEOPLE) + 1):
        spec, ref = publish.spec, publish.ref
        palette = palettes[ref.author]
        if spec.duration_s is None:
            rng = random.Random(f"{seed}:{ref.author}:{ref.index}")
            rendered[ref] = render_image(spec.title, ref.author, palette, rng)
        else:
            rendered[ref] = render_video(spec.title, ref.author, palette, spec.duration_s)
        progress("media", done, total)
    return _Rendered(avatars, rendered)


def _create_accounts(
    session: Session,
    settings: Settings,
    month: Plan,
    avatars: dict[str, bytes],
    clock: SimulatedClock,
    progress: Progress,
) -> dict[str, Account]:
    people = {}
    for done, person in enumerate(PEOPLE, 1):
        profile = person.profile
        clock.now = month.joined[profile.handle]
        account = accounts.create_account(
            session,
            handle=profile.handle,
            password=DEMO_PASSWORD,
            display_name=profile.display_name,
            kind=person.kind if isinstance(person, Author) else "person",
            hash_cost=settings.password_hash_cost,
        )
        # Demo members start verified (nobody reads a demo's outbox).
        verification.mark_verified(session, account, f"{profile.handle}@example.org")
        avatar = store_media(
            session, settings.media_dir, account, avatars[profile.handle], quotas=None
        )
        accounts.update_profile(
            session,
            account,
            bio=profile.bio,
            location=profile.location,
            website=profile.website,
            avatar_media_id=avatar.id,
        )
        people[profile.handle] = account
        progress("accounts", done, len(PEOPLE))
    return people


def _replay(
    session: Session,
    settings: Settings,
    month: Plan,
    people: dict[str, Account],
    rendered: dict[timeline.PostRef, bytes],
    clock: SimulatedClock,
    progress: Progress,
) -> None:
    """Performs the planned actions in time order, each at its planned time."""
    post_ids: dict[timeline.PostRef, int] = {}
    for done, action in enumerate(month.actions, 1):
        clock.now = action.at
        match action:
            case timeline.Publish(ref=ref, spec=spec):
                author = people[ref.author]
                media_id = None
                if ref in rendered:
                    media_id = store_media(
                        session, settings.media_dir, author, rendered[ref], quotas=None
                    ).id
                post = posts.create_post(
                    session,
                    author,
                    kind=spec.kind,
                    text=spec.text,
                    link_url=spec.link_url,
                    media_id=media_id,
                )
                post_ids[ref] = post.id
            case timeline.Follow():
                graph.follow(
                    session,
                    people[action.follower],
                    people[action.followee],
                    surface=action.surface,
                )
            case timeline.Interaction():
                _interact(session, people[action.actor], post_ids[action.ref], action)
            case timeline.DirectMessage():
                sender = people[action.sender]
                others = [people[h] for h in action.participants if h != action.sender]
                thread = messages.open_thread(session, sender, others)
                messages.send_message(session, sender, thread.id, action.text)
        progress("activity", done, len(month.actions))


def _create_agents(
    session: Session, settings: Settings, people: dict[str, Account], progress: Progress
) -> None:
    for done, (owner, spec) in enumerate(DEMO_AGENTS, 1):
        create_agent(session, people[owner], spec)
        progress("agents", done, len(DEMO_AGENTS) + 1)
    # The business's shop and its customer-service agent; two members are its customers.
    customers = [people[handle] for handle in SHOP_CUSTOMERS]
    agent, _ = seed_shop(session, people[BUSINESS.profile.handle], customers, now=utcnow())
    for member, customer in zip(customers, CUSTOMERS, strict=True):
        # The shop knows them by this address: verified, so they read their orders on the web.
        verification.mark_verified(session, member, customer.email)
    add_shop_documents(session, settings, agent)
    progress("agents", len(DEMO_AGENTS) + 1, len(DEMO_AGENTS) + 1)


def _interact(session: Session, actor: Account, post_id: int, action: timeline.Interaction) -> None:
    if action.type == "like":
        posts.like_post(session, actor, post_id, surface=action.surface)
    elif action.type == "comment":
        posts.add_comment(session, actor, post_id, action.comment, surface=action.surface)
    else:
        events.record_event(
            session,
            actor,
            action.type,
            surface=action.surface,
            post_id=post_id,
            dwell_ms=action.dwell_ms,
            extra=action.extra,
        )


def _logins() -> list[DemoLogin]:
    agents = {owner: f"; owns the AI agent @{spec.handle}" for owner, spec in DEMO_AGENTS}
    authors = [
        DemoLogin(a.profile.handle, DEMO_PASSWORD, a.role + agents.get(a.profile.handle, ""))
        for a in (*CREATORS, BUSINESS)
    ]
    members = [DemoLogin(h, DEMO_PASSWORD, role) for h, role in FEATURED_MEMBERS.items()]
    return authors + members


def _summarise(session: Session, *, created: bool) -> DemoSummary:
    demo_ids = select(Account.id).where(Account.handle.in_(DEMO_HANDLES))

    def count(
        owner: InstrumentedAttribute[int], what: InstrumentedAttribute[int] | None = None
    ) -> int:
        counted = func.count() if what is None else func.count(func.distinct(what))
        return session.scalar(select(counted).where(owner.in_(demo_ids))) or 0

    return DemoSummary(
        created=created,
        logins=_logins(),
        accounts=session.scalar(select(func.count()).where(Account.handle.in_(DEMO_HANDLES))) or 0,
        posts=count(Post.author_id),
        media=count(Media.owner_id),
        follows=count(Follow.follower_id),
        likes=count(Like.account_id),
        comments=count(Comment.author_id),
        events=count(Event.account_id),
        threads=count(ThreadMember.account_id, ThreadMember.thread_id),
        messages=count(Message.sender_id),
        agents=count(Agent.owner_id),
    )
