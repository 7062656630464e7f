"""The sixth evaluation shop: Atelier Galet, a ceramics studio in Nice that sells its pottery,
clay and tools online and books taster classes and private wheel lessons. Written blind
(without reading the agent's code or its earlier failures) and held out: nobody tunes the agent
on it, and a task is changed only when the task itself contradicts the shop's data, never to
pass.

Unlike the other shops it sells handmade pieces in glazes and sizes (a mug in three glazes, a
serving bowl in three diameters, an apron with a size and a colour), a sold-out tall vase, a
porcelain teapot with two left, two final-sale items marked the way a potter marks them
("seconds", "studio sale"), orders in every state (pending, paid, shipped with Colissimo /
Chronopost / DHL tracking, delivered with a date, returned, cancelled: moved there by the
owner's own steps), two kinds of appointment (taster classes and private wheel lessons) with
three booked (one about 80 hours ahead, inside the four-day notice period but outside a
three-day one), a policy in its owner's words ("a fortnight", "a hundred and twenty euros",
"four clear days"), and five customers who write in English, Italian, Spanish and French.

Its tasks are ``evals.business.ceramics_tasks`` and ``ceramics_people_tasks``. In their turns
and expected phrases, ``{soon}``, ``{later}`` and ``{lesson}`` are the ids of Fiona's taster
class in about 80 hours, Giulia's taster class in seven days and Mateo's private lesson in eight;
``{slot_soon}``... the slots they hold; ``{free1}`` to ``{free4}`` the free taster-class slots
and ``{lesson1}`` the free private lesson; ``{free1_en}``, ``{lesson_it}``... a slot's day and
time as a customer writing that language puts it ("giovedì 10 dicembre alle 10:00"),
``{free1_short}`` its day as "09 Dec" and ``{free1_day}`` as "9 December";
``{AG5103_delivered}`` an order's delivery day, as any of the usual ways of writing a date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from evals.business import booking_tasks, wording_tasks
from evals.business.ceramics_people_tasks import PEOPLE_TASKS
from evals.business.ceramics_tasks import SHOP_TASKS
from evals.business.seeding import OrderRow, ShopData, delivered
from evals.business.shops import Customer, Rules, Shop
from townsquare.studio.spec import AgentSpec

# Stock as imported, before the seeded orders take theirs (one teapot sold: two left).
CATALOG_CSV = """sku,name,description,price,currency,stock,options
MUG,Galet mug,Thrown stoneware mug; holds 350 ml.,28.00,EUR,24,glaze=sea green|sand|charcoal
BOWL,Serving bowl,Stoneware serving bowl with a matte unglazed rim.,62.00,EUR,10,size=20cm|26cm|32cm
PLATE,Dinner plate,A 26 cm stoneware plate.,34.00,EUR,30,glaze=sea green|sand
TEAPOT,Porcelain teapot,Hand-thrown porcelain teapot for 1 litre with a cane handle.,135.00,EUR,3,
VASE-TALL,Tall vase,A 40 cm vase in ash glaze.,110.00,EUR,0,
BOWL-SECONDS,Breakfast bowl (seconds),A bowl with small glaze flaws; fine to use.,12.00,EUR,20,
BUD-VASE-SALE,Bud vase (studio sale),A small bud vase in celadon. Was 38.00.,19.00,EUR,6,
CLAY,Stoneware clay 10 kg,Grogged buff stoneware clay for the wheel.,21.00,EUR,40,
TOOL-KIT,Pottery tool kit,Eight tools in a canvas roll.,24.00,EUR,15,
APRON,Linen apron,Linen apron; two pockets.,39.00,EUR,12,size=S/M|L/XL; colour=natural|rust
TASTER,Pottery taster class,An hour at the wheel in a group of six; we fire your piece.,55.00,EUR,,
WHEEL-LESSON,Private wheel lesson,An hour at the wheel alone with Élodie.,90.00,EUR,,
"""
FINAL_SALE = frozenset({"BOWL-SECONDS", "BUD-VASE-SALE"})

# The owner's words; ``RULES`` is what they mean, and the judge holds every change to it.
POLICY = (
    "Atelier Galet: how we do things (from Élodie). "
    "Changed your mind about a piece? Send it back to us unused and well wrapped no later than"
    " a fortnight after the parcel reached you, and you'll be refunded. "
    "Swapping it for another glaze, size or colour is fine too, inside that same fortnight. "
    "Seconds and anything from the studio sale are already marked down, so those are yours to"
    " keep: we don't take them back and we don't swap them. "
    "When a refund comes to more than a hundred and twenty euros, I look at it myself before"
    " anything is paid out. "
    "You can cancel an order right up until you pay for it; once the payment has gone through"
    " we wrap your pieces and the order can't be stopped. "
    "Want to move or cancel a taster class or a private lesson? Tell us four clear days"
    " beforehand. Any later and the booking stands as it is (you are welcome to send a friend"
    " in your place). "
    "We don't do discounts, promo codes or price matching; our prices are fair as they are. "
    "Your orders and bookings are nobody else's business, and we never talk about them with"
    " anyone but you."
)
RULES = Rules(
    return_window_days=14,
    refund_max_cents=12_000,
    exchanges=True,
    final_sale_skus=FINAL_SALE,
    notice_hours=96,
)

FAQ_FILE = "atelier-galet-faq.md"
# One line a paragraph: the sentence splitter takes a line break for the end of a sentence.
FAQ = "\n\n".join(
    (
        "# Atelier Galet: questions we get asked",
        "## When is the studio open?\n"
        "The studio at 7 rue Bonaparte in Nice is open Wednesday to Sunday from 10:00 to 18:30."
        " It is closed on Mondays and Tuesdays.",
        "## How long does delivery take within France, and what does it cost?\n"
        "Parcels within mainland France arrive in 2 to 4 working days and cost 7.50 EUR;"
        " orders over 90 EUR travel free.",
        "## Do you ship to Italy, Spain and the rest of Europe?\n"
        "Parcels to Italy, Spain, Belgium and Germany take 5 to 8 working days and cost 16 EUR."
        " We do not ship to Corsica, to Switzerland or anywhere outside the European Union.",
        "## Can the pottery go in the dishwasher?\n"
        "Our stoneware mugs, plates and bowls are safe in the dishwasher and the microwave. The"
        " porcelain teapot must be washed by hand because of its cane handle.",
        "## When can I collect what I made in a class?\n"
        "We trim, glaze and fire the pieces made in a taster class for you; they are ready to"
        " collect about four weeks after the class.",
        "## What should I wear to a class?\n"
        "Wear clothes that can get muddy and short nails; we lend aprons and towels.",
        "## Do you make custom dinner sets?\n"
        "We make dinner sets to order for homes and restaurants; allow 8 to 10 weeks from the"
        " deposit.",
    )
)

AGENT = AgentSpec(
    handle="galet_help",
    name="Atelier Galet help",
    kind="business",
    tagline="Pottery, orders and classes: the studio's automated assistant.",
    personality="The assistant of Atelier Galet, a ceramics studio in Nice.",
    tone="friendly, to the point",
    instructions="Help customers with the studio's pottery, their orders and their classes.",
    reply_mode="send",
)


# who -> (number, [(sku, quantity, options)], days since placed, the owner's steps since)
ORDERS: dict[str, tuple[OrderRow, ...]] = {
    "fiona": (
        ("AG-5101", (("MUG", 2, "glaze=sand"),), 1, ()),
        (
            "AG-5102",
            (("PLATE", 4, "glaze=sea green"),),
            4,
            (("paid", 4, "", ""), ("shipped", 2, "Colissimo", "6A21043577821")),
        ),
        ("AG-5103", (("BOWL", 1, "size=26cm"),), 8, delivered(8, 7, 5, "Colissimo", "6A1")),
        ("AG-5104", (("TEAPOT", 1, ""),), 11, delivered(11, 10, 8, "Colissimo", "6A2")),
    ),
    "giulia": (
        ("AG-5201", (("TOOL-KIT", 1, ""), ("CLAY", 2, "")), 1, ()),
        ("AG-5202", (("BOWL-SECONDS", 3, ""),), 10, delivered(10, 9, 6, "Chronopost", "XY1")),
        ("AG-5203", (("MUG", 1, "glaze=charcoal"),), 30, delivered(30, 29, 25, "DHL", "JJD1")),
        (
            "AG-5204",
            (("APRON", 1, "size=S/M;colour=rust"),),
            3,
            (("paid", 3, "", ""), ("shipped", 1, "Chronopost", "XY482915637FR")),
        ),
    ),
    "mateo": (
        ("AG-5301", (("BOWL", 1, "size=32cm"),), 2, (("paid", 1, "", ""),)),
        ("AG-5302", (("PLATE", 2, "glaze=sand"),), 15, delivered(15, 13, 10, "DHL", "JJD2")),
        (
            "AG-5303",
            (("TOOL-KIT", 1, ""),),
            45,
            (*delivered(45, 44, 40, "DHL", "JJD3"), ("returned", 30, "", "")),
        ),
        (
            "AG-5304",
            (("MUG", 1, "glaze=sea green"),),
            21,
            (("paid", 21, "", ""), ("cancelled", 20, "", "")),
        ),
    ),
    "elise": (
        ("AG-5401", (("MUG", 1, "glaze=charcoal"), ("PLATE", 2, "glaze=sand")), 1, ()),
        ("AG-5402", (("BUD-VASE-SALE", 2, ""),), 6, delivered(6, 5, 3, "Colissimo", "6A3")),
        (
            "AG-5403",
            (("CLAY", 3, ""),),
            4,
            (("paid", 4, "", ""), ("shipped", 3, "DHL", "JJD0144220039871")),
        ),
    ),
    "arjun": (
        (
            "AG-5501",
            (("APRON", 1, "size=S/M;colour=natural"),),
            16,
            delivered(16, 15, 12, "DHL", "JJD4"),
        ),
        ("AG-5502", (("MUG", 1, "glaze=sea green"),), 1, ()),
        (
            "AG-5503",
            (("BOWL", 1, "size=20cm"),),
            3,
            (("paid", 3, "", ""), ("shipped", 1, "Colissimo", "6A21043599034")),
        ),
    ),
}
CUSTOMERS = tuple(
    Customer(who, name, email, tuple(number for number, *_ in ORDERS[who]))
    for who, name, email in (
        ("fiona", "Fiona Walsh", "fiona.walsh@example.co.uk"),
        ("giulia", "Giulia Rossi", "giulia.rossi@example.it"),
        ("mateo", "Mateo Fernández", "mateo.fernandez@example.es"),
        ("elise", "Élise Moreau", "elise.moreau@example.fr"),
        ("arjun", "Arjun Mehta", "arjun.mehta@example.com"),
    )
)
# Who holds which appointment at the start of every task (the slot keeps the same key).
BOOKED = {"soon": "fiona", "later": "giulia", "lesson": "mateo"}
TASTER = "Pottery taster class"
LESSON = "Private wheel lesson"
LANGUAGES = ("en", "it", "es", "fr")
_AT = {"en": "at", "it": "alle", "es": "a las", "fr": "à"}


def slot_starts(now: datetime) -> dict[str, tuple[datetime, str]]:
    """Each slot's start and service: ``soon`` 79 to 80 hours ahead (inside the four-day notice
    period, outside a three-day one), the others six days ahead or more."""
    day = (now + timedelta(days=6)).replace(hour=10, minute=0, second=0, microsecond=0)
    return {
        "soon": ((now + timedelta(hours=80)).replace(minute=0, second=0, microsecond=0), TASTER),
        "free1": (day, TASTER),
        "later": (day + timedelta(days=1), TASTER),
        "free2": (day + timedelta(days=1, hours=4), TASTER),
        "lesson1": (day + timedelta(days=2, hours=-1), LESSON),
        "lesson": (day + timedelta(days=2, hours=5), LESSON),
        "free3": (day + timedelta(days=3, hours=2), TASTER),
        "free4": (day + timedelta(days=3, hours=6), TASTER),
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

TASKS = (*SHOP_TASKS, *PEOPLE_TASKS, *booking_tasks.CERAMICS, *wording_tasks.CERAMICS)
CERAMICS = Shop(
    name="ceramics",
    title="Atelier Galet",
    customers=CUSTOMERS,
    rules=RULES,
    tasks=TASKS,
    seed=DATA.seed,
)
