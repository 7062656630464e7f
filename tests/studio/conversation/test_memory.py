"""Conversation memory: the window of recent turns and the rolling extractive summary."""

from __future__ import annotations

import pytest

from townsquare.ai.chat import ChatRequest
from townsquare.ai.fake import FakeChatModel
from townsquare.studio.conversation.memory import (
    TURN_OVERHEAD,
    MemoryWindow,
    Turn,
    fit_history,
    roll_summary,
    truncate_to_tokens,
)


def words(text: str) -> int:
    """A tokenizer where every word is one token: easy to reason about in a test."""
    return len(text.split())


def turns(count: int) -> list[Turn]:
    return [Turn("member" if i % 2 == 0 else "agent", f"turn {i} says four") for i in range(count)]


def test_everything_fits_in_a_large_budget() -> None:
    history = turns(4)
    assert fit_history("", history, budget_tokens=1_000, count_tokens=words) == MemoryWindow(
        "", history, []
    )


def test_the_newest_turns_are_kept_and_the_oldest_dropped_in_order() -> None:
    history = turns(6)
    per_turn = 4 + TURN_OVERHEAD
    window = fit_history("", history, budget_tokens=3 * per_turn + 1, count_tokens=words)
    assert window.recent == history[3:]
    assert window.dropped == history[:3]


def test_the_summary_counts_against_the_budget() -> None:
    history = turns(6)
    per_turn = 4 + TURN_OVERHEAD
    summary = "one two three four"  # costs what one turn costs
    window = fit_history(summary, history, budget_tokens=3 * per_turn, count_tokens=words)
    assert window.summary == summary
    assert window.recent == history[4:]


def test_a_summary_longer_than_the_budget_is_truncated_and_no_turn_fits() -> None:
    window = fit_history("a " * 50, turns(2), budget_tokens=20, count_tokens=words)
    assert words(window.summary) == 20 - TURN_OVERHEAD
    assert window.recent == [] and window.dropped == turns(2)


def test_a_turn_that_does_not_fit_stops_the_window_even_if_older_ones_would() -> None:
    history = [Turn("member", "short"), Turn("agent", "long " * 30), Turn("member", "short")]
    window = fit_history("", history, budget_tokens=20, count_tokens=words)
    assert window.recent == history[2:]  # always a suffix: memory has no holes
    assert window.dropped == history[:2]


def test_a_negative_budget_is_refused() -> None:
    with pytest.raises(ValueError, match="budget_tokens must not be negative, got -1"):
        fit_history("", [], budget_tokens=-1, count_tokens=words)


def test_truncation_cuts_at_a_word_within_the_budget() -> None:
    assert truncate_to_tokens("one two three four", 2, words) == "one two"
    assert truncate_to_tokens("one two", 5, words) == "one two"
    assert truncate_to_tokens("one two", 0, words) == ""


CONVERSATION = [
    Turn("member", "Hi! I'm vegan and I live in Leeds. Do you make vegan brioche?"),
    Turn("agent", "Not yet: my brioche has butter and eggs. The sourdough loaves are vegan."),
    Turn("member", "Ok. My daughter is 9, can she come to the kids' class?"),
    Turn("agent", "Yes, the kids' mornings are for ages 8 to 12."),
]


def test_the_summary_keeps_questions_answers_and_what_the_member_said_about_themselves() -> None:
    summary = roll_summary("", CONVERSATION, budget_tokens=200, count_tokens=words)
    assert summary.splitlines() == [
        "About the member: I'm vegan and I live in Leeds.",
        "- Member asked: Do you make vegan brioche? → Agent: Not yet: my brioche has butter and"
        " eggs.",
        "- Member asked: My daughter is 9, can she come to the kids' class? → Agent: Yes, the"
        " kids' mornings are for ages 8 to 12.",
    ]


def test_rolling_again_extends_the_previous_summary() -> None:
    first = roll_summary("", CONVERSATION[:2], budget_tokens=200, count_tokens=words)
    second = roll_summary(first, CONVERSATION[2:], budget_tokens=200, count_tokens=words)
    assert second == roll_summary("", CONVERSATION, budget_tokens=200, count_tokens=words)


def test_over_budget_the_oldest_exchanges_go_before_the_facts() -> None:
    summary = roll_summary("", CONVERSATION, budget_tokens=45, count_tokens=words)
    assert words(summary) <= 45
    assert "I'm vegan" in summary
    assert "vegan brioche" not in summary  # the older exchange went first
    assert "kids' class" in summary


def test_the_summary_never_exceeds_its_budget() -> None:
    long_turns = [Turn("member", "I'm " + "very " * 300 + "tired.")]
    summary = roll_summary("", long_turns, budget_tokens=12, count_tokens=words)
    assert 0 < words(summary) <= 12


def test_a_summary_written_elsewhere_is_kept_as_an_old_exchange() -> None:
    summary = roll_summary(
        "They talked about rye.", CONVERSATION[2:], budget_tokens=200, count_tokens=words
    )
    assert summary.splitlines()[0] == "- They talked about rye."


def test_a_model_may_condense_the_extract_when_it_fits() -> None:
    model = FakeChatModel(["The member is vegan, lives in Leeds and has a 9-year-old."])
    summary = roll_summary("", CONVERSATION, budget_tokens=40, count_tokens=words, model=model)
    assert summary == "The member is vegan, lives in Leeds and has a 9-year-old."
    request: ChatRequest = model.last_request
    assert "I'm vegan and I live in Leeds." in request.messages[-1].content
    assert request.temperature == 0


def test_a_condensed_summary_over_budget_falls_back_to_the_extract() -> None:
    model = FakeChatModel(["word " * 300])  # cut off at max_tokens: never a summary
    summary = roll_summary("", CONVERSATION, budget_tokens=200, count_tokens=words, model=model)
    assert summary == roll_summary("", CONVERSATION, budget_tokens=200, count_tokens=words)


def _fit_and_roll(count: int) -> tuple[int, int]:
    """(token counts made, characters counted) to fit a history of ``count`` turns and
    summarise what does not fit, as a reply to a client's long request does."""
    calls = characters = 0

    def counting(text: str) -> int:
        nonlocal calls, characters
        calls += 1
        characters += len(text)
        return words(text)

    history = [
        Turn("member", f"I live in town {i}. What is on at {i}?")
        if i % 2 == 0
        else Turn("agent", f"Answer {i}. More detail follows here.")
        for i in range(count)
    ]
    window = fit_history("", history, budget_tokens=60, count_tokens=counting)
    roll_summary("", window.dropped, budget_tokens=60, count_tokens=counting)
    return calls, characters


def test_a_long_history_is_fitted_with_token_counts_linear_in_its_length() -> None:
    small_calls, small_characters = _fit_and_roll(500)
    large_calls, large_characters = _fit_and_roll(2_000)
    assert large_calls <= 4.5 * small_calls
    assert large_characters <= 4.5 * small_characters
