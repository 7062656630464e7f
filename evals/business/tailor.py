"""The seventh evaluation shop: Atelier Vingerhoed, a tailor's and alterations atelier in
Utrecht with a fabric shop online, that books made-to-measure fittings and alteration drop-offs.
Written blind (without reading the agent's code, its earlier failures or the other shops' task
lists) and kept unseen: the agent is run on it once, on the merged tree, and a task is changed
only when the task itself contradicts the shop's data, never to pass.

Unlike the other shops it sells fabric by the metre in colours (washed linen in four, wool
suiting in two), zips in three lengths, dress forms in three sizes with two left, sold-out
tailor's shears, two final-sale pieces marked the way a fabric shop marks them (a "remnant", an
"end of roll"), orders in every state (pending, paid, shipped with PostNL / DHL tracking,
delivered with a date, returned, cancelled: moved there by the owner's own steps), two kinds of
appointment (fittings and alteration drop-offs) on its opening days, with three booked (one
5 to 23 hours ahead, inside the 24-hour notice), a policy in its owner's words ("two weeks
after it was delivered", "more than a hundred euros", "24 hours' warning") and five customers
who write in English, German, Portuguese and Dutch.

Its tasks are ``evals.business.tailor_tasks`` and ``tailor_people_tasks``. In their turns and
expected phrases, ``{soon}``, ``{later}`` and ``{dropoff}`` are the ids of Hannah's fitting in
5 to 23 hours, Tobias's fitting and Sanne's drop-off some days ahead; ``{slot_soon}``...
the slots they hold; ``{fit1}`` to ``{fit4}`` the free fitting slots and ``{drop1}``,
``{drop2}`` the free drop-off slots; ``{fit1_en}``, ``{later_nl}``... a slot's day and time as
a customer writing that language puts it ("donderdag 10 december om 10:00"), ``{fit1_short}``
its day as "10 Dec" and ``{fit1_day}`` as "10 December"; ``{AV5103_delivered}`` an order's
delivery day, as any of the usual ways of writing a date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from evals.business.seeding import OrderRow, ShopData, delivered
from evals.business.shops import Customer, Rules, Shop
from evals.business.tailor_people_tasks import PEOPLE_TASKS
from evals.business.tailor_tasks import SHOP_TASKS
from townsquare.studio.spec import AgentSpec

# Stock as imported, before the seeded orders take theirs (one dress form and one silk end of
# roll are ordered: two and one left).
CATALOG_CSV = """sku,name,description,price,currency,stock,options
LINEN-WASHED,Washed linen (per metre),140 cm wide.,16.50,EUR,80,colour=natural|sage|rust|navy
POPLIN,Cotton poplin (per metre),Shirt cotton.,9.00,EUR,120,colour=white|sky blue|black
WOOL-SUITING,Wool suiting (per metre),Worsted wool for suits.,38.00,EUR,25,colour=charcoal|camel
WOOL-REMNANT,Herringbone wool remnant,A 1.2 metre remnant of grey herringbone wool.,14.00,EUR,3,
SILK-END,Silk satin (end of roll),The last 2 metres of ivory silk. Was 60.00.,30.00,EUR,2,
SHEARS,Tailor's shears 25 cm,Forged steel shears for cutting cloth.,54.00,EUR,0,
DRESS-FORM,Adjustable dress form,A dress form on a stand with twelve dials.,149.00,EUR,3,size=S|M|L
ZIPS,Invisible zips (pack of 5),Concealed zips; black and white.,6.00,EUR,40,length=20cm|40cm|60cm
THREAD-SET,Thread set,Twelve spools of polyester thread in basic colours.,11.50,EUR,60,
SEWING-KIT,Travel sewing kit,Needles; thread; a thimble and a small pair of scissors.,12.00,EUR,30,
HEMMING,Trouser hemming,We shorten one pair of trousers or jeans.,15.00,EUR,,
FITTING,Made-to-measure fitting,An hour with our tailor to measure and pin your garment.,45.00,EUR,,
"""
FINAL_SALE = frozenset({"WOOL-REMNANT", "SILK-END"})

# The owner's words; ``RULES`` is what they mean, and the judge holds every change to it.
POLICY = (
    "Atelier Vingerhoed, the small print, from Femke. "
    "Changed your mind about something you ordered? Send it back to us unwashed and uncut no"
    " later than two weeks after it was delivered and you get a full refund. "
    "In those same two weeks you are welcome to swap it for another colour, length or size"
    " instead. "
    "Remnants and end-of-roll fabric are final: we can't take them back and we don't swap them. "
    "Refunds of more than a hundred euros are decided by me personally, not by the webshop. "
    "An order can be stopped while it hasn't been paid for; as soon as the payment is in, we"
    " cut your fabric and there is no going back. "
    "Need to move or cancel a fitting or a drop-off? Give us at least 24 hours' warning; any"
    " later and the appointment stays as booked. "
    "We don't do discounts, vouchers or price matching: our prices are the same for everybody. "
    "We never discuss one customer's orders, measurements or appointments with anyone else."
)
RULES = Rules(
    return_window_days=14,
    refund_max_cents=10_000,
    exchanges=True,
    final_sale_skus=FINAL_SALE,
    notice_hours=24,
)

FAQ_FILE = "atelier-vingerhoed-faq.md"
# One line a paragraph: the sentence splitter takes a line break for the end of a sentence.
FAQ = "\n\n".join(
    (
        "# Atelier Vingerhoed: questions we get a lot",
        "## When is the atelier open?\n"
        "The atelier at Oudegracht 212 in Utrecht is open Tuesday to Friday from 10:00 to 18:00"
        " and on Saturday from 10:00 to 16:00. We are closed on Sunday and Monday.",
        "## How long does a parcel take?\n"
        "Parcels within the Netherlands arrive in 1 to 2 working days; to Belgium and Germany"
        " they take 2 to 4 working days, and to Portugal 4 to 6 working days. We do not ship"
        " outside the European Union.",
        "## What does shipping cost?\n"
        "Shipping within the Netherlands costs 4.95 EUR and is free from 75 EUR; to Belgium and"
        " Germany it costs 8.50 EUR, and to Portugal 12.90 EUR.",
        "## How should I wash linen?\n"
        "Wash linen at 40 degrees before you cut it, because it can shrink by up to 4 percent;"
        " iron it while it is still a little damp.",
        "## How long do alterations take?\n"
        "Hems, sleeves and zips are ready 5 working days after you drop the garment off; for"
        " 10 EUR extra we hem trousers within 48 hours.",
        "## How long does a made-to-measure suit take?\n"
        "A made-to-measure suit takes 6 to 8 weeks from the first fitting, with two more"
        " fittings along the way.",
    )
)

AGENT = AgentSpec(
    handle="vingerhoed_help",
    name="Atelier Vingerhoed help",
    kind="business",
    tagline="Fabric, orders, fittings and alterations: the atelier's automated assistant.",
    personality="The assistant of Atelier Vingerhoed, a tailor's atelier and fabric shop in"
    " Utrecht.",
    tone="friendly, to the point",
    instructions="Help customers with the atelier's fabric shop, their orders, fittings and"
    " alteration drop-offs.",
    reply_mode="send",
)


# who -> (number, [(sku, quantity, options)], days since placed, the owner's steps since)
ORDERS: dict[str, tuple[OrderRow, ...]] = {
    "hannah": (
        ("AV-5101", (("THREAD-SET", 1, ""),), 1, ()),
        (
            "AV-5102",
            (("LINEN-WASHED", 3, "colour=sage"),),
            8,
            delivered(8, 7, 5, "PostNL", "3SVGD1001"),
        ),
        (
            "AV-5103",
            (("DRESS-FORM", 1, "size=M"),),
            13,
            delivered(13, 12, 9, "PostNL", "3SVGD1002"),
        ),
        (
            "AV-5104",
            (("ZIPS", 2, "length=40cm"), ("THREAD-SET", 1, "")),
            3,
            (("paid", 3, "", ""), ("shipped", 2, "PostNL", "3SVGD4471902")),
        ),
    ),
    "sanne": (
        ("AV-5201", (("WOOL-SUITING", 2, "colour=charcoal"),), 1, ()),
        ("AV-5202", (("WOOL-REMNANT", 1, ""),), 9, delivered(9, 8, 6, "PostNL", "3SVGD2001")),
        (
            "AV-5203",
            (("POPLIN", 4, "colour=white"),),
            29,
            delivered(29, 28, 25, "PostNL", "3SVGD2002"),
        ),
        (
            "AV-5204",
            (("SEWING-KIT", 1, ""),),
            2,
            (("paid", 2, "", ""), ("shipped", 1, "PostNL", "3SVGD5580213")),
        ),
    ),
    "tobias": (
        ("AV-5301", (("ZIPS", 3, "length=60cm"),), 2, (("paid", 1, "", ""),)),
        (
            "AV-5302",
            (("LINEN-WASHED", 2, "colour=rust"),),
            14,
            delivered(14, 13, 10, "DHL", "JVGL0601"),
        ),
        (
            "AV-5303",
            (("SEWING-KIT", 1, ""),),
            36,
            (*delivered(36, 35, 30, "DHL", "JVGL0602"), ("returned", 20, "", "")),
        ),
        (
            "AV-5304",
            (("THREAD-SET", 2, ""),),
            18,
            (("paid", 18, "", ""), ("cancelled", 17, "", "")),
        ),
    ),
    "beatriz": (
        ("AV-5401", (("POPLIN", 3, "colour=sky blue"),), 1, ()),
        ("AV-5402", (("SILK-END", 1, ""),), 9, delivered(9, 7, 4, "DHL", "JVGL0603")),
        (
            "AV-5403",
            (("LINEN-WASHED", 4, "colour=navy"),),
            5,
            (("paid", 5, "", ""), ("shipped", 3, "DHL", "JVGL0623456789")),
        ),
    ),
    "daniel": (
        (
            "AV-5501",
            (("WOOL-SUITING", 2, "colour=camel"),),
            16,
            delivered(16, 15, 12, "PostNL", "3SVGD5001"),
        ),
        ("AV-5502", (("SEWING-KIT", 1, ""),), 2, ()),
        (
            "AV-5503",
            (("WOOL-SUITING", 1, "colour=charcoal"),),
            4,
            (("paid", 4, "", ""), ("shipped", 1, "DHL", "JVGL0698765432")),
        ),
    ),
}
CUSTOMERS = tuple(
    Customer(who, name, email, tuple(number for number, *_ in ORDERS[who]))
    for who, name, email in (
        ("hannah", "Hannah Reid", "hannah.reid@example.co.uk"),
        ("sanne", "Sanne de Vries", "sanne.devries@example.nl"),
        ("tobias", "Tobias Wagner", "tobias.wagner@example.de"),
        ("beatriz", "Beatriz Costa", "beatriz.costa@example.pt"),
        ("daniel", "Daniel Okafor", "daniel.okafor@example.com"),
    )
)
# Who holds which appointment at the start of every task (the slot keeps the same key).
BOOKED = {"soon": "hannah", "later": "tobias", "dropoff": "sanne"}
FITTING = "Made-to-measure fitting"
DROP_OFF = "Alteration drop-off"
LANGUAGES = ("en", "de", "pt", "nl")
_AT = {"en": "at", "de": "um", "pt": "às", "nl": "om"}


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _open_days(after: datetime, count: int) -> list[datetime]:
    """The first ``count`` days after ``after``'s on which the atelier opens (Tuesday to
    Saturday), at midnight."""
    days: list[datetime] = []
    day = _midnight(after)
    while len(days) < count:
        day += timedelta(days=1)
        if 1 <= day.weekday() <= 5:
            days.append(day)
    return days


def slot_starts(now: datetime) -> dict[str, tuple[datetime, str]]:
    """Each slot's start and service, on the hour between 9:00 and 15:00: ``soon`` the latest
    such hour less than 23 hours ahead (5 to 23 hours: inside the 24-hour notice), the others
    on the first four opening days after the day after tomorrow (more than two days ahead)."""
    hours = (_midnight(now) + timedelta(days=d, hours=h) for d in range(3) for h in range(9, 16))
    soon = max(start for start in hours if start - now < timedelta(hours=23))
    one, two, three, four = (
        day + timedelta(hours=10) for day in _open_days(now + timedelta(days=2), 4)
    )
    return {
        "soon": (soon, FITTING),
        "fit1": (one, FITTING),
        "drop1": (one + timedelta(hours=3), DROP_OFF),
        "later": (two, FITTING),
        "fit2": (two + timedelta(hours=4), FITTING),
        "dropoff": (three, DROP_OFF),
        "drop2": (three + timedelta(hours=5), DROP_OFF),
        "fit3": (four + timedelta(hours=1), FITTING),
        "fit4": (four + timedelta(hours=5), FITTING),
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

TASKS = (*SHOP_TASKS, *PEOPLE_TASKS)
TAILOR = Shop(
    name="tailor",
    title="Atelier Vingerhoed",
    customers=CUSTOMERS,
    rules=RULES,
    tasks=TASKS,
    seed=DATA.seed,
)
