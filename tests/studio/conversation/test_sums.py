"""Two sources and code that computes: totals with a count and postage, shares of a price and
deadlines, each citing both sources; and "I don't know" when one fact is missing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest
from numpy.typing import NDArray

from townsquare.ai.embeddings import Embedder, Side, normalise_rows
from townsquare.ai.fake import FakeEmbedder
from townsquare.studio.conversation.answers import UNKNOWN, Answer, Chooser
from townsquare.studio.conversation.cues import ENGLISH
from townsquare.studio.conversation.grounding import Guard
from townsquare.studio.conversation.questions import read_question
from townsquare.studio.conversation.shipping import adds_fee
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


TODAY = date(2026, 5, 20)


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
        on=TODAY,
    )
    queries: list[str] = []

    def search(text: str) -> list[Passage]:
        queries.append(text)
        return searched or []

    result = compute(chooser, passages, search)
    if chooser.asked.wants_total and chooser.asked.destination:
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


FLAT_CLASS = "Fix-a-Flat class: type class; price £30; duration 90 min; stock 6 places."
COURSE = "Six-week wheel course: type class; price £240; six Thursday evenings."
GIFT_CARD = "Gift card: type gift; price £50; valid for 12 months from the date of purchase."


def test_two_people_pay_twice_the_price() -> None:
    row = passage(1, FLAT_CLASS, "catalog.csv")
    for question in (
        "How much for me and my partner to both do the Fix-a-Flat class?",
        "I want to book the Fix-a-Flat class for me and my sister. How much in total?",
        "How much would two places on the Fix-a-Flat class be?",
    ):
        reply = computed(question, [row])
        assert isinstance(reply, Answer), question
        assert reply.text.startswith('That comes to £60 (2 x £30): "Fix-a-Flat class'), question
        assert [c["chunk_id"] for c in reply.citations] == [1]


def test_a_count_joined_to_a_unit_names_the_item_not_how_many() -> None:
    both = "How much are both the Fix-a-Flat class and the six-week course?"
    assert computed(both, [passage(1, FLAT_CLASS, "c")]) is None  # "both" counts no people
    assert computed("How much is the six-week wheel course?", [passage(1, COURSE, "c")]) is None


def test_two_people_and_no_price_is_not_guessed() -> None:
    row = passage(1, "Fix-a-Flat class: Tuesday evenings, 6:30pm.", "fix-a-flat.md")
    assert computed("How much for me and my partner to do the Fix-a-Flat class?", [row]) == UNKNOWN


def test_a_deadline_counts_from_today_when_the_question_says_today() -> None:
    reply = computed(
        "If I buy a gift card today, until when is it valid?", [passage(1, GIFT_CARD, "c")]
    )
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That is 20 May 2027 (12 months from 20 May 2026):")


class _Countries(Embedder):
    """Spain and Germany as close as two texts get, the EU a little further from both."""

    name, dimension = "countries", 2

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        def vector(text: str) -> list[float]:
            lowered = text.lower()
            if "spain" in lowered or "germany" in lowered:
                return [1.0, 0.0]
            return [0.8, 0.6] if "eu" in lowered.split() else [0.0, 1.0]

        return normalise_rows(np.array([vector(text) for text in texts]))


def test_a_row_for_another_country_is_not_the_destinations_postage() -> None:
    mug = passage(1, "Everyday mug: type shop; price €28.", "catalog.csv")
    rows = passage(2, "Spain: Cost €9; Time 3-5 days.\nRest of the EU: Cost €14.", "shipping")
    guard = Guard(_Countries())

    def total(question: str) -> Answer | str | None:
        chooser = Chooser(question, read_question(question), guard, owner="Ines", on=TODAY)
        return compute(chooser, [mug], lambda _: [rows])

    germany = total("What would an everyday mug cost posted to Germany?")
    assert isinstance(germany, Answer) and germany.text.startswith("That comes to €42 (€28 + €14):")
    spain = total("What would an everyday mug cost posted to Spain?")
    assert isinstance(spain, Answer) and spain.text.startswith("That comes to €37 (€28 + €9):")


def test_postage_included_and_couriered_are_not_what_is_priced() -> None:
    pads = passage(1, "Brake pads (pair): type part; price £9; stock 30.", "catalog.csv")
    reply = computed(
        "How much for a pair of brake pads sent to France, postage included?",
        [pads],
        [passage(2, ZONES, "shipping.html")],
    )
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £20 (£9 + £11):")


LOAF = "Sourdough loaf: kind bread; price €6.20."
CROISSANT = "Croissant: kind pastry; price €2.10."


def test_the_items_a_question_adds_are_each_priced_and_summed() -> None:
    rows = [passage(1, LOAF, "prices.csv"), passage(2, CROISSANT, "prices.csv")]
    reply = computed("What do a sourdough loaf and 4 croissants come to altogether?", rows)
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That comes to €14.60 (€6.20 + 4 x €2.10):")
    assert [c["chunk_id"] for c in reply.citations] == [1, 2]
    # one item with no price anywhere: no sum, and a total asked is not guessed
    assert (
        computed("What do a sourdough loaf and a baguette come to in total?", rows[:1]) == UNKNOWN
    )


def test_an_item_not_among_the_passages_is_searched_for() -> None:
    searched = [passage(2, CROISSANT, "prices.csv")]
    reply = computed(
        "A sourdough loaf plus two croissants, how much?", [passage(1, LOAF, "p")], searched
    )
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to €10.40")


def test_a_stated_percentage_of_the_amount_the_member_names() -> None:
    terms = passage(1, "Wedding cakes need a 25% deposit to hold the date.", "terms.md")
    reply = computed("What deposit is due on a wedding cake order of $480?", [terms])
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That comes to $120 (25% of $480):")
    assert [c["chunk_id"] for c in reply.citations] == [1]


def test_a_sale_named_in_a_posts_title_takes_its_percentage_off() -> None:
    sale = passage(1, "Every linen apron is 30% off until Sunday.", "Summer sale on aprons")
    row = passage(2, "Linen apron: kind kitchen; price £40.", "catalog.csv")
    reply = computed("What does a linen apron cost in the summer sale?", [sale, row])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £28 (30% off of £40)")


def test_the_price_of_the_size_asked_in_a_sentence_of_several() -> None:
    post = passage(
        1, "From today the 8x10 canvas is $54 and the 16x20 canvas is $95.", "news.md", TODAY
    )
    reply = computed("How much for two of the 16x20 canvases?", [post])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to $190 (2 x $95)")


ROWS = (
    "Zone 1: Ontario and Quebec: Loose prints $8; Framed work $30.\n"
    "Zone 2: the rest of Canada: Loose prints $12; Framed work $45.\n"
    "Loose prints ship free in Zone 1 on orders of $100 or more."
)


def test_postage_takes_the_column_of_the_item_and_free_shipping_its_zones() -> None:
    shipping = passage(2, ROWS, "shipping.html")
    framed = passage(1, "Framed work, birch 11x14: kind frame; price $70.", "catalog.csv")
    reply = computed("The birch framed work shipped to zone 2: the total?", [framed], [shipping])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to $115 ($70 + $45)")
    prints = passage(1, "Loose prints, lake series: kind print; price $35.", "catalog.csv")
    to_one = computed(
        "Three loose prints of the lake series to zone 1 - total?", [prints], [shipping]
    )
    assert isinstance(to_one, Answer) and to_one.text.startswith(
        "That comes to $105 (3 x $35 + $0)"
    )
    to_two = computed(
        "Three loose prints of the lake series to zone 2 - total?", [prints], [shipping]
    )
    assert isinstance(to_two, Answer) and to_two.text.startswith(
        "That comes to $117 (3 x $35 + $12)"
    )


def test_each_list_item_of_a_sentence_is_a_row_of_its_own() -> None:
    couriers = passage(
        2,
        "Sofas go by courier, mainland only: Inner London: £40; Outer London: £75.",
        "delivery.html",
    )
    sofa = passage(1, "Chesterfield sofa: kind furniture; price £900.", "catalog.csv")
    reply = computed("The Chesterfield sofa delivered to Outer London - total?", [sofa], [couriers])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £975 (£900 + £75)")


def test_a_row_of_the_shipping_page_is_not_the_item_sent() -> None:
    page = passage(2, "UK mainland: small parts £4.50; wheels £20.", "Shipping & postage")
    tube = passage(1, "Inner tube 700x25c: type part; price £6.50.", "catalog.csv")
    reply = computed("Two inner tubes posted to the UK mainland, what's the total?", [page, tube])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £17.50 (2 x £6.50")


HIRE = "Cargo bike hire: type hire; price £25 per bike per day; notes helmet included."
CALLOUT = "Roadside repair: type service; price £20 call-out plus £30 an hour; notes Sheffield."


def test_a_price_by_the_unit_is_times_each_count_the_question_names() -> None:
    reply = computed(
        "We want 2 cargo bikes for 3 days, how much?", [passage(1, HIRE, "catalog.csv")]
    )
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That comes to £150 (2 x 3 x £25):")
    one = computed("How much is cargo bike hire for a day?", [passage(1, HIRE, "catalog.csv")])
    assert one is None  # one of each unit: the price as written answers


def test_a_fixed_part_is_added_to_a_rate_times_its_count() -> None:
    reply = computed(
        "If a roadside repair takes 2 hours, what do I owe?", [passage(1, CALLOUT, "c.csv")]
    )
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That comes to £80 (£20 + 2 x £30):")


def test_a_rate_the_question_counts_nothing_of_is_no_sum() -> None:
    assert computed("How much is a roadside repair?", [passage(1, CALLOUT, "c.csv")]) is None


def test_a_price_per_person_is_times_the_people_asking() -> None:
    tour = "Hive tour: type experience; price €38 per person; notes Saturdays."
    reply = computed("Hive tour for four of us, how much?", [passage(1, tour, "catalog.csv")])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to €152 (4 x €38):")


def test_days_until_the_next_date_of_the_thing_asked() -> None:
    dates = "Wheel building days: Saturday 30 May and Saturday 27 June."
    reply = computed("How many days until the next wheel building day?", [passage(1, dates, "d")])
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That is 10 days from today (20 May 2026) to 30 May 2026:")


def test_the_hours_of_a_time_range_answer_how_long_when_none_is_stated() -> None:
    day = passage(1, "Wheel building day: type class; price £90; notes 10am to 4pm.", "c.csv")
    reply = computed("How many hours is the wheel building day?", [day])
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That is 6 hours (10am to 4pm):")
    flat = passage(2, FLAT_CLASS + " Saturdays 10am-12pm.", "catalog.csv")
    assert computed("How long is the Fix-a-Flat class?", [flat]) is None  # 90 min is stated


def test_the_price_per_one_is_not_times_the_order_count() -> None:
    jar = passage(1, "Wildflower honey jar: type honey; price EUR 9.50.", "catalog.csv")
    assert computed("The wildflower honey price per jar if I buy 24 jars?", [jar]) is None
    assert computed("The wildflower honey price for 24 jars?", [jar]) is not None


def test_a_duration_said_of_something_else_does_not_stop_counting_the_days() -> None:
    # the talk's sentence names the workshop but its "two hours" are the talk's
    talk = passage(
        1,
        "Sit in on a two hours talk first, then book the wheel building day.",
        "radio.txt",
    )
    dates = passage(2, "Wheel building days: Saturday 30 May and Saturday 27 June.", "dates.md")
    row = passage(3, "Wheel building day: type class; price £90; notes 10am to 4pm.", "c.csv")
    until = computed("How many days till the next wheel building day?", [talk, dates, row])
    assert isinstance(until, Answer) and until.text.startswith("That is 10 days from today")
    # a stated duration about the day: whether it answers is the one-source choice's to say
    assert computed("How many hours is the wheel building day?", [talk, row]) is None


def test_days_until_a_date_all_past_is_unknown() -> None:
    dates = passage(1, "Wheel building days: Saturday 2 May and Saturday 9 May.", "dates.md")
    assert computed("How many days until the next wheel building day?", [dates]) == UNKNOWN


def test_a_discount_that_names_its_item_applies_to_that_items_price() -> None:
    # what else the question says ("my Yorkshire club") names no price
    sources = [
        passage(1, "Members of any cyclists' club get 15% off the wheel building day.", "faq.json"),
        passage(2, "Cycling wheel building day: type class; price £80; notes 10am to 4pm.", "c"),
    ]
    question = (
        "I'm in a Yorkshire cyclists club, what's the wheel building day cost with the discount?"
    )
    reply = computed(question, sources)
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £68 (15% off")
    assert [c["chunk_id"] for c in reply.citations] == [2, 1]
    # the item's own price, asked without the share's condition, is no share of it
    assert computed("How much is the wheel building day?", sources) is None


def test_an_item_sent_over_to_a_place_is_a_total_with_postage() -> None:
    assert read_question("How much is a KMC chain sent over to Paris?").destination == "paris"
    assert read_question("A KMC chain couriered out to Leeds, how much?").wants_total


def test_a_discount_applies_to_the_price_naming_most_of_the_rest_of_the_question() -> None:
    sources = [
        passage(1, "Bike shops ordering 10 tubes or more get 25% off the tube price.", "faq.json"),
        passage(2, "700c inner tube: type part; price £8.", "catalog.csv"),
        passage(3, "Puncture kit: type part; price £6.", "catalog.csv"),
    ]
    question = (
        "We own a little bike shop and want 12 700c inner tubes,"
        " what's the price per tube with the trade discount?"
    )
    reply = computed(question, sources)
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £6 (25% off")
    assert [c["chunk_id"] for c in reply.citations] == [2, 1]


def test_a_span_counted_back_from_the_date_is_taken_off_it() -> None:
    rule = passage(1, "Summer camp places must be booked at least 3 weeks before the camp.", "f")
    reply = computed(
        "The camp I want starts on 10 August 2026, what's the latest I can book?", [rule]
    )
    assert isinstance(reply, Answer)
    assert reply.text.startswith("That is 20 July 2026 (3 weeks before 10 August 2026):")
    working = passage(2, "Wheel orders need 5 working days in advance of the race.", "f")
    reply = computed("My race is on 1 June 2026, by when must I order the wheels?", [working])
    assert isinstance(reply, Answer) and reply.text.startswith("That is 25 May 2026")


TOOL_HIRE = [
    "Wheelbarrow (heavy duty): type garden; price £9 a day; notes pneumatic tyre.",
    "Cement mixer: type building; price £28 a day; notes 110V, delivered in the van.",
    "Garden waste sacks: type garden; price 60p each; notes reusable.",
]


def test_a_price_shared_is_divided_between_the_people_sharing_it() -> None:
    rows = [passage(n, text, "hire.csv") for n, text in enumerate(TOOL_HIRE, 1)]
    pair = computed(
        "me and my brother-in-law are splitting a cement mixer, what's that each?", rows
    )
    assert isinstance(pair, Answer) and pair.text.startswith("That comes to £14 each (£28 / 2):")
    assert [c["chunk_id"] for c in pair.citations] == [2]
    three = computed("sharing the cost of a cement mixer between four of us - how much each?", rows)
    assert isinstance(three, Answer) and three.text.startswith("That comes to £7 each (£28 / 4):")


def test_a_split_of_nothing_priced_is_not_guessed() -> None:
    rows = [passage(1, "Cement mixer: 110V, delivered in the van.", "hire.csv")]
    assert computed("we're splitting a cement mixer, how much each?", rows) == UNKNOWN


def test_a_split_of_a_sentence_of_several_prices_is_not_computed() -> None:
    row = passage(1, "Cement mixer: £28 a day, or £120 for the week.", "hire.csv")
    reply = computed("we're splitting a cement mixer, how much each?", [row])
    assert not (isinstance(reply, Answer) and "each (" in reply.text)


TUNING = "Piano tuning: kind service; price £70; notes uprights and grands."
RINGS = (
    "Inner ring: Places Hove, Portslade, Southwick; Days Monday to Friday; Travel £5.\n"
    "Outer ring: Places Lewes, Shoreham, Steyning; Days Fridays only; Travel £12."
)


def test_a_fee_by_area_is_the_row_of_the_place_the_member_names() -> None:
    tuning, rings = passage(1, TUNING, "services.csv"), passage(2, RINGS, "areas.html")
    reply = computed("Steyning here - a piano tuning inc. your travel, how much?", [tuning, rings])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £82 (£70 + £12)")
    assert [c["chunk_id"] for c in reply.citations] == [1, 2]
    searched = computed("were in hove, cost of a tuning with the travel on top?", [tuning], [rings])
    assert isinstance(searched, Answer) and searched.text.startswith("That comes to £75 (£70 + £5)")


def test_a_fee_by_area_for_no_place_or_two_rows_alike_is_not_guessed() -> None:
    tuning, rings = passage(1, TUNING, "services.csv"), passage(2, RINGS, "areas.html")
    assert computed("a piano tuning plus your travel, total?", [tuning, rings]) == UNKNOWN
    # "Places" is every row's column: it names neither row
    unnamed = "what places? a piano tuning with the travel, cost?"
    assert computed(unnamed, [tuning, rings]) == UNKNOWN
    both = "Hove or Lewes - a piano tuning incl. the travel fee, how much?"
    assert computed(both, [tuning, rings]) == UNKNOWN


@pytest.mark.parametrize(
    ("question", "fee"),
    [
        ("Lewes here, a tuning with your travel on top - how much?", True),
        ("what's a crate of apples going to cost me delivered?", True),
        ("how much for 2 crates posted to Leeds?", True),
        ("two tunings, what's the total?", False),  # a total of no fee
        ("a tuning and a regulation, how much altogether?", False),
    ],
)
def test_a_total_adds_a_fee_when_its_cue_names_one(question: str, fee: bool) -> None:
    assert adds_fee(question, ENGLISH) is fee


def test_the_price_a_change_replaced_is_not_the_price() -> None:
    raised = passage(1, "From March a piano tuning goes from £70 to £75, sorry!", "post.md")
    reply = computed("how much for 2 piano tunings?", [raised])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £150 (2 x £75)")
    up = passage(1, "A piano tuning is now £75, up from £70.", "post.md")
    reply = computed("how much for 2 piano tunings?", [up])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £150 (2 x £75)")
    # starting prices are no change: the one the question names is taken, as before
    ranges = passage(1, "Piano tuning from £70; a grand piano regulation from £300.", "prices.md")
    reply = computed("how much for 2 piano tunings?", [ranges])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £140 (2 x £70)")


def test_a_price_a_newer_post_says_was_replaced_is_not_the_items() -> None:
    catalog = passage(1, "Piano tuning: kind service; price £70.", "catalog.csv")
    post = passage(
        2, "From March a piano tuning is £75 (it was £70).", "news.md", dated=date(2026, 2, 1)
    )
    reply = computed("how much for 2 piano tunings?", [catalog, post])
    assert isinstance(reply, Answer) and reply.text.startswith("That comes to £150 (2 x £75)")
    assert [c["chunk_id"] for c in reply.citations] == [2]
