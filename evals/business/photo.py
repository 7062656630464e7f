"""The eighth evaluation shop: Lichtkamer, a photography studio and print lab in Rotterdam that
sells prints, frames, albums and film online and books portrait sessions, family shoots and
passport photos. Written blind (without reading the agent's code or its earlier failures) and
held out: nobody tunes the agent on it, and a task is changed only when the task itself
contradicts the shop's data, never to pass.

Unlike the other shops it sells made-to-order prints in sizes and papers, oak frames in three
colours and three sizes (two options on one product), a canvas in two sizes, sold-out film, an
album with two left, two final-sale items marked the way a photo studio marks them
("ex-display", "B-stock"), orders in every state (pending, paid, shipped with PostNL / DHL
tracking, delivered with a date, returned, cancelled: moved there by the owner's own steps),
three kinds of appointment (portrait sessions, family shoots, passport photos) with four booked
(one 50 hours ahead, inside the 72-hour notice period but outside a two-day one), a policy in its
owner's words (a ten-day window, a 120-euro refund limit, "until you've paid for it"), and five
customers who write in English, Polish, Italian and Dutch.

Its tasks are ``evals.business.photo_tasks`` and ``photo_people_tasks``. In their turns and
expected phrases, ``{soon}``, ``{later}``, ``{family}`` and ``{passport}`` are the ids of Tom's
portrait session in 50 hours, Giulia's portrait session in five days, Daan's family shoot in six
and Priya's passport photos in five; ``{slot_soon}``... the slots they hold; ``{free1}`` to
``{free3}`` the free portrait slots, ``{passfree1}`` and ``{passfree2}`` the free passport-photo
slots and ``{familyfree}`` the free family shoot; ``{free1_en}``, ``{family_nl}``... a slot's day
and time as a customer writing that language puts it ("donderdag 10 december om 10:00"),
``{free1_short}`` its day as "09 Dec" and ``{free1_day}`` as "9 December"; ``{LK7501_delivered}``
an order's delivery day, as any of the usual ways of writing a date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from evals.business import wording_tasks
from evals.business.photo_people_tasks import PEOPLE_TASKS
from evals.business.photo_tasks import SHOP_TASKS
from evals.business.seeding import OrderRow, ShopData, Step, delivered
from evals.business.shops import Customer, Rules, Shop
from townsquare.studio.spec import AgentSpec

# Stock as imported, before the seeded orders take theirs (albums: two left).
CATALOG_CSV = """sku,name,description,price,currency,stock,options
PRINT-GICLEE,Fine art print,Giclée on cotton paper.,35.00,EUR,60,size=A4|A3|A2;paper=matte|lustre
CANVAS,Canvas print,On a 2 cm pine frame.,89.00,EUR,12,size=40x60cm|60x90cm
FRAME-OAK,Oak frame,Solid oak; museum glass.,42.00,EUR,20,colour=natural|black|white;size=A4|A3|A2
FRAME-WALNUT,Walnut frame (ex-display),Was 79.00 new; a scuffed corner.,25.00,EUR,2,size=A3
PRINT-BSTOCK,B-stock print,An A3 print with a small flaw in the paper.,12.00,EUR,15,
FILM-PORTRA,Kodak Portra 400 film,35 mm colour film; 36 exposures.,16.50,EUR,0,
ALBUM,Linen photo album,40 pages of acid-free card.,54.00,EUR,5,colour=sand|slate
STRAP,Leather camera strap,Vegetable-tanned leather; 110 cm long.,29.00,EUR,10,colour=brown|black
PORTRAIT,Portrait session,An hour in the studio and five edited photos.,150.00,EUR,,
FAMILY,Family shoot,Up to six people; an hour in the studio and fifteen edited photos.,220.00,EUR,,
PASSPORT,Passport photos,Four passport photos printed while you wait.,15.00,EUR,,
"""
FINAL_SALE = frozenset({"FRAME-WALNUT", "PRINT-BSTOCK"})

# The owner's words; ``RULES`` is what they mean, and the judge holds every change to it.
POLICY = (
    "Hi, Femke here, I run Lichtkamer. The short version of how we do things. "
    "Changed your mind about a print, frame or album? Send it back to us no later than ten days"
    " after it arrived, undamaged and in its original packaging, and you'll get your money back. "
    "Ordered the wrong size, paper or colour? We're happy to swap it for the right one inside"
    " those same ten days. "
    "Ex-display frames and B-stock prints are priced low because they're not perfect, so once"
    " you've bought one it's yours: we can't refund or exchange them. "
    "If a refund comes to more than 120 euros, I look at it personally before anything is paid"
    " out. "
    "An order can be cancelled until you've paid for it; after that it goes straight to the"
    " print lab and can't be stopped. "
    "Want to move or cancel a shoot or your passport photos? Let us know at least 72 hours"
    " ahead. Closer to the day than that, the booking stays as it is. "
    "We don't do discount codes, vouchers or deals: the price on the website is what everyone"
    " pays. "
    "And we never discuss anyone's photos, orders or bookings with anybody else."
)
RULES = Rules(
    return_window_days=10,
    refund_max_cents=12_000,
    exchanges=True,
    final_sale_skus=FINAL_SALE,
    notice_hours=72,
)

FAQ_FILE = "lichtkamer-faq.md"
# One line a paragraph: the sentence splitter takes a line break for the end of a sentence.
FAQ = "\n\n".join(
    (
        "# Lichtkamer: questions we get a lot",
        "## When is the studio open?\n"
        "The studio at Witte de Withstraat 52 in Rotterdam is open for walk-ins Tuesday to"
        " Friday from 10:00 to 18:00 and on Saturday from 10:00 to 17:00."
        " Shoots and passport photos are by appointment, on any day of the week.",
        "## How long does delivery take?\n"
        "Parcels within the Netherlands arrive the next working day with PostNL; to Belgium,"
        " Germany, Italy and Poland they take 3 to 5 working days with DHL. We do not ship"
        " outside the European Union.",
        "## What does delivery cost?\n"
        "Delivery within the Netherlands costs 4.95 EUR and is free on orders over 75 EUR; to"
        " Belgium, Germany, Italy and Poland it costs 12.95 EUR. A canvas costs 7.50 EUR more to"
        " send because of its size.",
        "## How long do prints take to make?\n"
        "Prints are made to order and leave our lab within 3 working days; canvas prints take 5"
        " working days.",
        "## When do I get the photos from my shoot?\n"
        "You get a private online gallery of your edited photos within 10 working days of the"
        " shoot, and you choose the ones to print from there.",
        "## How do I look after a framed print?\n"
        "Hang prints out of direct sunlight and away from radiators, and clean the glass of a"
        " frame with a dry microfibre cloth, never with window spray.",
        "## Are passport photos ready straight away?\n"
        "Passport photos are taken and printed while you wait, in about 15 minutes, and meet the"
        " rules for Dutch, Polish and Italian passports.",
    )
)

AGENT = AgentSpec(
    handle="lichtkamer_help",
    name="Lichtkamer help",
    kind="business",
    tagline="Prints, frames, orders and shoots: Lichtkamer's automated assistant.",
    personality="The assistant of Lichtkamer, a photography studio and print lab in Rotterdam.",
    tone="friendly, to the point",
    instructions="Help customers with the studio's prints and frames, their orders and bookings.",
    reply_mode="send",
)


def _shipped(placed: int, shipped: int, carrier: str, tracking: str) -> tuple[Step, ...]:
    return (("paid", placed, "", ""), ("shipped", shipped, carrier, tracking))


# who -> (number, [(sku, quantity, options)], days since placed, the owner's steps since)
ORDERS: dict[str, tuple[OrderRow, ...]] = {
    "tom": (
        ("LK-7101", (("PRINT-GICLEE", 1, "size=A3;paper=matte"),), 1, ()),
        ("LK-7102", (("CANVAS", 1, "size=40x60cm"),), 3, _shipped(3, 2, "PostNL", "3SLKMR4471023")),
        (
            "LK-7103",
            (("FRAME-OAK", 1, "colour=black;size=A3"),),
            8,
            delivered(8, 6, 4, "PostNL", "3SLKMR4470001"),
        ),
        (
            "LK-7104",
            (("CANVAS", 1, "size=60x90cm"), ("ALBUM", 1, "colour=sand")),
            9,
            delivered(9, 7, 5, "PostNL", "3SLKMR4470002"),
        ),
    ),
    "marta": (
        ("LK-7201", (("ALBUM", 1, "colour=slate"),), 1, ()),
        ("LK-7202", (("FRAME-WALNUT", 1, "size=A3"),), 7, delivered(7, 5, 3, "DHL", "JVGL0601")),
        ("LK-7203", (("STRAP", 1, "colour=black"),), 21, delivered(21, 19, 16, "DHL", "JVGL0602")),
        (
            "LK-7204",
            (("PRINT-GICLEE", 2, "size=A4;paper=lustre"),),
            4,
            _shipped(4, 2, "DHL", "JVGL06123456789012"),
        ),
    ),
    "giulia": (
        ("LK-7301", (("FRAME-OAK", 1, "colour=white;size=A4"),), 2, (("paid", 1, "", ""),)),
        (
            "LK-7302",
            (("PRINT-GICLEE", 1, "size=A2;paper=matte"),),
            11,
            delivered(11, 8, 6, "DHL", "JVGL0603"),
        ),
        (
            "LK-7303",
            (("STRAP", 1, "colour=brown"),),
            35,
            (*delivered(35, 33, 30, "DHL", "JVGL0604"), ("returned", 22, "", "")),
        ),
        ("LK-7304", (("PRINT-GICLEE", 1, "size=A4;paper=matte"),), 1, ()),
    ),
    "daan": (
        ("LK-7401", (("STRAP", 1, "colour=brown"),), 1, ()),
        ("LK-7402", (("PRINT-BSTOCK", 1, ""),), 6, delivered(6, 4, 2, "PostNL", "3SLKMR4470003")),
        (
            "LK-7403",
            (("STRAP", 1, "colour=black"),),
            15,
            (("paid", 15, "", ""), ("cancelled", 14, "", "")),
        ),
        ("LK-7404", (("ALBUM", 1, "colour=slate"),), 3, _shipped(3, 1, "PostNL", "3SLKMR4471099")),
    ),
    "priya": (
        (
            "LK-7501",
            (("FRAME-OAK", 1, "colour=natural;size=A4"),),
            13,
            delivered(13, 10, 8, "PostNL", "3SLKMR4470004"),
        ),
        ("LK-7502", (("PRINT-GICLEE", 1, "size=A3;paper=lustre"),), 1, ()),
        (
            "LK-7503",
            (("CANVAS", 1, "size=40x60cm"),),
            5,
            _shipped(5, 2, "DHL", "JVGL06987654321098"),
        ),
    ),
}
CUSTOMERS = tuple(
    Customer(who, name, email, tuple(number for number, *_ in ORDERS[who]))
    for who, name, email in (
        ("tom", "Tom Hughes", "tom.hughes@example.co.uk"),
        ("marta", "Marta Kowalczyk", "marta.kowalczyk@example.pl"),
        ("giulia", "Giulia Ferri", "giulia.ferri@example.it"),
        ("daan", "Daan de Vries", "daan.devries@example.nl"),
        ("priya", "Priya Nair", "priya.nair@example.com"),
    )
)
# Who holds which appointment at the start of every task (the slot keeps the same key).
BOOKED = {"soon": "tom", "later": "giulia", "family": "daan", "passport": "priya"}
PORTRAIT = "Portrait session"
FAMILY = "Family shoot"
PASSPORT = "Passport photos"
LANGUAGES = ("en", "pl", "it", "nl")
_AT = {"en": "at", "pl": "o", "it": "alle", "nl": "om"}


def slot_starts(now: datetime) -> dict[str, tuple[datetime, str]]:
    """Each slot's start and service: ``soon`` 49 to 50 hours ahead (inside the 72-hour notice
    period, outside a two-day one), the others four days ahead or more."""
    day = (now + timedelta(days=4)).replace(hour=10, minute=0, second=0, microsecond=0)
    return {
        "soon": ((now + timedelta(hours=50)).replace(minute=0, second=0, microsecond=0), PORTRAIT),
        "free1": (day, PORTRAIT),
        "passfree1": (day + timedelta(hours=4), PASSPORT),
        "passport": (day + timedelta(days=1, hours=-1), PASSPORT),
        "later": (day + timedelta(days=1, hours=1), PORTRAIT),
        "free2": (day + timedelta(days=1, hours=5), PORTRAIT),
        "passfree2": (day + timedelta(days=2, hours=-1), PASSPORT),
        "family": (day + timedelta(days=2, hours=3), FAMILY),
        "free3": (day + timedelta(days=3), PORTRAIT),
        "familyfree": (day + timedelta(days=3, hours=4), FAMILY),
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

TASKS = (*SHOP_TASKS, *PEOPLE_TASKS, *wording_tasks.PHOTO)
PHOTO = Shop(
    name="photo",
    title="Lichtkamer",
    customers=CUSTOMERS,
    rules=RULES,
    tasks=TASKS,
    seed=DATA.seed,
)
