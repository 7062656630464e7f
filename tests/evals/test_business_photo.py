"""The held-out photography studio: its tasks are well-formed (unique ids, five or more a
category, ten or more about appointments, every customer, order, appointment and placeholder
they name exists), its shop loads in the states its tasks rely on (stock, two options on one
product, tracking numbers, delivery days, bookings inside and outside the notice period, three
services), and the judge holds changes to its owner's rules."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from evals.business.harness import _against_policy
from evals.business.photo import (
    CATALOG_CSV,
    CUSTOMERS,
    FAQ,
    FINAL_SALE,
    ORDERS,
    PHOTO,
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

ORDER_NUMBER = re.compile(r"LK-\d{4}")


def test_tasks_are_well_formed() -> None:
    tasks = PHOTO.tasks
    assert len(tasks) == 52
    assert len({task.id for task in tasks}) == len(tasks)
    counts = Counter(task.category for task in tasks)
    assert set(counts) == CATEGORIES
    assert min(counts.values()) >= 5
    assert counts["appointments"] >= 10
    assert {task.who for task in tasks} == {c.who for c in CUSTOMERS} | {"stranger"}
    assert {task.language for task in tasks} == {None, "pl", "it", "nl"}
    assert_orders_are_the_customers(tasks, CUSTOMERS, ORDER_NUMBER)


def test_the_faq_answers_its_tasks_and_the_final_sale_items_are_ordered() -> None:
    faq = [task for task in PHOTO.tasks if task.category == "faq"]
    assert_faq_answers_and_final_sale_is_ordered(faq, FAQ, CATALOG_CSV, ORDERS, FINAL_SALE)


@pytest.mark.postgres
def test_the_shop_loads_in_the_states_its_tasks_name(
    database: Database, settings: Settings
) -> None:
    now = utcnow()
    with database.session() as session:
        seeded, placed, products, live, services = load_for_first_task(
            session, settings, PHOTO, "lichtkamer", now
        )
    expected = final_statuses(ORDERS)
    assert {number: o.status for number, o in placed.items()} == expected
    assert Counter(expected.values()) == {
        "pending": 5,
        "paid": 1,
        "shipped": 4,
        "delivered": 7,
        "returned": 1,
        "cancelled": 1,
    }
    assert (products["FILM-PORTRA"].stock, products["ALBUM"].stock) == (0, 2)
    assert products["FRAME-OAK"].options == {
        "colour": ["natural", "black", "white"],
        "size": ["A4", "A3", "A2"],
    }
    assert products["CANVAS"].options == {"size": ["40x60cm", "60x90cm"]}
    assert placed["LK-7102"].tracking_number == "3SLKMR4471023"
    assert placed["LK-7204"].tracking_number == "JVGL06123456789012"
    assert placed["LK-7104"].total_cents == 14_300 > RULES.refund_max_cents  # type: ignore[operator]
    assert placed["LK-7103"].total_cents == 4_200
    age = {n: (now - o.delivered_at).days for n, o in placed.items() if o.delivered_at}
    assert age["LK-7501"] < RULES.return_window_days < age["LK-7203"]
    assert set(live) == {seeded.ids[key] for key in ("soon", "later", "family", "passport")}
    soon = live[seeded.ids["soon"]]
    assert soon is not None
    assert timedelta(hours=48) < soon.starts_at - now < timedelta(hours=RULES.notice_hours)
    others = [slot for id_, slot in live.items() if id_ != seeded.ids["soon"]]
    assert all(s is not None and s.starts_at - now > timedelta(days=4) for s in others)
    kinds = {key: services[seeded.ids[key]] for key in ("free1", "passfree1", "familyfree")}
    assert len(set(kinds.values())) == 3
    assert services[seeded.ids["slot_family"]] == kinds["familyfree"]
    assert services[seeded.ids["slot_passport"]] == kinds["passfree1"]
    assert services[seeded.ids["slot_later"]] == services[seeded.ids["slot_soon"]] == kinds["free1"]
    placeholders = set(seeded.ids) | set(seeded.words)
    for task in PHOTO.tasks:
        wanted = {n for text in (*task.turns, *task.says) for n in template_fields(text)}
        assert wanted <= placeholders, task.id
        assert set(task.bookings or {}) <= set(seeded.ids), task.id


@pytest.mark.parametrize(
    ("status", "days", "total", "skus", "broken"),
    [
        ("return_requested", 4, 4_200, {"FRAME-OAK"}, []),
        ("exchange_requested", 8, 4_200, {"FRAME-OAK"}, []),
        (
            "return_requested",
            16,
            2_900,
            {"STRAP"},
            ["LK-1 return_requested outside the policy"],
        ),
        (
            "return_requested",
            3,
            2_500,
            {"FRAME-WALNUT"},
            ["LK-1 return_requested, a final-sale item"],
        ),
        (
            "exchange_requested",
            2,
            1_200,
            {"PRINT-BSTOCK"},
            ["LK-1 exchange_requested, a final-sale item"],
        ),
        ("return_requested", 5, 14_300, {"CANVAS", "ALBUM"}, ["LK-1 refund above the limit"]),
    ],
)
def test_the_judge_holds_changes_to_the_owners_rules(
    status: str, days: int, total: int, skus: set[str], broken: list[str]
) -> None:
    order = Order(
        number="LK-1",
        status=status,
        total_cents=total,
        delivered_at=utcnow() - timedelta(days=days),
    )
    assert _against_policy(order, "delivered", RULES, skus) == broken
