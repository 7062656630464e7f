"""The music shop's tasks about its shop (``evals.business.music``): catalog, FAQ, orders,
returns and appointments; ``music_people_tasks`` has the rest. All were written from the shop's
data and its owner's policy before the agent was run on them, without reading the agent's code.
Customers write as they would: the email inside the request, two questions in one message,
typos ("plz cancell", "wich"), appointments by their day, a lesson and a repair drop-off told
apart by what the customer asks for."""

from __future__ import annotations

from dataclasses import replace

from evals.business import Task

HANNAH = "Hi, it's Hannah, hannah.price@example.co.uk"
BEATRIZ = "My email is beatriz.costa@example.pt"
CAMILLE = "Camille here, my email is camille.lefevre@example.be"
PIETER = "pieter.claes@example.be is my email"


def grouped(category: str, *tasks: Task) -> tuple[Task, ...]:
    """``tasks``, each filed under ``category``."""
    return tuple(replace(task, category=category) for task in tasks)


CATALOG = grouped(
    "catalog",
    Task(
        "guitar-sizes",
        "hannah",
        "sizes of the classical guitar, with a typo",
        ("wich sizes does the classical guitar come in? it's for my 9 year old",),
        says=("3/4", "1/2"),
    ),
    Task(
        "capo-sold-out",
        "pieter",
        "the capo is sold out",
        ("Have you got the quick-change capo in stock?",),
        says=("sold out|out of stock",),
    ),
    Task(
        "tuner-two-left",
        "sanne",
        "only two tuners left",
        ("Do you still have clip-on tuners? I need two for my students.",),
        says=("2 in stock|2 left|only 2|two left|2 available",),
    ),
    Task(
        "uke-colours",
        "beatriz",
        "colours of the soprano ukulele",
        ("What colours does the soprano ukulele come in?",),
        says=("natural", "blue", "red"),
    ),
    Task(
        "strings-and-price",
        "hannah",
        "strings for a classical guitar and their price, in one message",
        ("Do you sell strings for a classical guitar, and how much is a set?",),
        says=("nylon", "11.50"),
    ),
)
FAQ = grouped(
    "faq",
    Task(
        "friday-late",
        "stranger",
        "late opening on Fridays",
        ("Are you open late on Fridays?",),
        says=("20:00", "[1]"),
    ),
    Task(
        "netherlands-time",
        "sanne",
        "delivery time to the Netherlands",
        ("How long does it take for a parcel to reach the Netherlands?",),
        says=("2 to 4 working days", "[1]"),
    ),
    Task(
        "guitar-postage",
        "hannah",
        "what sending a guitar costs",
        ("What do you charge to post a guitar?",),
        says=("19.95", "[1]"),
    ),
    Task(
        "setup-turnaround",
        "pieter",
        "how long a set-up takes",
        ("If I bring my guitar in for a set-up, how long before I get it back?",),
        says=("5 working days", "[1]"),
    ),
    Task(
        "winter-care",
        "camille",
        "looking after a solid-wood guitar in winter",
        ("My new guitar has a solid cedar top. How should I look after it in winter?",),
        says=("humidity|humidifier", "[1]"),
    ),
    Task(
        "lesson-instrument",
        "stranger",
        "whether lessons need your own instrument",
        ("Do I have to bring my own guitar to lessons? I don't own one yet.",),
        says=("first two lessons", "[1]"),
    ),
)
ORDERS = grouped(
    "orders",
    Task(
        "tracking",
        "pieter",
        "where the keyboard is, email in the same message",
        ("Hi, pieter.claes@example.be here. Has my keyboard shipped? Order KK-7402.",),
        says=("CD114477889BE",),
    ),
    Task(
        "cancel-typo",
        "hannah",
        "cancel a pending order, with a typo, email in the same message",
        ("plz cancell my order KK-7101, my email's hannah.price@example.co.uk", "yes"),
        orders={"KK-7101": "cancelled"},
    ),
    Task(
        "cancel-paid",
        "camille",
        "cancel an order already paid for",
        (CAMILLE, "I'd like to cancel KK-7301, I found a keyboard second-hand.", "yes"),
        says=("paid",),
    ),
    Task(
        "list",
        "sanne",
        "list my orders, email in the same message",
        ("what orders do i have with you? sanne.visser@example.nl",),
        says=("KK-7501", "KK-7502", "KK-7503"),
    ),
    Task(
        "delivered-when",
        "hannah",
        "the day the gig bag was delivered",
        (HANNAH, "On what day was my gig bag delivered? Order KK-7103."),
        says=("{KK7103_delivered}",),
    ),
    Task(
        "was-returned",
        "camille",
        "status of an order that came back",
        (f"{CAMILLE}. What's the status of KK-7303? I sent it back.",),
        says=("returned",),
    ),
)
RETURNS = grouped(
    "returns",
    Task(
        "return-gig-bag",
        "hannah",
        "return the gig bag 8 days after delivery (window: thirty days)",
        (
            HANNAH,
            "The gig bag from KK-7103 doesn't fit, I want to send it back for a refund.",
            "yes",
        ),
        orders={"KK-7103": "return_requested"},
    ),
    Task(
        "swap-day-25",
        "sanne",
        "swap the guitar stand 25 days after delivery, email in the same message",
        (
            "Can I swap the guitar stand from order KK-7501 for another model? My email is"
            " sanne.visser@example.nl",
            "yes",
        ),
        orders={"KK-7501": "exchange_requested"},
    ),
    Task(
        "refund-over-limit",
        "hannah",
        "refund of the 289 EUR guitar: the owner decides",
        (HANNAH, "I'd like a refund for the guitar, KK-7104. My daughter has given up.", "yes"),
        handoff=True,
    ),
    Task(
        "return-outlet",
        "beatriz",
        "return the outlet metronome (final sale)",
        (BEATRIZ, "I changed my mind about the metronome from KK-7202. Can I return it?", "yes"),
        says=("outlet|sold as seen",),
    ),
    Task(
        "swap-ex-demo",
        "pieter",
        "exchange the ex-demo ukulele (final sale)",
        (PIETER, "Could I exchange the ukulele from KK-7403 for a brand new one?", "yes"),
        says=("ex-demo|sold as seen",),
    ),
    Task(
        "too-late",
        "beatriz",
        "return 40 days after delivery",
        (f"{BEATRIZ}. Can I still send back the guitar stand from KK-7204?", "yes"),
        says=("thirty days|30 days",),
    ),
    Task(
        "return-in-transit",
        "pieter",
        "return an order that has not arrived yet",
        (PIETER, "I want to return order KK-7402.", "yes"),
        says=("shipped|deliver",),
    ),
)
APPOINTMENTS = grouped(
    "appointments",
    Task(
        "next-lesson",
        "stranger",
        "when the next free lesson is",
        ("When's your next free lesson slot?",),
        says=("{free1_short}|{free1_day}",),
    ),
    Task(
        "book-lesson",
        "sanne",
        "book a lesson by its day",
        ("I'd like to book a guitar lesson on {free1_en}, please.", "yes"),
        bookings={"free1": 1},
    ),
    Task(
        "book-repair",
        "hannah",
        "book a repair drop-off by its day",
        ("Can I drop my guitar off for a set-up on {repair1_en}?", "yes"),
        bookings={"repair1": 1},
    ),
    Task(
        "move-lesson",
        "pieter",
        "move my lesson by its day",
        ("Can we move my lesson from {later_en} to {free3_en}?", "yes"),
        bookings={"slot_later": 0, "free3": 1},
    ),
    Task(
        "cancel-drop-off",
        "camille",
        "cancel my repair drop-off by its day",
        ("Please cancel my repair drop-off on {camille_en}, I fixed it myself.", "yes"),
        bookings={"slot_camille": 0},
    ),
    Task(
        "move-inside-notice",
        "hannah",
        "move a lesson two days ahead (notice: three days)",
        ("Could I move my lesson on {soon_en} to {free2_en}?", "yes"),
        bookings={"slot_soon": 1, "free2": 0},
        says=("three days|3 days|72 hours",),
    ),
)
SHOP_TASKS = (*CATALOG, *FAQ, *ORDERS, *RETURNS, *APPOINTMENTS)
