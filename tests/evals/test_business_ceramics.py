"""The held-out ceramics studio: its tasks are well-formed (unique ids, five or more a category,
every customer, order, appointment and placeholder they name exists), its shop loads in the
states its tasks rely on (stock, options, tracking numbers, delivery days, bookings inside and
outside the notice period), and the judge holds changes to its owner's rules."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from evals.business.ceramics import (
    CATALOG_CSV,
    CERAMICS,
    CUSTOMERS,
    FAQ,
    FINAL_SALE,
    ORDERS,
    RULES,
)
from evals.business.harness import _against_policy
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

ORDER_NUMBER = re.compile(r"AG-\d{4}")


def test_tasks_are_well_formed() -> None:
    tasks = CERAMICS.tasks
    assert len(tasks) == 56
    assert len({task.id for task in tasks}) == len(tasks)
    counts = Counter(task.category for task in tasks)
    assert set(counts) == CATEGORIES
    assert min(counts.values()) >= 5
    assert counts["appointments"] >= 8
    assert {task.who for task in tasks} == {c.who for c in CUSTOMERS} | {"stranger"}
    assert {task.language for task in tasks} == {None, "it", "es", "fr"}
    assert_orders_are_the_customers(tasks, CUSTOMERS, ORDER_NUMBER)


def test_the_faq_answers_its_tasks_and_the_final_sale_items_are_ordered() -> None:
    faq = [task for task in CERAMICS.tasks if task.category == "faq" and task.language is None]
    assert_faq_answers_and_final_sale_is_ordered(faq, FAQ, CATALOG_CSV, ORDERS, FINAL_SALE)


@pytest.mark.postgres
def test_the_shop_loads_in_the_states_its_tasks_name(
    database: Database, settings: Settings
) -> None:
    now = utcnow()
    with database.session() as session:
        seeded, placed, products, live, services = load_for_first_task(
            session, settings, CERAMICS, "galet", now
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
    assert (products["VASE-TALL"].stock, products["TEAPOT"].stock) == (0, 2)
    assert products["MUG"].options == {"glaze": ["sea green", "sand", "charcoal"]}
    assert products["BOWL"].options == {"size": ["20cm", "26cm", "32cm"]}
    assert products["APRON"].options == {"size": ["S/M", "L/XL"], "colour": ["natural", "rust"]}
    assert placed["AG-5102"].tracking_number == "6A21043577821"
    assert placed["AG-5204"].tracking_number == "XY482915637FR"
    assert placed["AG-5403"].tracking_number == "JJD0144220039871"
    assert placed["AG-5104"].total_cents == 13_500 > RULES.refund_max_cents  # type: ignore[operator]
    assert placed["AG-5103"].total_cents == 6_200
    age = {n: (now - o.delivered_at).days for n, o in placed.items() if o.delivered_at}
    assert age["AG-5501"] < RULES.return_window_days < age["AG-5203"]
    assert age["AG-5104"] < RULES.return_window_days
    assert set(live) == {seeded.ids[key] for key in ("soon", "later", "lesson")}
    soon = live[seeded.ids["soon"]]
    assert soon is not None
    assert timedelta(hours=72) < soon.starts_at - now < timedelta(hours=RULES.notice_hours)
    others = [slot for id_, slot in live.items() if id_ != seeded.ids["soon"]]
    assert all(
        s is not None and s.starts_at - now > timedelta(hours=RULES.notice_hours) for s in others
    )
    assert services[seeded.ids["lesson1"]] == services[seeded.ids["slot_lesson"]]
    assert services[seeded.ids["lesson1"]] != services[seeded.ids["free1"]]
    placeholders = set(seeded.ids) | set(seeded.words)
    for task in CERAMICS.tasks:
        wanted = {n for text in (*task.turns, *task.says) for n in template_fields(text)}
        assert wanted <= placeholders, task.id
        assert set(task.bookings or {}) <= set(seeded.ids), task.id


@pytest.mark.parametrize(
    ("status", "days", "total", "skus", "broken"),
    [
        ("return_requested", 5, 6_200, {"BOWL"}, []),
        ("exchange_requested", 12, 3_900, {"APRON"}, []),
        (
            "return_requested",
            25,
            2_800,
            {"MUG"},
            ["AG-1 return_requested outside the policy"],
        ),
        (
            "return_requested",
            6,
            3_600,
            {"BOWL-SECONDS"},
            ["AG-1 return_requested, a final-sale item"],
        ),
        (
            "exchange_requested",
            3,
            3_800,
            {"BUD-VASE-SALE"},
            ["AG-1 exchange_requested, a final-sale item"],
        ),
        ("return_requested", 8, 13_500, {"TEAPOT"}, ["AG-1 refund above the limit"]),
    ],
)
def test_the_judge_holds_changes_to_the_owners_rules(
    status: str, days: int, total: int, skus: set[str], broken: list[str]
) -> None:
    order = Order(
        number="AG-1",
        status=status,
        total_cents=total,
        delivered_at=utcnow() - timedelta(days=days),
    )
    assert _against_policy(order, "delivered", RULES, skus) == broken
