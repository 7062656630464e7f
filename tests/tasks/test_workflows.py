"""The intent engine at rest and at its stop: a notified worker starts a new intent without
waiting for its slow read, a missed notification is caught by that read, and a stop ends the
workflow threads waiting for an answer or a moment at once, losing none of their steps."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from tests.utils.factories import make_account
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Account, InboxItem, Intent
from townsquare.settings import Settings
from townsquare.tasks import engine as intent_engine
from townsquare.tasks import inbox, intents, steps
from townsquare.tasks.business_tools import businesses_of
from townsquare.tasks.engine import IntentEngine

pytestmark = pytest.mark.postgres

FINISH = [{"name": "finish", "args": {"summary": "done here"}}]
ASK = [{"name": "ask_member", "args": {"question": "Which?", "choices": ["a", "b"]}}, *FINISH]


@pytest.fixture
def engine(settings: Settings, database: Database) -> Iterator[Callable[..., IntentEngine]]:
    running: list[IntentEngine] = []

    def start(**changes: Any) -> IntentEngine:
        models = Models(settings, chat=FakeChatModel(), embedder=FakeEmbedder())
        started = IntentEngine(settings.model_copy(update=changes), database, models)
        started.start()
        running.append(started)
        return started

    yield start
    for started in running[-1:]:  # DBOS is one per process: a test stops the others itself
        started.stop()


def _until(check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return result


def _status(database: Database, intent_id: int) -> str:
    with database.session() as session:
        return str(session.scalar(select(Intent.status).where(Intent.id == intent_id)))


@pytest.fixture
def member(database: Database) -> int:
    with database.session() as session:
        return make_account(session).id


def _create(database: Database, member: int, spec: dict[str, Any]) -> int:
    with database.session() as session:
        owner = session.get_one(Account, member)
        return intents.create_intent(session, owner, "test", spec=spec).id


def test_a_notified_worker_starts_an_intent_before_its_slow_read(
    backend: str, database: Database, engine: Callable[..., IntentEngine], member: int
) -> None:
    if backend != "postgresql":
        pytest.skip("notifications are PostgreSQL's")
    started = engine(intents_idle_poll_s=120.0)
    _until(lambda: started.polls >= 1, 30)  # its first read found nothing
    intent_id = _create(database, member, {"plan": FINISH})
    _until(lambda: _status(database, intent_id) == "done", 60)
    assert started.polls <= 3  # woken for it (and by nothing else it did)


def test_a_missed_notification_is_caught_by_the_slow_read(
    backend: str, database: Database, engine: Callable[..., IntentEngine], member: int
) -> None:
    started = engine(intents_idle_poll_s=1.0)
    _until(lambda: started.polls >= 1, 30)
    with database.session() as session:
        if backend == "postgresql":  # written with its trigger off: no notification
            session.execute(text("ALTER TABLE intents DISABLE TRIGGER intents_notify_insert"))
        owner = session.get_one(Account, member)
        intent_id = intents.create_intent(session, owner, "test", spec={"plan": FINISH}).id
        if backend == "postgresql":
            session.execute(text("ALTER TABLE intents ENABLE TRIGGER intents_notify_insert"))
    _until(lambda: _status(database, intent_id) == "done", 60)


def _workflow_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("dbos-executor")]


def test_a_stop_ends_waiting_workflows_at_once_and_a_restart_finishes_them(
    database: Database, engine: Callable[..., IntentEngine], member: int
) -> None:
    first = engine()
    asking = _create(database, member, {"plan": ASK})
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    sleeping = _create(database, member, {"plan": FINISH, "wait_until": later})
    _until(lambda: _status(database, asking) == "asking", 60)
    _until(lambda: _status(database, sleeping) == "waiting", 60)
    assert _workflow_threads()
    first.stop()
    _until(lambda: not _workflow_threads(), 10)  # was up to a minute: a receive's slice

    engine()  # recovers both where they were
    with database.session() as session:
        item_id = session.scalar(select(InboxItem.id).where(InboxItem.intent_id == asking))
        assert item_id is not None
        inbox.answer_item(session, session.get_one(Account, member), item_id, "b")
    _until(lambda: _status(database, asking) == "done", 60)
    assert _status(database, sleeping) == "waiting"
    with database.session() as session:
        questions = session.scalars(select(InboxItem.kind).where(InboxItem.intent_id == asking))
        assert sorted(questions) == ["question", "result"]  # asked once, though run twice


def test_an_intent_whose_workflow_failed_unexpectedly_ends_failed_and_others_go_on(
    database: Database,
    engine: Callable[..., IntentEngine],
    member: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(intent_engine, "ERROR_CHECK_S", 0.2)
    engine()
    asking = _create(database, member, {"plan": ASK})
    _until(lambda: _status(database, asking) == "asking", 60)

    attempts: list[int] = []

    def unreachable(*_args: Any) -> list[str]:  # the plan step's read of the app database
        attempts.append(1)
        raise OperationalError("SELECT", {}, Exception("too many clients already"))

    monkeypatch.setattr(steps, "businesses_of", unreachable)
    broken = _create(database, member, {"plan": FINISH})
    _until(lambda: _status(database, broken) == "failed", 60)
    assert len(attempts) == steps.RETRY_ATTEMPTS  # tried again, then given up
    with database.session() as session:
        intent = session.get_one(Intent, broken)
        assert intent.error == "stopped by an internal error; create it again to retry"
        assert intent.finished_at is not None
        notices = list(session.scalars(select(InboxItem.text).where(
            InboxItem.intent_id == broken, InboxItem.kind == "notice")))  # fmt: skip
    assert notices == ["I stopped: stopped by an internal error; create it again to retry"]

    time.sleep(0.5)  # a few more checks: the intent waiting for its member is left alone
    assert _status(database, asking) == "asking"
    monkeypatch.undo()
    with database.session() as session:
        item_id = session.scalar(select(InboxItem.id).where(InboxItem.intent_id == asking))
        assert item_id is not None
        inbox.answer_item(session, session.get_one(Account, member), item_id, "a")
    _until(lambda: _status(database, asking) == "done", 60)


def test_a_step_refused_a_connection_once_finishes_on_its_retry(
    database: Database,
    engine: Callable[..., IntentEngine],
    member: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PostgreSQL briefly full (issue 19: four workers past ``max_connections``): the step
    tries again after a pause and the intent ends done, with one end notice."""
    attempts: list[int] = []

    def full_once(session: Session, member: Account) -> list[str]:
        attempts.append(1)
        if len(attempts) == 1:
            refused = psycopg.OperationalError("sorry, too many clients already")
            raise OperationalError("SELECT", {}, refused)
        return businesses_of(session, member)

    monkeypatch.setattr(steps, "businesses_of", full_once)
    engine()
    intent_id = _create(database, member, {"plan": FINISH})
    _until(lambda: _status(database, intent_id) in ("done", "failed"), 60)
    assert _status(database, intent_id) == "done"
    assert len(attempts) == 2
    with database.session() as session:
        ends = list(session.scalars(select(InboxItem.text).where(InboxItem.intent_id == intent_id)))
    assert ends == ["done here"]


def test_a_step_that_fails_for_good_is_not_retried(
    database: Database,
    engine: Callable[..., IntentEngine],
    member: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A statement that is wrong fails the same way every time: no retry, the intent fails."""
    monkeypatch.setattr(intent_engine, "ERROR_CHECK_S", 0.2)
    attempts: list[int] = []

    def wrong(*_args: Any) -> list[str]:
        attempts.append(1)
        raise ProgrammingError("SELECT nothing", {}, Exception("syntax error"))

    monkeypatch.setattr(steps, "businesses_of", wrong)
    engine()
    intent_id = _create(database, member, {"plan": FINISH})
    _until(lambda: _status(database, intent_id) == "failed", 60)
    assert attempts == [1]
