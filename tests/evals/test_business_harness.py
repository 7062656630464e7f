"""The business evaluation's judge of what a reply shows: a slot's or a booking's database id
fails the task, a date, a time, a price, an order number or a count does not."""

from __future__ import annotations

from evals.business.harness import published_numbers, shown_ids
from tests.utils.factories import make_account, make_agent
from townsquare.db import Database
from townsquare.db.models import BusinessPolicy, KnowledgeChunk, KnowledgeSource, Product


def test_a_reply_that_shows_a_slots_or_a_bookings_id_is_caught() -> None:
    ids = {4, 10, 14, 199, 488}
    shown = [
        "Shall I book slot 4 (Thu 10 Dec 14:00 UTC) for you?",
        "Verzet: afspraak 199 is nu op tijd 488.",
        "Which appointment do you mean? Yours: 199 (Thu 10 Dec 14:00 UTC).",
    ]
    assert [len(shown_ids([reply], ids)) for reply in shown] == [1, 2, 1]
    # A date's day, a time, a price, an order number or a count is no id.
    said = [
        "Shall I book Trim on Thursday, December 10 at 14:00 UTC for you?",
        "Gebucht: Trim am Donnerstag, 10. Dezember um 14:00 UTC.",
        "Marcado: Trim, quinta-feira, 10 de dezembro às 14:00 UTC.",
        "Order E-1001 costs 10.50 EUR. 14 in stock.",
    ]
    assert shown_ids(said, ids) == []


def test_what_the_shop_publishes_is_no_id(database: Database) -> None:
    """A count, a price or a size the shop wrote itself ("only 25 left") may share a number with
    a slot's id in a busy database; the judge reads it as the shop's, not as an id."""
    with database.session() as session:
        business = make_account(session, kind="business")
        agent = make_agent(session, business)
        session.add(BusinessPolicy(business_id=business.id, text="Returns within 30 days."))
        session.add(
            Product(
                business_id=business.id,
                sku="FORM-M",
                name="Dress form, size 38",
                description="Adjustable",
                price_cents=14_900,
                stock=25,
            )
        )
        source = KnowledgeSource(agent_id=agent.id, kind="file", title="FAQ")
        session.add(source)
        session.flush()
        session.add(
            KnowledgeChunk(
                source_id=source.id,
                agent_id=agent.id,
                ordinal=0,
                text="Hems take 7 working days.",
                embedding=b"",
                embedder="none",
            )
        )
        session.flush()
        published = published_numbers(session, business.id, agent.id)
    assert published >= {30, 38, 149, 25, 7}
    ids = {7, 25, 26}
    replies = ["We have 25 left, size 38, hems in 7 days; I booked slot 26."]
    assert [m.split(" in ")[0] for m in shown_ids(replies, ids - published)] == ["showed id 26"]
