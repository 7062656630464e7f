"""The reply worker serves members in turn (issue 16, finding 8)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.studio.conversation.types import Outcome
from townsquare.studio.dm import worker as worker_module
from townsquare.studio.dm.worker import ReplyWorker

pytestmark = pytest.mark.postgres


def test_a_second_members_message_is_answered_before_the_first_members_backlog(
    database: Database, models: Models, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered: list[int] = []
    gate = threading.Event()

    def answer(_database: Any, _models: Any, message_id: int, *_: Any, **__: Any) -> Outcome:
        gate.wait(10)  # the first message is being answered while the others arrive
        answered.append(message_id)
        return Outcome("silent", outcome="test")

    monkeypatch.setattr(worker_module, "answer", answer)
    worker = ReplyWorker(database, models)
    worker.start()
    try:
        for message_id in range(1, 31):  # one member's 30 DMs
            worker.submit(message_id, None, member_id=7)
        worker.submit(1000, None, member_id=8)  # another member, a moment later
        gate.set()
        deadline = time.monotonic() + 10
        while len(answered) < 31:
            assert time.monotonic() < deadline, "timed out"
            time.sleep(0.01)
    finally:
        worker.stop()
    assert answered.index(1000) <= 1, answered[:5]
    assert [m for m in answered if m != 1000] == list(range(1, 31))  # each member in order


def test_members_take_turns_and_stop_answers_what_was_queued(
    database: Database, models: Models, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered: list[int] = []
    monkeypatch.setattr(
        worker_module,
        "answer",
        lambda _d, _m, message_id, *_a, **_k: answered.append(message_id),
    )
    worker = ReplyWorker(database, models)
    for message_id, member in [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (6, 3)]:
        worker.submit(message_id, None, member_id=member)
    worker.start()
    worker.stop()
    assert answered == [1, 4, 6, 2, 5, 3]
