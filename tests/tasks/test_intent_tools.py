"""The intents' built-in tools read only what the member who gave the intent may read."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.utils.concurrency import repeat_together
from tests.utils.factories import make_account, make_post
from townsquare.db import Database
from townsquare.db.models import Account, InboxItem, Intent, Message
from townsquare.social.graph import follow
from townsquare.social.posts import create_post
from townsquare.tasks.intent_tools import IntentContext, execute
from townsquare.tasks.intents import create_intent


def test_searching_and_reading_the_feed_skip_another_members_digest(database: Database) -> None:
    with database.new_session() as session:
        alice, bob, writer = (make_account(session, h) for h in ("alice", "bob", "writer"))
        follow(session, alice, writer)
        make_post(session, writer, "a public note on sourdough")
        create_post(session, writer, kind="text", text="bob's sourdough digest", audience=bob)
        create_post(session, writer, kind="text", text="alice's sourdough digest", audience=alice)
        ctx = IntentContext(session, alice, create_intent(session, alice, "read about bread"))
        found = execute(ctx, {"name": "search_posts", "args": {"query": "sourdough"}}, "k1")
        feed = execute(ctx, {"name": "read_feed", "args": {}}, "k2")
    for result in (found, feed):
        texts = {post["text"] for post in result["posts"]}
        assert texts == {"a public note on sourdough", "alice's sourdough digest"}


def test_two_members_reminders_of_the_same_text_are_each_their_own(database: Database) -> None:
    call = {"name": "create_reminder", "args": {"text": "book the room " + "x" * 200}}
    with database.new_session() as session:
        alice, bob = make_account(session, "alice"), make_account(session, "bob")
        items = []
        for member in (alice, bob, alice):
            ctx = IntentContext(session, member, create_intent(session, member, "remind me"))
            items.append(execute(ctx, call, f"intent-{ctx.intent.id}:0:0")["inbox_item_id"])
        owners = [session.get(InboxItem, item).owner_id for item in items]  # type: ignore[union-attr]
    assert len(set(items)) == 3 and owners == [alice.id, bob.id, alice.id]


def test_one_step_run_by_two_executors_at_once_sends_one_message(database: Database) -> None:
    """A workflow taken over while its first owner still runs: both executions reach the same
    step together; one message is sent and both get its result."""

    def prepare(session: Session) -> tuple[int, int]:
        ada = make_account(session, f"ada{secrets.token_hex(3)}")
        make_account(session, f"bob{ada.id}")
        return ada.id, create_intent(session, ada, "greet bob").id

    def send(session: Session, ids: tuple[int, int]) -> dict[str, Any]:
        member, intent = session.get(Account, ids[0]), session.get(Intent, ids[1])
        assert member is not None and intent is not None
        call = {"name": "send_dm", "args": {"handle": f"bob{ids[0]}", "text": "hello"}}
        return execute(IntentContext(session, member, intent), call, f"intent-{ids[1]}:0:0")

    def check(session: Session, ids: tuple[int, int], results: list[object]) -> None:
        assert all(isinstance(result, dict) for result in results), results
        assert results[0] == results[1]
        sent = session.scalars(select(Message).where(Message.sender_id == ids[0])).all()
        assert [message.text for message in sent] == ["hello"]

    repeat_together(database, prepare, send, check, rounds=5)
