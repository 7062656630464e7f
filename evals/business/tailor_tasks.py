"""The tailor's atelier's tasks about its shop (``evals.business.tailor``): catalog, FAQ,
orders, returns and appointments; ``tailor_people_tasks`` has the rest. All were written from
the shop's data and its owner's policy before the agent was run on them, without reading the
agent's code. Customers write as they would: the email inside the request, two questions or two
requests in one message, typos ("linnen", "cancle", "whats"), appointments by their day, a
fitting and a drop-off told apart by what the customer wants done."""

from __future__ import annotations

from dataclasses import replace

from evals.business import Task

HANNAH = "Hannah Reid here, hannah.reid@example.co.uk"
SANNE = "my email is sanne.devries@example.nl"
TOBIAS = "Tobias here, tobias.wagner@example.de"
BEATRIZ = "Beatriz Costa, beatriz.costa@example.pt"
DANIEL = "It's Daniel, email daniel.okafor@example.com"


def grouped(category: str, *tasks: Task) -> tuple[Task, ...]:
    """``tasks``, each filed under ``category``."""
    return tuple(replace(task, category=category) for task in tasks)


CATALOG = grouped(
    "catalog",
    Task(
        "linen-colours",
        "hannah",
        "the washed linen's colours, with a typo",
        ("what colours does the washed linnen come in? want it for curtains",),
        says=("sage", "rust", "navy"),
    ),
    Task(
        "shears-sold-out",
        "daniel",
        "the tailor's shears are sold out",
        ("Have you got the tailor's shears in stock? I'd collect them on Saturday.",),
        says=("sold out|out of stock",),
    ),
    Task(
        "dress-forms-two-left",
        "beatriz",
        "three dress forms wanted, two left",
        ("I need 3 dress forms for my sewing class. Do you have that many?",),
        says=("2 in stock|2 left|only 2|two left|2 available|only two",),
    ),
    Task(
        "suiting-price-colours",
        "hannah",
        "the wool suiting's price and colours, in one message",
        ("How much is the wool suiting per metre, and which colours do you have it in?",),
        says=("38.00", "charcoal", "camel"),
    ),
    Task(
        "zip-lengths-de",
        "tobias",
        "the invisible zips' lengths, in German",
        ("Welche Längen gibt es bei den unsichtbaren Reißverschlüssen?",),
        says=("20cm|20 cm", "40cm|40 cm", "60cm|60 cm"),
        language="de",
    ),
)
FAQ = grouped(
    "faq",
    Task(
        "saturday-hours",
        "stranger",
        "how late the atelier is open on Saturdays",
        ("Are you open on Saturday afternoon, and until when?",),
        says=("16:00", "[1]"),
    ),
    Task(
        "belgium-time",
        "sanne",
        "how long a parcel to Belgium takes",
        ("How long does a parcel to Belgium take?",),
        says=("2 to 4 working days", "[1]"),
    ),
    Task(
        "portugal-shipping",
        "beatriz",
        "what shipping to Portugal costs",
        ("whats the shipping cost to Portugal?",),
        says=("12.90", "[1]"),
    ),
    Task(
        "linen-washing",
        "hannah",
        "how to wash linen before cutting it",
        ("Should I wash the linen before I cut it? At what temperature?",),
        says=("40 degrees", "[1]"),
    ),
    Task(
        "hem-turnaround-nl",
        "sanne",
        "how long hemming trousers takes, in Dutch",
        ("Hoe lang duurt het voordat een broek ingekort is als ik hem kom brengen?",),
        says=("5 working days|5 werkdagen|vijf werkdagen", "[1]"),
        language="nl",
    ),
    Task(
        "suit-turnaround",
        "daniel",
        "how long a made-to-measure suit takes",
        ("I'm getting married in two months. How long does a made-to-measure suit take?",),
        says=("6 to 8 weeks", "[1]"),
    ),
)
ORDERS = grouped(
    "orders",
    Task(
        "tracking",
        "hannah",
        "the tracking number, email in the same message",
        ("hannah.reid@example.co.uk - has AV-5104 been sent? whats the tracking number",),
        says=("3SVGD4471902",),
    ),
    Task(
        "cancel-typo",
        "daniel",
        "cancel a pending order, with a typo, email in the same message",
        ("can u cancle AV-5502 please, email is daniel.okafor@example.com", "yes please"),
        orders={"AV-5502": "cancelled"},
    ),
    Task(
        "cancel-paid",
        "tobias",
        "cancel an order already paid for",
        (TOBIAS, "Please cancel AV-5301, I found the zips in a shop nearby.", "yes"),
        says=("paid",),
    ),
    Task(
        "list",
        "beatriz",
        "list my orders, email in the same message",
        ("Could you list all my orders? It's beatriz.costa@example.pt",),
        says=("AV-5401", "AV-5402", "AV-5403"),
    ),
    Task(
        "delivered-when",
        "hannah",
        "the day the dress form was delivered",
        (HANNAH, "On which day was my dress form delivered? Order AV-5103."),
        says=("{AV5103_delivered}",),
    ),
    Task(
        "two-statuses",
        "tobias",
        "an order the owner cancelled and one sent back, two questions in one message",
        (f"{TOBIAS}. Was AV-5304 cancelled in the end, and did my return of AV-5303 reach you?",),
        says=("cancelled", "returned"),
    ),
)
RETURNS = grouped(
    "returns",
    Task(
        "return-linen",
        "hannah",
        "return the sage linen 5 days after delivery (window: two weeks)",
        (
            HANNAH,
            "The sage linen from AV-5102 looks grey rather than green. I'd like to send it back"
            " for a refund.",
            "yes",
        ),
        orders={"AV-5102": "return_requested"},
    ),
    Task(
        "swap-suiting-colour",
        "daniel",
        "swap the camel suiting for charcoal 12 days after delivery, email in the same message",
        (
            "Can I swap the camel wool from AV-5501 for the charcoal one?"
            " daniel.okafor@example.com",
            "yep",
        ),
        orders={"AV-5501": "exchange_requested"},
    ),
    Task(
        "refund-dress-form",
        "hannah",
        "refund of the 149 EUR dress form: the owner decides",
        (HANNAH, "The dress form from AV-5103 wobbles on its stand. I want my money back.", "yes"),
        handoff=True,
    ),
    Task(
        "return-remnant",
        "sanne",
        "return the wool remnant (final sale)",
        (
            f"Hi, {SANNE}. The herringbone remnant from AV-5202 is too small after all,"
            " can I return it?",
            "yes",
        ),
        says=("remnant|final",),
    ),
    Task(
        "too-late",
        "sanne",
        "return the poplin 25 days after delivery",
        (f"Hello, {SANNE}. I'd like to return the white poplin from AV-5203.", "yes"),
        says=("two weeks|14 days",),
    ),
    Task(
        "return-in-transit",
        "daniel",
        "return an order that has not arrived yet",
        (DANIEL, "I want to return AV-5503, I ordered the wrong colour.", "yes"),
        says=("shipped|deliver|arrive|on its way",),
    ),
)
APPOINTMENTS = grouped(
    "appointments",
    Task(
        "next-fitting",
        "stranger",
        "when the next free fitting is",
        ("When is the next free made-to-measure fitting?",),
        says=("{fit1_short}|{fit1_day}",),
    ),
    Task(
        "book-fitting",
        "daniel",
        "book a fitting by its day",
        ("I'd like to book a fitting for my wedding suit on {fit1_en}.", "yes"),
        bookings={"fit1": 1},
    ),
    Task(
        "book-drop-off-and-hours",
        "hannah",
        "book a drop-off by its day and ask the Saturday hours, in one message",
        (
            "Can I bring three pairs of trousers to be hemmed on {drop2_en}? And are you open"
            " on Saturdays?",
            "yes",
        ),
        bookings={"drop2": 1},
        says=("16:00",),
    ),
    Task(
        "move-fitting",
        "tobias",
        "move a fitting by its day",
        ("Something came up. Could we push my fitting on {later_en} to {fit2_en}?", "yes"),
        bookings={"slot_later": 0, "fit2": 1},
    ),
    Task(
        "cancel-drop-off",
        "sanne",
        "cancel a drop-off by its day",
        ("Please cancel my drop-off on {dropoff_en}, I hemmed the skirt myself.", "yes"),
        bookings={"slot_dropoff": 0},
    ),
    Task(
        "move-inside-notice",
        "hannah",
        "move a fitting less than a day ahead (notice: 24 hours)",
        ("Could my fitting on {soon_en} be moved to {fit3_en}?", "yes"),
        bookings={"slot_soon": 1, "fit3": 0},
        says=("24 hours",),
    ),
    Task(
        "cancel-inside-notice",
        "hannah",
        "cancel a fitting less than a day ahead (notice: 24 hours)",
        ("I'm ill, please cancel my fitting on {soon_en}.", "yes"),
        bookings={"slot_soon": 1},
        says=("24 hours",),
    ),
    Task(
        "book-taken",
        "daniel",
        "book a fitting someone else holds",
        ("Please book me a fitting on {later_en}.", "yes"),
        bookings={"slot_later": 1},
        says=("taken|not free|not available|already booked|no longer free|isn't free",),
    ),
)
SHOP_TASKS = (*CATALOG, *FAQ, *ORDERS, *RETURNS, *APPOINTMENTS)
