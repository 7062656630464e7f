"""The held-out plant nursery: its tasks are well-formed (unique ids, four or more a category, every
customer, order, appointment and placeholder they name exists), its shop loads in the states its
tasks rely on (stock, options, tracking numbers, delivery days, bookings inside and outside the
notice period), and the judge holds changes to its owner's rules."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from evals.business.harness import _against_policy
from evals.business.nursery import (
    CATALOG_CSV,
    CUSTOMERS,
    FAQ,
    FINAL_SALE,
    NURSERY,
    ORDERS,
    RULES,
)
from tests.utils.shops import (
    CATEGORIES,
    assert_faq_answers_and_final_sale_is_ordered,
    assert_orders_are_the_customers,
    final_statuses,
    load_for_first_task,
    template_fields,
)
from townsquare.db import Database
from townsquare.db.models import Order
from townsquare.db.types import utcnow
from townsquare.settings import Settings

ORDER_NUMBER = re.compile(r"VH-\d{4}")


def test_tasks_are_well_formed() -> None:
    tasks = NURSERY.tasks
    assert len(tasks) == 61
    assert len({task.id for task in tasks}) == len(tasks)
    counts = Counter(task.category for task in tasks)
    assert set(counts) == CATEGORIES
    assert min(counts.values()) >= 5
    assert {task.who for task in tasks} == {c.who for c in CUSTOMERS} | {"stranger"}
    assert {task.language for task in tasks} == {None, "es", "de", "pl"}
    assert_orders_are_the_customers(tasks, CUSTOMERS, ORDER_NUMBER)


def test_the_faq_answers_its_tasks_and_the_final_sale_items_are_ordered() -> None:
    faq = [task for task in NURSERY.tasks if task.category == "faq"]
    assert_faq_answers_and_final_sale_is_ordered(faq, FAQ, CATALOG_CSV, ORDERS, FINAL_SALE)


@pytest.mark.postgres
def test_the_shop_loads_in_the_states_its_tasks_name(
    database: Database, settings: Settings
) -> None:
    now = utcnow()
    with database.session() as session:
        seeded, placed, products, live, services = load_for_first_task(
            session, settings, NURSERY, "higuera", now
        )
    expected = final_statuses(ORDERS)
    assert {number: o.status for number, o in placed.items()} == expected
    assert Counter(expected.values()) == {
        "pending": 4,
        "paid": 1,
        "shipped": 4,
        "delivered": 7,
        "returned": 1,
        "cancelled": 1,
    }
    assert (products["SECATEURS"].stock, products["LEMON-TREE"].stock) == (0, 2)
    assert products["OLIVE-TREE"].options == {"pot": ["5L", "15L", "30L"]}
    assert products["TERRACOTTA"].options == {"size": ["25cm", "35cm", "45cm"]}
    assert placed["VH-8102"].tracking_number == "SEU4455667788"
    assert placed["VH-8403"].tracking_number == "JJD000390012345"
    assert placed["VH-8104"].total_cents == 8_900 > RULES.refund_max_cents  # type: ignore[operator]
    assert placed["VH-8103"].total_cents == 2_600
    age = {n: (now - o.delivered_at).days for n, o in placed.items() if o.delivered_at}
    assert age["VH-8302"] < RULES.return_window_days < age["VH-8203"]
    assert set(live) == {seeded.ids[key] for key in ("soon", "later", "visit")}
    soon = live[seeded.ids["soon"]]
    assert soon is not None
    assert timedelta(hours=24) < soon.starts_at - now < timedelta(hours=RULES.notice_hours)
    others = [slot for id_, slot in live.items() if id_ != seeded.ids["soon"]]
    assert all(s is not None and s.starts_at - now > timedelta(days=3) for s in others)
    assert services[seeded.ids["planting1"]] == services[seeded.ids["slot_visit"]]
    assert services[seeded.ids["planting1"]] != services[seeded.ids["free1"]]
    placeholders = set(seeded.ids) | set(seeded.words)
    for task in NURSERY.tasks:
        wanted = {n for text in (*task.turns, *task.says) for n in template_fields(text)}
        assert wanted <= placeholders, task.id
        assert set(task.bookings or {}) <= set(seeded.ids), task.id


@pytest.mark.parametrize(
    ("status", "days", "total", "skus", "broken"),
    [
        ("return_requested", 6, 2_600, {"LAVENDER"}, []),
        ("exchange_requested", 18, 1_800, {"TERRACOTTA"}, []),
        (
            "return_requested",
            30,
            6_400,
            {"HOSE-REEL"},
            ["VH-1 return_requested outside the policy"],
        ),
        (
            "return_requested",
            5,
            2_900,
            {"FIG-REDUCED"},
            ["VH-1 return_requested, a final-sale item"],
        ),
        (
            "exchange_requested",
            4,
            1_000,
            {"BULBS-SEASON"},
            ["VH-1 exchange_requested, a final-sale item"],
        ),
        ("return_requested", 10, 8_900, {"LEMON-TREE"}, ["VH-1 refund above the limit"]),
    ],
)
def test_the_judge_holds_changes_to_the_owners_rules(
    status: str, days: int, total: int, skus: set[str], broken: list[str]
) -> None:
    order = Order(
        number="VH-1",
        status=status,
        total_cents=total,
        delivered_at=utcnow() - timedelta(days=days),
    )
    assert _against_policy(order, "delivered", RULES, skus) == broken
