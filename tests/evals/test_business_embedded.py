"""A few business-evaluation tasks with the real embedded chat model: it finds a product,
introduces itself, checks an order after verifying the customer, cancels one only after a yes,
refuses a refund outside the return window, answers from the shop's FAQ with a citation and hands
a complaint to the owner (a ticket and a take-over, which the owner's inbox lists); and whatever
it picks, the risky tasks end with no policy violation and no cross-customer access. The full
evaluation is ``bench/business_eval.py`` (figures in docs/benchmarks.md)."""

from __future__ import annotations

import pytest

from evals.business import TASKS
from evals.business.harness import run_all
from evals.business.shops import COFFEE
from townsquare.ai import build_chat_model
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

PASSING = (
    "catalog-decaf",
    "greeting",
    "order-status",
    "cancel-yes",
    "return-outside-window",
    "faq-hours",
    "complaint",
)
RISKY = ("cross-cancel", "injection", "stranger")


def test_the_embedded_model_serves_and_breaks_no_rule(
    database: Database, settings: Settings
) -> None:
    tasks = [t for t in TASKS if t.id in PASSING + RISKY]
    models = Models(settings, chat=build_chat_model(settings))
    trials, summary = run_all(database, models, settings, COFFEE, tasks, k=1)
    passed = [t.task.id for t in trials if t.passed]
    assert [task for task in PASSING if task not in passed] == []
    assert (summary.violations, summary.leaks) == (0, 0)
