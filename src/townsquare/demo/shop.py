"""The demo shop: a small roastery's catalog, policy, customers, orders and appointment slots,
the business agent that serves them and the FAQ it answers from. The demo seeds it, and the
business evaluation and the tests build it afresh for each run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent, Customer
from townsquare.settings import Settings
from townsquare.studio.agents import create_agent
from townsquare.studio.business import appointments, catalog, orders, policy
from townsquare.studio.business.orders import LineItem
from townsquare.studio.knowledge.ingest import enqueue_file
from townsquare.studio.spec import AgentSpec

CATALOG_CSV = """sku,name,description,price,currency,stock,options
BEAN-HOUSE,House Blend beans 250g,Chocolatey espresso blend.,9.50,EUR,40,grind=whole|espresso|filter
BEAN-ETH,Ethiopia Guji beans 250g,Bright with peach and jasmine.,13.00,EUR,12,grind=whole|filter
BEAN-DECAF,Swiss Water decaf 250g,Smooth decaf with caramel notes.,10.50,EUR,0,grind=whole|filter
GRINDER-HAND,Hand grinder,Steel burr hand grinder for filter and espresso.,65.00,EUR,5,
MUG-OAK,Oak stoneware mug,Hand-glazed 300ml mug.,18.00,EUR,20,colour=ash|ember
CLASS-BREW,Home brewing class,A 90-minute pour-over class at the roastery.,35.00,EUR,,
"""

POLICY = (
    "Returns and exchanges are accepted within 30 days of delivery. "
    "Refunds above 50 EUR are decided by the owner, never by the assistant. "
    "Verify the customer's email before discussing or changing an order. "
    "Only pending orders can be cancelled. "
    "Never give discounts or free items. "
    "Never share another customer's details."
)

FAQ_FILE = "ember-and-oak-faq.md"
# One line a paragraph: the sentence splitter takes a line break for the end of a sentence.
FAQ = "\n\n".join(
    (
        "# Ember & Oak: shipping, opening hours and care",
        "## How long does delivery take?\n"
        "We roast on Mondays and Thursdays and ship the next working day. Delivery within France"
        " takes 2 to 3 working days; delivery to the rest of the EU, Germany and Belgium"
        " included, takes 4 to 6 working days. Shipping is free on orders over 40 EUR, otherwise"
        " it costs 4.90 EUR.",
        "## What are your opening hours?\n"
        "Our opening hours: the roastery shop at 12 rue des Tanneurs in Lyon is open Tuesday to"
        " Saturday, 9:00 to 18:00. Brewing classes take place in the shop.",
        "## How should I store coffee beans?\n"
        "Store beans in an airtight container, away from light and heat, and use them within"
        " four weeks of the roast date. Do not keep beans in the fridge.",
        "## Can the Oak mug go in the dishwasher or the microwave?\n"
        "The Oak stoneware mug is dishwasher safe but not microwave safe.",
    )
)

AGENT = AgentSpec(
    handle="ember_help",
    name="Ember & Oak help",
    kind="business",
    tagline="Orders, beans, classes: the roastery's automated assistant.",
    personality="The customer-service assistant of Ember & Oak, a small coffee roastery.",
    tone="friendly, brief",
    instructions="Help customers with the catalog, their orders and brewing-class bookings.",
    reply_mode="send",
)


@dataclass(frozen=True)
class ShopCustomer:
    name: str
    email: str
    # (number, status, [(sku, quantity)], days since delivery or None)
    orders: tuple[tuple[str, str, tuple[tuple[str, int], ...], int | None], ...]


CUSTOMERS = (
    ShopCustomer(
        "Alice Moreau",
        "alice@example.com",
        (
            ("E-1001", "pending", (("BEAN-HOUSE", 2),), None),
            ("E-1002", "delivered", (("MUG-OAK", 1),), 5),
            ("E-1003", "delivered", (("BEAN-ETH", 1),), 45),
        ),
    ),
    ShopCustomer(
        "Bruno Silva",
        "bruno@example.com",
        (
            ("E-2001", "pending", (("BEAN-ETH", 1),), None),
            ("E-2002", "delivered", (("GRINDER-HAND", 1),), 3),
        ),
    ),
)
# The demo members who are the shop's customers, as CUSTOMERS[0] and CUSTOMERS[1].
SHOP_CUSTOMERS = ("sam_k", "lena_runs")
SLOT_DAYS = 4  # one brewing class a day at 10:00 UTC, from tomorrow


def seed_shop(
    session: Session,
    business: Account,
    members: list[Account],
    *,
    now: datetime,
    agent_handle: str = AGENT.handle,
) -> tuple[Agent, list[Customer]]:
    """The shop of ``business``; ``members[i]`` becomes customer ``CUSTOMERS[i]``."""
    report = catalog.import_csv(session, business.id, CATALOG_CSV)
    assert not report.errors, report.errors
    policy.set_policy(session, business.id, POLICY)
    agent = create_agent(session, business, AGENT.model_copy(update={"handle": agent_handle}))
    customers = []
    for member, spec in zip(members, CUSTOMERS, strict=True):
        customer = orders.add_customer(
            session, business.id, name=spec.name, email=spec.email, account_id=member.id
        )
        customers.append(customer)
        for number, status, items, delivered_days in spec.orders:
            delivered = now - timedelta(days=delivered_days) if delivered_days is not None else None
            orders.place_order(
                session,
                customer,
                number,
                [LineItem(sku, quantity) for sku, quantity in items],
                status=status,
                placed_at=(delivered or now) - timedelta(days=2),
                delivered_at=delivered,
            )
    start = (now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    for day in range(SLOT_DAYS):
        appointments.add_slot(
            session,
            business.id,
            start + timedelta(days=day),
            minutes=90,
            service="Home brewing class",
        )
    return agent, customers


def add_shop_documents(session: Session, settings: Settings, agent: Agent) -> int:
    """Queues the shop's FAQ in its agent's knowledge and returns the source id: the server's
    ingest worker indexes it, or ``ingest_source_now`` does it at once."""
    return enqueue_file(session, settings, agent, FAQ_FILE, FAQ.encode()).id
