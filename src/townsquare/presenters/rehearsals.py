"""Rehearsals as their member sees them, and the bodies that start one and say a line."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from townsquare.db.models import Rehearsal
from townsquare.presenters import RequestModel
from townsquare.studio import rehearsal as rehearsals
from townsquare.studio.rehearsal_feedback import Feedback
from townsquare.studio.rehearsal_scenarios import CUSTOM, SCENARIOS, Scenario


class ScenarioPublic(BaseModel):
    key: str
    title: str
    other_person: str = Field(description="Who the other person is, unless you describe them.")
    opens_with: str = Field(description="The kind of line the other person opens with.")
    watch_for: list[str] = Field(description="What the feedback looks at.")


class RehearsalCreate(RequestModel):
    scenario: str = Field(
        max_length=32,
        description="'raise', 'friend', 'boundary', or 'custom' (describe it).",
        json_schema_extra={"enum": [*SCENARIOS, CUSTOM]},  # checked by the service
    )
    other_person: str | None = Field(
        None,
        max_length=rehearsals.MAX_DESCRIPTION_CHARS,
        description="Who the other person is and how they behave; required for 'custom'.",
    )
    goal: str = Field("", max_length=rehearsals.MAX_GOAL_CHARS, description="What you want.")
    title: str | None = Field(
        None, max_length=rehearsals.MAX_TITLE_CHARS, description="What the conversation is about."
    )


class Line(BaseModel):
    role: Literal["member", "other"]
    text: str


class RehearsalSummary(BaseModel):
    id: int
    scenario: str
    title: str
    status: str = Field(description="'active', or 'finished' once there is feedback.")
    lines: int
    created_at: datetime
    finished_at: datetime | None


class RehearsalPublic(RehearsalSummary):
    other_person: str
    goal: str
    lines_left: int = Field(description="Lines either of you may still say.")
    transcript: list[Line]
    feedback: Feedback | None


class TurnCreate(RequestModel):
    text: str = Field(min_length=1, max_length=rehearsals.MAX_LINE_CHARS)


class TurnOut(BaseModel):
    reply: str = Field(description="What the other person says back.")
    lines_left: int


def scenario_public(scenario: Scenario) -> ScenarioPublic:
    return ScenarioPublic(
        key=scenario.key,
        title=scenario.title,
        other_person=scenario.other_person,
        opens_with=scenario.opening_line,
        watch_for=list(scenario.watch_for),
    )


def rehearsal_summary(rehearsal: Rehearsal) -> RehearsalSummary:
    return RehearsalSummary(
        id=rehearsal.id,
        scenario=rehearsal.scenario,
        title=rehearsal.title,
        status=rehearsal.status,
        lines=len(rehearsal.transcript),
        created_at=rehearsal.created_at,
        finished_at=rehearsal.finished_at,
    )


def rehearsal_public(rehearsal: Rehearsal) -> RehearsalPublic:
    return RehearsalPublic(
        **rehearsal_summary(rehearsal).model_dump(),
        other_person=rehearsal.other_person,
        goal=rehearsal.goal,
        lines_left=rehearsals.lines_left(len(rehearsal.transcript)),
        transcript=[Line.model_validate(line) for line in rehearsal.transcript],
        feedback=None
        if rehearsal.feedback is None
        else Feedback.model_validate(rehearsal.feedback),
    )
