"""The intents service: members create, list, pause, resume, cancel and inspect their intents.

This module only writes rows. The worker (``workflows.IntentEngine``) notices new intents and
requested commands and carries them out on the durable workflows, so the API and the CLI never
need the workflow engine in their own process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, InboxItem, Intent, IntentEffect, IntentNode
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, InvalidInput, NotFound
from townsquare.social.pagination import Page, paginate
from townsquare.tasks import business_tools, triggers
from townsquare.tasks.budgets import MAX_LIVE_INTENTS_PER_MEMBER, resolve_budget
from townsquare.tasks.constraints import check_constraints
from townsquare.tasks.intent_tools import validate_call

# Importing it registers the business tools, so a plan may name them wherever plans are checked.
assert business_tools.BUSINESS_TOOLS

MAX_GOAL = 2_000
MAX_OPTIONS = 50
MAX_PLAN = 30
FINISHED = ("done", "failed", "cancelled")
STATUSES = (
    "pending", "running", "waiting", "watching", "asking", "paused", *FINISHED
)  # fmt: skip
COMMANDS = ("pause", "resume", "cancel")


def workflow_id(installation: str, intent_id: int) -> str:
    """The intent's workflow in the engine's system database: unique across installations, so
    one sharing that database, or a stale workflow thread of an earlier database, never collides."""
    return f"intent-{installation}-{intent_id}"


def _check_spec(spec: dict[str, Any]) -> dict[str, Any]:
    known = {"options", "constraints", "wait_until", "watch", "schedule", "plan"}
    unknown = set(spec) - known
    if unknown:
        raise InvalidInput(f"unknown spec fields: {', '.join(sorted(unknown))}")
    clean: dict[str, Any] = {}
    if "options" in spec:
        options = spec["options"]
        if not isinstance(options, list) or len(options) > MAX_OPTIONS:
            raise InvalidInput(f"spec.options must be a list of at most {MAX_OPTIONS} objects")
        if not all(isinstance(o, dict) and isinstance(o.get("name"), str) for o in options):
            raise InvalidInput("each option needs a 'name' string")
        clean["options"] = options
    if spec.get("constraints"):
        clean["constraints"] = check_constraints(spec["constraints"])
    if spec.get("wait_until"):
        clean["wait_until"] = triggers.parse_moment(str(spec["wait_until"])).isoformat()
    if spec.get("watch"):
        triggers.check_watch(spec["watch"])
        clean["watch"] = spec["watch"]
    if spec.get("schedule"):
        triggers.check_schedule(spec["schedule"])
        clean["schedule"] = spec["schedule"]
    if "plan" in spec:
        plan = spec["plan"]
        if not isinstance(plan, list) or not 1 <= len(plan) <= MAX_PLAN:
            raise InvalidInput(f"spec.plan must be a list of 1 to {MAX_PLAN} action calls")
        for call in plan:
            if not isinstance(call, dict):
                raise InvalidInput("each plan step is {'name': ..., 'args': {...}}")
            validate_call(call)
        clean["plan"] = plan
    return clean


def create_intent(
    session: Session,
    member: Account,
    goal: str,
    *,
    spec: dict[str, Any] | None = None,
    autonomous: bool = False,
    budget: dict[str, float] | None = None,
) -> Intent:
    """Stores a new intent; the worker starts its workflow within a poll interval."""
    goal = goal.strip()
    if not goal:
        raise InvalidInput("an intent needs a goal")
    if len(goal) > MAX_GOAL:
        raise InvalidInput(f"a goal is at most {MAX_GOAL} characters")
    live = session.scalar(
        select(func.count())
        .select_from(Intent)
        .where(Intent.owner_id == member.id, Intent.status.not_in(FINISHED))
    )
    if (live or 0) >= MAX_LIVE_INTENTS_PER_MEMBER:
        raise Conflict(
            f"you have {MAX_LIVE_INTENTS_PER_MEMBER} live intents; cancel one to start another"
        )
    intent = Intent(
        owner_id=member.id,
        goal=goal,
        spec=_check_spec(dict(spec or {})),
        autonomous=autonomous,
        budget=resolve_budget(budget).model_dump(),
        used={"model_calls": 0, "steps": 0},
        status="pending",
    )
    session.add(intent)
    session.flush()
    return intent


def get_intent(session: Session, member: Account, intent_id: int) -> Intent:
    intent = session.get(Intent, intent_id)
    if intent is None or intent.owner_id != member.id:
        raise NotFound(f"no intent {intent_id}")
    return intent


def list_intents(
    session: Session,
    member: Account,
    *,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> Page[Intent]:
    query = select(Intent).where(Intent.owner_id == member.id)
    if status is not None:
        if status not in STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}; got {status!r}")
        query = query.where(Intent.status == status)
    return paginate(session, query, Intent.id, cursor=cursor, limit=limit)


def request(session: Session, member: Account, intent_id: int, command: str) -> Intent:
    """Asks the worker to pause, resume or cancel; refuses what makes no sense now (409)."""
    if command not in COMMANDS:
        raise InvalidInput(f"command must be one of {', '.join(COMMANDS)}")
    intent = get_intent(session, member, intent_id)
    if intent.status in FINISHED:
        raise Conflict(f"intent {intent_id} is already {intent.status}")
    if command == "pause" and intent.status == "paused":
        raise Conflict(f"intent {intent_id} is already paused")
    if command == "resume" and intent.status != "paused" and intent.requested != "pause":
        raise Conflict(f"intent {intent_id} is not paused (it is {intent.status})")
    if command == "resume" and intent.requested == "pause":
        intent.requested = None  # the pause was not applied yet: nothing to resume
    else:
        intent.requested = command
    intent.updated_at = utcnow()
    return intent


@dataclass(frozen=True)
class IntentDetail:
    """An intent with everything it did: its planning tree, inbox items and side effects."""

    intent: Intent
    nodes: list[IntentNode]
    inbox: list[InboxItem]
    effects: list[IntentEffect]


def inspect_intent(session: Session, member: Account, intent_id: int) -> IntentDetail:
    intent = get_intent(session, member, intent_id)

    def rows(model: Any) -> list[Any]:
        return list(
            session.scalars(select(model).where(model.intent_id == intent.id).order_by(model.id))
        )

    return IntentDetail(intent, rows(IntentNode), rows(InboxItem), rows(IntentEffect))
