"""Rehearsal feedback: what worked, what to try, and a better way to say one of the member's
lines, computed from the transcript once the member finishes.

Nothing here asks a model. Each of the scenario's habits is looked for in the member's own lines
(``rehearsal_acts``): a habit "worked" when a line shows it, and the point quotes that line; it
is advised under "try" only when no line shows it (or a line spoiled it), so no point is ever in
both. The better phrasing rewrites one of the member's lines from their own words and figures:
hedges and give-ups are cut, and their strongest lines (the ask, the figure, the evidence, the
next step) are joined; a habit still missing adds its figure-free example. No figure appears
that the member did not say.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from townsquare.db.models import Account
from townsquare.db.types import utcnow
from townsquare.errors import InvalidInput
from townsquare.studio.rehearsal import locked_rehearsal, scenario_of
from townsquare.studio.rehearsal_acts import Act, acts_of, figures_of
from townsquare.studio.rehearsal_lines import off_script
from townsquare.studio.rehearsal_scenarios import MEMBER, Habit, Scenario

__all__ = ["BetterPhrasing", "Feedback", "compute_feedback", "finish_rehearsal"]

MAX_QUOTE_CHARS = 120  # a quoted line is cut at a word to keep a point short
MAX_SUGGESTION_CHARS = 300
# What makes a line worth building the suggestion from.
_BUILDING_ACTS: tuple[Act, ...] = (
    "apology",
    "acknowledge",
    "refusal",
    "ask",
    "number",
    "evidence",
    "next_step",
)
# Words that soften a line away or give the ask up; cut from the suggestion.
_WEAK = re.compile(
    r"\b(?:um+|uh+|i guess|maybe|sorry to bother you|kind of|sort of|just|never ?mind|"
    r"forget it|it's fine|whatever|anyway|stuff)\b[,.]?\s*"
    r"|^(?:(?:ok|okay|fine|so|sorry|oh)\b[,.]?\s*)+",
    re.I,
)


class BetterPhrasing(BaseModel):
    original: str = Field(description="A line the member said, word for word.")
    suggestion: str = Field(description="A better way to say it, from the member's own words.")


class Feedback(BaseModel):
    """The feedback at the end; stored on the rehearsal as ``model_dump(by_alias=True)``."""

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )

    worked: list[str] = Field(description="What went well, each quoting the line that shows it.")
    try_: list[str] = Field(alias="try", description="What the member did not do yet.")
    better_phrasing: BetterPhrasing


def finish_rehearsal(session: Session, account: Account, rehearsal_id: int) -> Feedback:
    """Ends the rehearsal with feedback; finishing again returns the same feedback."""
    rehearsal = locked_rehearsal(session, account, rehearsal_id)
    if rehearsal.feedback is not None:
        return Feedback.model_validate(rehearsal.feedback)
    if not any(line["role"] == MEMBER for line in rehearsal.transcript):
        raise InvalidInput("say something first: there is nothing to give feedback on yet")
    feedback = compute_feedback(scenario_of(rehearsal), rehearsal.transcript)
    rehearsal.feedback = feedback.model_dump(by_alias=True)
    rehearsal.status = "finished"
    rehearsal.finished_at = utcnow()
    session.flush()
    return feedback


def compute_feedback(scenario: Scenario, transcript: Sequence[dict[str, str]]) -> Feedback:
    """The feedback on ``transcript`` (which has at least one member line)."""
    said = [line["text"] for line in transcript if line["role"] == MEMBER]
    lines = [line for line in said if not off_script(line)] or said
    acts = [acts_of(line) for line in lines]
    worked: list[str] = []
    tries: list[str] = []
    for habit in scenario.habits:
        shown = _showing_line(habit, lines, acts)
        if shown is None:
            tries.append(habit.advice)
        else:
            worked.append(f'{habit.did} You said: "{_quote(shown)}"')
    missing = [habit for habit in scenario.habits if habit.advice in tries]
    return Feedback(worked=worked, try_=tries, better_phrasing=_better(lines, acts, missing))


def _showing_line(habit: Habit, lines: list[str], acts: list[frozenset[Act]]) -> str | None:
    """The member line that shows ``habit``, or None when none does or one spoiled it."""
    if any(set(habit.spoiled_by) & line_acts for line_acts in acts):
        return None
    showing = [
        line for line, line_acts in zip(lines, acts, strict=True) if set(habit.shown_by) & line_acts
    ]
    needed = 2 if habit.twice else 1
    return showing[needed - 1] if len(showing) >= needed else None


def _quote(line: str) -> str:
    line = " ".join(line.split())
    if len(line) <= MAX_QUOTE_CHARS:
        return line
    return line[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"


def _better(lines: list[str], acts: list[frozenset[Act]], missing: list[Habit]) -> BetterPhrasing:
    """One member line and a better way to say it, from their own lines (see the module)."""
    weak = [line for line, a in zip(lines, acts, strict=True) if {"cave", "hedge", "blame"} & a]
    asks = [line for line, a in zip(lines, acts, strict=True) if "ask" in a]
    original = (weak or asks or [max(lines, key=len)])[0]
    parts: list[str] = []
    for line, line_acts in zip(lines, acts, strict=True):
        cleaned = _strengthened(line)
        if set(_BUILDING_ACTS) & line_acts and not {"cave", "blame"} & line_acts and cleaned:
            parts.append(cleaned)
    parts.extend(habit.example for habit in missing[:1])
    member_figures: set[str] = set().union(*(figures_of(line) for line in lines))
    suggestion = ""
    for part in parts:
        if len(suggestion) + len(part) + 1 > MAX_SUGGESTION_CHARS:
            break
        if figures_of(part) <= member_figures:  # a figure the member did not say never comes in
            suggestion = f"{suggestion} {part}".strip()
    return BetterPhrasing(original=original, suggestion=suggestion or original)


def _strengthened(line: str) -> str:
    """``line`` without its hedges and give-ups, as a sentence."""
    text = " ".join(_WEAK.sub("", line).split()).strip(" ,;")
    if len(text.split()) < 3:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."
