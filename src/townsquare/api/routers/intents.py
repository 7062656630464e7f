"""Intents and the inbox: give a goal, follow it, pause, resume or cancel it, answer its
questions. The worker carries the changes out within a poll interval."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status
from pydantic import Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import Cursor, IdPath, Limit, SessionDep
from townsquare.presenters import JsonBounds, PageOut, RequestModel, page_out
from townsquare.presenters.intents import (
    InboxItemOut,
    IntentDetailOut,
    IntentOut,
    IntentStatus,
    inbox_item_public,
    intent_detail_public,
    intent_public,
)
from townsquare.tasks import inbox, intents
from townsquare.tasks.budgets import Budget

router = APIRouter(tags=["intents"])


class WatchIn(RequestModel):
    kind: Literal["comment", "like", "follow"] = Field(
        description="comment/like: on the member's posts; follow: of the member."
    )
    contains: str = Field("", max_length=200, description="Comments only: a phrase to look for.")


class ScheduleIn(RequestModel):
    cron: str = Field(
        max_length=100, description="A cron expression, e.g. '0 9 * * 1' for Mondays at 9:00."
    )
    timezone: str = Field(
        "UTC", max_length=64, description="An IANA time zone, e.g. 'Europe/Paris'."
    )
    runs: int = Field(1, ge=1, le=1000, description="How many times to run.")


class ActionCallIn(RequestModel):
    name: str = Field(
        max_length=64, description="A registered action, e.g. publish_post, send_dm, choose."
    )
    args: Annotated[dict[str, Any], JsonBounds(max_keys=32, max_depth=4, max_bytes=16_384)] = Field(
        default_factory=dict
    )


Option = Annotated[dict[str, Any], JsonBounds(max_keys=32, max_depth=3, max_bytes=8_192)]
Limits = Annotated[dict[str, float], Field(max_length=2)]


class IntentIn(RequestModel):
    goal: str = Field(min_length=1, max_length=intents.MAX_GOAL, description="What to achieve.")
    options: list[Option] | None = Field(
        None,
        max_length=intents.MAX_OPTIONS,
        description="Things to choose among, each with a 'name' and its facts.",
    )
    constraints: dict[str, Limits] | None = Field(
        None,
        max_length=32,
        description="Limits on the options' facts, checked in code: the planner drops an option "
        'that breaks one. E.g. {"price_eur": {"max": 500}, "capacity": {"min": 40}}.',
    )
    wait_until: datetime | None = Field(None, description="Start no earlier than this moment.")
    watch: WatchIn | None = Field(None, description="Wake on a platform event.")
    schedule: ScheduleIn | None = Field(None, description="Run on a schedule.")
    plan: list[ActionCallIn] | None = Field(
        None, max_length=intents.MAX_PLAN, description="Skip planning and carry out these actions."
    )
    autonomous: bool = Field(
        False, description="Publish and message on your behalf without asking first."
    )
    budget: Budget = Field(default_factory=Budget)


class AnswerIn(RequestModel):
    answer: str = Field(min_length=1, max_length=inbox.MAX_ANSWER)


@router.post("/intents", status_code=status.HTTP_201_CREATED, response_model=IntentOut)
def create_intent(body: IntentIn, me: CurrentAccount, session: SessionDep) -> IntentOut:
    """Gives your assistant a goal. It plans, waits and watches as asked, and reports to your
    inbox; publishing or messaging on your behalf asks first unless `autonomous` is set."""
    spec = body.model_dump(
        include={"options", "constraints", "watch", "schedule", "plan"}, exclude_none=True
    )
    if body.wait_until is not None:
        spec["wait_until"] = body.wait_until.isoformat()
    row = intents.create_intent(
        session, me, body.goal, spec=spec, autonomous=body.autonomous,
        budget=body.budget.model_dump(),
    )  # fmt: skip
    session.commit()
    return intent_public(row)


@router.get("/intents", response_model=PageOut[IntentOut])
def list_intents(
    me: CurrentAccount,
    session: SessionDep,
    status_: IntentStatus | None = Query(None, alias="status"),
    cursor: Cursor = None,
    limit: Limit = 20,
) -> PageOut[IntentOut]:
    """Your intents, newest first; `?status=` filters."""
    page = intents.list_intents(session, me, status=status_, cursor=cursor, limit=limit)
    return page_out(page, intent_public)


@router.get("/intents/inbox", response_model=PageOut[InboxItemOut])
def list_inbox(
    me: CurrentAccount,
    session: SessionDep,
    unanswered: bool = Query(False, description="Only questions and approvals awaiting you."),
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOut[InboxItemOut]:
    """What your intents brought back: results, questions, approvals, notices; newest first."""
    page = inbox.list_inbox(session, me, unanswered=unanswered, cursor=cursor, limit=limit)
    return page_out(page, inbox_item_public)


@router.post("/intents/inbox/{item_id:int}/answer", response_model=InboxItemOut)
def answer(
    item_id: IdPath, body: AnswerIn, me: CurrentAccount, session: SessionDep
) -> InboxItemOut:
    """Answers a question or approval (one of its `choices`, if it has any); the intent
    waiting for it goes on."""
    item = inbox.answer_item(session, me, item_id, body.answer)
    session.commit()
    return inbox_item_public(item)


@router.get("/intents/{intent_id:int}", response_model=IntentDetailOut)
def inspect_intent(intent_id: IdPath, me: CurrentAccount, session: SessionDep) -> IntentDetailOut:
    """An intent with its planning tree (each node's action, score, kept or pruned and why),
    its inbox items and the side effects it caused."""
    return intent_detail_public(intents.inspect_intent(session, me, intent_id))


def _command(command: str) -> None:
    def endpoint(intent_id: IdPath, me: CurrentAccount, session: SessionDep) -> IntentOut:
        row = intents.request(session, me, intent_id, command)
        session.commit()
        return intent_public(row)

    endpoint.__name__ = f"{command}_intent"
    endpoint.__doc__ = (
        f"Asks the worker to {command} the intent (409 if that makes no sense now); "
        "`requested` shows it until applied."
    )
    router.post(
        f"/intents/{{intent_id:int}}/{command}",
        response_model=IntentOut,
        status_code=status.HTTP_202_ACCEPTED,
    )(endpoint)


for _command_name in intents.COMMANDS:
    _command(_command_name)
