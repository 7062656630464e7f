import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.utils.concurrency import repeat_together
from tests.utils.factories import make_account, make_post
from townsquare.db import Database
from townsquare.db.models import Account, Event, Message, ThreadMember
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.social import messages, posts


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


def test_sharing_a_post_writes_the_message_and_the_share_event(database: Database) -> None:
    with database.session() as session:
        ada, bob = make_account(session), make_account(session)
        post = make_post(session, bob, "kiln opening on Friday")
        thread = messages.open_thread(session, ada, [bob])
        message, created = messages.send_message(
            session, ada, thread.id, "look", client_key="s1", shared_post_id=post.id
        )
        again, created_again = messages.send_message(
            session, ada, thread.id, "look", client_key="s1", shared_post_id=post.id
        )
        assert (created, created_again, again.id) == (True, False, message.id)
        assert message.shared_post_id == post.id
        shares = session.scalars(select(Event).where(Event.type == "share")).all()
        assert [(e.account_id, e.post_id, e.surface, e.extra) for e in shares] == [
            (ada.id, post.id, "messages", {"message": message.id})
        ]  # one share, for the one message: the retry logged nothing


def test_only_a_post_the_sender_may_see_is_shared(database: Database) -> None:
    with database.session() as session:
        ada, bob = make_account(session), make_account(session)
        thread = messages.open_thread(session, ada, [bob])
        for_bob = posts.create_post(session, bob, kind="text", text="yours", audience=bob)
        for_ada = posts.create_post(session, ada, kind="text", text="mine", audience=ada)
        with pytest.raises(NotFound, match=f"^no post {for_bob.id}$"):
            messages.send_message(session, ada, thread.id, "see", shared_post_id=for_bob.id)
        with pytest.raises(Forbidden) as refused:
            messages.send_message(session, ada, thread.id, "see", shared_post_id=for_ada.id)
        assert str(refused.value) == (
            f"post {for_ada.id} was written for you alone; it cannot be shared"
        )
        assert session.scalars(select(Event).where(Event.type == "share")).all() == []
        assert messages.list_messages(session, ada, thread.id, cursor=None).items == []


# Races: concurrent clients, each in its own session (issue 16), on SQLite and PostgreSQL.


def _pair(session: Session) -> tuple[int, int]:
    ada, bob = make_account(session), make_account(session)
    return ada.id, bob.id


def test_two_clients_opening_one_pair_get_one_thread(database: Database) -> None:
    def open_it(session: Session, pair: tuple[int, int]) -> int:
        starter, other = (session.get_one(Account, i) for i in pair)
        return messages.open_thread(session, starter, [other]).id

    def check(session: Session, pair: tuple[int, int], results: list[object]) -> None:
        assert all(isinstance(result, int) for result in results), results
        assert len(set(results)) == 1
        shared = session.scalars(
            select(ThreadMember.thread_id).where(ThreadMember.account_id == pair[0])
        ).all()
        assert shared == [results[0]]

    repeat_together(database, _pair, open_it, check)


def test_two_sends_with_one_client_key_store_one_message(database: Database) -> None:
    def prepare(session: Session) -> tuple[int, int]:
        ada, bob = make_account(session), make_account(session)
        return ada.id, messages.open_thread(session, ada, [bob]).id

    def send(session: Session, ids: tuple[int, int]) -> int:
        sender = session.get_one(Account, ids[0])
        return messages.send_message(session, sender, ids[1], "hi", client_key="k")[0].id

    def check(session: Session, ids: tuple[int, int], results: list[object]) -> None:
        assert all(isinstance(result, int) for result in results), results
        assert len(set(results)) == 1
        count = session.scalar(select(func.count()).where(Message.thread_id == ids[1]))
        assert count == 1

    repeat_together(database, prepare, send, check)
