"""The third evaluation shop: Pelage & Patte, a dog-grooming salon in Strasbourg that sells
harnesses, collars, beds and care products online and books grooming appointments. It was
written without looking at the agent's answers and held out until branch `shop5`, which fixed
the general causes of its failures: it is a development set since then (the held-out shop is
kept by the issue's owners). A task is changed only when the task itself is wrong, never to pass.

Unlike the coffee shop and the bike workshop it has two options on one product (a collar's size
and colour), two final-sale items marked the way a shop owner would ("clearance", "reduced to
clear"), orders in every state (pending, paid, shipped with a tracking number, delivered with a
date, returned, cancelled: moved there by the owner's own steps), three booked appointments (one
a few hours ahead, inside the 24-hour notice period), a policy in its owner's words, and five
customers who write in English, German, French, Spanish and Italian.

Its tasks are ``evals.business.groomer_tasks`` and ``groomer_people_tasks``. In their turns
and expected phrases, ``{soon}``, ``{later}`` and ``{elodie}`` are the ids of Priya's booking
in a few hours, Jonas's in three days and Élodie's in four; ``{slot_soon}``... the slots they
hold; ``{free1}`` to ``{free4}`` the free slots; ``{free1_en}``, ``{later_de}``... a slot's
day and time as a customer writing that language puts it ("Donnerstag 10 Dezember um 10:00"),
``{free1_short}`` its day as the free-slots tool writes it ("09 Dec") and ``{free1_day}`` as a
person would ("9 December").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from evals.business import Task
from evals.business.groomer_people_tasks import PEOPLE_TASKS
from evals.business.groomer_tasks import SHOP_TASKS
from evals.business.seeding import OrderRow, in_words, place_orders
from evals.business.shops import Customer, Rules, Seeded, Shop
from townsquare.db.models import Account
from townsquare.settings import Settings
from townsquare.studio.agents import create_agent
from townsquare.studio.business import appointments, catalog, orders, policy
from townsquare.studio.knowledge.ingest import enqueue_file
from townsquare.studio.spec import AgentSpec

CATALOG_CSV = """sku,name,description,price,currency,stock,options
HARNESS-AIR,Air-mesh harness,Padded mesh harness that does not rub.,34.00,EUR,12,size=XS|S|M|L
COLLAR-LEATHER,Leather collar,Brass buckle.,28.00,EUR,7,size=S|M|L; colour=tan|black
LEASH-ROPE,Rope leash 1.8 m,Climbing-rope lead with a padded handle.,22.00,EUR,0,
SHAMPOO-OAT,Oatmeal shampoo,Gentle shampoo for itchy or sensitive skin (500 ml).,14.50,EUR,30,
BRUSH-SLICKER,Slicker brush,Self-cleaning brush for long and curly coats.,18.00,EUR,9,
COAT-RAIN,Dog raincoat (clearance),Last season's colours. Was 39.00.,24.00,EUR,5,size=S|M|L
TOY-RING,Rubber chew ring,Natural rubber ring. Reduced to clear old stock (was 15.00).,9.00,EUR,6,
BED-ORTHO,Orthopaedic bed,Memory foam for older dogs; washable cover.,119.00,EUR,3,size=M|L
TREATS-DUCK,Duck treats 200 g,Air-dried duck breast: a single protein.,7.90,EUR,50,
GROOM-FULL,Full groom,"Bath, haircut, nails and ears (two to three hours).",65.00,EUR,,
GROOM-BATH,Bath and brush,"Bath, blow-dry and brush-out (about an hour).",38.00,EUR,,
NAILS,Nail trim,Nails clipped and filed (15 minutes).,12.00,EUR,,
"""
FINAL_SALE = frozenset({"COAT-RAIN", "TOY-RING"})

# The owner's words; ``RULES`` is what they mean, and the judge holds every change to it.
POLICY = (
    "A few house rules from Marlene at Pelage & Patte. "
    "Not happy with something you bought? You've got 14 days from the day the parcel reaches"
    " you to send it back, unworn and unchewed, and you get your money back. "
    "If it's just the wrong size, we'll change it for the right one within those same 14 days. "
    "Clearance and reduced items are sold as they are: no returns and no swaps on those. "
    "Any refund over 100 euros comes to me personally, the assistant doesn't decide those. "
    "An order can only be called off before it has been paid for. "
    "Need to move or cancel a grooming appointment? Let us know at least 24 hours ahead;"
    " any later than that and the booking stays as it is. "
    "No haggling: our prices are what they are and we don't hand out promo codes. "
    "And never, ever pass on one customer's details or orders to somebody else, family included."
)
RULES = Rules(
    return_window_days=14,
    refund_max_cents=10_000,
    exchanges=True,
    final_sale_skus=FINAL_SALE,
    notice_hours=24,
)

FAQ_FILE = "pelage-et-patte-questions.md"
# One line a paragraph: the sentence splitter takes a line break for the end of a sentence.
FAQ = "\n\n".join(
    (
        "# Pelage & Patte: practical questions",
        "## Opening times\n"
        "The salon and shop at 14 Rue des Bouchers in Strasbourg welcome you from Tuesday to"
        " Saturday, 9:00 to 18:00, and on Thursdays we stay open until 20:00. We are shut on"
        " Sundays and Mondays.",
        "## Shipping\n"
        "Parcels go out every weekday. Inside Strasbourg and the Eurometropole our cargo bike"
        " delivers the next working day. Elsewhere in France a parcel takes 2 to 3 working days,"
        " and to Germany, Belgium or Luxembourg 3 to 4 working days. We do not ship outside the"
        " European Union. Postage is free from 50 EUR, otherwise it is 4.90 EUR.",
        "## How long does a groom take?\n"
        "A bath and brush takes about an hour. A full groom takes two to three hours, depending"
        " on the coat. We phone you when your dog is ready to be collected.",
        "## Caring for the leather collar\n"
        "Wipe the leather collar with a damp cloth and let it dry away from the radiator. Rub in"
        " a little leather balm once a month. Do not let it soak in water.",
        "## Vaccinations\n"
        "Every dog must be vaccinated against rabies and kennel cough before a grooming visit."
        " Please bring the vaccination booklet to the first appointment.",
        "## Do you groom cats?\nWe groom dogs only, but the shop sells a few cat products.",
    )
)

AGENT = AgentSpec(
    handle="pelage_help",
    name="Pelage & Patte help",
    kind="business",
    tagline="Online orders and grooming bookings: the salon's automated assistant.",
    personality="The assistant of Pelage & Patte, a dog-grooming salon and pet shop in Strasbourg.",
    tone="warm, short",
    instructions="Help customers with the shop's products, their orders and grooming appointments.",
    reply_mode="send",
)

# who -> (number, [(sku, quantity, options)], days since placed, the owner's steps since)
ORDERS: dict[str, tuple[OrderRow, ...]] = {
    "priya": (
        ("PP-5101", (("SHAMPOO-OAT", 2, ""),), 1, ()),
        (
            "PP-5102",
            (("HARNESS-AIR", 1, "size=M"),),
            3,
            (("paid", 3, "", ""), ("shipped", 2, "DHL", "JJD0001234567")),
        ),
        (
            "PP-5103",
            (("BED-ORTHO", 1, "size=L"),),
            10,
            (
                ("paid", 10, "", ""),
                ("shipped", 9, "DHL", "JJD0001230001"),
                ("delivered", 6, "", ""),
            ),
        ),
        (
            "PP-5104",
            (("COAT-RAIN", 1, "size=S"),),
            7,
            (("paid", 7, "", ""), ("shipped", 6, "DHL", "JJD0001230002"), ("delivered", 4, "", "")),
        ),
    ),
    "jonas": (
        (
            "PP-5201",
            (("COLLAR-LEATHER", 1, "size=M; colour=black"),),
            12,
            (
                ("paid", 12, "", ""),
                ("shipped", 11, "DHL", "JJD0001230003"),
                ("delivered", 9, "", ""),
            ),
        ),
        ("PP-5202", (("BRUSH-SLICKER", 1, ""),), 2, (("paid", 1, "", ""),)),
        ("PP-5203", (("TREATS-DUCK", 3, ""),), 1, ()),
    ),
    "elodie": (
        (
            "PP-5301",
            (("HARNESS-AIR", 1, "size=S"),),
            24,
            (
                ("paid", 24, "", ""),
                ("shipped", 23, "Colissimo", "6A10000000001"),
                ("delivered", 20, "", ""),
            ),
        ),
        (
            "PP-5302",
            (("SHAMPOO-OAT", 1, ""),),
            3,
            (("paid", 3, "", ""), ("shipped", 2, "Colissimo", "6A12345678901")),
        ),
        (
            "PP-5303",
            (("TREATS-DUCK", 2, ""),),
            30,
            (
                ("paid", 30, "", ""),
                ("shipped", 29, "Colissimo", "6A10000000002"),
                ("delivered", 27, "", ""),
                ("returned", 18, "", ""),
            ),
        ),
        (
            "PP-5304",
            (("COLLAR-LEATHER", 1, "size=S; colour=tan"),),
            10,
            (("paid", 10, "", ""), ("cancelled", 9, "", "")),
        ),
    ),
    "carmen": (
        ("PP-5401", (("BED-ORTHO", 1, "size=M"),), 1, ()),
        (
            "PP-5402",
            (("TOY-RING", 1, ""),),
            5,
            (("paid", 5, "", ""), ("shipped", 4, "SEUR", "SE5550000001"), ("delivered", 2, "", "")),
        ),
        (
            "PP-5403",
            (("SHAMPOO-OAT", 1, ""),),
            16,
            (
                ("paid", 16, "", ""),
                ("shipped", 15, "SEUR", "SE5550000002"),
                ("delivered", 12, "", ""),
            ),
        ),
    ),
    "giulia": (
        (
            "PP-5501",
            (("HARNESS-AIR", 1, "size=XS"),),
            2,
            (("paid", 2, "", ""), ("shipped", 1, "GLS", "IT55512345")),
        ),
        ("PP-5502", (("TREATS-DUCK", 1, ""),), 1, ()),
    ),
}
CUSTOMERS = tuple(
    Customer(who, name, email, tuple(number for number, *_ in ORDERS[who]))
    for who, name, email in (
        ("priya", "Priya Shah", "priya.shah@example.co.uk"),
        ("jonas", "Jonas Weber", "jonas.weber@example.de"),
        ("elodie", "Élodie Martin", "elodie.martin@example.fr"),
        ("carmen", "Carmen Ruiz", "carmen.ruiz@example.es"),
        ("giulia", "Giulia Romano", "giulia.romano@example.it"),
    )
)
# Who holds which appointment at the start of every task (the slot keeps the same key).
BOOKED = {"soon": "priya", "later": "jonas", "elodie": "elodie"}
LANGUAGES = ("en", "de", "fr", "es", "it")
_AT = {"en": "at", "de": "um", "fr": "à", "es": "a las", "it": "alle"}


def slot_starts(now: datetime) -> dict[str, datetime]:
    """Each slot's start: ``soon`` 5 to 6 hours ahead (inside the notice period), the others
    two days ahead or more."""
    day = (now + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    return {
        "soon": (now + timedelta(hours=6)).replace(minute=0, second=0, microsecond=0),
        "free1": day,
        "later": day + timedelta(days=1),
        "free2": day + timedelta(days=1, hours=4),
        "elodie": day + timedelta(days=2, hours=4),
        "free3": day + timedelta(days=3, hours=-1),
        "free4": day + timedelta(days=3, hours=1),
    }


def seed(
    session: Session,
    settings: Settings,
    business: Account,
    people: dict[str, Account],
    now: datetime,
    agent_handle: str,
    task: Task,
) -> Seeded:
    report = catalog.import_csv(session, business.id, CATALOG_CSV)
    assert not report.errors, report.errors
    policy.set_policy(session, business.id, POLICY)
    agent = create_agent(session, business, AGENT.model_copy(update={"handle": agent_handle}))
    customers = {}
    for spec in CUSTOMERS:
        customers[spec.who] = orders.add_customer(
            session, business.id, name=spec.name, email=spec.email, account_id=people[spec.who].id
        )
        place_orders(session, business, customers[spec.who], ORDERS[spec.who], now)
    starts = slot_starts(now)
    slots = {
        key: appointments.add_slot(session, business.id, start, minutes=60, service="Grooming")
        for key, start in starts.items()
    }
    ids = {key: slot.id for key, slot in slots.items()} | {
        f"slot_{key}": slots[key].id for key in BOOKED
    }
    for key, who in BOOKED.items():
        ids[key] = appointments.book(session, customers[who], slots[key].id).id
    words = {
        f"{key}_{language}": in_words(start, language, _AT)
        for key, start in starts.items()
        for language in LANGUAGES
    }
    words |= {f"{key}_short": f"{start:%d %b}" for key, start in starts.items()}
    words |= {f"{key}_day": f"{start.day} {start:%B}" for key, start in starts.items()}
    faq = enqueue_file(session, settings, agent, FAQ_FILE, FAQ.encode()).id
    return Seeded(agent, faq, ids, words)


TASKS = (*SHOP_TASKS, *PEOPLE_TASKS)
GROOMER = Shop(
    name="groomer",
    title="Pelage & Patte",
    customers=CUSTOMERS,
    rules=RULES,
    tasks=TASKS,
    seed=seed,
)
