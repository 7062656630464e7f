import pytest

from tests.utils.factories import make_account
from townsquare.db import Database
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
