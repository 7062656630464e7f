"""Rehearsal: a member practises a hard conversation while the model plays the other person;
``rehearsal_feedback`` then says how it went.

The model never runs inside a database transaction: on SQLite every transaction holds the
write lock, and a reply takes seconds. So each step that needs the model comes in three parts,
*begin* (read and store what the member did, flushed), the model (no session), and *record*
(store what the model said), and a caller that shares the database commits after *begin*.
``take_turn`` runs the parts back to back in one session; ``reply_events`` runs the model and
*record* for a streamed reply.

The other person's lines are checked sentence by sentence as they stream (``rehearsal_lines``);
with no good sentence left, a steering line from the scenario is said instead. A member line
that tries to end the role-play ("ignore the scenario ...") is answered with a steering line
without calling the model at all, so no prompt wording has to hold against it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ai.chat import ChatModel, ChatRequest
from townsquare.db import Database
from townsquare.db.models import Account, Rehearsal
from townsquare.errors import Conflict, InvalidInput, NotFound
from townsquare.social.pagination import Page, paginate
from townsquare.studio.rehearsal_beats import Cue, does_beat, next_cue
from townsquare.studio.rehearsal_lines import off_script, spoken
from townsquare.studio.rehearsal_scenarios import (
    CUSTOM,
    MEMBER,
    OTHER,
    SCENARIOS,
    Scenario,
    custom_scenario,
    opening_messages,
    reply_messages,
)

__all__ = [
    "MAX_DESCRIPTION_CHARS",
    "MAX_GOAL_CHARS",
    "MAX_LINES",
    "MAX_LINE_CHARS",
    "MAX_TITLE_CHARS",
    "SCENARIOS",
    "PendingReply",
    "begin_turn",
    "get_rehearsal",
    "lines_left",
    "list_rehearsals",
    "record_reply",
    "reply_events",
    "scenario_of",
    "start_rehearsal",
    "stream_reply",
    "take_turn",
]

log = logging.getLogger(__name__)

MAX_LINES = 40  # transcript lines, both people together
MAX_LINE_CHARS = 1_000  # one member line
MAX_DESCRIPTION_CHARS = 1_000
MAX_GOAL_CHARS = 500
MAX_TITLE_CHARS = 200
# A shorter first line sets no scene: SmolLM2 opened the raise with "No, I'm sorry."
MIN_OPENING_WORDS = 5
REPLY_TOKENS = 80  # enough for two sentences; a longer reply is cut at a sentence end anyway
REPLY_TEMPERATURE = 0.5
# Transcript tokens in a reply prompt: a 135M model loses the thread in long prompts anyway.
HISTORY_TOKENS = 1_200
PROMPT_MARGIN = 32  # tokens left free for rounding in the counts


@dataclass(frozen=True)
class PendingReply:
    """Everything the other person's next line needs, read while the member's line was stored,
    so that the model runs with no transaction open."""

    rehearsal_id: int
    scenario: Scenario
    member: str
    other_person: str
    transcript: tuple[dict[str, str], ...]
    steer_only: bool  # the member's line tried to end the role-play: steer, skip the model


def scenario_of(rehearsal: Rehearsal) -> Scenario:
    if rehearsal.scenario == CUSTOM:
        return custom_scenario(rehearsal.title)
    return SCENARIOS[rehearsal.scenario]


def start_rehearsal(
    session: Session,
    account: Account,
    scenario: str,
    *,
    other_person: str | None = None,
    goal: str = "",
    title: str | None = None,
    model: ChatModel,
) -> Rehearsal:
    """A new rehearsal in which the other person has spoken first.

    A preset may be given another description of the other person and another title; a custom
    rehearsal needs the description, and its title says what the conversation is about. The
    opening is generated before anything is written, so no transaction waits on the model."""
    other_person = _text("other_person", other_person or "", MAX_DESCRIPTION_CHARS)
    goal = _text("goal", goal, MAX_GOAL_CHARS)
    title = _text("title", title or "", MAX_TITLE_CHARS)
    if scenario == CUSTOM:
        if not other_person:
            raise InvalidInput("other_person: describe who you want to talk to")
        preset = custom_scenario(title or "A conversation I find hard")
    elif scenario in SCENARIOS:
        preset = SCENARIOS[scenario]
    else:
        choices = ", ".join([*SCENARIOS, CUSTOM])
        raise InvalidInput(f"scenario: {scenario!r} is not one of {choices}")
    other_person = other_person or preset.other_person
    request = ChatRequest(
        opening_messages(preset, account.display_name, other_person),
        max_tokens=REPLY_TOKENS,
        temperature=REPLY_TEMPERATURE,
        speakers=(account.display_name, preset.name),
    )
    opening = "".join(spoken(model, request, preset, avoid=[preset.greeting]))
    if len(opening.split()) < MIN_OPENING_WORDS:
        opening = preset.opening_line
    rehearsal = Rehearsal(
        account_id=account.id,
        scenario=preset.key,
        title=title or preset.title,
        other_person=other_person,
        goal=goal,
        status="active",
        transcript=[{"role": OTHER, "text": opening}],
    )
    session.add(rehearsal)
    session.flush()
    return rehearsal


def get_rehearsal(session: Session, account: Account, rehearsal_id: int) -> Rehearsal:
    """One of the member's rehearsals; anyone else's is reported as missing, not forbidden, so
    that ids do not reveal which rehearsals exist."""
    rehearsal = session.get(Rehearsal, rehearsal_id)
    if rehearsal is None or rehearsal.account_id != account.id:
        raise NotFound(f"no rehearsal {rehearsal_id}")
    return rehearsal


def list_rehearsals(
    session: Session, account: Account, *, cursor: str | None = None, limit: int = 20
) -> Page[Rehearsal]:
    """The member's rehearsals, newest first."""
    query = select(Rehearsal).where(Rehearsal.account_id == account.id)
    return paginate(session, query, Rehearsal.id, cursor=cursor, limit=limit)


def begin_turn(session: Session, account: Account, rehearsal_id: int, text: str) -> PendingReply:
    """Stores the member's line (flushed) and returns what the reply needs. The line is kept
    even if the reply never comes: the member's words are never lost to a crash."""
    text = _text("text", text, MAX_LINE_CHARS)
    if not text:
        raise InvalidInput("text: say something first")
    rehearsal = _active(session, account, rehearsal_id)
    if len(rehearsal.transcript) + 2 > MAX_LINES:
        raise Conflict(
            f"this rehearsal has reached its {MAX_LINES} lines; finish it to get feedback"
        )
    rehearsal.transcript = [*rehearsal.transcript, {"role": MEMBER, "text": text}]
    session.flush()
    return PendingReply(
        rehearsal_id=rehearsal.id,
        scenario=scenario_of(rehearsal),
        member=account.display_name,
        other_person=rehearsal.other_person,
        transcript=tuple(rehearsal.transcript),
        steer_only=off_script(text),
    )


def stream_reply(pending: PendingReply, *, model: ChatModel) -> Iterator[str]:
    """The other person's reply; touches no database. The beat comes from the scene
    (``rehearsal_beats``); the model phrases it, generation stops at the sentence that does the
    beat, and a phrasing that never does is replaced by the beat's own line. A member line
    that tries to end the role-play gets a steering line."""
    said_before = sum(1 for line in pending.transcript if line["role"] == OTHER)
    steer = pending.scenario.steer[said_before % len(pending.scenario.steer)]
    if pending.steer_only:
        yield steer
        return
    cue = next_cue(pending.scenario.key, pending.transcript)
    now = f'{cue.instruction} For example: "{cue.line}"'
    system_tokens = model.count_tokens(
        pending.scenario.system_prompt(pending.member, pending.other_person)
    ) + model.count_tokens(f"Now: {now}")
    budget = model.context_tokens - REPLY_TOKENS - system_tokens - PROMPT_MARGIN
    messages = reply_messages(
        pending.scenario,
        pending.member,
        pending.other_person,
        pending.transcript,
        count_tokens=model.count_tokens,
        budget_tokens=min(HISTORY_TOKENS, budget),
        now=now,
    )
    request = ChatRequest(
        messages,
        max_tokens=REPLY_TOKENS,
        temperature=REPLY_TEMPERATURE,
        speakers=(pending.member, pending.scenario.name),
    )
    # Nothing the other person said before, nor the member's line, may come back verbatim.
    avoid = [line["text"] for line in pending.transcript if line["role"] == OTHER]
    avoid.append(pending.transcript[-1]["text"])
    yield _phrasing(model, request, pending.scenario, cue, avoid=avoid) or cue.line


def _phrasing(
    model: ChatModel, request: ChatRequest, scenario: Scenario, cue: Cue, *, avoid: list[str]
) -> str:
    """The model's sentences up to the first point where they do ``cue``'s beat, generation
    stopped there; "" when they never do. A second sentence after the beat is done costs a
    second of decoding on a loaded CPU and is where the small model drifts."""
    phrasing = ""
    with closing(spoken(model, request, scenario, avoid=avoid)) as sentences:
        for sentence in sentences:
            phrasing += sentence
            if does_beat(cue, phrasing):
                return phrasing
    return ""


def record_reply(session: Session, account: Account, pending: PendingReply, reply: str) -> None:
    """Appends the other person's line, unless the rehearsal was finished meanwhile."""
    rehearsal = locked_rehearsal(session, account, pending.rehearsal_id)
    if rehearsal.status == "active":
        rehearsal.transcript = [*rehearsal.transcript, {"role": OTHER, "text": reply}]
        session.flush()


def take_turn(
    session: Session, account: Account, rehearsal_id: int, text: str, *, model: ChatModel
) -> str:
    """The member says ``text``; returns what the other person says back."""
    return answer_turn(
        session, account, begin_turn(session, account, rehearsal_id, text), model=model
    )


def answer_turn(
    session: Session, account: Account, pending: PendingReply, *, model: ChatModel
) -> str:
    """The other person's reply to a line already kept, generated whole and recorded."""
    reply = "".join(stream_reply(pending, model=model))
    record_reply(session, account, pending, reply)
    return reply


def lines_left(lines: int) -> int:
    """Lines either person may still say in a rehearsal of ``lines`` lines."""
    return max(0, MAX_LINES - lines)


def reply_events(
    database: Database, account: Account, pending: PendingReply, *, model: ChatModel
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The reply to ``pending`` as ``(event, data)`` pairs for a stream: a ``delta`` per piece,
    then ``done`` with the whole reply, or ``error``. The reply is stored in a session of its own:
    the caller's may be closed by the time the stream ends."""
    pieces: list[str] = []
    try:
        for piece in stream_reply(pending, model=model):
            pieces.append(piece)
            yield "delta", {"text": piece}
        reply = "".join(pieces)
        with database.session() as session:
            record_reply(session, account, pending, reply)
    except Exception:
        log.exception("rehearsal %s: the reply failed", pending.rehearsal_id)
        yield "error", {"detail": "the other person could not answer; your line was kept"}
        return
    yield "done", {"reply": reply, "lines_left": lines_left(len(pending.transcript) + 1)}


def _text(field: str, value: str, limit: int) -> str:
    value = value.strip()
    if "\x00" in value:
        raise InvalidInput(f"{field}: must not contain NUL characters")
    if len(value) > limit:
        raise InvalidInput(f"{field}: at most {limit} characters, got {len(value)}")
    return value


def _active(session: Session, account: Account, rehearsal_id: int) -> Rehearsal:
    rehearsal = locked_rehearsal(session, account, rehearsal_id)
    if rehearsal.status != "active":
        raise Conflict("this rehearsal is finished; start a new one to practise again")
    return rehearsal


def locked_rehearsal(session: Session, account: Account, rehearsal_id: int) -> Rehearsal:
    """The rehearsal, freshly read and locked (on PostgreSQL) against a concurrent append:
    the transcript is rewritten whole, so two unlocked writers would lose a line."""
    rehearsal = session.scalar(
        select(Rehearsal)
        .where(Rehearsal.id == rehearsal_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if rehearsal is None or rehearsal.account_id != account.id:
        raise NotFound(f"no rehearsal {rehearsal_id}")
    return rehearsal
