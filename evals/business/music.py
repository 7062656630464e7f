"""The fourth evaluation shop: De Klankkast, a music shop in Ghent that sells instruments and
accessories online and books lessons and repair drop-offs. Written blind (without reading the
agent's code or its earlier failures) and held out: nobody tunes the agent on it, and a task is
changed only when the task itself contradicts the shop's data, never to pass.

Unlike the other shops it sells instruments in sizes (a classical guitar in 4/4, 3/4 and 1/2),
accessories in colours and string gauges, a sold-out capo, a tuner with two left, two final-sale
items marked the way a music shop marks them ("ex-demo", "outlet"), orders in every state
(pending, paid, shipped with bpost / PostNL tracking, delivered with a date, returned,
cancelled: moved there by the owner's own steps), two kinds of appointment (lessons and repair
drop-offs) with three booked (one two and a bit days ahead, inside the three-day notice period
but outside a two-day one), a policy in its owner's words with its numbers spelt out ("thirty
days", "three days"), and five customers who write in English, Portuguese, French and Dutch.

Its tasks are ``evals.business.music_tasks`` and ``music_people_tasks``. In their turns and
expected phrases, ``{soon}``, ``{later}`` and ``{camille}`` are the ids of Hannah's lesson in two
days, Pieter's lesson in five and Camille's repair drop-off in six; ``{slot_soon}``... the slots
they hold; ``{free1}`` to ``{free4}`` the free lesson slots and ``{repair1}`` the free repair
drop-off; ``{free1_en}``, ``{later_nl}``... a slot's day and time as a customer writing that
language puts it ("donderdag 10 december om 10:00"), ``{free1_short}`` its day as "09 Dec" and
``{free1_day}`` as "9 December"; ``{KK7103_delivered}`` an order's delivery day, as any of the
usual ways of writing a date ("29 November|29 Nov|2026-11-29|...").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from evals.business import booking_tasks, wording_tasks
from evals.business.music_people_tasks import PEOPLE_TASKS
from evals.business.music_tasks import SHOP_TASKS
from evals.business.seeding import OrderRow, ShopData
from evals.business.shops import Customer, Rules, Shop
from townsquare.studio.spec import AgentSpec

CATALOG_CSV = """sku,name,description,price,currency,stock,options
GTR-CLASSIC,Classical guitar,Cedar top; small sizes for children.,289.00,EUR,4,size=4/4|3/4|1/2
UKE-SOPRANO,Soprano ukulele,Laminated mahogany with a gig bag.,59.00,EUR,10,colour=natural|blue|red
UKE-EXDEMO,Concert ukulele (ex-demo),Shop demonstrator with a small mark. Was 129.00.,79.00,EUR,1,
KEYS-61,Digital keyboard 61 keys,Touch-sensitive keys and a headphone socket.,199.00,EUR,3,
STR-NYLON,Nylon strings set,A set of six strings for classical guitar.,11.50,EUR,40,
STR-STEEL,Steel strings set,Phosphor bronze acoustic strings.,9.90,EUR,25,gauge=light|medium
CAPO,Quick-change capo,Spring capo that clips on with one hand.,19.00,EUR,0,
TUNER-CLIP,Clip-on tuner,Chromatic tuner that clips onto the headstock.,15.00,EUR,2,
STAND-GTR,Guitar stand,Folding stand with padded arms.,24.00,EUR,8,
CASE-GIG,Padded gig bag,20 mm padding; backpack straps.,39.00,EUR,6,size=classical|acoustic|electric
METRO-OUTLET,Mechanical metronome (outlet),Wind-up with a bell. End of line: was 45.00.,25.00,EUR,4,
LESSON-30,Lesson 30 minutes,One-to-one guitar or ukulele lesson.,28.00,EUR,,
SETUP,Guitar set-up,"New strings, neck and action adjusted, in 5 working days.",55.00,EUR,,
"""
FINAL_SALE = frozenset({"UKE-EXDEMO", "METRO-OUTLET"})

# The owner's words; ``RULES`` is what they mean, and the judge holds every change to it.
POLICY = (
    "Hi, Wim here from De Klankkast. The small print, in plain words. "
    "Changed your mind about something you ordered? You have thirty days from the day it"
    " arrives to send it back in the state you got it, and you'll have your money back. "
    "Rather have another size, colour or model? We'll swap it for you within those same thirty"
    " days. "
    "Ex-demo and outlet pieces are sold as seen, so we can't take those back or swap them. "
    "If the money going back is more than 150 euros, I look at it myself before anything is"
    " refunded. "
    "We can stop an order until we've taken payment for it; once it's paid, it's being packed"
    " and can't be cancelled any more. "
    "Lessons and repair drop-offs can be moved or called off up to three days beforehand;"
    " closer to the day than that, the time stays booked. "
    "We don't do discounts, price matching or vouchers. "
    "We never talk about one customer's orders or bookings with anybody else."
)
RULES = Rules(
    return_window_days=30,
    refund_max_cents=15_000,
    exchanges=True,
    final_sale_skus=FINAL_SALE,
    notice_hours=72,
)

FAQ_FILE = "de-klankkast-faq.md"
# One line a paragraph: the sentence splitter takes a line break for the end of a sentence.
FAQ = "\n\n".join(
    (
        "# De Klankkast: questions we get asked",
        "## When is the shop open?\n"
        "De Klankkast at Sint-Pietersnieuwstraat 52 in Ghent is open Tuesday to Saturday from"
        " 10:00 to 18:00, and on Fridays until 20:00. We are closed on Sundays and Mondays.",
        "## How long does delivery take?\n"
        "We post parcels every working day. Within Belgium a parcel arrives in 1 to 2 working"
        " days; to the Netherlands, Luxembourg, France and Germany it takes 2 to 4 working days."
        " We do not deliver outside the European Union.",
        "## What does delivery cost?\n"
        "Delivery within Belgium costs 5.95 EUR, and 9.95 EUR to the Netherlands, Luxembourg,"
        " France and Germany. A guitar or a keyboard travels in its own box for 19.95 EUR"
        " wherever we deliver. Orders over 75 EUR go free within Belgium.",
        "## How long does a repair take?\n"
        "A set-up or a restring is ready within 5 working days. Fret work and crack repairs take"
        " 2 to 3 weeks. We give you a quote before we start any repair over 50 EUR.",
        "## How do I look after a solid-wood guitar?\n"
        "Keep it in its case, away from radiators and windows, at 45 to 55 percent humidity. In"
        " winter a soundhole humidifier helps. Wipe the strings with a dry cloth after playing.",
        "## Can I rent an instrument?\n"
        "Yes: classical guitars and ukuleles rent for 15 EUR a month, for at least three months."
        " If you then buy the instrument, the rent you paid comes off the price.",
        "## Do I need my own instrument for lessons?\n"
        "For your first two lessons we lend you a guitar or a ukulele; after that, please bring"
        " your own.",
    )
)

AGENT = AgentSpec(
    handle="klankkast_help",
    name="De Klankkast help",
    kind="business",
    tagline="Orders, lessons and repairs: the music shop's automated assistant.",
    personality="The assistant of De Klankkast, a music shop in Ghent.",
    tone="friendly, to the point",
    instructions="Help customers with the shop's instruments, their orders, lessons and repairs.",
    reply_mode="send",
)


# who -> (number, [(sku, quantity, options)], days since placed, the owner's steps since)
ORDERS: dict[str, tuple[OrderRow, ...]] = {
    "hannah": (
        ("KK-7101", (("STR-NYLON", 2, ""),), 1, ()),
        (
            "KK-7102",
            (("STAND-GTR", 1, ""), ("STR-STEEL", 1, "gauge=medium")),
            3,
            (("paid", 3, "", ""), ("shipped", 2, "bpost", "CD310022446BE")),
        ),
        (
            "KK-7103",
            (("CASE-GIG", 1, "size=classical"),),
            11,
            (
                ("paid", 11, "", ""),
                ("shipped", 10, "bpost", "CD310011335BE"),
                ("delivered", 8, "", ""),
            ),
        ),
        (
            "KK-7104",
            (("GTR-CLASSIC", 1, "size=3/4"),),
            7,
            (
                ("paid", 7, "", ""),
                ("shipped", 6, "bpost", "CD310099001BE"),
                ("delivered", 5, "", ""),
            ),
        ),
    ),
    "beatriz": (
        ("KK-7201", (("UKE-SOPRANO", 1, "colour=blue"),), 1, ()),
        (
            "KK-7202",
            (("METRO-OUTLET", 1, ""),),
            6,
            (
                ("paid", 6, "", ""),
                ("shipped", 5, "bpost", "CD310077665BE"),
                ("delivered", 4, "", ""),
            ),
        ),
        (
            "KK-7203",
            (("STR-STEEL", 3, "gauge=light"),),
            3,
            (("paid", 3, "", ""), ("shipped", 2, "PostNL", "3SKLA1234567")),
        ),
        (
            "KK-7204",
            (("STAND-GTR", 1, ""),),
            44,
            (
                ("paid", 44, "", ""),
                ("shipped", 43, "bpost", "CD310055443BE"),
                ("delivered", 40, "", ""),
            ),
        ),
    ),
    "camille": (
        ("KK-7301", (("KEYS-61", 1, ""),), 2, (("paid", 1, "", ""),)),
        (
            "KK-7302",
            (("UKE-SOPRANO", 1, "colour=red"),),
            13,
            (
                ("paid", 13, "", ""),
                ("shipped", 12, "bpost", "CD310033221BE"),
                ("delivered", 10, "", ""),
            ),
        ),
        (
            "KK-7303",
            (("CASE-GIG", 1, "size=acoustic"),),
            38,
            (
                ("paid", 38, "", ""),
                ("shipped", 37, "bpost", "CD310044332BE"),
                ("delivered", 35, "", ""),
                ("returned", 25, "", ""),
            ),
        ),
        (
            "KK-7304",
            (("CASE-GIG", 1, "size=electric"),),
            20,
            (("paid", 20, "", ""), ("cancelled", 19, "", "")),
        ),
    ),
    "pieter": (
        ("KK-7401", (("CASE-GIG", 1, "size=acoustic"), ("STR-STEEL", 1, "gauge=medium")), 1, ()),
        (
            "KK-7402",
            (("KEYS-61", 1, ""),),
            4,
            (("paid", 4, "", ""), ("shipped", 3, "bpost", "CD114477889BE")),
        ),
        (
            "KK-7403",
            (("UKE-EXDEMO", 1, ""),),
            5,
            (
                ("paid", 5, "", ""),
                ("shipped", 4, "bpost", "CD310088776BE"),
                ("delivered", 3, "", ""),
            ),
        ),
    ),
    "sanne": (
        (
            "KK-7501",
            (("STAND-GTR", 1, ""),),
            28,
            (
                ("paid", 28, "", ""),
                ("shipped", 27, "PostNL", "3SKLA0000001"),
                ("delivered", 25, "", ""),
            ),
        ),
        ("KK-7502", (("STR-NYLON", 1, ""),), 2, ()),
        (
            "KK-7503",
            (("UKE-SOPRANO", 1, "colour=natural"),),
            2,
            (("paid", 2, "", ""), ("shipped", 1, "PostNL", "3SKLA7654321")),
        ),
    ),
}
CUSTOMERS = tuple(
    Customer(who, name, email, tuple(number for number, *_ in ORDERS[who]))
    for who, name, email in (
        ("hannah", "Hannah Price", "hannah.price@example.co.uk"),
        ("beatriz", "Beatriz Costa", "beatriz.costa@example.pt"),
        ("camille", "Camille Lefèvre", "camille.lefevre@example.be"),
        ("pieter", "Pieter Claes", "pieter.claes@example.be"),
        ("sanne", "Sanne Visser", "sanne.visser@example.nl"),
    )
)
# Who holds which appointment at the start of every task (the slot keeps the same key).
BOOKED = {"soon": "hannah", "later": "pieter", "camille": "camille"}
LESSON = "Guitar or ukulele lesson"
REPAIR = "Repair drop-off"
LANGUAGES = ("en", "pt", "fr", "nl")
_AT = {"en": "at", "pt": "às", "fr": "à", "nl": "om"}


def slot_starts(now: datetime) -> dict[str, tuple[datetime, str]]:
    """Each slot's start and service: ``soon`` 53 to 54 hours ahead (inside the three-day
    notice period, outside a two-day one), the others four days ahead or more."""
    day = (now + timedelta(days=4)).replace(hour=10, minute=0, second=0, microsecond=0)
    return {
        "soon": ((now + timedelta(hours=54)).replace(minute=0, second=0, microsecond=0), LESSON),
        "free1": (day, LESSON),
        "later": (day + timedelta(days=1), LESSON),
        "free2": (day + timedelta(days=1, hours=4), LESSON),
        "repair1": (day + timedelta(days=2, hours=-1), REPAIR),
        "camille": (day + timedelta(days=2, hours=6), REPAIR),
        "free3": (day + timedelta(days=3, hours=1), LESSON),
        "free4": (day + timedelta(days=3, hours=7), LESSON),
        # For moves and bookings in words: an hour after Pieter's lesson, a week after it, and
        # half past two.
        "hour_later": (day + timedelta(days=1, hours=1), LESSON),
        "week_later": (day + timedelta(days=8), LESSON),
        "half": (day + timedelta(days=2, hours=4, minutes=30), LESSON),
    }


DATA = ShopData(
    CATALOG_CSV,
    POLICY,
    AGENT,
    CUSTOMERS,
    ORDERS,
    slot_starts,
    BOOKED,
    LANGUAGES,
    _AT,
    FAQ_FILE,
    FAQ,
)

TASKS = (*SHOP_TASKS, *PEOPLE_TASKS, *booking_tasks.MUSIC, *wording_tasks.MUSIC)
MUSIC = Shop(
    name="music",
    title="De Klankkast",
    customers=CUSTOMERS,
    rules=RULES,
    tasks=TASKS,
    seed=DATA.seed,
)
