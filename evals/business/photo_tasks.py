"""The photography studio's tasks about its shop (``evals.business.photo``): catalog, FAQ,
orders, returns and appointments; ``photo_people_tasks`` has the rest. All were written from the
shop's data and its owner's policy before the agent was run on them, without reading the agent's
code. Customers write as they would: the email inside the request, two questions in one
message, typos ("cancle", "wat colours"), appointments by their day or by the service alone, a
portrait session, a family shoot and passport photos told apart by what the customer asks for."""

from __future__ import annotations

from dataclasses import replace

from evals.business import Task

TOM = "Hi, it's Tom Hughes, tom.hughes@example.co.uk"
MARTA = "My email is marta.kowalczyk@example.pl"
GIULIA = "Giulia here, my email is giulia.ferri@example.it"
DAAN = "daan.devries@example.nl is my email"
PRIYA = "This is Priya, priya.nair@example.com"


def grouped(category: str, *tasks: Task) -> tuple[Task, ...]:
    """``tasks``, each filed under ``category``."""
    return tuple(replace(task, category=category) for task in tasks)


CATALOG = grouped(
    "catalog",
    Task(
        "frame-colours-sizes",
        "daan",
        "the oak frame's colours and whether it comes in A2, with a typo",
        ("wat colours does the oak frame come in? and do you do it in A2?",),
        says=("natural", "black", "white", "A2"),
    ),
    Task(
        "portra-sold-out",
        "tom",
        "the Portra film is sold out",
        ("Have you got any Kodak Portra 400 in stock?",),
        says=("sold out|out of stock",),
    ),
    Task(
        "albums-two-left",
        "priya",
        "three albums wanted, two left",
        ("I need 3 linen photo albums for the wedding guests. Do you have enough?",),
        says=("2 in stock|2 left|only 2|two left|2 available|only two",),
    ),
    Task(
        "canvas-sizes-price",
        "marta",
        "the canvas print's sizes and its price, in one message",
        ("What sizes does the canvas print come in, and what does it cost?",),
        says=("40x60", "60x90", "89.00"),
    ),
    Task(
        "walnut-price",
        "giulia",
        "the price of the ex-display walnut frame",
        ("How much is the walnut frame that was on display in your window?",),
        says=("25.00",),
    ),
)
FAQ = grouped(
    "faq",
    Task(
        "saturday-hours",
        "stranger",
        "until when the studio is open on Saturdays",
        ("are you open on saturdays? until when?",),
        says=("17:00", "[1]"),
    ),
    Task(
        "belgium-time-and-cost",
        "daan",
        "how long delivery to Belgium takes and what it costs, in one message",
        ("How long does delivery to Belgium take, and what does it cost?",),
        says=("3 to 5 working days", "12.95", "[1]"),
    ),
    Task(
        "netherlands-postage",
        "tom",
        "what delivery within the Netherlands costs",
        ("What's the postage within the Netherlands?",),
        says=("4.95", "[1]"),
    ),
    Task(
        "gallery-time",
        "priya",
        "when the photos of a shoot arrive",
        ("After my portrait session, how long until I get to see the photos?",),
        says=("10 working days", "[1]"),
    ),
    Task(
        "glass-cleaning",
        "giulia",
        "how to clean a frame's glass",
        ("How should I clean the glass on my oak frame?",),
        says=("microfibre", "[1]"),
    ),
)
ORDERS = grouped(
    "orders",
    Task(
        "tracking",
        "tom",
        "whether the canvas has left and its tracking number, email in the same message",
        (
            "tom.hughes@example.co.uk here. Has my canvas (LK-7102) been sent? I need the"
            " tracking number",
        ),
        says=("3SLKMR4471023",),
    ),
    Task(
        "cancel-typo",
        "priya",
        "cancel a pending order, with a typo, email in the same message",
        ("cancle LK-7502 pls, my email is priya.nair@example.com", "yes"),
        orders={"LK-7502": "cancelled"},
    ),
    Task(
        "cancel-paid",
        "giulia",
        "cancel an order already paid for",
        (GIULIA, "Please cancel LK-7301, I picked the wrong colour.", "yes"),
        says=("paid",),
    ),
    Task(
        "list",
        "daan",
        "list my orders, email in the same message",
        ("Which orders do I have with you? daan.devries@example.nl",),
        says=("LK-7401", "LK-7402", "LK-7403", "LK-7404"),
    ),
    Task(
        "delivered-when",
        "priya",
        "the day the oak frame was delivered",
        (PRIYA, "When did order LK-7501 get delivered?"),
        says=("{LK7501_delivered}",),
    ),
    Task(
        "two-statuses",
        "giulia",
        "a returned and a pending order, two questions in one message",
        (f"{GIULIA}. What's the status of LK-7303, and of LK-7304?",),
        says=("returned", "pending"),
    ),
)
RETURNS = grouped(
    "returns",
    Task(
        "return-frame",
        "tom",
        "return the black frame 4 days after delivery (window: ten days)",
        (
            TOM,
            "The black oak frame from LK-7103 doesn't suit the print, I'd like my money back.",
            "yes",
        ),
        orders={"LK-7103": "return_requested"},
    ),
    Task(
        "swap-frame-colour",
        "priya",
        "swap the natural frame for a white one 8 days after delivery, email in the message",
        (
            "Can I swap the natural oak frame in LK-7501 for a white one? priya.nair@example.com",
            "yes",
        ),
        orders={"LK-7501": "exchange_requested"},
    ),
    Task(
        "refund-over-limit",
        "tom",
        "refund of the 143 EUR canvas and album: the owner decides",
        (TOM, "Please refund LK-7104, the canvas arrived with a scratch across it.", "yes"),
        handoff=True,
    ),
    Task(
        "return-ex-display",
        "marta",
        "return the ex-display walnut frame (final sale)",
        (MARTA, "Can I return the walnut frame from LK-7202? It's smaller than I thought.", "yes"),
        says=("ex-display",),
    ),
    Task(
        "swap-b-stock",
        "daan",
        "exchange the B-stock print for a perfect one (final sale)",
        (DAAN, "Could I exchange the B-stock print from LK-7402 for one without the flaw?", "yes"),
        says=("B-stock",),
    ),
    Task(
        "too-late",
        "marta",
        "return the strap 16 days after delivery",
        (f"{MARTA}. I'd like to send back the camera strap from LK-7203.", "yes"),
        says=("ten days|10 days",),
    ),
)
APPOINTMENTS = grouped(
    "appointments",
    Task(
        "next-passport",
        "stranger",
        "when the next free passport-photo slot is",
        ("When's your next free slot for passport photos?",),
        says=("{passfree1_short}|{passfree1_day}",),
    ),
    Task(
        "book-portrait",
        "priya",
        "book a portrait session by its day",
        ("I'd like to book a portrait session on {free1_en}, please.", "yes"),
        bookings={"free1": 1},
    ),
    Task(
        "book-family",
        "tom",
        "book a family shoot by its day",
        ("Can you do a family shoot for the five of us on {familyfree_en}?", "yes please"),
        bookings={"familyfree": 1},
    ),
    Task(
        "book-passport-email",
        "marta",
        "book passport photos by their day, email in the same message",
        (
            "hi, marta.kowalczyk@example.pl here - can I book passport photos for {passfree1_en}?",
            "yes",
        ),
        bookings={"passfree1": 1},
    ),
    Task(
        "move-portrait",
        "giulia",
        "push a portrait session back to a later day, the booking named by service only",
        ("Could I push my portrait session back to {free3_en}?", "yes"),
        bookings={"slot_later": 0, "free3": 1},
    ),
    Task(
        "move-family",
        "daan",
        "move a family shoot by its day",
        (
            "The kids are ill, can we move our family shoot on {family_en} to {familyfree_en}?",
            "yes",
        ),
        bookings={"slot_family": 0, "familyfree": 1},
    ),
    Task(
        "cancel-passport",
        "priya",
        "cancel passport photos, with an abbreviation",
        ("pls cancel my passport photos appointment, I got them done at the town hall", "yes"),
        bookings={"slot_passport": 0},
    ),
    Task(
        "cancel-inside-notice",
        "tom",
        "cancel a portrait session 50 hours ahead (notice: 72 hours)",
        ("I have to cancel my portrait session on {soon_en}, sorry.", "yes"),
        bookings={"slot_soon": 1},
        says=("72 hours|three days|3 days",),
    ),
    Task(
        "move-inside-notice",
        "tom",
        "move a portrait session 50 hours ahead (notice: 72 hours)",
        ("Can I move my portrait session to {free2_en} instead?", "yes"),
        bookings={"slot_soon": 1, "free2": 0},
        says=("72 hours|three days|3 days",),
    ),
    Task(
        "when-is-mine",
        "daan",
        "the day of my own family shoot",
        ("What day is our family shoot again? I forgot to write it down.",),
        says=("{family_short}|{family_day}",),
    ),
)
SHOP_TASKS = (*CATALOG, *FAQ, *ORDERS, *RETURNS, *APPOINTMENTS)
