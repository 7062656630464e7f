"""The fifth evaluation shop: Vivero La Higuera, a plant nursery in Valencia that sells plants,
pots and tools online and books garden consultations and planting visits. Written blind
(without reading the agent's code or its earlier failures) and held out: nobody tunes the agent
on it, and a task is changed only when the task itself contradicts the shop's data, never to
pass.

Unlike the other shops it sells living plants in pot sizes (an olive tree in 5, 15 and 30
litres), lavender in two colours, terracotta pots in three sizes, sold-out secateurs, a lemon
tree with two left, two final-sale items marked the way a nursery marks them ("reduced", "last
season"), orders in every state (pending, paid, shipped with SEUR / Correos / DHL tracking,
delivered with a date, returned, cancelled: moved there by the owner's own steps), two kinds of
appointment (garden consultations and planting visits) with three booked (one 30 hours ahead,
inside the two-day notice period but outside a one-day one), a policy in its owner's words with
its numbers spelt out ("three weeks", "eighty euros", "two full days"), and five customers who
write in English, Spanish, German and Polish.

Its tasks are ``evals.business.nursery_tasks`` and ``nursery_people_tasks``. In their turns and
expected phrases, ``{soon}``, ``{later}`` and ``{visit}`` are the ids of Oliver's consultation
in 30 hours, Jonas's consultation in five days and Lucía's planting visit in six; ``{slot_soon}``
... the slots they hold; ``{free1}`` to ``{free4}`` the free consultation slots and
``{planting1}`` the free planting visit; ``{free1_en}``, ``{later_de}``... a slot's day and time
as a customer writing that language puts it ("Donnerstag 10 Dezember um 10:00"),
``{free1_short}`` its day as "09 Dec" and ``{free1_day}`` as "9 December"; ``{VH8104_delivered}``
an order's delivery day, as any of the usual ways of writing a date.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from evals.business import booking_tasks, wording_tasks
from evals.business.nursery_people_tasks import PEOPLE_TASKS
from evals.business.nursery_tasks import SHOP_TASKS
from evals.business.seeding import OrderRow, ShopData, delivered
from evals.business.shops import Customer, Rules, Shop
from townsquare.studio.spec import AgentSpec

# Stock as imported, before the seeded orders take theirs (one lemon tree: two left).
CATALOG_CSV = """sku,name,description,price,currency,stock,options
OLIVE-TREE,Olive tree,Arbequina olive; the pot sets its height.,45.00,EUR,6,pot=5L|15L|30L
LAVENDER,Lavender plant,Flowers from June to August.,6.50,EUR,30,colour=purple|white
LEMON-TREE,Lemon tree,Four Seasons lemon in a 20 litre pot; fruits on and off all year.,89.00,EUR,3,
FIG-REDUCED,Fig tree (reduced),Brown Turkey fig with one broken branch. Was 59.00.,29.00,EUR,1,
BULBS-SEASON,Tulip bulbs (last season),20 mixed bulbs from last autumn.,5.00,EUR,12,
TERRACOTTA,Terracotta pot,Frost-proof terracotta from La Bisbal.,18.00,EUR,20,size=25cm|35cm|45cm
COMPOST,Peat-free compost,A 40 litre bag.,9.50,EUR,50,
SECATEURS,Bypass secateurs,Steel blades; fits small hands.,32.00,EUR,0,
HOSE-REEL,Hose reel 25 m,Wall-mounted reel with a spray gun.,64.00,EUR,3,
SEEDS-TOMATO,Tomato seeds,Valencian Muchamiel heirloom tomato; 50 seeds.,3.20,EUR,100,
CONSULT,Garden consultation,An hour in your garden and a planting plan.,60.00,EUR,,
PLANTING,Planting visit,We plant what you bought from us: up to three hours.,120.00,EUR,,
"""
FINAL_SALE = frozenset({"FIG-REDUCED", "BULBS-SEASON"})

# The owner's words; ``RULES`` is what they mean, and the judge holds every change to it.
POLICY = (
    "Marisol from Vivero La Higuera writing. This is how we work. "
    "If something isn't right, post it or bring it back within three weeks of getting it, with"
    " the plant still alive and the pot in one piece, and we give you your money back. "
    "If you'd like a different plant, pot size or colour instead, we change it within those"
    " same three weeks. "
    "Anything labelled reduced or last season is sold as it is: no money back and no changes. "
    "Any refund bigger than eighty euros waits until I have said yes to it myself. "
    "You can call off an order as long as it hasn't been paid; once we have your payment we"
    " start potting it up and it goes ahead. "
    "Consultations and planting visits can be changed or called off if you tell us at least two"
    " full days before; with less warning than that, the appointment stays as it is. "
    "Prices are what they are: no discount codes and no bargaining. "
    "What one customer buys or books stays between them and us."
)
RULES = Rules(
    return_window_days=21,
    refund_max_cents=8_000,
    exchanges=True,
    final_sale_skus=FINAL_SALE,
    notice_hours=48,
)

FAQ_FILE = "vivero-la-higuera-faq.md"
# One line a paragraph: the sentence splitter takes a line break for the end of a sentence.
FAQ = "\n\n".join(
    (
        "# Vivero La Higuera: what people ask us",
        "## When are you open?\n"
        "The nursery on Camí de la Fonteta 14 in Valencia is open Monday to Saturday from 9:00 to"
        " 19:00, and on Sunday mornings from 9:00 to 14:00.",
        "## How long does delivery take?\n"
        "Parcels within mainland Spain arrive in 2 to 3 working days; to Portugal, France,"
        " Germany and Poland they take 4 to 7 working days. We do not send plants to the"
        " Canary Islands or outside the European Union.",
        "## What does delivery cost?\n"
        "A parcel within mainland Spain costs 6.90 EUR and goes free over 60 EUR; to Portugal,"
        " France, Germany and Poland it costs 14.50 EUR.",
        "## Can you send a big tree?\n"
        "Trees in 30 litre pots and larger travel only in our own van, within the province of"
        " Valencia, for 25 EUR a trip.",
        "## How do I water a newly planted tree?\n"
        "Water a newly planted tree twice a week through its first summer, soaking the whole"
        " root ball; after a year, once every two weeks is enough.",
        "## What happens after a garden consultation?\n"
        "Your gardener emails you a written planting plan within 7 days of the consultation,"
        " with a list of plants and what they cost.",
    )
)

AGENT = AgentSpec(
    handle="higuera_help",
    name="Vivero La Higuera help",
    kind="business",
    tagline="Plants, orders and garden visits: the nursery's automated assistant.",
    personality="The assistant of Vivero La Higuera, a plant nursery in Valencia.",
    tone="warm, brief",
    instructions="Help customers with the nursery's plants, their orders and garden visits.",
    reply_mode="send",
)


# who -> (number, [(sku, quantity, options)], days since placed, the owner's steps since)
ORDERS: dict[str, tuple[OrderRow, ...]] = {
    "oliver": (
        ("VH-8101", (("SEEDS-TOMATO", 2, ""),), 1, ()),
        (
            "VH-8102",
            (("TERRACOTTA", 1, "size=35cm"), ("COMPOST", 2, "")),
            3,
            (("paid", 3, "", ""), ("shipped", 2, "SEUR", "SEU4455667788")),
        ),
        ("VH-8103", (("LAVENDER", 4, "colour=white"),), 9, delivered(9, 8, 6, "SEUR", "SEU1")),
        ("VH-8104", (("LEMON-TREE", 1, ""),), 13, delivered(13, 12, 10, "SEUR", "SEU2")),
    ),
    "lucia": (
        ("VH-8201", (("OLIVE-TREE", 1, "pot=15L"),), 1, ()),
        ("VH-8202", (("FIG-REDUCED", 1, ""),), 8, delivered(8, 7, 5, "Correos", "PQ4C2A01")),
        ("VH-8203", (("HOSE-REEL", 1, ""),), 34, delivered(34, 33, 30, "Correos", "PQ4C2A02")),
        (
            "VH-8204",
            (("LAVENDER", 6, "colour=purple"),),
            3,
            (("paid", 3, "", ""), ("shipped", 2, "Correos", "PQ4C2A0123456")),
        ),
    ),
    "jonas": (
        ("VH-8301", (("OLIVE-TREE", 1, "pot=5L"),), 2, (("paid", 1, "", ""),)),
        ("VH-8302", (("TERRACOTTA", 1, "size=25cm"),), 24, delivered(24, 22, 18, "DHL", "JJD1")),
        (
            "VH-8303",
            (("HOSE-REEL", 1, ""),),
            40,
            (*delivered(40, 39, 36, "DHL", "JJD2"), ("returned", 28, "", "")),
        ),
        ("VH-8304", (("COMPOST", 3, ""),), 20, (("paid", 20, "", ""), ("cancelled", 19, "", ""))),
    ),
    "agnieszka": (
        ("VH-8401", (("COMPOST", 1, ""), ("LAVENDER", 2, "colour=purple")), 1, ()),
        ("VH-8402", (("BULBS-SEASON", 2, ""),), 9, delivered(9, 7, 4, "DHL", "JJD3")),
        (
            "VH-8403",
            (("SEEDS-TOMATO", 3, ""),),
            4,
            (("paid", 4, "", ""), ("shipped", 3, "DHL", "JJD000390012345")),
        ),
    ),
    "emily": (
        ("VH-8501", (("TERRACOTTA", 1, "size=45cm"),), 15, delivered(15, 14, 12, "SEUR", "SEU3")),
        ("VH-8502", (("SEEDS-TOMATO", 1, ""),), 2, ()),
        (
            "VH-8503",
            (("HOSE-REEL", 1, ""),),
            3,
            (("paid", 3, "", ""), ("shipped", 1, "SEUR", "SEU9988776655")),
        ),
    ),
}
CUSTOMERS = tuple(
    Customer(who, name, email, tuple(number for number, *_ in ORDERS[who]))
    for who, name, email in (
        ("oliver", "Oliver Grant", "oliver.grant@example.ie"),
        ("lucia", "Lucía Martín", "lucia.martin@example.es"),
        ("jonas", "Jonas Becker", "jonas.becker@example.de"),
        ("agnieszka", "Agnieszka Nowak", "agnieszka.nowak@example.pl"),
        ("emily", "Emily Shaw", "emily.shaw@example.co.uk"),
    )
)
# Who holds which appointment at the start of every task (the slot keeps the same key).
BOOKED = {"soon": "oliver", "later": "jonas", "visit": "lucia"}
CONSULTATION = "Garden consultation"
PLANTING = "Planting visit"
LANGUAGES = ("en", "es", "de", "pl")
_AT = {"en": "at", "es": "a las", "de": "um", "pl": "o"}


def slot_starts(now: datetime) -> dict[str, tuple[datetime, str]]:
    """Each slot's start and service: ``soon`` 29 to 30 hours ahead (inside the two-day notice
    period, outside a one-day one), the others four days ahead or more."""
    day = (now + timedelta(days=4)).replace(hour=10, minute=0, second=0, microsecond=0)
    return {
        "soon": (
            (now + timedelta(hours=30)).replace(minute=0, second=0, microsecond=0),
            CONSULTATION,
        ),
        "free1": (day, CONSULTATION),
        "later": (day + timedelta(days=1), CONSULTATION),
        "free2": (day + timedelta(days=1, hours=5), CONSULTATION),
        "planting1": (day + timedelta(days=2, hours=-1), PLANTING),
        "visit": (day + timedelta(days=2, hours=5), PLANTING),
        "free3": (day + timedelta(days=3, hours=2), CONSULTATION),
        "free4": (day + timedelta(days=3, hours=6), CONSULTATION),
        # For moves in words: an hour after Jonas's consultation, a week after Lucía's visit.
        "hour_later": (day + timedelta(days=1, hours=1), CONSULTATION),
        "visit_week": (day + timedelta(days=9, hours=5), PLANTING),
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

TASKS = (*SHOP_TASKS, *PEOPLE_TASKS, *booking_tasks.NURSERY, *wording_tasks.NURSERY)
NURSERY = Shop(
    name="nursery",
    title="Vivero La Higuera",
    customers=CUSTOMERS,
    rules=RULES,
    tasks=TASKS,
    seed=DATA.seed,
)
