"""Ending an intent once, whoever ends it (issue 19: several workers wrote the same end notice
and failed on its key), and the status mark that tries again as the steps do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from tests.utils.concurrency import repeat_together
from tests.utils.factories import make_account
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import InboxItem, Intent
from townsquare.settings import Settings
from townsquare.tasks import steps
from townsquare.tasks.engine import INTERNAL_ERROR
from townsquare.tasks.intents import create_intent
from townsquare.tasks.planner import SearchBudget

pytestmark = pytest.mark.postgres


def _intent(session: Session) -> int:
    intent = create_intent(session, make_account(session), "meet up")
    intent.status = "running"
    return intent.id


def _end(session: Session, intent_id: int) -> bool:
    return steps.finish(session, session.get_one(Intent, intent_id), "failed", "", INTERNAL_ERROR)


def _ends(session: Session, intent_id: int) -> list[str]:
    return list(session.scalars(select(InboxItem.text).where(InboxItem.intent_id == intent_id)))


def test_two_workers_ending_one_intent_write_one_end_and_no_error(database: Database) -> None:
    """Both read the intent unfinished and end it at once: the first writes the end, the other
    finds its key taken and changes nothing (before: an IntegrityError on ``inbox_items.key``)."""

    def check(session: Session, intent_id: int, results: list[object]) -> None:
        assert sorted(map(str, results)) == ["False", "True"], results
        assert _ends(session, intent_id) == [f"I stopped: {INTERNAL_ERROR}"]
        intent = session.get_one(Intent, intent_id)
        assert (intent.status, intent.error) == ("failed", INTERNAL_ERROR)

    repeat_together(database, _intent, _end, check, rounds=5)


def test_an_ended_intent_is_not_ended_again(database: Database) -> None:
    with database.session() as session:
        intent_id = _intent(session)
        intent = session.get_one(Intent, intent_id)
        assert steps.finish(session, intent, "done", "All booked.", "")
    with database.session() as session:
        assert not _end(session, intent_id)  # a late worker's error check, or a replay
    with database.session() as session:
        intent = session.get_one(Intent, intent_id)
        assert (intent.status, intent.result, intent.error) == ("done", "All booked.", "")
        assert _ends(session, intent_id) == ["All booked."]


@pytest.fixture
def runtime(database: Database, settings: Settings) -> Iterator[None]:
    models = Models(settings, chat=FakeChatModel(), embedder=FakeEmbedder())
    steps.attach(steps.Runtime(database, models, SearchBudget()))
    yield
    steps.attach(None)


def _failing_first(
    database: Database, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> list[int]:
    """Makes the database's next session fail with ``error`` once; counts the sessions."""
    opened: list[int] = []
    session = database.session

    def flaky(*, writes: bool = True) -> AbstractContextManager[Session]:
        opened.append(1)
        if len(opened) == 1:
            raise error
        return session(writes=writes)

    monkeypatch.setattr(database, "session", flaky)
    return opened


@pytest.mark.usefixtures("runtime")
def test_the_status_mark_tries_again_after_a_refused_connection(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with database.session() as session:
        intent_id = _intent(session)
    refused = OperationalError("BEGIN", {}, Exception("sorry, too many clients already"))
    opened = _failing_first(database, monkeypatch, refused)
    steps.mark(intent_id, "waiting")
    assert len(opened) == 2
    with database.session() as session:
        assert session.get_one(Intent, intent_id).status == "waiting"


@pytest.mark.usefixtures("runtime")
def test_the_status_mark_raises_a_lasting_error_at_once(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with database.session() as session:
        intent_id = _intent(session)
    wrong = ProgrammingError("SELECT", {}, Exception("syntax error"))
    opened = _failing_first(database, monkeypatch, wrong)
    with pytest.raises(ProgrammingError):
        steps.mark(intent_id, "waiting")
    assert len(opened) == 1
    with database.session() as session:
        assert session.get_one(Intent, intent_id).status == "running"
