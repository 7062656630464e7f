from __future__ import annotations

from sqlalchemy.orm import Session

from tests.utils.factories import make_account, make_post
from townsquare.db import Database
from townsquare.demo.clock import simulated_clock
from townsquare.feed.catalog import PlatformCatalog, account_token, post_token
from townsquare.feed.histories import PlatformOptions, member_history, platform_dataset
from townsquare.feed.vocabulary import SURFACE_IDS, action_mask, action_names
from townsquare.social import graph, posts

from .community import T0, community, record

OPTIONS = PlatformOptions(long_view_ms=10_000, session_gap_s=1_800)


def _encounters(session: Session, catalog: PlatformCatalog, account_id: int) -> list[tuple]:
    history = member_history(session, catalog, account_id, OPTIONS, max_events=1000)
    return [
        (catalog.tokens[item], action_names(int(actions)), int(time), int(surface))
        for item, actions, time, surface in zip(
            history.items, history.actions, history.times, history.surfaces, strict=True
        )
    ]


def test_events_fold_into_encounters(database: Database) -> None:
    with database.session() as session, community(session, history=False) as town:
        reader, baker = town.readers[0], town.authors["baker"]
        bread, rye, scoring = town.posts["baker"][:3]
        start = town.at(100)
        record(session, reader, "impression", post=bread)
        record(session, reader, "impression", post=rye)  # shown, scrolled past
        town.at(101)
        record(session, reader, "open", post=bread)
        record(session, reader, "dwell", post=bread, surface="post", dwell_ms=12_000)
        posts.like_post(session, reader, bread.id, surface="post")
        graph.follow(session, reader, baker, surface="post")  # won by this post
        town.at(102)
        record(session, reader, "impression", post=scoring)
        record(session, reader, "open", post=scoring)
        record(session, reader, "dwell", post=scoring, surface="post", dwell_ms=4_000)  # short
        record(session, reader, "hide", target=town.authors["gamer"])
        town.at(200)  # well past the session gap: the same post shown again
        record(session, reader, "impression", post=bread)
        session.flush()
        catalog = PlatformCatalog()
        catalog.refresh(session)
        t = int(start.timestamp())
        feed, post_surface = SURFACE_IDS["feed"], SURFACE_IDS["post"]
        assert _encounters(session, catalog, reader.id) == [
            (
                post_token(bread.id),
                ("impression", "open", "dwell", "like", "follow"),
                t,
                feed,
            ),
            (post_token(rye.id), ("impression",), t, feed),
            (account_token(baker.id), ("follow",), t + 60, post_surface),
            (post_token(scoring.id), ("impression", "open"), t + 120, feed),
            (account_token(town.authors["gamer"].id), ("hide",), t + 120, feed),
            (post_token(bread.id), ("impression",), t + 6000, feed),
        ]


def test_the_dataset_holds_every_active_member_in_catalog_ids(database: Database) -> None:
    with database.session() as session, community(session) as town:
        catalog = PlatformCatalog()
        catalog.refresh(session)
        dataset = platform_dataset(session, catalog, OPTIONS)
        assert dataset.item_tokens == tuple(catalog.tokens)
        assert dataset.sequences.num_items == len(catalog) == 3 * 4 + 3 + len(town.readers)
        assert set(dataset.user_tokens) == {account_token(r.id) for r in town.readers}
        assert dataset.sequences.surfaces is not None
        for user, items, actions in zip(
            dataset.user_tokens, dataset.sequences.items, dataset.sequences.actions, strict=True
        ):
            reader = int(user.split(":")[1])
            live = member_history(session, catalog, reader, OPTIONS, max_events=1000)
            assert live.items.tolist() == items.tolist()
            assert live.actions.tolist() == actions.tolist()
            # the loved topic's posts were opened, the others only shown
            assert actions[0] == action_mask({"follow"})
            assert len(items) == 1 + 3 * 3


def test_a_live_history_reads_the_latest_events_only(database: Database) -> None:
    with database.session() as session, community(session) as town:
        reader = town.readers[0]
        catalog = PlatformCatalog()
        catalog.refresh(session)
        whole = member_history(session, catalog, reader.id, OPTIONS, max_events=1000)
        tail = member_history(session, catalog, reader.id, OPTIONS, max_events=4)
        assert tail.items.tolist() == whole.items[-len(tail) :].tolist()
        assert 1 <= len(tail) <= 4


def test_events_on_items_newer_than_the_catalog_are_left_out(database: Database) -> None:
    with database.session() as session, simulated_clock(session, T0):
        reader, author = make_account(session), make_account(session)
        catalog = PlatformCatalog()
        catalog.refresh(session)
        post = make_post(session, author)
        record(session, reader, "impression", post=post)
        session.flush()
        assert len(member_history(session, catalog, reader.id, OPTIONS, max_events=10)) == 0
        catalog.refresh(session)
        assert len(member_history(session, catalog, reader.id, OPTIONS, max_events=10)) == 1
