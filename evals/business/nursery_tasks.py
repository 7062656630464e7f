"""The plant nursery's tasks about its shop (``evals.business.nursery``): catalog, FAQ, orders,
returns and appointments; ``nursery_people_tasks`` has the rest. All were written from the
shop's data and its owner's policy before the agent was run on them, without reading the agent's
code. Customers write as they would: the email inside the request, two questions in one
message, typos ("pls cancle", "wat colours"), appointments by their day, a consultation and a
planting visit told apart by what the customer asks for."""

from __future__ import annotations

from dataclasses import replace

from evals.business import Task

OLIVER = "Hi, Oliver here, oliver.grant@example.ie"
LUCIA = "My email is lucia.martin@example.es"
JONAS = "Jonas speaking, my email is jonas.becker@example.de"
AGNIESZKA = "agnieszka.nowak@example.pl is my email"
EMILY = "This is Emily, emily.shaw@example.co.uk"


def grouped(category: str, *tasks: Task) -> tuple[Task, ...]:
    """``tasks``, each filed under ``category``."""
    return tuple(replace(task, category=category) for task in tasks)


CATALOG = grouped(
    "catalog",
    Task(
        "olive-pot-sizes",
        "emily",
        "the olive tree's pot sizes, with a typo",
        ("wat pot sizes do your olive trees come in? its for a sunny balcony",),
        says=("15L|15 L|15 litre", "30L|30 L|30 litre"),
    ),
    Task(
        "secateurs-sold-out",
        "oliver",
        "the secateurs are sold out",
        ("Are the bypass secateurs in stock at the moment?",),
        says=("sold out|out of stock",),
    ),
    Task(
        "lemon-two-left",
        "emily",
        "three lemon trees wanted, two left",
        ("I'd like three lemon trees for my terrace. Have you got enough?",),
        says=("2 in stock|2 left|only 2|two left|2 available|only two",),
    ),
    Task(
        "lavender-colours-price",
        "agnieszka",
        "the lavender's colours and its price, in one message",
        ("Which colours does the lavender come in, and how much is one plant?",),
        says=("purple", "white", "6.50"),
    ),
    Task(
        "terracotta-sizes",
        "jonas",
        "the terracotta pot's sizes",
        ("What sizes do the terracotta pots come in?",),
        says=("25cm|25 cm", "35cm|35 cm", "45cm|45 cm"),
    ),
)
FAQ = grouped(
    "faq",
    Task(
        "sunday-hours",
        "stranger",
        "opening on Sundays",
        ("Are you open on Sundays?",),
        says=("14:00", "[1]"),
    ),
    Task(
        "germany-time",
        "jonas",
        "delivery time to Germany",
        ("How long does a parcel take to get to Germany?",),
        says=("4 to 7 working days", "[1]"),
    ),
    Task(
        "spain-postage",
        "stranger",
        "what delivery within Spain costs",
        ("What do you charge for delivery within Spain?",),
        says=("6.90", "[1]"),
    ),
    Task(
        "big-tree",
        "emily",
        "whether a big olive tree can be sent far",
        ("Can you send an olive tree in a 30 litre pot to Madrid?",),
        says=("own van|province of Valencia", "[1]"),
    ),
    Task(
        "watering",
        "oliver",
        "watering a newly planted tree",
        ("How often should I water the olive tree I've just planted, now that it's hot?",),
        says=("twice a week", "[1]"),
    ),
    Task(
        "planting-plan",
        "agnieszka",
        "when the planting plan comes after a consultation",
        ("After a garden consultation, how soon do I get the planting plan?",),
        says=("7 days|seven days", "[1]"),
    ),
)
ORDERS = grouped(
    "orders",
    Task(
        "tracking",
        "oliver",
        "where the pots are, email in the same message",
        ("oliver.grant@example.ie here. Has order VH-8102 left yet? I need the tracking no.",),
        says=("SEU4455667788",),
    ),
    Task(
        "cancel-typo",
        "oliver",
        "cancel a pending order, with a typo, email in the same message",
        ("pls cancle my order VH-8101, my email is oliver.grant@example.ie", "yes"),
        orders={"VH-8101": "cancelled"},
    ),
    Task(
        "cancel-paid",
        "jonas",
        "cancel an order already paid for",
        (JONAS, "I need to cancel VH-8301, the olive tree won't fit on my balcony.", "yes"),
        says=("paid",),
    ),
    Task(
        "list",
        "emily",
        "list my orders, email in the same message",
        ("which orders have I got with you? emily.shaw@example.co.uk",),
        says=("VH-8501", "VH-8502", "VH-8503"),
    ),
    Task(
        "delivered-when",
        "oliver",
        "the day the lemon tree was delivered",
        (OLIVER, "What day did my lemon tree arrive? Order VH-8104."),
        says=("{VH8104_delivered}",),
    ),
    Task(
        "was-cancelled",
        "jonas",
        "status of an order the owner cancelled, two questions in one message",
        (f"{JONAS}. What happened to VH-8304, and is VH-8303 back with you?",),
        says=("cancelled", "returned"),
    ),
)
RETURNS = grouped(
    "returns",
    Task(
        "return-lavender",
        "oliver",
        "return the lavender 6 days after delivery (window: three weeks)",
        (
            OLIVER,
            "The white lavender from VH-8103 isn't what I wanted, I'd like my money back.",
            "yes",
        ),
        orders={"VH-8103": "return_requested"},
    ),
    Task(
        "swap-pot-size",
        "emily",
        "swap the 45 cm pot for a 35 cm one 12 days after delivery",
        (
            "The terracotta pot in VH-8501 is too big, can I change it for the 35cm one?"
            " emily.shaw@example.co.uk",
            "yes",
        ),
        orders={"VH-8501": "exchange_requested"},
    ),
    Task(
        "refund-over-limit",
        "oliver",
        "refund of the 89 EUR lemon tree: the owner decides",
        (OLIVER, "Please refund VH-8104, the lemon tree dropped all its leaves.", "yes"),
        handoff=True,
    ),
    Task(
        "return-reduced",
        "lucia",
        "return the reduced fig tree (final sale)",
        (LUCIA, "I've changed my mind about the fig tree from VH-8202. Can I return it?", "yes"),
        says=("reduced|as it is",),
    ),
    Task(
        "swap-last-season",
        "agnieszka",
        "exchange the last-season bulbs (final sale)",
        (AGNIESZKA, "Can I swap the tulip bulbs from VH-8402 for this year's ones?", "yes"),
        says=("last season|as it is",),
    ),
    Task(
        "too-late",
        "lucia",
        "return 30 days after delivery",
        (f"{LUCIA}. Can I still send back the hose reel from VH-8203?", "yes"),
        says=("three weeks|21 days",),
    ),
    Task(
        "return-in-transit",
        "emily",
        "return an order that has not arrived yet",
        (EMILY, "I want to return order VH-8503.", "yes"),
        says=("shipped|deliver|arrive",),
    ),
)
APPOINTMENTS = grouped(
    "appointments",
    Task(
        "next-consultation",
        "stranger",
        "when the next free garden consultation is",
        ("When is your next free garden consultation?",),
        says=("{free1_short}|{free1_day}",),
    ),
    Task(
        "book-consultation",
        "emily",
        "book a consultation by its day",
        ("I'd like to book a garden consultation on {free1_en}, please.", "yes"),
        bookings={"free1": 1},
    ),
    Task(
        "book-planting",
        "oliver",
        "book a planting visit by its day",
        ("Could your team come and plant my new hedge on {planting1_en}?", "yes"),
        bookings={"planting1": 1},
    ),
    Task(
        "move-planting",
        "lucia",
        "move a planting visit by its day",
        ("Can we move my planting visit from {visit_en} to {planting1_en}?", "yes"),
        bookings={"slot_visit": 0, "planting1": 1},
    ),
    Task(
        "cancel-consultation",
        "jonas",
        "cancel a consultation by its day",
        ("Please cancel my garden consultation on {later_en}, we're moving house.", "yes"),
        bookings={"slot_later": 0},
    ),
    Task(
        "move-inside-notice",
        "oliver",
        "move a consultation 30 hours ahead (notice: two full days)",
        ("Could I move my consultation on {soon_en} to {free2_en}?", "yes"),
        bookings={"slot_soon": 1, "free2": 0},
        says=("two full days|two days|2 days|48 hours",),
    ),
)
SHOP_TASKS = (*CATALOG, *FAQ, *ORDERS, *RETURNS, *APPOINTMENTS)
