"""The intents' built-in tools read only what the member who gave the intent may read."""

from __future__ import annotations

from tests.utils.factories import make_account, make_post
from townsquare.db import Database
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
