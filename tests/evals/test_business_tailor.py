"""The unseen tailor's atelier: its tasks are well-formed (unique ids, five or more a category,
eight or more about appointments, every customer, order, appointment and placeholder they name
exists), its shop loads in the states its tasks rely on (stock, options, tracking numbers,
delivery days, bookings inside and outside the notice period), every change a task expects is
one its owner's rules allow, and the judge holds changes to those rules."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from evals.business.harness import _against_policy
from evals.business.tailor import (
    BOOKED,
    CATALOG_CSV,
    CUSTOMERS,
    FAQ,
    FINAL_SALE,
    ORDERS,
    RULES,
    TAILOR,
)
from tests.utils.shops import (
    CATEGORIES,
    assert_faq_answers_and_final_sale_is_ordered,
    assert_orders_are_the_customers,
    seed_for_first_task,
    template_fields,
)
from townsquare.db import Database
from townsquare.db.models import AppointmentSlot, Booking, Order, Product
from townsquare.db.types import utcnow
from townsquare.settings import Settings

ORDER_NUMBER = re.compile(r"AV-\d{4}")


def test_tasks_are_well_formed() -> None:
    tasks = TAILOR.tasks
    assert len(tasks) == 50
    assert len({task.id for task in tasks}) == len(tasks)
    counts = Counter(task.category for task in tasks)
    assert set(counts) == CATEGORIES
    assert min(counts.values()) >= 5
    assert counts["appointments"] >= 8
    assert {task.who for task in tasks} == {c.who for c in CUSTOMERS} | {"stranger"}
    assert {task.language for task in tasks} == {None, "de", "pt", "nl"}
    yeses = {task.turns[-1] for task in tasks}
    assert {"ja", "sim", "klopt", "jep"} <= yeses
    assert_orders_are_the_customers(tasks, CUSTOMERS, ORDER_NUMBER)


def test_the_faq_answers_its_tasks_and_the_final_sale_items_are_ordered() -> None:
    faq = [task for task in TAILOR.tasks if task.category == "faq"]
    assert_faq_answers_and_final_sale_is_ordered(faq, FAQ, CATALOG_CSV, ORDERS, FINAL_SALE)


@pytest.mark.postgres
def test_the_shop_loads_in_the_states_its_tasks_name(
    database: Database, settings: Settings
) -> None:
    now = utcnow()
    with database.session() as session:
        seeded = seed_for_first_task(session, settings, TAILOR, "vingerhoed", now)
        placed = {o.number: o for o in session.scalars(select(Order))}
        products = {p.sku: p for p in session.scalars(select(Product))}
        live = {
            b.id: session.get(AppointmentSlot, b.slot_id)
            for b in session.scalars(select(Booking).where(Booking.status == "booked"))
        }
        slots = {s.id: s for s in session.scalars(select(AppointmentSlot))}
    services = {id_: slot.service for id_, slot in slots.items()}
    expected = {
        number: steps[-1][0] if steps else "pending"
        for spec in ORDERS.values()
        for number, _, _, steps in spec
    }
    assert {number: o.status for number, o in placed.items()} == expected
    assert Counter(expected.values()) == {
        "pending": 4,
        "paid": 1,
        "shipped": 4,
        "delivered": 7,
        "returned": 1,
        "cancelled": 1,
    }
    stock = {sku: products[sku].stock for sku in ("SHEARS", "DRESS-FORM", "SILK-END")}
    assert stock == {"SHEARS": 0, "DRESS-FORM": 2, "SILK-END": 1}
    assert products["LINEN-WASHED"].options == {"colour": ["natural", "sage", "rust", "navy"]}
    assert products["ZIPS"].options == {"length": ["20cm", "40cm", "60cm"]}
    assert placed["AV-5104"].tracking_number == "3SVGD4471902"
    assert placed["AV-5403"].tracking_number == "JVGL0623456789"
    assert placed["AV-5103"].total_cents == 14_900 > RULES.refund_max_cents  # type: ignore[operator]
    assert placed["AV-5102"].total_cents == 4_950
    age = {n: (now - o.delivered_at).days for n, o in placed.items() if o.delivered_at}
    assert age["AV-5501"] < RULES.return_window_days < age["AV-5203"]
    # Every change a task expects is one the owner's rules allow.
    items = {number: rows for spec in ORDERS.values() for number, rows, *_ in spec}
    for task in TAILOR.tasks:
        for number, status in task.orders.items():
            was, order = expected[number], placed[number]
            after = Order(
                number=number,
                status=status,
                total_cents=order.total_cents,
                delivered_at=order.delivered_at,
            )
            skus = {sku for sku, *_ in items[number]}
            assert _against_policy(after, was, RULES, skus) == [], task.id
            assert was == ("pending" if status == "cancelled" else "delivered"), task.id
    assert set(live) == {seeded.ids[key] for key in ("soon", "later", "dropoff")}
    soon = live[seeded.ids["soon"]]
    assert soon is not None
    assert timedelta(hours=4) < soon.starts_at - now < timedelta(hours=RULES.notice_hours)
    others = [slot for id_, slot in live.items() if id_ != seeded.ids["soon"]]
    assert all(s is not None and s.starts_at - now > timedelta(days=2) for s in others)
    assert services[seeded.ids["drop1"]] == services[seeded.ids["slot_dropoff"]]
    assert services[seeded.ids["drop1"]] != services[seeded.ids["fit1"]]
    assert services[seeded.ids["fit1"]] == services[seeded.ids["slot_later"]]
    # A booking a task expects gone is the customer's own, outside the notice period; one it
    # expects made is in a free slot.
    for task in TAILOR.tasks:
        for key, count in (task.bookings or {}).items():
            held = key.removeprefix("slot_")
            if count == 0 and held in BOOKED:
                assert BOOKED[held] == task.who, task.id
                notice = timedelta(hours=RULES.notice_hours)
                assert slots[seeded.ids[key]].starts_at - now > notice, task.id
            elif count == 1 and not key.startswith("slot_"):
                assert key not in BOOKED, task.id  # a slot's key, not a booking's
    placeholders = set(seeded.ids) | set(seeded.words)
    for task in TAILOR.tasks:
        wanted = {n for text in (*task.turns, *task.says) for n in template_fields(text)}
        assert wanted <= placeholders, task.id
        assert set(task.bookings or {}) <= set(seeded.ids), task.id


@pytest.mark.parametrize(
    ("status", "days", "total", "skus", "broken"),
    [
        ("return_requested", 5, 4_950, {"LINEN-WASHED"}, []),
        ("exchange_requested", 12, 7_600, {"WOOL-SUITING"}, []),
        ("return_requested", 25, 3_600, {"POPLIN"}, ["AV-1 return_requested outside the policy"]),
        (
            "return_requested",
            6,
            1_400,
            {"WOOL-REMNANT"},
            ["AV-1 return_requested, a final-sale item"],
        ),
        (
            "exchange_requested",
            4,
            3_000,
            {"SILK-END"},
            ["AV-1 exchange_requested, a final-sale item"],
        ),
        ("return_requested", 9, 14_900, {"DRESS-FORM"}, ["AV-1 refund above the limit"]),
    ],
)
def test_the_judge_holds_changes_to_the_owners_rules(
    status: str, days: int, total: int, skus: set[str], broken: list[str]
) -> None:
    order = Order(
        number="AV-1",
        status=status,
        total_cents=total,
        delivered_at=utcnow() - timedelta(days=days),
    )
    assert _against_policy(order, "delivered", RULES, skus) == broken
