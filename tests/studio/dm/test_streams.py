"""A reply streams to whichever process its follower is connected to (issue 19): bounded
NOTIFY payloads, a publisher in another process, and the stored reply as the fallback."""

from __future__ import annotations

import queue
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import database_url_for
from tests.studio.dm.test_claims import member_message
from townsquare.ai.runtime import Models
from townsquare.db import Database, upgrade_to_head
from townsquare.studio.conversation.types import Delta, Outcome, ReplyEvent
from townsquare.studio.dm import agent_threads
from townsquare.studio.dm.streams import (
    MAX_PAYLOAD_BYTES,
    LocalStreams,
    PostgresStreams,
    decode,
    encode,
)
from townsquare.studio.dm.worker import ReplyWorker


def test_a_long_delta_goes_in_pieces_under_the_payload_limit_and_joins_back() -> None:
    text = 'quoted "ü" \n\x01 🌱 ' * 2_000  # escapes and 4-byte characters: the worst case
    payloads = list(encode(7, Delta(text)))
    assert len(payloads) > 1
    assert max(len(p.encode()) for p in payloads) <= MAX_PAYLOAD_BYTES
    pieces = [decode(p) for p in payloads]
    assert {m for m, _ in pieces} == {7}
    assert "".join(e.text for _, e in pieces if isinstance(e, Delta)) == text


def test_an_outcome_carries_ids_only() -> None:
    citations: list[dict[str, object]] = [{"quote": "x" * 20_000}]
    [payload] = encode(3, Outcome("reply", 41, None, "quoted", citations))
    assert len(payload.encode()) < 200
    assert decode(payload) == (3, Outcome("reply", 41, None, "quoted"))


@pytest.mark.parametrize("payload", ["not json", '{"m": 1}', '{"o": {}}'])
def test_a_foreign_payload_is_refused(payload: str) -> None:
    with pytest.raises((ValueError, KeyError)):
        decode(payload)


class Deaf(LocalStreams):
    """Streams whose every event is lost."""

    def publish(self, message_id: int, event: ReplyEvent) -> None:
        pass


@pytest.mark.postgres
def test_a_follower_whose_stream_is_lost_reads_the_stored_reply(
    database: Database, models: Models
) -> None:
    worker = ReplyWorker(database, models, streams=Deaf(), check_stored_every_s=0.1)
    with database.session() as session:
        message = member_message(session)
        agent = agent_threads.who_answers(session, message)
        assert agent is not None
    events = worker.subscribe(message.id)
    followed = worker.follow(message.id, events, timeout_s=30)
    with database.session() as session:
        stored = agent_threads.store_reply(
            session, agent, message, "Tomatoes.", [{"source": "notes.md"}]
        )
    assert list(followed) == [Outcome("reply", stored.id, None, "", [{"source": "notes.md"}])]


@pytest.mark.postgres
def test_nothing_stored_and_nothing_heard_ends_in_a_timeout(
    database: Database, models: Models
) -> None:
    worker = ReplyWorker(database, models, streams=Deaf(), check_stored_every_s=0.1)
    with database.session() as session:
        message_id = member_message(session).id
    events = worker.subscribe(message_id)
    assert list(worker.follow(message_id, events, timeout_s=0.3)) == [None]


PUBLISHER = textwrap.dedent(
    """
    import sys
    from townsquare.db import Database
    from townsquare.studio.conversation.types import Delta, Outcome
    from townsquare.studio.dm.streams import PostgresStreams

    url, message_id, reply_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    streams = PostgresStreams(Database(url))
    streams.start()
    streams.publish(message_id, Delta("Toma"))
    streams.publish(message_id, Delta("toes." * 2_000))
    streams.publish(message_id, Outcome("reply", reply_id, None, "chat"))
    streams.stop()
    """
)


def test_a_reply_published_in_another_process_reaches_this_ones_follower(
    tmp_path: Path,
) -> None:
    url = database_url_for("postgresql", tmp_path)
    database = Database(url)
    upgrade_to_head(database)
    streams = PostgresStreams(database)
    streams.start()
    try:
        with database.session() as session:
            message = member_message(session)
            agent = agent_threads.who_answers(session, message)
            assert agent is not None
            reply = agent_threads.store_reply(
                session, agent, message, "Tomatoes.", [{"source": "notes.md"}]
            )
        events = streams.subscribe(message.id)
        subprocess.run(
            [sys.executable, "-c", PUBLISHER, url, str(message.id), str(reply.id)],
            check=True,
            timeout=60,
        )
        received: list[ReplyEvent] = []
        deadline = time.monotonic() + 10
        while not received or isinstance(received[-1], Delta):
            try:
                received.append(events.get(timeout=max(deadline - time.monotonic(), 0.01)))
            except queue.Empty:
                pytest.fail(f"heard {len(received)} events, then nothing")
    finally:
        streams.stop()
        database.dispose()
    text = "".join(e.text for e in received if isinstance(e, Delta))
    assert text == "Toma" + "toes." * 2_000
    assert received[-1] == Outcome("reply", reply.id, None, "chat", [{"source": "notes.md"}])
