import pytest
from sqlalchemy.orm import Session

from tests.utils.concurrency import repeat_together
from tests.utils.factories import make_account
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.errors import InvalidInput
from townsquare.social import events, graph


def test_follow_is_idempotent_logged_and_counted(database: Database) -> None:
    with database.session() as session:
        ada, bob, cy = make_account(session), make_account(session), make_account(session)
        assert graph.follow(session, ada, bob) is True
        assert graph.follow(session, ada, bob) is False
        graph.follow(session, cy, bob)
        assert graph.counts(session, bob) == (2, 0)
        assert graph.following_ids(session, ada) == [bob.id]
        assert sorted(graph.follower_ids(session, bob)) == sorted([ada.id, cy.id])
        logged = events.list_events(session, ada).items
        assert [(e.type, e.target_account_id) for e in logged] == [("follow", bob.id)]
        graph.unfollow(session, ada, bob)
        graph.unfollow(session, ada, bob)
        assert graph.counts(session, bob) == (1, 0)


def test_cannot_follow_yourself(database: Database) -> None:
    with pytest.raises(InvalidInput, match="yourself"), database.session() as session:
        ada = make_account(session)
        graph.follow(session, ada, ada)


def test_followers_and_following_are_pages_newest_account_first(database: Database) -> None:
    with database.session() as session:
        ada, bob, cy, dee = (make_account(session) for _ in range(4))
        for fan in (bob, cy, dee):
            graph.follow(session, fan, ada)
        graph.follow(session, ada, bob)
        page = graph.followers(session, ada, limit=2)
        assert [a.id for a in page.items] == [dee.id, cy.id]
        rest = graph.followers(session, ada, cursor=page.next_cursor, limit=2)
        assert ([a.id for a in rest.items], rest.next_cursor) == ([bob.id], None)
        assert [a.id for a in graph.following(session, ada).items] == [bob.id]
        assert [a.id for a in graph.following(session, cy).items] == [ada.id]


def test_a_bad_cursor_is_refused(database: Database) -> None:
    with database.session() as session, pytest.raises(InvalidInput, match="cursor"):
        graph.followers(session, make_account(session), cursor="not-a-cursor")


def test_two_clients_following_at_once_store_one_follow(database: Database) -> None:
    def prepare(session: Session) -> tuple[int, int]:
        return make_account(session).id, make_account(session).id

    def follow(session: Session, ids: tuple[int, int]) -> bool:
        follower, followee = (session.get_one(Account, i) for i in ids)
        return graph.follow(session, follower, followee)

    def check(session: Session, ids: tuple[int, int], results: list[object]) -> None:
        assert sorted(results, key=str) == [False, True], results
        follower = session.get_one(Account, ids[0])
        assert graph.following_ids(session, follower) == [ids[1]]
        assert [e.type for e in events.list_events(session, follower).items] == ["follow"]

    repeat_together(database, prepare, follow, check)
