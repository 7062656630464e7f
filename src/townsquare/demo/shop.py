"""The demo shop: a small roastery's catalog, policy, customers, orders and appointment slots,
and the business agent that serves them. The demo seeds it, and the business evaluation and the
tests build it afresh for each run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent, Customer
from townsquare.studio.agents import create_agent
from townsquare.studio.business import appointments, catalog, orders, policy
from townsquare.studio.business.orders import LineItem
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
