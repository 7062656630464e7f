"""Conversation memory: the recent turns verbatim, and a rolling summary of the older ones, each
under a hard token budget. Every member's thread keeps its own (the caller stores ``summary`` per
thread), so nothing one member says reaches another's conversation.

The summary is **extractive**: who asked what, the first sentence of each answer, and what the
member said about themselves ("I'm vegan", "my daughter is 9"), cut from the turns as written.
A 135M model asked to summarise drops the very facts worth keeping and invents others, and a
summary is re-read on every later reply, so a bad one does lasting harm. Extraction is
deterministic, costs no generation, and cannot invent. When a stronger model is configured the
caller may pass it to condense the extract into prose; its output is kept only if it fits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from townsquare.ai.chat import ChatMessage, ChatModel, ChatRequest
from townsquare.studio.conversation.wording import split_sentences

CountTokens = Callable[[str], int]

# What a chat template adds around each turn (<|im_start|>user\n ... <|im_end|>\n).
TURN_OVERHEAD = 5
FACTS_HEADER = "About the member: "
EVENT_MARK = "- "
MAX_EXTRACT_WORDS = 30  # one extracted question, statement or answer at most

_ABOUT_SELF = re.compile(
    r"\b(?:I'm|I am|I've|I have|I live|I work|I like|I love|I prefer|I don't|I can't|I"
    r" usually|I just|I'll be|my|we're|we have|our)\b",
    re.I,
)


@dataclass(frozen=True)
class Turn:
    """One message of a conversation, as the agent's memory keeps it."""

    speaker: Literal["member", "agent"]
    text: str
    message_id: int | None = None  # the stored message, in a DM thread (a client's turns have none)


@dataclass(frozen=True)
class MemoryWindow:
    """What fits in the prompt: the summary, the newest turns (oldest first), and the older
    turns that did not fit (oldest first, always a prefix of the history), to be summarised."""

    summary: str
    recent: list[Turn]
    dropped: list[Turn]


def truncate_to_tokens(text: str, budget: int, count_tokens: CountTokens) -> str:
    """The longest prefix of ``text`` (cut at a word) within ``budget`` tokens, by bisection:
    tokenizers are not additive, so the cut is measured rather than estimated."""
    if count_tokens(text) <= budget:
        return text
    if budget <= 0:
        return ""
    cuts = [m.start() for m in re.finditer(r"\s+", text)] + [len(text)]
    low, high = 0, len(cuts) - 1  # the answer is cuts[i] for the largest fitting i, or ""
    best = ""
    while low <= high:
        middle = (low + high) // 2
        candidate = text[: cuts[middle]].rstrip()
        if count_tokens(candidate) <= budget:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best


def turn_tokens(turn: Turn, count_tokens: CountTokens) -> int:
    return count_tokens(turn.text) + TURN_OVERHEAD


def fit_history(
    summary: str, turns: Sequence[Turn], *, budget_tokens: int, count_tokens: CountTokens
) -> MemoryWindow:
    """Splits ``turns`` (oldest first) into what fits ``budget_tokens`` and what does not.

    The budget covers the summary and the kept turns together, so the window can go into a
    prompt as is. The summary comes first (truncated if it alone is too long: it is the only
    trace of older turns); then turns are kept newest first until the next one does not fit.
    """
    if budget_tokens < 0:
        raise ValueError(f"budget_tokens must not be negative, got {budget_tokens}")
    summary = truncate_to_tokens(summary, max(0, budget_tokens - TURN_OVERHEAD), count_tokens)
    left = budget_tokens - (count_tokens(summary) + TURN_OVERHEAD if summary else 0)
    kept = 0
    for turn in reversed(turns):
        cost = turn_tokens(turn, count_tokens)
        if cost > left:
            break
        left -= cost
        kept += 1
    split = len(turns) - kept
    return MemoryWindow(summary, list(turns[split:]), list(turns[:split]))


def _clip(sentence: str) -> str:
    tokens = sentence.split()
    if len(tokens) <= MAX_EXTRACT_WORDS:
        return sentence
    return " ".join(tokens[:MAX_EXTRACT_WORDS]) + " …"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _member_parts(text: str) -> tuple[list[str], str]:
    """A member turn's facts about themselves, and what it asked (or said, if no question)."""
    sentences = [_one_line(s) for s in split_sentences(text)]
    facts = [_clip(s) for s in sentences if not s.endswith("?") and _ABOUT_SELF.search(s)]
    questions = [s for s in sentences if s.endswith("?")]
    if questions:
        return facts, f"Member asked: {_clip(questions[0])}"
    return facts, f"Member said: {_clip(sentences[0])}" if sentences else ""


def _extract(turns: Sequence[Turn]) -> tuple[list[str], list[str]]:
    """(facts, events) from turns, oldest first; an agent turn answers the member turn before."""
    facts: list[str] = []
    events: list[str] = []
    for turn in turns:
        sentences = split_sentences(turn.text)
        if not sentences:
            continue
        if turn.speaker == "member":
            member_facts, event = _member_parts(turn.text)
            facts += member_facts
            events.append(event)
        else:
            answer = f"Agent: {_clip(_one_line(sentences[0]))}"
            if events and events[-1].startswith("Member") and " → " not in events[-1]:
                events[-1] += f" → {answer}"
            else:
                events.append(answer)
    return facts, events


def _parse(summary: str) -> tuple[list[str], list[str]]:
    """(facts, events) of a summary this module wrote; any other text is one old event."""
    facts: list[str] = []
    events: list[str] = []
    for line in summary.splitlines():
        line = line.strip()
        if line.startswith(FACTS_HEADER):
            facts += [f for f in line.removeprefix(FACTS_HEADER).split(" | ") if f]
        elif line.startswith(EVENT_MARK):
            events.append(line.removeprefix(EVENT_MARK))
        elif line:
            events.append(_one_line(line))
    return facts, events


def _render(facts: Sequence[str], events: Sequence[str]) -> str:
    lines = [FACTS_HEADER + " | ".join(facts)] if facts else []
    lines += [EVENT_MARK + event for event in events]
    return "\n".join(lines)


def roll_summary(
    previous: str,
    dropped_turns: Sequence[Turn],
    *,
    budget_tokens: int,
    count_tokens: CountTokens,
    model: ChatModel | None = None,
) -> str:
    """``previous`` extended with ``dropped_turns``, within ``budget_tokens``.

    Over budget, the oldest exchanges go first, then the oldest facts about the member (they
    are worth more than an old question), and a last line too long on its own is truncated.
    """
    old_facts, old_events = _parse(previous)
    new_facts, new_events = _extract(dropped_turns)
    facts = list(dict.fromkeys(old_facts + new_facts))
    events = old_events + new_events
    summary = _render(facts, events)
    if model is not None and events:
        condensed = _condense(model, summary, budget_tokens, count_tokens)
        if condensed:
            return condensed
    if count_tokens(summary) > budget_tokens:
        facts, events = _drop_oldest(facts, events, budget_tokens, count_tokens)
        summary = _render(facts, events)
    return truncate_to_tokens(summary, budget_tokens, count_tokens)


def _drop_oldest(
    facts: list[str], events: list[str], budget_tokens: int, count_tokens: CountTokens
) -> tuple[list[str], list[str]]:
    """The newest events, then the newest facts, whose summed token counts fit the budget (one
    fact is always kept). Each line is counted once, so this is linear in the summary's length;
    tokenizers are not additive, so the caller truncates what is still over."""
    event_costs = [count_tokens(EVENT_MARK + event) + 1 for event in events]  # +1: the newline
    fact_costs = [count_tokens(fact) + 1 for fact in facts]  # +1: the " | " between facts
    total = sum(event_costs) + sum(fact_costs) + (count_tokens(FACTS_HEADER) if facts else 0)
    first_event = first_fact = 0
    while total > budget_tokens and first_event < len(events):
        total -= event_costs[first_event]
        first_event += 1
    while total > budget_tokens and first_fact < len(facts) - 1:
        total -= fact_costs[first_fact]
        first_fact += 1
    return facts[first_fact:], events[first_event:]


def _condense(model: ChatModel, extract: str, budget_tokens: int, count_tokens: CountTokens) -> str:
    """The model's prose version of ``extract``, or '' when it is empty or over budget."""
    request = ChatRequest(
        [
            ChatMessage(
                "system",
                "Condense these notes about a conversation into a short third-person summary. "
                "Keep every fact the member shared about themselves. Add nothing.",
            ),
            ChatMessage("user", extract),
        ],
        max_tokens=budget_tokens,
        temperature=0,
        seed=0,
    )
    completion = model.complete(request)
    text = completion.text.strip()
    if completion.finish_reason == "length" or count_tokens(text) > budget_tokens:
        return ""
    return text
