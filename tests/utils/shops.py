"""What every evaluation shop's test checks the same way: the task categories, the orders a task
names, the FAQ and final-sale items its data must hold, and seeding the shop for a first task."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from evals.business import Task
from evals.business.seeding import OrderRow
from evals.business.shops import Customer, Seeded, Shop
from townsquare.db.models import Account, AppointmentSlot, Booking, Order, Product
from townsquare.settings import Settings

CATEGORIES = {
    "catalog",
    "faq",
    "orders",
    "returns",
    "appointments",
    "discounts-complaints-handoff",
    "security",
    "languages",
}


def template_fields(text: str) -> set[str]:
    """The placeholders ("{slot}") a task's text names."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def assert_orders_are_the_customers(
    tasks: Iterable[Task], customers: Sequence[Customer], order_number: re.Pattern[str]
) -> None:
    """Every order a task names exists, and a change is expected only of the customer's own."""
    owner = {number: c.who for c in customers for number in c.orders}
    for task in tasks:
        named = {n for text in (*task.turns, *task.says) for n in order_number.findall(text)}
        assert named | set(task.orders) <= set(owner), task.id
        assert all(owner[number] == task.who for number in task.orders), task.id
        assert task.turns and task.goal, task.id


def assert_faq_answers_and_final_sale_is_ordered(
    faq_tasks: Iterable[Task],
    faq: str,
    catalog_csv: str,
    orders: Mapping[str, Sequence[Any]],
    final_sale: AbstractSet[str],
) -> None:
    """The FAQ holds what its tasks expect said; the final-sale items are ordered products."""
    for task in faq_tasks:
        for phrase in task.says:
            if phrase != "[1]":
                assert any(option in faq for option in phrase.split("|")), task.id
    skus = {line.split(",")[0] for line in catalog_csv.splitlines()[1:]}
    ordered = {sku for spec in orders.values() for _, items, *_ in spec for sku, *_ in items}
    assert skus >= ordered >= final_sale


def seed_for_first_task(
    session: Session, settings: Settings, shop: Shop, business_key: str, now: datetime
) -> Seeded:
    """The shop's business and customers as accounts, and the shop seeded for its first task."""
    accounts = {
        who: Account(handle=f"m{who}", kind=kind, display_name=who, email=None, password_hash="!")
        for who, kind in ((business_key, "business"), *((c.who, "person") for c in shop.customers))
    }
    session.add_all(accounts.values())
    session.flush()
    business = accounts.pop(business_key)
    return shop.seed(
        session, settings, business, accounts, now, f"{business_key}_help", shop.tasks[0]
    )


class Loaded(NamedTuple):
    """A shop seeded for its first task, read back."""

    seeded: Seeded
    placed: dict[str, Order]  # by number
    products: dict[str, Product]  # by SKU
    live: dict[int, AppointmentSlot | None]  # a booked appointment's id -> its slot
    services: dict[int, str]  # a slot's id -> its service


def load_for_first_task(
    session: Session, settings: Settings, shop: Shop, business_key: str, now: datetime
) -> Loaded:
    """``seed_for_first_task``, then its orders, products, live bookings and slots' services."""
    seeded = seed_for_first_task(session, settings, shop, business_key, now)
    placed = {o.number: o for o in session.scalars(select(Order))}
    products = {p.sku: p for p in session.scalars(select(Product))}
    booked = session.scalars(select(Booking).where(Booking.status == "booked")).all()
    live = {b.id: session.get(AppointmentSlot, b.slot_id) for b in booked}
    services = {s.id: s.service for s in session.scalars(select(AppointmentSlot))}
    return Loaded(seeded, placed, products, live, services)


def final_statuses(orders: Mapping[str, Iterable[OrderRow]]) -> dict[str, str]:
    """Each order's status once the owner's steps its data lists are taken (none: pending)."""
    return {
        number: steps[-1][0] if steps else "pending"
        for spec in orders.values()
        for number, _, _, steps in spec
    }
