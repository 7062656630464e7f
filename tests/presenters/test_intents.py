"""An intent's public shapes: the intent with its tree, inbox items and effects, each field read
from its row."""

from __future__ import annotations

from tests.utils.factories import make_account
from townsquare.db import Database
from townsquare.presenters.intents import intent_detail_public, intent_public
from townsquare.tasks import inbox, intents


def test_an_intent_detail_carries_its_inbox_items(database: Database) -> None:
    with database.session() as session:
        member = make_account(session)
        row = intents.create_intent(session, member, "  Pick a venue  ", autonomous=True)
        inbox.post_item(session, row, "question", "Which one?", key="k1", choices=["A", "B"])
        detail = intent_detail_public(intents.inspect_intent(session, member, row.id))
        public = intent_public(row)
    assert (public.goal, public.status, public.autonomous) == ("Pick a venue", "pending", True)
    assert detail.model_dump(exclude={"tree", "inbox", "effects"}) == public.model_dump()
    assert [(i.text, i.choices, i.answer) for i in detail.inbox] == [
        ("Which one?", ["A", "B"], None)
    ]
    assert detail.tree == [] and detail.effects == []
