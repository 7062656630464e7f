"""How the intent engine waits for work: PostgreSQL's triggers NOTIFY it of exactly the writes
that give it work (and not of its own bookkeeping); SQLite's wait grows while idle."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.conftest import backends
from tests.utils.factories import make_account, make_post
from townsquare.db import Database
from townsquare.db.models import Account, InboxItem, Intent
from townsquare.social import posts
from townsquare.tasks import inbox, intents
from townsquare.tasks.wakeup import WorkSignal, next_wait

backend = backends("postgresql")
pytestmark = pytest.mark.postgres

LONG = 30.0  # an idle wait no test should sit through: waking before it means a notification
SHORT = 0.5
SPEC = {"plan": [{"name": "finish", "args": {"summary": "done"}}]}


def test_the_wait_doubles_while_idle_up_to_its_cap_and_resets_on_work() -> None:
    waits, current = [], 0.1
    for _ in range(7):
        current = next_wait(current, did_work=False, busy_s=0.1, idle_s=2.0)
        waits.append(current)
    assert waits == [0.2, 0.4, 0.8, 1.6, 2.0, 2.0, 2.0]
    assert next_wait(2.0, did_work=True, busy_s=0.1, idle_s=2.0) == 0.1


@pytest.fixture
def listening(database: Database) -> Iterator[Callable[[float], WorkSignal]]:
    made: list[WorkSignal] = []

    def make(idle_s: float) -> WorkSignal:
        signal = WorkSignal(database.engine, busy_s=0.1, idle_s=idle_s)
        signal.listen()
        assert signal.listening
        made.append(signal)
        return signal

    yield make
    for signal in made:
        signal.close()


def _woken(signal: WorkSignal) -> bool:
    """Whether the wait ended early (a notification) rather than at its interval."""
    started = time.monotonic()
    assert signal.wait(did_work=False)
    return time.monotonic() - started < signal.idle_s / 2


def test_a_new_intent_wakes_the_listener_at_once(
    database: Database, listening: Callable[[float], WorkSignal]
) -> None:
    signal = listening(LONG)
    with database.session() as session:
        intents.create_intent(session, make_account(session), "hello", spec=SPEC)
    assert _woken(signal)


def test_requests_answers_and_watched_events_wake_it(
    database: Database, listening: Callable[[float], WorkSignal]
) -> None:
    with database.session() as session:
        member, other = make_account(session), make_account(session)
        asking = Intent(owner_id=member.id, goal="ask", status="asking")
        session.add(asking)
        session.flush()
        item = InboxItem(owner_id=member.id, intent_id=asking.id, kind="question", key="k",
                         text="Which?", choices=["a", "b"])  # fmt: skip
        session.add(item)
        post = make_post(session, member)
        ids = (member.id, other.id, asking.id, item.id, post.id)
    signal = listening(LONG)
    member_id, other_id, asking_id, item_id, post_id = ids

    def as_member(change: Callable[[Session], object]) -> None:
        with database.session() as session:
            change(session)

    as_member(lambda s: inbox.answer_item(s, s.get_one(Account, member_id),
                                          item_id, "a"))  # fmt: skip
    assert _woken(signal)
    as_member(lambda s: intents.request(s, s.get_one(Account, member_id),
                                        asking_id, "pause"))  # fmt: skip
    assert _woken(signal)
    as_member(lambda s: setattr(s.get_one(Intent, asking_id), "status", "watching"))
    assert _woken(signal)
    as_member(lambda s: posts.add_comment(s, s.get_one(Account, other_id), post_id,
                                      "delivery?"))  # fmt: skip
    assert _woken(signal)


def test_the_engines_own_writes_and_unwatched_events_do_not_wake_it(
    database: Database, listening: Callable[[float], WorkSignal]
) -> None:
    with database.session() as session:
        member = make_account(session)
        intent = intents.create_intent(session, member, "hello", spec=SPEC)
        item = InboxItem(owner_id=member.id, intent_id=intent.id, kind="question", key="k",
                         text="Which?", choices=["a"], answer="a")  # fmt: skip
        session.add(item)
        post = make_post(session, member)
        ids = (member.id, intent.id, item.id, post.id)
    _, intent_id, item_id, post_id = ids
    signal = listening(SHORT)
    with database.session() as session:  # what the bridge and the steps write
        row = session.get_one(Intent, intent_id)
        row.status, row.watch_after_event_id = "running", 7
        session.get_one(InboxItem, item_id).delivered = True
    with database.session() as session:  # an event while nothing watches
        posts.add_comment(session, make_account(session), post_id, "nice")
    assert not _woken(signal)


def test_another_schemas_notifications_do_not_wake_it(
    database: Database, listening: Callable[[float], WorkSignal]
) -> None:
    signal = listening(SHORT)
    with database.engine.begin() as connection:
        connection.execute(text("SELECT pg_notify('townsquare_intents', 'someone_else')"))
    assert not _woken(signal)


def test_a_stopped_signal_ends_its_wait_at_once(
    listening: Callable[[float], WorkSignal],
) -> None:
    signal = listening(LONG)
    signal.stop()
    started = time.monotonic()
    assert signal.wait(did_work=False) is False
    assert time.monotonic() - started < 5
