"""Rehearsal: a member practises a hard conversation while the model plays the other person,
then gets structured feedback on how it went.

The model never runs inside a database transaction: on SQLite every transaction holds the
write lock, and a reply takes seconds. So each step that needs the model comes in three parts,
*begin* (read and store what the member did, flushed), the model (no session), and *record*
(store what the model said), and a caller that shares the database commits after *begin*.
``take_turn`` and ``finish_rehearsal`` run the parts back to back in one session.

The other person's lines are checked sentence by sentence as they stream, because the embedded
135M model often drifts: it narrates ("Dana smiles"), labels its own lines, loops on one
sentence, or talks about being an assistant. A line keeps at most ``REPLY_SENTENCES`` good
sentences and stops at the first bad one; with none left, a steering line from the scenario is
said instead. A member line that tries to end the role-play ("ignore the scenario ...") is
answered with a steering line without calling the model at all, so no prompt wording has to
hold against it.

Feedback comes from one ``complete_json`` call whose schema lets the model pick what worked,
what to try and the suggestion from the scenario's habits, and the line to rephrase from the
member's own (see ``feedback_schema`` for why a small model must pick rather than write).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import jsonschema
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ai.chat import ChatChunk, ChatModel, ChatRequest, StructuredOutputError
from townsquare.db.models import Account, Rehearsal
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, InvalidInput, NotFound
from townsquare.social.pagination import Page, paginate
from townsquare.studio.conversation.safety import is_override_attempt
from townsquare.studio.rehearsal_scenarios import (
    CUSTOM,
    FEEDBACK_SCHEMA,
    MEMBER,
    OTHER,
    SCENARIOS,
    Scenario,
    custom_scenario,
    feedback_messages,
    feedback_schema,
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
    "BetterPhrasing",
    "Feedback",
    "FeedbackJob",
    "PendingReply",
    "begin_finish",
    "begin_turn",
    "finish_rehearsal",
    "get_rehearsal",
    "list_rehearsals",
    "record_reply",
    "scenario_of",
    "start_rehearsal",
    "store_feedback",
    "stream_reply",
    "take_turn",
    "write_feedback",
]

MAX_LINES = 40  # transcript lines, both people together
MAX_LINE_CHARS = 1_000  # one member line
MAX_DESCRIPTION_CHARS = 1_000
MAX_GOAL_CHARS = 500
MAX_TITLE_CHARS = 200
# A shorter first line sets no scene: SmolLM2 opened the raise with "No, I'm sorry."
MIN_OPENING_WORDS = 5
REPLY_SENTENCES = 2  # the other person speaks in short turns
REPLY_TOKENS = 80  # enough for two sentences; a longer reply is cut at a sentence end anyway
REPLY_TEMPERATURE = 0.5
# Transcript tokens in a reply prompt: a 135M model loses the thread in long prompts anyway.
HISTORY_TOKENS = 1_200
# Three picked items each side, the quoted line (up to MAX_LINE_CHARS) and the suggestion.
FEEDBACK_TOKENS = 700
_PROMPT_MARGIN = 32  # tokens left free for rounding in the counts
# A sentence of at least this many words repeats an earlier one when it shares this share of
# its words with it.
REPEAT_MIN_WORDS = 4
REPEAT_OVERLAP = 0.8

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'\u201d\u2019)\]]*\s+")
_STAGE_DIRECTION = re.compile(r"\([^)]*\)?|\*[^*]*\*?|\[[^\]]*\]?")
_SPEAKER_LABEL = re.compile(r"^[\w .'\u2019-]{1,40}:\s*")
_OUT_OF_CHARACTER = re.compile(
    r"\b(?:as an ai|an ai|a\.i\.|ai model|language model|assistant|chat ?bot|role-?play|"
    r"scenario|the user|system prompt|instructions?|in character|conversation so far)\b"
    r"|\b(?:she|he) (?:says|asks|replies)\b|\b(?:smiles|nods|sighs|shrugs|frowns)\b",
    re.I,
)
# Member lines that try to end the role-play without sounding like a prompt injection.
_BREAKS_SCENE = re.compile(
    r"\b(?:ignore|forget|drop|stop|leave|break|quit)\b[^.!?\n]{0,30}"
    r"\b(?:scenario|role-?play(?:ing)?|character|script|game|pretending)\b"
    r"|\bout of character\b"
    r"|\byou(?:'re| are) (?:just )?(?:an? )?(?:ai|bot|chat ?bot|language model|assistant)\b"
    r"|\b(?:write|compose|generate)\b[^.!?\n]{0,12}"
    r"\b(?:poem|story|essay|song|haiku|limerick|code|recipe)\b",
    re.I,
)


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
class PendingReply:
    """Everything the other person's next line needs, read while the member's line was stored,
    so that the model runs with no transaction open."""

    rehearsal_id: int
    scenario: Scenario
    member: str
    other_person: str
    transcript: tuple[dict[str, str], ...]
    steer_only: bool  # the member's line tried to end the role-play: steer, skip the model


@dataclass(frozen=True)
class FeedbackJob:
    """Everything the coach needs, read in one short transaction."""

    rehearsal_id: int
    scenario: Scenario
    member: str
    goal: str
    transcript: tuple[dict[str, str], ...]


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
    )
    opening = "".join(_spoken(model, request, preset, avoid=[preset.greeting]))
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
        steer_only=_off_script(text),
    )


def stream_reply(pending: PendingReply, *, model: ChatModel) -> Iterator[str]:
    """The other person's reply, a checked sentence at a time; touches no database."""
    said_before = sum(1 for line in pending.transcript if line["role"] == OTHER)
    steer = pending.scenario.steer[said_before % len(pending.scenario.steer)]
    if pending.steer_only:
        yield steer
        return
    system_tokens = model.count_tokens(
        pending.scenario.system_prompt(pending.member, pending.other_person)
    )
    budget = model.context_tokens - REPLY_TOKENS - system_tokens - _PROMPT_MARGIN
    messages = reply_messages(
        pending.scenario,
        pending.member,
        pending.other_person,
        pending.transcript,
        count_tokens=model.count_tokens,
        budget_tokens=min(HISTORY_TOKENS, budget),
    )
    request = ChatRequest(messages, max_tokens=REPLY_TOKENS, temperature=REPLY_TEMPERATURE)
    spoken = False
    # Nothing the other person said before, nor the member's line, may come back verbatim.
    avoid = [line["text"] for line in pending.transcript if line["role"] == OTHER]
    avoid.append(pending.transcript[-1]["text"])
    for piece in _spoken(model, request, pending.scenario, avoid=avoid):
        spoken = True
        yield piece
    if not spoken:
        yield steer


def record_reply(session: Session, account: Account, pending: PendingReply, reply: str) -> None:
    """Appends the other person's line, unless the rehearsal was finished meanwhile."""
    rehearsal = _locked(session, account, pending.rehearsal_id)
    if rehearsal.status == "active":
        rehearsal.transcript = [*rehearsal.transcript, {"role": OTHER, "text": reply}]
        session.flush()


def take_turn(
    session: Session, account: Account, rehearsal_id: int, text: str, *, model: ChatModel
) -> str:
    """The member says ``text``; returns what the other person says back."""
    pending = begin_turn(session, account, rehearsal_id, text)
    reply = "".join(stream_reply(pending, model=model))
    record_reply(session, account, pending, reply)
    return reply


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
        budget_tokens=model.context_tokens - FEEDBACK_TOKENS - fixed_tokens - _PROMPT_MARGIN,
    )
    member_lines = [line["text"] for line in job.transcript if line["role"] == MEMBER]
    # A line that tried to end the role-play is no moment worth rephrasing.
    quotable = [line for line in member_lines if not _off_script(line)] or member_lines
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


def store_feedback(
    session: Session, account: Account, job: FeedbackJob, feedback: Feedback
) -> Feedback:
    """Finishes the rehearsal with ``feedback``; if it was finished meanwhile (two requests
    raced), the feedback stored first stands and is returned."""
    rehearsal = _locked(session, account, job.rehearsal_id)
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


def _off_script(text: str) -> bool:
    """Whether a member line tries to end the role-play or rewrite the other person."""
    return is_override_attempt(text) or _BREAKS_SCENE.search(text) is not None


def _text(field: str, value: str, limit: int) -> str:
    value = value.strip()
    if "\x00" in value:
        raise InvalidInput(f"{field}: must not contain NUL characters")
    if len(value) > limit:
        raise InvalidInput(f"{field}: at most {limit} characters, got {len(value)}")
    return value


def _active(session: Session, account: Account, rehearsal_id: int) -> Rehearsal:
    rehearsal = _locked(session, account, rehearsal_id)
    if rehearsal.status != "active":
        raise Conflict("this rehearsal is finished; start a new one to practise again")
    return rehearsal


def _locked(session: Session, account: Account, rehearsal_id: int) -> Rehearsal:
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


def _spoken(
    model: ChatModel, request: ChatRequest, scenario: Scenario, *, avoid: Sequence[str]
) -> Iterator[str]:
    """The usable sentences of the model's line, as they complete: cleaned of labels and stage
    directions, at most ``REPLY_SENTENCES``, ending at the first one that is out of character,
    loops ("I'm sorry, I'm sorry."), or repeats a sentence of its own or of ``avoid``. May
    yield nothing."""
    seen = {_normalised(sentence) for line in avoid for sentence in [line, *_split(line)]}
    count = 0
    chunks = model.stream(request)
    try:
        for sentence in _sentences(chunks):
            line = _clean(sentence, first=count == 0)
            if not line:
                continue
            key = _normalised(line)
            if (
                _repeats(key, seen)
                or _loops(line)
                or _OUT_OF_CHARACTER.search(line)
                or _starts_with(line, scenario.name)
            ):
                return
            seen.add(key)
            yield line if count == 0 else f" {line}"
            count += 1
            if count == REPLY_SENTENCES:
                return
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # stops generation now and frees the model for the next request


def _sentences(chunks: Iterator[ChatChunk]) -> Iterator[str]:
    """Complete sentences as the model writes them. A line break after some text ends the
    reply (the model has started on someone else's line), and so does running out of tokens
    (the last sentence would be cut off)."""
    buffer = ""
    finish_reason = None
    for chunk in chunks:
        buffer += chunk.text
        finish_reason = chunk.finish_reason or finish_reason
        text = buffer.lstrip()
        if "\n" in text:
            yield from _split(text[: text.index("\n")])
            return
        ends = list(_SENTENCE_END.finditer(text))
        if ends:
            yield from _split(text[: ends[-1].end()])
            text = text[ends[-1].end() :]
        buffer = text
    if finish_reason != "length":
        yield from _split(buffer)


def _split(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _clean(sentence: str, *, first: bool) -> str:
    text = _STAGE_DIRECTION.sub(" ", sentence)
    if first:
        text = _SPEAKER_LABEL.sub("", text.strip())
    text = " ".join(text.split()).strip("\"'\u201c\u201d\u2018\u2019 ")
    return text if re.search(r"\w", text) else ""


def _starts_with(line: str, name: str) -> bool:
    """A line that starts with the speaker's own name is narration ("Dana stands up") or the
    model talking to itself ("Dana, I'm glad ...")."""
    return bool(name) and re.match(rf"{re.escape(name)}\b", line, re.I) is not None


def _repeats(key: str, seen: set[str]) -> bool:
    """Whether a normalised sentence is one of ``seen``, or (from four words up) shares 80% of
    its words with one: the small model re-says its last line with a word or two changed."""
    if key in seen:
        return True
    words = set(key.split())
    for earlier in seen:
        other = set(earlier.split())
        shortest = min(len(words), len(other))
        if shortest >= REPEAT_MIN_WORDS and len(words & other) >= REPEAT_OVERLAP * shortest:
            return True
    return False


def _loops(sentence: str) -> bool:
    """Whether a clause of the sentence comes twice: the small model's repetition loop."""
    clauses = [_normalised(c) for c in re.split(r"[,;:]", sentence)]
    clauses = [c for c in clauses if c]
    return len(set(clauses)) < len(clauses)


def _normalised(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


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
    key = _normalised(quote)
    if key:
        for line in member_lines:
            if key == _normalised(line) or (len(key) >= 12 and key in _normalised(line)):
                return line
        scored = [
            (difflib.SequenceMatcher(None, key, _normalised(line)).ratio(), line)
            for line in member_lines
        ]
        score, line = max(scored, key=lambda pair: pair[0])
        if score >= 0.6:
            return line
    return max(member_lines, key=len)
