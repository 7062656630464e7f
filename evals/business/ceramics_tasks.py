"""The ceramics studio's tasks about its shop (``evals.business.ceramics``): catalog, FAQ,
orders, returns and appointments; ``ceramics_people_tasks`` has the rest. All were written from
the shop's data and its owner's policy before the agent was run on them, without reading the
agent's code. Customers write as they would: the email inside the request, two questions in one
message, typos ("cancell", "colurs"), a class or a lesson named by its day, a question in Spanish
or French among the English ones."""

from __future__ import annotations

from dataclasses import replace

from evals.business import Task

FIONA = "Hi, it's Fiona Walsh - fiona.walsh@example.co.uk"
GIULIA = "Hello, Giulia here: giulia.rossi@example.it"
MATEO = "Mateo Fernández, mateo.fernandez@example.es"
ELISE = "Hello, my email address is elise.moreau@example.fr"
ARJUN = "arjun.mehta@example.com (Arjun)"


def grouped(category: str, *tasks: Task) -> tuple[Task, ...]:
    """``tasks``, each filed under ``category``."""
    return tuple(replace(task, category=category) for task in tasks)


CATALOG = grouped(
    "catalog",
    Task(
        "mug-glazes",
        "arjun",
        "the mug's glazes, with a typo",
        ("what colurs does the galet mug come in?? it's a present for my sister",),
        says=("sea green", "sand", "charcoal"),
    ),
    Task(
        "tall-vase-sold-out",
        "fiona",
        "the tall vase is sold out",
        ("Is the tall vase available? I'd like to order one today.",),
        says=("sold out|out of stock",),
    ),
    Task(
        "teapot-two-left",
        "arjun",
        "three teapots wanted, two left",
        ("I need 3 porcelain teapots as wedding presents - do you have that many?",),
        says=("2 in stock|2 left|only 2|two left|2 available|only two",),
    ),
    Task(
        "apron-price-size",
        "fiona",
        "the apron's price and whether it comes large, in one message",
        ("How much is the linen apron, and does it come in a large size?",),
        says=("39.00|39,00", "L/XL"),
    ),
    Task(
        "bowl-sizes-es",
        "mateo",
        "the serving bowl's sizes, in Spanish",
        ("Hola, ¿en qué tamaños tenéis el bol para servir?",),
        says=("20cm|20 cm", "26cm|26 cm", "32cm|32 cm"),
        language="es",
    ),
)
FAQ = grouped(
    "faq",
    Task(
        "monday",
        "stranger",
        "whether the studio opens on Mondays",
        ("Are you open on Mondays? I'd like to drop by.",),
        says=("closed on Mondays|Wednesday to Sunday", "[1]"),
    ),
    Task(
        "italy-shipping",
        "giulia",
        "how long shipping to Italy takes and what it costs, in one message",
        ("How long does shipping to Italy take, and what does it cost?",),
        says=("5 to 8 working days", "16 EUR|16 €|€16|16.00|16,00"),
    ),
    Task(
        "free-delivery",
        "stranger",
        "when delivery within France is free, no capitals",
        ("is delivery ever free within france?",),
        says=("90 EUR|90 €|€90", "[1]"),
    ),
    Task(
        "switzerland",
        "stranger",
        "whether the studio ships to Switzerland",
        ("Do you ship to Geneva in Switzerland?",),
        says=("do not ship|don't ship|outside the European Union", "[1]"),
    ),
    Task(
        "class-pieces",
        "arjun",
        "when a piece made in a class can be collected",
        ("I did the taster class last Saturday. When can I pick up the bowl I made?",),
        says=("four weeks|4 weeks", "[1]"),
    ),
    Task(
        "teapot-dishwasher-fr",
        "elise",
        "whether the teapot goes in the dishwasher, in French",
        ("Est-ce que la théière en porcelaine passe au lave-vaisselle ?",),
        says=("by hand|à la main", "[1]"),
        language="fr",
    ),
)
ORDERS = grouped(
    "orders",
    Task(
        "plates-tracking",
        "fiona",
        "where the plates are, email in the same message",
        (
            "fiona.walsh@example.co.uk - have the plates from AG-5102 been posted? I'd like"
            " the tracking number.",
        ),
        says=("6A21043577821",),
    ),
    Task(
        "cancel-typo",
        "arjun",
        "cancel a pending order, with a typo, email in the same message",
        ("can you cancell AG-5502 pls, changed my mind. arjun.mehta@example.com", "yes please"),
        orders={"AG-5502": "cancelled"},
    ),
    Task(
        "cancel-paid",
        "mateo",
        "cancel an order already paid for",
        (MATEO, "Please cancel AG-5301, I found a bowl in a shop near me.", "yes"),
        says=("paid",),
    ),
    Task(
        "list",
        "elise",
        "list my orders, email in the same message",
        ("Could you list all my orders? elise.moreau@example.fr",),
        says=("AG-5401", "AG-5402", "AG-5403"),
    ),
    Task(
        "bowl-delivered-when",
        "fiona",
        "the day the serving bowl was delivered",
        (FIONA, "On which day was the serving bowl from AG-5103 delivered?"),
        says=("{AG5103_delivered}",),
    ),
    Task(
        "returned-and-cancelled",
        "mateo",
        "an order returned and one the owner cancelled, two questions in one message",
        (f"{MATEO}. Did the tool kit from AG-5303 get back to you? And what became of AG-5304?",),
        says=("returned", "cancelled"),
    ),
)
RETURNS = grouped(
    "returns",
    Task(
        "return-bowl",
        "fiona",
        "return the bowl 5 days after delivery (window: a fortnight)",
        (
            FIONA,
            "The serving bowl from AG-5103 is bigger than I thought. I'd like to send it back"
            " for a refund.",
            "yes",
        ),
        orders={"AG-5103": "return_requested"},
    ),
    Task(
        "swap-apron",
        "arjun",
        "swap the apron for the larger size 12 days after delivery, email in the same message",
        (
            "The apron in AG-5501 is too small, could I swap it for an L/XL?"
            " arjun.mehta@example.com",
            "yes",
        ),
        orders={"AG-5501": "exchange_requested"},
    ),
    Task(
        "refund-teapot",
        "fiona",
        "refund of the 135 EUR teapot: the owner decides",
        (FIONA, "The lid of the teapot from AG-5104 doesn't fit. I want my money back.", "yes"),
        handoff=True,
    ),
    Task(
        "return-seconds",
        "giulia",
        "return the seconds bowls (final sale)",
        (GIULIA, "Can I return the three breakfast bowls from AG-5202?", "yes"),
        says=("seconds|studio sale|final",),
    ),
    Task(
        "mug-too-late",
        "giulia",
        "return a mug 25 days after delivery",
        (f"{GIULIA}. Is it too late to send back the charcoal mug from AG-5203?", "yes"),
        says=("fortnight|14 days|fourteen days|two weeks",),
    ),
    Task(
        "return-not-arrived",
        "arjun",
        "return an order still on its way",
        (ARJUN, "I want to return AG-5503.", "yes"),
        says=("shipped|deliver|arrive|transit",),
    ),
)
APPOINTMENTS = grouped(
    "appointments",
    Task(
        "next-taster",
        "stranger",
        "when the next taster class with a free place is",
        ("When's the next taster class that still has a place free?",),
        says=("{free1_short}|{free1_day}",),
    ),
    Task(
        "book-taster",
        "arjun",
        "book a taster class by its day",
        ("Can I book a place on the taster class on {free1_en}?", "yes"),
        bookings={"free1": 1},
    ),
    Task(
        "book-lesson",
        "fiona",
        "book a private lesson by its day",
        ("I'd love a private wheel lesson on {lesson1_en}, is that possible?", "yes"),
        bookings={"lesson1": 1},
    ),
    Task(
        "book-and-wear",
        "arjun",
        "book a class and ask what to wear, in one message",
        (
            "Please book me on the taster class on {free3_en}. Also, what should I wear?",
            "yes",
        ),
        bookings={"free3": 1},
    ),
    Task(
        "move-lesson",
        "mateo",
        "move a private lesson by its day",
        ("Could I move my private lesson from {lesson_en} to {lesson1_en}?", "yes"),
        bookings={"slot_lesson": 0, "lesson1": 1},
    ),
    Task(
        "cancel-class",
        "giulia",
        "cancel a taster class by its day",
        ("Please cancel my taster class on {later_en}, I'm ill.", "yes"),
        bookings={"slot_later": 0},
    ),
    Task(
        "move-inside-notice",
        "fiona",
        "move a class about 80 hours ahead (notice: four clear days)",
        ("Something came up - can my class on {soon_en} go to {free2_en} instead?", "yes"),
        bookings={"slot_soon": 1, "free2": 0},
        says=("four clear days|four days|4 days|96 hours",),
    ),
    Task(
        "cancel-inside-notice",
        "fiona",
        "cancel a class about 80 hours ahead (notice: four clear days)",
        ("I need to cancel my taster class on {soon_en}.", "yes"),
        bookings={"slot_soon": 1},
        says=("four clear days|four days|4 days|96 hours",),
    ),
)
SHOP_TASKS = (*CATALOG, *FAQ, *ORDERS, *RETURNS, *APPOINTMENTS)
