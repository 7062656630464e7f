"""Rehearsal feedback: what worked, what to try, and a better way to say one of the member's
lines, written by the coach once the member finishes.

Feedback comes from one ``complete_json`` call whose schema lets the model pick what worked,
what to try and the suggestion from the scenario's habits, and the line to rephrase from the
member's own (see ``feedback_schema`` for why a small model must pick rather than write). As
with a turn, the model runs with no transaction open: *begin* (``begin_finish``), the model
(``write_feedback``), then *record* (``store_feedback``).
"""

from __future__ import annotations

import difflib
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

import jsonschema
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from townsquare.ai.chat import ChatModel, ChatRequest, StructuredOutputError
from townsquare.db.models import Account
from townsquare.db.types import utcnow
from townsquare.errors import InvalidInput, TownsquareError
from townsquare.studio.rehearsal import (
    PROMPT_MARGIN,
    get_rehearsal,
    locked_rehearsal,
    scenario_of,
)
from townsquare.studio.rehearsal_lines import normalised, off_script
from townsquare.studio.rehearsal_scenarios import (
    FEEDBACK_SCHEMA,
    MEMBER,
    Scenario,
    feedback_messages,
    feedback_schema,
)

__all__ = [
    "BetterPhrasing",
    "Feedback",
    "FeedbackJob",
    "FeedbackUnavailable",
    "begin_finish",
    "coach",
    "finish_rehearsal",
    "store_feedback",
    "write_feedback",
]

log = logging.getLogger(__name__)

# Three picked items each side, the quoted line (up to MAX_LINE_CHARS) and the suggestion.
FEEDBACK_TOKENS = 700


class FeedbackUnavailable(TownsquareError):
    """The model's feedback did not have the shape of feedback; finishing again retries."""

    status = 503


class BetterPhrasing(BaseModel):
    original: str = Field(description="A line the member said, word for word.")
    suggestion: str = Field(description="A better way to say it.")


class Feedback(BaseModel):
    """What the coach says at the end; stored on the rehearsal as ``model_dump(by_alias=True)``."""

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )

    worked: list[str] = Field(description="One to three things that went well.")
    try_: list[str] = Field(alias="try", description="One to three things to try next time.")
    better_phrasing: BetterPhrasing


@dataclass(frozen=True)
class FeedbackJob:
    """Everything the coach needs, read in one short transaction."""

    rehearsal_id: int
    scenario: Scenario
    member: str
    goal: str
    transcript: tuple[dict[str, str], ...]


def begin_finish(session: Session, account: Account, rehearsal_id: int) -> Feedback | FeedbackJob:
    """The stored feedback if the rehearsal is finished, else what the coach needs."""
    rehearsal = get_rehearsal(session, account, rehearsal_id)
    if rehearsal.feedback is not None:
        return Feedback.model_validate(rehearsal.feedback)
    if not any(line["role"] == MEMBER for line in rehearsal.transcript):
        raise InvalidInput("say something first: there is nothing to give feedback on yet")
    return FeedbackJob(
        rehearsal_id=rehearsal.id,
        scenario=scenario_of(rehearsal),
        member=account.display_name,
        goal=rehearsal.goal,
        transcript=tuple(rehearsal.transcript),
    )


def write_feedback(job: FeedbackJob, *, model: ChatModel) -> Feedback:
    """The coach's feedback on ``job``'s transcript; touches no database. Raises
    ``StructuredOutputError`` when the model's answer does not have the shape of feedback."""
    # What the prompt costs without the transcript; the transcript gets what is left.
    frame = feedback_messages(
        job.scenario, job.member, job.goal, (), count_tokens=model.count_tokens, budget_tokens=0
    )
    fixed_tokens = sum(model.count_tokens(message.content) for message in frame)
    messages = feedback_messages(
        job.scenario,
        job.member,
        job.goal,
        job.transcript,
        count_tokens=model.count_tokens,
        budget_tokens=model.context_tokens - FEEDBACK_TOKENS - fixed_tokens - PROMPT_MARGIN,
    )
    member_lines = [line["text"] for line in job.transcript if line["role"] == MEMBER]
    # A line that tried to end the role-play is no moment worth rephrasing.
    quotable = [line for line in member_lines if not off_script(line)] or member_lines
    request = ChatRequest(
        messages,
        max_tokens=FEEDBACK_TOKENS,
        temperature=0.0,
        json_schema=feedback_schema(job.scenario, quotable),
    )
    try:
        raw = model.complete_json(request)
    except StructuredOutputError as error:
        raw = _salvage(error)
    return _tidy_feedback(raw, quotable, model.name)


def coach(job: FeedbackJob, *, model: ChatModel) -> Feedback:
    """``write_feedback`` for a shell: an answer without the shape of feedback is logged and
    raised as ``FeedbackUnavailable`` (503), which the member can retry."""
    try:
        return write_feedback(job, model=model)
    except StructuredOutputError as error:
        log.warning("rehearsal %s: unusable feedback: %s", job.rehearsal_id, error)
        raise FeedbackUnavailable(
            "the model's feedback did not have the expected shape; finish again to retry"
        ) from error


def store_feedback(
    session: Session, account: Account, job: FeedbackJob, feedback: Feedback
) -> Feedback:
    """Finishes the rehearsal with ``feedback``; if it was finished meanwhile (two requests
    raced), the feedback stored first stands and is returned."""
    rehearsal = locked_rehearsal(session, account, job.rehearsal_id)
    if rehearsal.feedback is not None:
        return Feedback.model_validate(rehearsal.feedback)
    rehearsal.feedback = feedback.model_dump(by_alias=True)
    rehearsal.status = "finished"
    rehearsal.finished_at = utcnow()
    session.flush()
    return feedback


def finish_rehearsal(
    session: Session, account: Account, rehearsal_id: int, *, model: ChatModel
) -> Feedback:
    """Ends the rehearsal with feedback; finishing again returns the same feedback."""
    step = begin_finish(session, account, rehearsal_id)
    if isinstance(step, Feedback):
        return step
    return store_feedback(session, account, step, write_feedback(step, model=model))


def _salvage(error: StructuredOutputError) -> Any:
    """A backend that decodes freely (an OpenAI-compatible server without structured output)
    may ignore the narrowed schema yet answer in the shape all feedback has, in its own words
    and with an approximate quote: that answer is kept. Anything else is the error."""
    try:
        raw = json.loads(error.text)
    except json.JSONDecodeError:
        raise error from None
    if not jsonschema.Draft202012Validator(FEEDBACK_SCHEMA).is_valid(raw):
        raise error
    return raw


def _tidy_feedback(raw: Any, member_lines: list[str], model_name: str) -> Feedback:
    """Schema-valid JSON made into feedback worth showing: blank and repeated items dropped,
    and ``original`` replaced by the member line it quotes (see ``_quoted_line``)."""
    lists: dict[str, list[str]] = {}
    for key in ("worked", "try"):
        items = [" ".join(str(item).split()) for item in raw[key]]
        lists[key] = list(dict.fromkeys(item for item in items if re.search(r"\w", item)))
        if not lists[key]:
            raise StructuredOutputError(f"{model_name} left {key!r} without an item", text=str(raw))
    suggestion = " ".join(str(raw["better_phrasing"]["suggestion"]).split())
    if not re.search(r"\w", suggestion):
        raise StructuredOutputError(f"{model_name} left the suggestion empty", text=str(raw))
    original = _quoted_line(str(raw["better_phrasing"]["original"]), member_lines)
    return Feedback(
        worked=lists["worked"],
        try_=lists["try"],
        better_phrasing=BetterPhrasing(original=original, suggestion=suggestion),
    )


def _quoted_line(quote: str, member_lines: list[str]) -> str:
    """The member line ``quote`` stands for: the one it matches or is part of, else the one
    most like it, else (an invented quote) the member's longest line, the likeliest to be
    worth rephrasing."""
    key = normalised(quote)
    if key:
        for line in member_lines:
            if key == normalised(line) or (len(key) >= 12 and key in normalised(line)):
                return line
        scored = [
            (difflib.SequenceMatcher(None, key, normalised(line)).ratio(), line)
            for line in member_lines
        ]
        score, line = max(scored, key=lambda pair: pair[0])
        if score >= 0.6:
            return line
    return max(member_lines, key=len)
