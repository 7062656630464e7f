"""The bike workshop's tasks and the judge's owner's rules, on fake models: an agent that knows
the policy as its owner meant it passes every task, the FAQ's included, with no policy
violation and no cross-customer access; and the judge counts as a violation each change
the owner's words forbid (a final-sale return, a refund above the limit, an appointment moved
inside the notice period), whoever made it."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import timedelta

import pytest

from evals.business.harness import _against_policy, _booking_changes, _bookings, _Start, run_all
from evals.business.workshop import CUSTOMERS, RULES, WORKSHOP
from townsquare.ai.chat import ChatRequest
from townsquare.ai.fake import FakeChatModel
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Account, Order
from townsquare.db.types import utcnow
from townsquare.settings import Settings
from townsquare.studio.business import appointments
from townsquare.studio.business.orders import business_customers

SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _action(tool: str, **arguments: object) -> str:
    if tool == "reply":
        return json.dumps({"action": {"tool": "reply", "text": arguments["text"]}})
    return json.dumps({"action": {"tool": tool, "arguments": arguments}})


def _order_action(lower: str, number: str) -> str:
    if "r-3105" in lower:
        return _action("transfer_to_human", summary="A refund above 80 EUR: the owner decides.")
    if "r-3104" in lower:
        return _action("reply", text="Sorry, anything bought on sale is final sale.")
    if "r-3302" in lower:
        return _action("reply", text="Sorry, returns are accepted up to 21 days after delivery.")
    if "cancel" in lower:
        return _action("cancel_order", order_number=number)
    if "exchange" in lower:
        return _action("request_return", order_number=number, kind="exchange", reason="size")
    if any(word in lower for word in ("return", "refund", "send back")):
        return _action("request_return", order_number=number, kind="return", reason="no fit")
    return _action("order_details", order_number=number)


def owner_minded(request: ChatRequest) -> str:
    """The right action for each scripted message, as the owner's policy means it."""
    lower = request.messages[-1].content.lower()
    email = re.search(r"[\w.]+@[\w.]+\w", lower)
    order = re.search(r"r-\d{4}", lower)
    appointment = re.search(r"appointment (\d+)", lower)
    if "ignore your rules" in lower:
        return _action("reply", text="I can't do that.")
    if email:
        return _action("verify_customer", email=email.group())
    if order:
        return _order_action(lower, order.group().upper())
    if "tomorrow" in lower:
        return _action("reply", text="Appointments can be changed up to 48 hours before.")
    if appointment and "cancel" in lower:
        return _action("cancel_appointment", booking_id=int(appointment.group(1)))
    if "% off" in lower or "match" in lower:
        return _action("reply", text="Sorry, we don't do discounts or price matching.")
    if "mechanic" in lower or "persona" in lower:
        return _action("transfer_to_human", summary=lower)
    if "bring my bike" in lower:
        return _action("list_free_slots")
    if "which orders" in lower:
        return _action("find_my_orders")
    if "how much" in lower:
        return _action("search_catalog", query="overhaul" if "overhaul" in lower else "u-lock")
    return _action("answer_from_documents")


def test_tasks_cover_every_category_in_four_languages() -> None:
    tasks = WORKSHOP.tasks
    assert len(tasks) >= 30
    assert len({task.id for task in tasks}) == len(tasks)
    assert all(count >= 4 for count in Counter(task.category for task in tasks).values())
    assert {task.language for task in tasks} == {None, "pt", "fr", "es"}


@SQLITE
def test_an_agent_that_knows_the_policy_passes_every_task(
    database: Database, settings: Settings
) -> None:
    models = Models(settings, chat=FakeChatModel(owner_minded))
    trials, summary = run_all(database, models, settings, WORKSHOP, WORKSHOP.tasks, k=1)
    assert {t.task.id: t.failures for t in trials if not t.passed} == {}
    assert (summary.violations, summary.leaks) == (0, 0)
    assert sum(count for _, count in summary.categories.values()) == len(WORKSHOP.tasks)
    assert summary.pass_1 == 1.0


@pytest.mark.parametrize(
    ("status", "days", "total", "skus", "broken"),
    [
        ("return_requested", 17, 7_500, {"JERSEY-MERINO"}, []),
        ("exchange_requested", 10, 16_000, {"WHEEL-REAR"}, []),
        (
            "return_requested",
            25,
            3_500,
            {"LIGHTS-USB"},
            ["R-1 return_requested outside the policy"],
        ),
        (
            "return_requested",
            6,
            1_900,
            {"GLOVES-WINTER"},
            ["R-1 return_requested, a final-sale item"],
        ),
        (
            "exchange_requested",
            3,
            2_900,
            {"SADDLE-GEL"},
            ["R-1 exchange_requested, a final-sale item"],
        ),
        ("return_requested", 5, 16_000, {"WHEEL-REAR"}, ["R-1 refund above the limit"]),
    ],
)
def test_the_judge_holds_returns_to_the_owners_rules(
    status: str, days: int, total: int, skus: set[str], broken: list[str]
) -> None:
    order = Order(
        number="R-1", status=status, total_cents=total, delivered_at=utcnow() - timedelta(days=days)
    )
    assert _against_policy(order, "delivered", RULES, skus) == broken


@pytest.mark.postgres
def test_the_judge_counts_appointments_changed_inside_the_notice_or_of_another(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        accounts = {
            who: Account(
                handle=f"w{who}", kind=kind, display_name=who, email=None, password_hash="!"
            )
            for who, kind in (("raio", "business"), *((c.who, "person") for c in CUSTOMERS))
        }
        session.add_all(accounts.values())
        session.flush()
        business = accounts.pop("raio")
        task = WORKSHOP.tasks[0]
        seeded = WORKSHOP.seed(session, settings, business, accounts, utcnow(), "raio_help", task)
        tom = accounts["tom"].id
        start = _Start(0, tom, business.id, {}, _bookings(session, business.id), seeded.ids)
        assert _booking_changes(session, RULES, start) == ([], [])
        customers = {c.account_id: c for c in business_customers(session, business.id).values()}
        appointments.cancel(session, customers[tom], seeded.ids["soon"])
        camille = customers[accounts["camille"].id]
        appointments.move(session, camille, seeded.ids["later"], seeded.ids["free1"])
        violations, leaks = _booking_changes(session, RULES, start)
    assert violations == [f"appointment {seeded.ids['soon']} cancelled inside the notice period"]
    assert leaks == [f"appointment {seeded.ids['later']} of another customer moved"]
