"""The second evaluation shop: Raio & Roda, a bike workshop in Porto that sells parts and
clothing online and books service appointments. Unlike the coffee shop it has sizes and sale
items, orders in every state (pending, paid, shipped with tracking, delivered with a date,
returned: moved there by the owner's own steps, ``order_states``), two booked appointments
(one inside the notice period), a policy in its owner's everyday words that the policy parser
only partly reads, and four customers who write in English, Portuguese, French and Spanish.

Its tasks are ``evals.business.workshop_tasks``. In their turns and expected phrases,
``{soon}`` and ``{later}`` are the ids of Tom's booking tomorrow (inside the 48-hour notice
period) and Camille's in four days, ``{free1}`` and ``{free2}`` the first two free slots, and
``{free1_en}``, ``{later_fr}``... those slots' day and time as a customer writing in that
language would put it ("vendredi 11 décembre à 14:00"), ``{free1_short}`` its day as the
free-slots tool writes it ("11 Dec").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from evals.business import Task
from evals.business.seeding import OrderRow, in_words, place_orders
from evals.business.shops import Customer, Rules, Seeded, Shop
from evals.business.workshop_tasks import TASKS
from townsquare.db.models import Account
from townsquare.settings import Settings
from townsquare.studio.agents import create_agent
from townsquare.studio.business import appointments, catalog, orders, policy
from townsquare.studio.knowledge.ingest import enqueue_file
from townsquare.studio.spec import AgentSpec

CATALOG_CSV = """sku,name,description,price,currency,stock,options
HELMET-CITY,City helmet,Light commuter helmet with a built-in rear light.,49.00,EUR,8,size=S|M|L
JERSEY-MERINO,Merino jersey,Long-sleeve merino wool cycling jersey.,75.00,EUR,6,size=XS|S|M|L|XL
GLOVES-WINTER,Winter gloves (sale),Windproof gloves. Sale price: was 29.00.,19.00,EUR,4,size=S|M|L
SADDLE-GEL,Gel saddle (sale),Comfort saddle with gel padding. Sale price: was 45.00.,29.00,EUR,3,
LIGHTS-USB,USB light set,Front and rear lights charged by USB.,35.00,EUR,15,
LOCK-U,U-lock,Hardened steel U-lock with two keys.,55.00,EUR,0,
TUBE-700,Inner tube 700x28,Presta-valve inner tube for road tyres.,6.50,EUR,40,
PANNIER,Waterproof pannier,A 20-litre rear pannier bag.,89.00,EUR,2,colour=black|olive
WHEEL-REAR,Rear wheel 700c,Hand-built rear wheel with an 11-speed hub.,160.00,EUR,2,
SERVICE-BASIC,Basic service,Brakes and gears adjusted and the chain cleaned (1 hour).,45.00,EUR,,
SERVICE-FULL,Full overhaul,Every bearing serviced and all cables replaced.,120.00,EUR,,
FITTING,Bike fitting,A 90-minute fitting with saddle and handlebar adjustments.,90.00,EUR,,
"""
SALE = frozenset({"GLOVES-WINTER", "SADDLE-GEL"})

# The owner's words. On main the parser reads none of the window, the refund limit, the sale
# rule or the notice period from them; ``RULES`` is what they mean.
POLICY = (
    "Hello from Raio & Roda! Our rules, plainly. "
    "Changed your mind? Send it back unused and we'll refund you, provided it's no more than 21"
    " days since it was delivered. "
    "Wrong size? We'll gladly swap it for another size or colour in that same period. "
    "Anything bought on sale is final sale: we can't take it back or swap it. "
    "If a refund comes to more than 80 euros I decide it myself, so pass those to me. "
    "You can cancel an order while it is still unpaid; once it's paid we are already packing it. "
    "Workshop appointments can be moved or cancelled up to 48 hours before they start; after"
    " that, please phone us. "
    "We don't do discounts, coupons or price matching. "
    "Never tell anyone anything about another customer."
)
RULES = Rules(
    return_window_days=21,
    refund_max_cents=8_000,
    exchanges=True,
    final_sale_skus=SALE,
    notice_hours=48,
)

FAQ_FILE = "raio-e-roda-faq.md"
# One line a paragraph: the sentence splitter takes a line break for the end of a sentence.
FAQ = "\n\n".join(
    (
        "# Raio & Roda: opening hours, delivery, repairs and care",
        "## When is the workshop open?\n"
        "The workshop at Rua do Almada 310 in Porto is open Monday to Friday from 8:30 to 19:00"
        " and on Saturday from 9:00 to 13:00. It is closed on Sundays and public holidays.",
        "## How long does delivery take?\n"
        "Orders leave Porto within 2 working days. Delivery in mainland Portugal takes 1 to 2"
        " working days; delivery to Spain and France takes 3 to 5 working days. Shipping is free"
        " above 60 EUR, otherwise it costs 5.90 EUR.",
        "## How long does a repair take?\n"
        "A basic service is ready the same day when the bike is dropped off before 10:00. A full"
        " overhaul takes 2 working days, and a wheel build takes 5 working days.",
        "## How do I wash the merino jersey?\n"
        "Wash the merino jersey cold, at 30 degrees on a wool cycle, and dry it flat. Never put"
        " it in a tumble dryer.",
        "## Do you repair electric bikes?\n"
        "We service the brakes, gears and wheels of electric bikes, but not their motors or"
        " batteries.",
    )
)

AGENT = AgentSpec(
    handle="raio_help",
    name="Raio & Roda help",
    kind="business",
    tagline="Orders, parts and workshop bookings: the bike workshop's automated assistant.",
    personality="The customer-service assistant of Raio & Roda, a bike workshop in Porto.",
    tone="friendly, brief",
    instructions="Help customers with the catalog, their orders and workshop appointments.",
    reply_mode="send",
)

# who -> (number, [(sku, quantity, options)], days since placed, the owner's steps since)
ORDERS: dict[str, tuple[OrderRow, ...]] = {
    "tom": (
        ("R-3101", (("LIGHTS-USB", 1, ""),), 1, ()),
        (
            "R-3102",
            (("HELMET-CITY", 1, "size=M"),),
            4,
            (("paid", 4, "", ""), ("shipped", 3, "CTT", "CT482913577PT")),
        ),
        (
            "R-3103",
            (("JERSEY-MERINO", 1, "size=L"),),
            14,
            (
                ("paid", 14, "", ""),
                ("shipped", 13, "CTT", "CT480011234PT"),
                ("delivered", 10, "", ""),
            ),
        ),
        (
            "R-3104",
            (("GLOVES-WINTER", 1, "size=M"),),
            9,
            (("paid", 9, "", ""), ("shipped", 8, "CTT", "CT480022345PT"), ("delivered", 6, "", "")),
        ),
        (
            "R-3105",
            (("WHEEL-REAR", 1, ""),),
            8,
            (("paid", 8, "", ""), ("shipped", 7, "CTT", "CT480033456PT"), ("delivered", 5, "", "")),
        ),
    ),
    "ines": (
        ("R-3201", (("PANNIER", 1, "colour=olive"),), 2, (("paid", 1, "", ""),)),
        (
            "R-3202",
            (("JERSEY-MERINO", 1, "size=M"),),
            21,
            (
                ("paid", 21, "", ""),
                ("shipped", 20, "CTT", "CT470044567PT"),
                ("delivered", 17, "", ""),
            ),
        ),
        ("R-3203", (("TUBE-700", 4, ""),), 1, ()),
    ),
    "camille": (
        ("R-3301", (("HELMET-CITY", 1, "size=S"),), 1, ()),
        (
            "R-3302",
            (("LIGHTS-USB", 1, ""),),
            30,
            (
                ("paid", 30, "", ""),
                ("shipped", 29, "Chronopost", "XF210055678FR"),
                ("delivered", 25, "", ""),
            ),
        ),
        (
            "R-3303",
            (("TUBE-700", 2, ""),),
            24,
            (
                ("paid", 24, "", ""),
                ("shipped", 23, "Chronopost", "XF210066789FR"),
                ("delivered", 20, "", ""),
                ("returned", 12, "", ""),
            ),
        ),
    ),
    "lucia": (
        (
            "R-3401",
            (("JERSEY-MERINO", 1, "size=XS"),),
            3,
            (("paid", 3, "", ""), ("shipped", 2, "SEUR", "SE7781230094ES")),
        ),
        (
            "R-3402",
            (("SADDLE-GEL", 1, ""),),
            7,
            (
                ("paid", 7, "", ""),
                ("shipped", 6, "SEUR", "SE7781230095ES"),
                ("delivered", 3, "", ""),
            ),
        ),
        ("R-3403", (("GLOVES-WINTER", 1, "size=S"),), 1, ()),
    ),
}
CUSTOMERS = tuple(
    Customer(who, name, email, tuple(number for number, *_ in ORDERS[who]))
    for who, name, email in (
        ("tom", "Tom Becker", "tom.becker@example.com"),
        ("ines", "Inês Carvalho", "ines.carvalho@example.pt"),
        ("camille", "Camille Dubois", "camille.dubois@example.fr"),
        ("lucia", "Lucía Romero", "lucia.romero@example.es"),
    )
)
LANGUAGES = ("en", "pt", "fr", "es")
_AT = {"en": "at", "pt": "às", "fr": "à", "es": "a las"}


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
    tomorrow = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    starts = {
        "soon": tomorrow,  # 9 to 33 hours ahead: inside the notice period
        "later": tomorrow + timedelta(days=3),
        "free1": tomorrow + timedelta(days=2, hours=5),
        "free2": tomorrow + timedelta(days=4),
        "free3": tomorrow + timedelta(days=4, hours=5),
        "free4": tomorrow + timedelta(days=5),
    }
    slots = {
        key: appointments.add_slot(
            session, business.id, start, minutes=60, service="Workshop appointment"
        )
        for key, start in starts.items()
    }
    ids = {key: slot.id for key, slot in slots.items()} | {
        f"slot_{key}": slots[key].id for key in ("soon", "later")
    }
    ids["soon"] = appointments.book(session, customers["tom"], slots["soon"].id).id
    ids["later"] = appointments.book(session, customers["camille"], slots["later"].id).id
    words = {
        f"{key}_{language}": in_words(start, language, _AT)
        for key, start in starts.items()
        for language in LANGUAGES
    } | {f"{key}_short": f"{start:%d %b}" for key, start in starts.items()}
    faq = enqueue_file(session, settings, agent, FAQ_FILE, FAQ.encode()).id
    return Seeded(agent, faq, ids, words)


WORKSHOP = Shop(
    name="workshop",
    title="Raio & Roda",
    customers=CUSTOMERS,
    rules=RULES,
    tasks=TASKS,
    seed=seed,
)
