import pytest

from tests.utils.factories import make_account
from townsquare.db import Database
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.social import messages


def test_open_thread_reuses_the_thread_between_the_same_people(database: Database) -> None:
    with database.session() as session:
        ada, bob, cy = make_account(session), make_account(session), make_account(session)
        pair = messages.open_thread(session, ada, [bob])
        assert messages.open_thread(session, bob, [ada]).id == pair.id
        group = messages.open_thread(session, ada, [bob, cy])
        assert group.id != pair.id
        assert messages.thread_member_ids(session, group.id) == sorted([ada.id, bob.id, cy.id])
        with pytest.raises(InvalidInput, match="at least one other"):
            messages.open_thread(session, ada, [ada])


def test_messages_are_stored_once_per_client_key(database: Database) -> None:
    with database.session() as session:
        ada, bob = make_account(session), make_account(session)
        thread = messages.open_thread(session, ada, [bob])
        first, created = messages.send_message(session, ada, thread.id, "hi", client_key="k1")
        again, created_again = messages.send_message(session, ada, thread.id, "hi", client_key="k1")
        assert (created, created_again, again.id) == (True, False, first.id)
        page = messages.list_messages(session, bob, thread.id, cursor=None)
        assert [m.text for m in page.items] == ["hi"]


def test_client_key_cannot_be_replayed_into_another_thread(database: Database) -> None:
    with database.session() as session:
        ada, bob, cy = make_account(session), make_account(session), make_account(session)
        one = messages.open_thread(session, ada, [bob])
        two = messages.open_thread(session, ada, [cy])
        messages.send_message(session, ada, one.id, "hi", client_key="k")
        with pytest.raises(Forbidden):
            messages.send_message(session, ada, two.id, "hi", client_key="k")


def test_outsiders_cannot_read_or_write(database: Database) -> None:
    with database.session() as session:
        ada, bob, eve = make_account(session), make_account(session), make_account(session)
        thread = messages.open_thread(session, ada, [bob])
        with pytest.raises(NotFound):
            messages.send_message(session, eve, thread.id, "let me in")
        with pytest.raises(NotFound):
            messages.list_messages(session, eve, thread.id, cursor=None)
        assert messages.list_threads(session, eve, cursor=None).items == []


def test_unread_counts_follow_read_marks(database: Database) -> None:
    with database.session() as session:
        ada, bob = make_account(session), make_account(session)
        thread = messages.open_thread(session, ada, [bob])
        messages.send_message(session, ada, thread.id, "one")
        last, _ = messages.send_message(session, ada, thread.id, "two")
        assert messages.unread_count(session, bob, thread.id) == 2
        assert messages.unread_count(session, ada, thread.id) == 0
        messages.mark_read(session, bob, thread.id, last.id)
        assert messages.unread_count(session, bob, thread.id) == 0
        with pytest.raises(InvalidInput):
            messages.send_message(session, bob, thread.id, "   ")
