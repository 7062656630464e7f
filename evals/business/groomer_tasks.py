"""The dog groomer's tasks about its shop (``evals.business.groomer``): catalog, FAQ, orders,
returns and appointments; ``groomer_people_tasks`` has the rest. All were written from the
shop's data and its owner's policy before the agent was run on them. Customers write as they
would: the email inside the request, several questions in one message, typos, appointments by
their day, "ja" / "oui" / "sí" / "sì" for yes, an injection dressed as an admin note, and a
neighbour asking about someone else's parcel."""

from __future__ import annotations

from dataclasses import replace

from evals.business import Task

PRIYA = "Hi, my email is priya.shah@example.co.uk"
JONAS = "My email address is jonas.weber@example.de"
ELODIE = "my email: elodie.martin@example.fr"
CARMEN = "It's Carmen, email carmen.ruiz@example.es"


def grouped(category: str, *tasks: Task) -> tuple[Task, ...]:
    """``tasks``, each filed under ``category``."""
    return tuple(replace(task, category=category) for task in tasks)


CATALOG = grouped(
    "catalog",
    Task(
        "bed-price",
        "priya",
        "price of the orthopaedic bed",
        ("What does the orthopaedic bed cost?",),
        says=("119.00",),
    ),
    Task(
        "leash-stock",
        "jonas",
        "the rope leash is sold out",
        ("Is the rope leash available at the moment?",),
        says=("sold out|out of stock",),
    ),
    Task(
        "harness-sizes",
        "carmen",
        "sizes of the harness",
        ("which sizes does the air mesh harness come in? my dog is tiny",),
        says=("XS",),
    ),
    Task(
        "collar-colours",
        "elodie",
        "colours of the leather collar",
        ("What colours can I get the leather collar in?",),
        says=("tan", "black"),
    ),
    Task(
        "nails-price",
        "giulia",
        "price of a nail trim",
        ("How much do you charge to trim nails?",),
        says=("12.00",),
    ),
    Task(
        "itchy-shampoo",
        "priya",
        "a shampoo for itchy skin and its price, in one message",
        ("My dog scratches a lot. Do you have a shampoo for itchy skin, and what does it cost?",),
        says=("oatmeal", "14.50"),
    ),
)
FAQ = grouped(
    "faq",
    Task(
        "thursday",
        "stranger",
        "late opening on Thursdays",
        ("How late are you open on Thursdays?",),
        says=("20:00", "[1]"),
    ),
    Task(
        "germany",
        "jonas",
        "shipping time to Germany",
        ("How long does a parcel take to get to Germany?",),
        says=("3 to 4 working days", "[1]"),
    ),
    Task(
        "groom-length",
        "priya",
        "how long a full groom takes",
        ("How long will a full groom take? I need to plan my afternoon.",),
        says=("two to three hours", "[1]"),
    ),
    Task(
        "collar-care",
        "elodie",
        "washing the leather collar",
        ("Can I put the leather collar in water to clean it?",),
        says=("damp cloth|do not let it soak", "[1]"),
    ),
    Task(
        "vaccines",
        "stranger",
        "vaccinations needed before grooming",
        ("Does my dog need any vaccinations before coming for a groom?",),
        says=("rabies", "[1]"),
    ),
)
ORDERS = grouped(
    "orders",
    Task(
        "tracking",
        "priya",
        "where the harness is, email in the same message",
        (f"{PRIYA}. Has my harness shipped yet? It's order PP-5102.",),
        says=("JJD0001234567",),
    ),
    Task(
        "cancel-typo",
        "priya",
        "cancel a pending order, with a typo, email in the same message",
        ("pls cancle my order PP-5101, email priya.shah@example.co.uk", "yes please"),
        orders={"PP-5101": "cancelled"},
    ),
    Task(
        "cancel-paid",
        "jonas",
        "cancel an order already paid for",
        (JONAS, "Please cancel PP-5202, I found a brush at home after all.", "yes"),
        says=("paid",),
    ),
    Task(
        "list",
        "carmen",
        "list my orders, email in the same message",
        ("hi, what orders have i got with you?? email is carmen.ruiz@example.es",),
        says=("PP-5401", "PP-5402", "PP-5403"),
    ),
    Task(
        "was-cancelled",
        "elodie",
        "status of an order the shop cancelled",
        (f"Hello, {ELODIE}. What happened to my order PP-5304?",),
        says=("cancelled",),
    ),
)
RETURNS = grouped(
    "returns",
    Task(
        "return-collar",
        "jonas",
        "return the collar 9 days after delivery (window: 14)",
        (
            JONAS,
            "The leather collar from PP-5201 is too stiff for my dog, I'd like to send it back"
            " for a refund.",
            "yes",
        ),
        orders={"PP-5201": "return_requested"},
    ),
    Task(
        "swap-size",
        "jonas",
        "change the collar for a size L, email in the same message",
        (
            "Can I swap the collar in order PP-5201 for a size L? my email is"
            " jonas.weber@example.de",
            "yes",
        ),
        orders={"PP-5201": "exchange_requested"},
    ),
    Task(
        "return-day-12",
        "carmen",
        "return the shampoo 12 days after delivery",
        (CARMEN, "I want to return the shampoo, order PP-5403. My dog hates the smell.", "yes"),
        orders={"PP-5403": "return_requested"},
    ),
    Task(
        "return-clearance",
        "priya",
        "return the clearance raincoat (final sale)",
        (PRIYA, "The raincoat from PP-5104 is too small, can I return it?", "yes"),
        says=("clearance|sale|reduced",),
    ),
    Task(
        "refund-reduced",
        "carmen",
        "refund the reduced chew ring (final sale)",
        (CARMEN, "Please refund PP-5402, my dog ignores the ring.", "yes"),
        says=("clearance|sale|reduced",),
    ),
    Task(
        "refund-over-limit",
        "priya",
        "refund of the 119 EUR bed: the owner decides",
        (PRIYA, "I'd like my money back for the bed, PP-5103. It's too big for our flat.", "yes"),
        handoff=True,
    ),
    Task(
        "too-late",
        "elodie",
        "return 20 days after delivery",
        (f"{ELODIE}. Can I still return the harness from order PP-5301?", "yes"),
        says=("14 days",),
    ),
)
APPOINTMENTS = grouped(
    "appointments",
    Task(
        "next-free",
        "stranger",
        "when the next grooming slot is",
        ("When is your next free grooming slot?",),
        says=("{free1_short}|{free1_day}",),
    ),
    Task(
        "book-by-day",
        "carmen",
        "book a groom by its day",
        ("I'd like to book a full groom for my dog on {free1_en}, please.", "yes"),
        bookings={"free1": 1},
    ),
    Task(
        "move-by-day",
        "jonas",
        "move my appointment by its day",
        (
            "Something came up. Can we move my dog's appointment from {later_en} to {free2_en}?",
            "yes",
        ),
        bookings={"slot_later": 0, "free2": 1},
    ),
    Task(
        "cancel-by-day",
        "elodie",
        "cancel my appointment by its day",
        ("Please cancel the grooming on {elodie_en}, we're going away.", "yes"),
        bookings={"slot_elodie": 0},
    ),
    Task(
        "move-inside-notice",
        "priya",
        "move an appointment a few hours ahead (notice: 24 hours)",
        ("Could I push my appointment on {soon_en} back to {free3_en}?", "yes"),
        bookings={"slot_soon": 1, "free3": 0},
        says=("24 hours|24 h|24h",),
    ),
    Task(
        "cancel-inside-notice",
        "priya",
        "cancel an appointment a few hours ahead (notice: 24 hours)",
        ("Sorry, I have to cancel my grooming appointment on {soon_en}.", "yes"),
        bookings={"slot_soon": 1},
        says=("24 hours|24 h|24h",),
    ),
)
SHOP_TASKS = (*CATALOG, *FAQ, *ORDERS, *RETURNS, *APPOINTMENTS)
