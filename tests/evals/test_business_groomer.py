"""The held-out dog groomer: its tasks are well-formed (unique ids, four or more a category, every
customer, order, appointment and placeholder they name exists), its shop loads in the states its
tasks rely on, and the judge holds changes to its owner's rules."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from evals.business.groomer import CATALOG_CSV, CUSTOMERS, FINAL_SALE, GROOMER, ORDERS, RULES
from evals.business.harness import _against_policy
from tests.utils.shops import CATEGORIES, template_fields
from townsquare.db import Database
from townsquare.db.models import Account, AppointmentSlot, Booking, Order
from townsquare.db.types import utcnow
from townsquare.settings import Settings

ORDER_NUMBER = re.compile(r"PP-\d{4}")


def test_tasks_are_well_formed() -> None:
    tasks = GROOMER.tasks
    numbers = {number for spec in ORDERS.values() for number, *_ in spec}
    assert len(tasks) >= 36
    assert len({task.id for task in tasks}) == len(tasks)
    counts = Counter(task.category for task in tasks)
    assert set(counts) == CATEGORIES
    assert min(counts.values()) >= 4
    assert {task.who for task in tasks} == {c.who for c in CUSTOMERS} | {"stranger"}
    assert {task.language for task in tasks} == {None, "de", "es", "fr", "it"}
    for task in tasks:
        named = {n for text in (*task.turns, *task.says) for n in ORDER_NUMBER.findall(text)}
        assert named | set(task.orders) <= numbers, task.id
        assert task.turns and task.goal, task.id


def test_the_final_sale_items_are_in_the_catalog_and_ordered() -> None:
    skus = {line.split(",")[0] for line in CATALOG_CSV.splitlines()[1:]}
    ordered = {sku for spec in ORDERS.values() for _, items, *_ in spec for sku, *_ in items}
    assert skus >= ordered >= FINAL_SALE


@pytest.mark.postgres
def test_the_shop_loads_in_the_states_its_tasks_name(
    database: Database, settings: Settings
) -> None:
    now = utcnow()
    with database.session() as session:
        accounts = {
            who: Account(
                handle=f"g{who}", kind=kind, display_name=who, email=None, password_hash="!"
            )
            for who, kind in (("pelage", "business"), *((c.who, "person") for c in CUSTOMERS))
        }
        session.add_all(accounts.values())
        session.flush()
        business = accounts.pop("pelage")
        seeded = GROOMER.seed(
            session, settings, business, accounts, now, "pelage_help", GROOMER.tasks[0]
        )
        placed = {o.number: o for o in session.scalars(select(Order))}
        live = {
            b.id: session.get(AppointmentSlot, b.slot_id)
            for b in session.scalars(select(Booking).where(Booking.status == "booked"))
        }
    expected = {
        number: steps[-1][0] if steps else "pending"
        for spec in ORDERS.values()
        for number, _, _, steps in spec
    }
    assert {number: o.status for number, o in placed.items()} == expected
    assert Counter(expected.values()) == {
        "pending": 4,
        "paid": 1,
        "shipped": 3,
        "delivered": 6,
        "returned": 1,
        "cancelled": 1,
    }
    assert placed["PP-5102"].tracking_number == "JJD0001234567"
    assert placed["PP-5201"].delivered_at is not None
    assert placed["PP-5103"].total_cents == 11_900 > RULES.refund_max_cents  # type: ignore[operator]
    assert set(live) == {seeded.ids[key] for key in ("soon", "later", "elodie")}
    soon = live[seeded.ids["soon"]]
    assert soon is not None
    assert soon.starts_at - now < timedelta(hours=RULES.notice_hours)
    others = [slot for id_, slot in live.items() if id_ != seeded.ids["soon"]]
    assert all(s is not None and s.starts_at - now > timedelta(days=2) for s in others)
    placeholders = set(seeded.ids) | set(seeded.words)
    for task in GROOMER.tasks:
        wanted = {n for text in (*task.turns, *task.says) for n in template_fields(text)}
        assert wanted <= placeholders, task.id
        assert set(task.bookings or {}) <= set(seeded.ids), task.id


@pytest.mark.parametrize(
    ("status", "days", "total", "skus", "broken"),
    [
        ("return_requested", 9, 2_800, {"COLLAR-LEATHER"}, []),
        ("exchange_requested", 12, 1_450, {"SHAMPOO-OAT"}, []),
        (
            "return_requested",
            20,
            3_400,
            {"HARNESS-AIR"},
            ["PP-1 return_requested outside the policy"],
        ),
        ("return_requested", 2, 900, {"TOY-RING"}, ["PP-1 return_requested, a final-sale item"]),
        (
            "exchange_requested",
            4,
            2_400,
            {"COAT-RAIN"},
            ["PP-1 exchange_requested, a final-sale item"],
        ),
        ("return_requested", 6, 11_900, {"BED-ORTHO"}, ["PP-1 refund above the limit"]),
    ],
)
def test_the_judge_holds_changes_to_the_owners_rules(
    status: str, days: int, total: int, skus: set[str], broken: list[str]
) -> None:
    order = Order(
        number="PP-1",
        status=status,
        total_cents=total,
        delivered_at=utcnow() - timedelta(days=days),
    )
    assert _against_policy(order, "delivered", RULES, skus) == broken
