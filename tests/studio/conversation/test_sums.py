"""Two sources and code that computes: totals with a count and postage, shares of a price and
deadlines, each citing both sources; and "I don't know" when one fact is missing."""

from __future__ import annotations

from datetime import date

from townsquare.ai.fake import FakeEmbedder
from townsquare.studio.conversation.answers import UNKNOWN, Answer, Chooser
from townsquare.studio.conversation.grounding import Guard
from townsquare.studio.conversation.questions import read_question
from townsquare.studio.conversation.sums import compute
from townsquare.studio.knowledge.passages import Passage

CHAIN = "KMC 9-speed chain: type part; price £18; stock 12."
ZONES = (
    "UK mainland: small parts £4.50; wheels £20.\n"
    "Europe, France and Germany: small parts £11; wheels £48."
)
DEPOSIT = "Pay a 20% deposit and I'll hold a refurbished bike for you for 7 days."
RALEIGH = "1987 Raleigh Royal: type refurbished bike; price £340; stock 1."
RETURNS_OLD = "Returns: bring a refurbished bike back within 14 days."
RETURNS_NEW = "Returns of a refurbished bike: 30 days from the day you collect it."


def passage(chunk_id: int, text: str, title: str, dated: date | None = None) -> Passage:
    return Passage(chunk_id, chunk_id, "file", title, "", text, 1.0, f"/p/{chunk_id}", dated)


def computed(
    question: str, passages: list[Passage], searched: list[Passage] | None = None
) -> Answer | str | None:
    chooser = Chooser(
        question,
        read_question(question),
        Guard(FakeEmbedder(256)),
        owner="Ines",
        on=date(2026, 5, 20),
    )
    queries: list[str] = []

    def search(text: str) -> list[Passage]:
        queries.append(text)
        return searched or []

    result = compute(chooser, passages, search)
    if chooser.asked.wants_total:
        assert queries == [f"postage to {chooser.asked.destination}"]
    return result


def test_a_total_is_count_times_price_plus_postage_from_a_second_search() -> None:
    chain, shipping = passage(1, CHAIN, "catalog.csv"), passage(2, ZONES, "shipping.html")
    reply = computed(
        "What would two KMC 9-speed chains cost, posted to France?", [chain], [shipping]
    )
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That comes to £47 (2 x £18 + £11):")
    assert [c["chunk_id"] for c in reply.citations] == [1, 2]


def test_shipping_is_free_over_its_threshold() -> None:
    chain = passage(1, CHAIN, "catalog.csv")
    shipping = passage(2, f"{ZONES}\nFree UK mainland postage on orders over £50.", "shipping")
    reply = computed(
        "Three KMC 9-speed chains posted to the UK mainland: the total?", [chain], [shipping]
    )
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That comes to £54 (3 x £18 + £0):")
    one = computed("A KMC 9-speed chain posted to the UK mainland: the total?", [chain], [shipping])
    assert isinstance(one, Answer) and one.text.startswith("That comes to £22.50 (£18 + £4.50):")


def test_a_total_without_a_shipping_price_is_not_guessed() -> None:
    chain = passage(1, CHAIN, "catalog.csv")
    assert computed("What would a KMC 9-speed chain cost, posted to France?", [chain]) == UNKNOWN


def test_a_share_of_a_price_is_computed_from_two_sources() -> None:
    sources = [passage(1, DEPOSIT, "payment.txt"), passage(2, RALEIGH, "catalog.csv")]
    reply = computed("How much deposit do I need to reserve the Raleigh Royal?", sources)
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That comes to £68 (20% of £340):")
    assert {c["chunk_id"] for c in reply.citations} == {1, 2}


def test_a_discount_is_taken_off() -> None:
    sources = [
        passage(1, "NHS staff get 10% off any service.", "discounts.md"),
        passage(2, "Full Service: type service; price £95.", "catalog.csv"),
    ]
    reply = computed("What would a Full Service cost NHS staff with the discount?", sources)
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £85.50 (10% off")


def test_a_deadline_counts_the_newer_span_from_the_question_date() -> None:
    sources = [
        passage(1, RETURNS_OLD, "returns-policy.md", date(2025, 10, 1)),
        passage(2, RETURNS_NEW, "new-returns-policy.md", date(2026, 4, 1)),
    ]
    question = "I collected a refurbished bike on 2 May 2026. What's the last day I can return it?"
    reply = computed(question, sources)
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That is 1 June 2026 (30 days from 2 May 2026):")
    assert [c["chunk_id"] for c in reply.citations] == [2]


def test_a_plain_question_computes_nothing() -> None:
    assert computed("How much is the KMC chain?", [passage(1, CHAIN, "catalog.csv")]) is None
