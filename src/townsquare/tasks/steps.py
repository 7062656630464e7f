"""The steps of an intent's workflow (``workflows.intent_workflow``): each runs once, and DBOS
checkpoints its result in the system database, so a replay after a crash or a resume returns
the stored result instead of running it again. A step with a side effect writes the effect and
its idempotency key in one transaction of the app database (``intent_tools.execute``), so a
step re-run after a crash that came before its checkpoint finds the key and does nothing twice.

The steps reach the app database and the models through the ``Runtime`` the ``IntentEngine``
attaches to this process when it starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from dbos import DBOS
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Account, Intent, IntentNode
from townsquare.db.transient import is_transient
from townsquare.db.types import utcnow
from townsquare.errors import TownsquareError
from townsquare.tasks import budgets, intent_tools, triggers
from townsquare.tasks.business_tools import BUSINESS_TOOLS, businesses_of
from townsquare.tasks.constraints import fitting
from townsquare.tasks.inbox import add_item, key_prefix, post_item
from townsquare.tasks.intent_tools import IntentContext
from townsquare.tasks.intents import FINISHED
from townsquare.tasks.planner import PlanProblem, SearchBudget, tree_search

# A step that reaches the app database tries again when it failed for a passing reason (the
# server out of connections or restarting, a dropped connection, a deadlock): after 0.5, 1, 2
# and 4 s, then its workflow ends in an error (``engine.IntentEngine._errored`` fails the
# intent). Every such step may run twice: its writes are one transaction, and those with an
# effect are keyed (an inbox item, an intent effect, the end), as a re-run after a crash needs.
RETRY_ATTEMPTS = 5
RETRY_FIRST_WAIT_S = 0.5
RETRY_BACKOFF = 2.0
P = ParamSpec("P")
R = TypeVar("R")


def app_step() -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``DBOS.step`` for a step that reaches the app database: tried again as above."""
    return DBOS.step(
        retries_allowed=True,
        max_attempts=RETRY_ATTEMPTS,
        interval_seconds=RETRY_FIRST_WAIT_S,
        backoff_rate=RETRY_BACKOFF,
        should_retry=is_transient,
    )


PLAN_TOOLS = ("search_posts", "search_people", "read_feed", "draft_post", "publish_post",
              "send_dm", "create_reminder", "choose", "finish")  # fmt: skip


@dataclass
class Runtime:
    """What the steps run with: the app database, the models, the planning budget."""

    database: Database
    models: Models
    plan_budget: SearchBudget


_runtime: Runtime | None = None


def current() -> Runtime | None:
    """The runtime of the engine running in this process, if one is."""
    return _runtime


def attach(runtime: Runtime | None) -> None:
    """Sets (None: clears) the runtime of the engine running in this process."""
    global _runtime
    _runtime = runtime


def _rt() -> Runtime:
    if _runtime is None:
        raise RuntimeError("the intent engine is not started in this process")
    return _runtime


def _load(session: Session, intent_id: int) -> Intent:
    intent: Intent | None = session.get(Intent, intent_id)
    if intent is None:
        raise TownsquareError(f"intent {intent_id} was deleted")
    return intent


@app_step()
def begin_step(intent_id: int) -> dict[str, Any]:
    with _rt().database.session() as session:
        intent = _load(session, intent_id)
        if intent.status in ("pending", "paused"):
            intent.status = "running"
        return {"spec": dict(intent.spec), "autonomous": intent.autonomous, "goal": intent.goal}


@DBOS.step()
def now_step() -> float:
    return time.time()


def mark(intent_id: int, status: str) -> None:
    """Shows what the intent is doing. Not a step: it runs again on every replay, so after a
    restart or a resume the status ends up at the wait the workflow is really in. It tries again
    as the steps do (``app_step``)."""
    for attempt in range(RETRY_ATTEMPTS):
        try:
            with _rt().database.session() as session:
                intent = _load(session, intent_id)
                if intent.status not in (*FINISHED, "paused"):
                    intent.status = status
                    intent.updated_at = utcnow()
            return
        except Exception as error:
            if attempt == RETRY_ATTEMPTS - 1 or not is_transient(error):
                raise
            time.sleep(RETRY_FIRST_WAIT_S * RETRY_BACKOFF**attempt)


@app_step()
def arm_watch_step(intent_id: int) -> None:
    """From now on, matching events wake the intent (earlier ones do not)."""
    with _rt().database.session() as session:
        intent = _load(session, intent_id)
        intent.watch_after_event_id = triggers.latest_event_id(session)


@app_step()
def woken_step(intent_id: int, event: dict[str, Any]) -> None:
    with _rt().database.session() as session:
        intent = _load(session, intent_id)
        used = dict(intent.used)
        at = event.get("at")
        if isinstance(at, str):
            used["last_wake_latency_s"] = round(
                time.time() - datetime.fromisoformat(at).timestamp(), 4
            )
        used["wakes"] = used.get("wakes", 0) + 1
        intent.used = used


def _option(node: IntentNode) -> str | None:
    """The option a "choose" node picks, if it is one."""
    args = node.action.get("args")
    if node.action.get("name") != "choose" or not isinstance(args, dict):
        return None
    return str(args.get("option"))


@app_step()
def plan_step(intent_id: int, round_no: int, context: str) -> dict[str, Any]:
    """Plans (tree search with the chat model, or the member's own plan) and stores the tree."""
    rt = _rt()
    with rt.database.session() as session:
        intent = _load(session, intent_id)
        spec: dict[str, Any] = dict(intent.spec)
        goal, used = intent.goal, dict(intent.used)
        budget = dict(intent.budget)
        member = session.get(Account, intent.owner_id)
        businesses = businesses_of(session, member) if member is not None else []
    options = list(spec.get("options", []))
    limits = dict(spec.get("constraints", {}))
    if "plan" in spec:
        actions = list(spec["plan"])
        nodes = [
            IntentNode(
                intent_id=intent_id, round=round_no, key=".".join(["0"] * (i + 1)),
                parent_key=".".join(["0"] * i) or None, depth=i + 1, action=call, score=1.0,
                status="chosen", reason="given by the member",
            )
            for i, call in enumerate(actions)
        ]  # fmt: skip
        calls = 0
    else:
        left = int(budget.get("model_calls", 0) - used.get("model_calls", 0))
        search_budget = SearchBudget(
            model_calls=max(0, min(left, rt.plan_budget.model_calls)),
            seconds=rt.plan_budget.seconds,
            branching=rt.plan_budget.branching,
            max_depth=rt.plan_budget.max_depth,
        )
        if search_budget.model_calls == 0:
            raise budgets.BudgetExceeded("no model calls left to plan with")
        tools: tuple[str, ...] = PLAN_TOOLS
        if businesses:  # the business tools, for the businesses the member owns or buys from
            tools += tuple(t.name for t in BUSINESS_TOOLS)
            context = f"{context}\nBusinesses: {', '.join(businesses)}".strip()
        problem = PlanProblem(goal, tools, options, context, limits)
        result = tree_search(rt.models.chat, problem, search_budget)
        actions, calls = result.actions, result.model_calls
        nodes = [
            IntentNode(
                intent_id=intent_id, round=round_no, key=n.key, parent_key=n.parent_key,
                depth=n.depth, action=n.action, score=n.score, status=n.status, reason=n.reason,
            )
            for n in result.nodes
        ]  # fmt: skip
    # Options the search found feasible, best first: the member picks among them.
    kept = [
        o
        for n in sorted(nodes, key=lambda n: -n.score)
        if (o := _option(n)) and n.status in ("kept", "chosen")
    ]
    confirmed = bool(kept)
    if options and not kept:  # none confirmed within the budget: the member decides
        kept = [str(o["name"]) for o in fitting(options, limits)[:3]]
    with rt.database.session() as session:
        intent = _load(session, intent_id)
        for old in session.scalars(
            select(IntentNode).where(
                IntentNode.intent_id == intent_id, IntentNode.round == round_no
            )
        ):
            session.delete(old)
        session.add_all(nodes)
        used = dict(intent.used)
        used["model_calls"] = used.get("model_calls", 0) + calls
        intent.used = used
    return {
        "actions": actions,
        "fits": list(dict.fromkeys(kept))[:3] if options else [],
        "confirmed": confirmed,
    }


@app_step()
def inbox_step(intent_id: int, kind: str, text: str, key: str, choices: list[str]) -> int:
    with _rt().database.session() as session:
        intent = _load(session, intent_id)
        return post_item(session, intent, kind, text, key=key, choices=choices).id


@app_step()
def act_step(intent_id: int, key: str, call: dict[str, Any]) -> dict[str, Any]:
    with _rt().database.session() as session:
        intent = _load(session, intent_id)
        used = dict(intent.used)
        used["steps"] = used.get("steps", 0) + 1
        elapsed = (utcnow() - intent.created_at).total_seconds()
        budgets.check(intent.budget, used, elapsed_s=elapsed)
        member = session.get(Account, intent.owner_id)
        assert member is not None
        result = intent_tools.execute(IntentContext(session, member, intent), call, key)
        intent.used = used
        return result


def finish(session: Session, intent: Intent, status: str, text: str, error: str) -> bool:
    """Ends the intent and tells its owner in the inbox, once: the item's key is the end's, and
    it is written with the end in one transaction. False, changing nothing, when the intent was
    ended already (a replayed step, or another worker that ended it first)."""
    kind = "result" if status == "done" else "notice"
    body = text if status == "done" else f"I stopped: {error}"
    _item, added = add_item(session, intent, kind, body, key=f"{key_prefix(intent.id)}:end")
    if not added:
        return False
    intent.status, intent.result, intent.error = status, text, error
    intent.finished_at = intent.updated_at = utcnow()
    return True


@app_step()
def finish_step(intent_id: int, status: str, text: str, error: str) -> None:
    with _rt().database.session() as session:
        finish(session, _load(session, intent_id), status, text, error)
