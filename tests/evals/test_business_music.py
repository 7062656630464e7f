"""The held-out music shop: its tasks are well-formed (unique ids, four or more a category, every
customer, order, appointment and placeholder they name exists), its shop loads in the states its
tasks rely on (stock, options, tracking numbers, delivery days, bookings inside and outside the
notice period), and the judge holds changes to its owner's rules."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from evals.business.harness import _against_policy
from evals.business.music import (
    CATALOG_CSV,
    CUSTOMERS,
    FAQ,
    FINAL_SALE,
    MUSIC,
    ORDERS,
    RULES,
)
from evals.business.seeding import clock, date_words
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

ORDER_NUMBER = re.compile(r"KK-\d{4}")


def test_tasks_are_well_formed() -> None:
    tasks = MUSIC.tasks
    assert len(tasks) == 64
    assert len({task.id for task in tasks}) == len(tasks)
    counts = Counter(task.category for task in tasks)
    assert set(counts) == CATEGORIES
    assert min(counts.values()) >= 5
    assert {task.who for task in tasks} == {c.who for c in CUSTOMERS} | {"stranger"}
    assert {task.language for task in tasks} == {None, "pt", "fr", "nl"}
    assert_orders_are_the_customers(tasks, CUSTOMERS, ORDER_NUMBER)


def test_the_faq_answers_its_tasks_and_the_final_sale_items_are_ordered() -> None:
    faq = [task for task in MUSIC.tasks if task.category == "faq"]
    assert_faq_answers_and_final_sale_is_ordered(faq, FAQ, CATALOG_CSV, ORDERS, FINAL_SALE)


def test_a_day_is_written_every_usual_way() -> None:
    moment = utcnow().replace(year=2026, month=11, day=9)
    assert date_words(moment) == "9 November|09 Nov|November 9|2026-11-09|09/11|9/11"


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [(14, 30, "2:30pm"), (9, 0, "9am"), (0, 0, "12am"), (12, 0, "12pm")],
)
def test_a_slot_is_picked_by_its_day_hour_and_twelve_hour_time(
    hour: int, minute: int, expected: str
) -> None:
    moment = utcnow().replace(year=2026, month=12, day=12, hour=hour, minute=minute)
    assert clock(moment) == (("dom", "12"), ("h", str(hour)), ("ampm", expected))


@pytest.mark.postgres
def test_the_shop_loads_in_the_states_its_tasks_name(
    database: Database, settings: Settings
) -> None:
    now = utcnow()
    with database.session() as session:
        seeded, placed, products, live, services = load_for_first_task(
            session, settings, MUSIC, "klankkast", now
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
    assert (products["CAPO"].stock, products["TUNER-CLIP"].stock) == (0, 2)
    assert products["GTR-CLASSIC"].options == {"size": ["4/4", "3/4", "1/2"]}
    assert products["UKE-SOPRANO"].options == {"colour": ["natural", "blue", "red"]}
    assert placed["KK-7402"].tracking_number == "CD114477889BE"
    assert placed["KK-7104"].total_cents == 28_900 > RULES.refund_max_cents  # type: ignore[operator]
    age = {n: (now - o.delivered_at).days for n, o in placed.items() if o.delivered_at}
    assert age["KK-7501"] < RULES.return_window_days < age["KK-7204"]
    assert set(live) == {seeded.ids[key] for key in ("soon", "later", "camille")}
    soon = live[seeded.ids["soon"]]
    assert soon is not None
    assert timedelta(hours=48) < soon.starts_at - now < timedelta(hours=RULES.notice_hours)
    others = [slot for id_, slot in live.items() if id_ != seeded.ids["soon"]]
    assert all(s is not None and s.starts_at - now > timedelta(days=3) for s in others)
    assert services[seeded.ids["repair1"]] == services[seeded.ids["slot_camille"]]
    assert services[seeded.ids["repair1"]] != services[seeded.ids["free1"]]
    placeholders = set(seeded.ids) | set(seeded.words)
    for task in MUSIC.tasks:
        wanted = {n for text in (*task.turns, *task.says) for n in template_fields(text)}
        assert wanted <= placeholders, task.id
        assert set(task.bookings or {}) <= set(seeded.ids), task.id


@pytest.mark.parametrize(
    ("status", "days", "total", "skus", "broken"),
    [
        ("return_requested", 8, 3_900, {"CASE-GIG"}, []),
        ("exchange_requested", 25, 2_400, {"STAND-GTR"}, []),
        (
            "return_requested",
            40,
            2_400,
            {"STAND-GTR"},
            ["KK-1 return_requested outside the policy"],
        ),
        (
            "return_requested",
            4,
            2_500,
            {"METRO-OUTLET"},
            ["KK-1 return_requested, a final-sale item"],
        ),
        (
            "exchange_requested",
            3,
            7_900,
            {"UKE-EXDEMO"},
            ["KK-1 exchange_requested, a final-sale item"],
        ),
        ("return_requested", 5, 28_900, {"GTR-CLASSIC"}, ["KK-1 refund above the limit"]),
    ],
)
def test_the_judge_holds_changes_to_the_owners_rules(
    status: str, days: int, total: int, skus: set[str], broken: list[str]
) -> None:
    order = Order(
        number="KK-1",
        status=status,
        total_cents=total,
        delivered_at=utcnow() - timedelta(days=days),
    )
    assert _against_policy(order, "delivered", RULES, skus) == broken
