"""The lorebook at reply time: which entries fire, in what order, within what budget."""

from __future__ import annotations

import time
from typing import Any

from townsquare.studio.lorebook import activate_lore


def words(text: str) -> int:
    """A token counter for tests: one token per word."""
    return len(text.split())


def entry(keys: list[str], content: str, **fields: Any) -> dict[str, Any]:
    return {
        "keys": keys,
        "content": content,
        "extensions": {},
        "enabled": True,
        "insertion_order": 0,
        **fields,
    }


def book(*entries: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"entries": list(entries), "extensions": {}, **fields}


def lore(
    lorebook: dict[str, Any] | None, *texts: str, budget: int = 1_000
) -> tuple[list[str], list[str], list[int]]:
    result = activate_lore(lorebook, list(texts), budget_tokens=budget, count_tokens=words)
    return result.before, result.after, result.fired


def test_no_book_and_no_match_inject_nothing() -> None:
    assert lore(None, "hello") == ([], [], [])
    assert lore({}, "hello") == ([], [], [])
    assert lore(book(entry(["dragon"], "Dragons breathe fire.")), "hello there") == ([], [], [])


def test_a_key_in_the_conversation_fires_its_entry() -> None:
    before, after, fired = lore(
        book(entry(["dragon"], "Dragons breathe fire.")), "Tell me about the Dragon."
    )
    assert (before, after, fired) == (["Dragons breathe fire."], [], [0])


def test_keys_match_whole_words_only() -> None:
    cats = book(entry(["cat"], "The cat is called Miso."))
    assert lore(cats, "Pick a category") == ([], [], [])
    assert lore(cats, "concatenate these") == ([], [], [])
    assert lore(cats, "my cat_food") == ([], [], [])
    assert lore(cats, "a CAT! (really)")[2] == [0]
    assert lore(cats, "cat")[2] == [0]


def test_keys_with_punctuation_and_spaces_match_as_written() -> None:
    lorebook = book(entry(["New York"], "NYC lore."), entry(["c++"], "C++ lore."))
    assert lore(lorebook, "I moved to new york last year")[2] == [0]
    assert lore(lorebook, "I code in C++.")[2] == [1]
    assert lore(lorebook, "newyork")[2] == []


def test_many_near_misses_still_find_a_later_whole_phrase() -> None:
    lorebook = book(entry(["ice cream"], "Dessert lore."))
    near_misses = "xice creamy " * 100
    assert lore(lorebook, near_misses)[2] == []
    assert lore(lorebook, near_misses + "some ice cream.")[2] == [0]


def test_scripts_without_spaces_match_inside_words() -> None:
    assert lore(book(entry(["猫"], "Neko lore.")), "我的猫很可爱")[2] == [0]


def test_secondary_keys_may_be_comma_separated_text() -> None:
    lorebook = book(entry(["castle"], "Moat.", selective=True, secondary_keys="moat, bridge"))
    assert lore(lorebook, "the castle bridge")[2] == [0]
    assert lore(lorebook, "the castle")[2] == []


def test_case_insensitive_keys_use_unicode_case_folding() -> None:
    assert lore(book(entry(["STRASSE"], "Street lore.")), "die Straße")[2] == [0]
    assert lore(book(entry(["Σοφία"], "Sofia lore.")), "η ΣΟΦΊΑ είπε")[2] == [0]


def test_case_sensitive_entries_need_the_exact_case() -> None:
    lorebook = book(entry(["Rose"], "Rose is the queen.", case_sensitive=True))
    assert lore(lorebook, "a rose by any other name")[2] == []
    assert lore(lorebook, "Rose said hi")[2] == [0]


def test_disabled_entries_never_fire_and_constant_ones_always_do() -> None:
    lorebook = book(
        entry(["dragon"], "Disabled.", enabled=False),
        entry([], "Always here.", constant=True),
        entry(["dragon"], "Disabled constant.", constant=True, enabled=False),
    )
    assert lore(lorebook, "dragon") == (["Always here."], [], [1])


def test_selective_entries_need_a_secondary_key_too() -> None:
    lorebook = book(
        entry(["castle"], "The castle's dungeon.", selective=True, secondary_keys=["dungeon"])
    )
    assert lore(lorebook, "the castle is big")[2] == []
    assert lore(lorebook, "the castle has a dungeon")[2] == [0]
    # Without ``selective`` the secondary keys are not required.
    lorebook["entries"][0]["selective"] = False
    assert lore(lorebook, "the castle is big")[2] == [0]


def test_scan_depth_limits_the_scan_to_the_newest_messages() -> None:
    lorebook = book(entry(["dragon"], "Dragons."), scan_depth=2)
    assert lore(lorebook, "a dragon!", "hello", "how are you")[2] == []
    assert lore(lorebook, "hello", "a dragon!", "how are you")[2] == [0]
    lorebook["scan_depth"] = 5  # deeper than the conversation: all of it
    assert lore(lorebook, "a dragon!", "hello", "how are you")[2] == [0]
    lorebook["scan_depth"] = 0
    assert lore(lorebook, "dragon")[2] == []
    del lorebook["scan_depth"]
    assert lore(lorebook, "a dragon!", *["filler"] * 50)[2] == [0]


def test_output_follows_insertion_order_and_position() -> None:
    lorebook = book(
        entry(["a"], "third", insertion_order=30),
        entry(["a"], "first", insertion_order=10),
        entry(["a"], "after", insertion_order=5, position="after_char"),
        entry(["a"], "second", insertion_order=20, position="before_char"),
    )
    assert lore(lorebook, "a") == (["first", "second", "third"], ["after"], [0, 1, 2, 3])


def test_a_budget_keeps_the_highest_priority_entries() -> None:
    lorebook = book(
        entry(["x"], "one two three", priority=1, insertion_order=1),  # 3 tokens
        entry(["x"], "four five", priority=5, insertion_order=2),  # 2 tokens
        entry(["x"], "six seven eight nine", priority=3, insertion_order=3),  # 4 tokens
    )
    # Priority 5 (2 tokens) + priority 3 (4 tokens) = 6; priority 1 would make 9.
    assert lore(lorebook, "x", budget=8) == (["four five", "six seven eight nine"], [], [1, 2])
    assert lore(lorebook, "x", budget=9)[2] == [0, 1, 2]
    assert lore(lorebook, "x", budget=1)[2] == []


def test_the_book_budget_applies_when_it_is_smaller() -> None:
    lorebook = book(
        entry(["x"], "one two", insertion_order=1),
        entry(["x"], "three four", insertion_order=2),
        token_budget=3,
    )
    # Without priorities the higher insertion_order is kept first (V3: "lowest removed first").
    assert lore(lorebook, "x", budget=100)[2] == [1]
    assert lore(lorebook, "x", budget=2)[2] == [1]
    lorebook["token_budget"] = 0  # a budget of 0 means "not set"
    assert lore(lorebook, "x", budget=100)[2] == [0, 1]


def test_empty_content_is_never_injected() -> None:
    assert lore(book(entry(["x"], "   "), entry([], "", constant=True)), "x") == ([], [], [])


def test_regex_keys() -> None:
    lorebook = book(
        entry([r"drag(on|oness)s?"], "Dragon lore.", use_regex=True),
        entry(["/^SHOUT/"], "Loud lore.", use_regex=True),
        entry(["/^whisper/gi"], "Quiet lore.", use_regex=True),
    )
    assert lore(lorebook, "two DRAGONS")[2] == [0]
    assert lore(lorebook, "SHOUT now")[2] == [1]
    assert lore(lorebook, "shout now")[2] == []
    assert lore(lorebook, "WHISPER now")[2] == [2]


def test_an_invalid_pattern_makes_its_entry_not_match() -> None:
    lorebook = book(
        entry(["dragon", "(unclosed"], "Broken.", use_regex=True),
        entry(["/dragon/q"], "Unknown flag.", use_regex=True),
        entry(["dragon"], "Fine.", use_regex=True),
    )
    assert lore(lorebook, "a dragon") == (["Fine."], [], [2])


def test_catastrophic_patterns_cannot_stall_a_reply() -> None:
    evil = [entry([r"(a|aa)+$", r"^(\w+\s?)*$"], f"Evil {n}.", use_regex=True) for n in range(50)]
    started = time.monotonic()
    result = activate_lore(
        book(*evil, entry(["a"], "Plain.")),
        ["a" * 5_000 + "! a"],
        budget_tokens=100,
        count_tokens=words,
    )
    assert time.monotonic() - started < 2.0
    assert result.before == ["Plain."]


def test_use_regex_ignores_constant_and_secondary_keys() -> None:
    lorebook = book(
        entry(["nothing-matches-this"], "Constant regex.", use_regex=True, constant=True),
        entry(["castle"], "Regex selective.", use_regex=True, selective=True, secondary_keys=["x"]),
    )
    assert lore(lorebook, "the castle")[2] == [1]


def test_recursive_scanning_scans_fired_content_once_more() -> None:
    lorebook = book(
        entry(["king"], "The king lives in the castle."),
        entry(["castle"], "The castle has a moat."),
        entry(["moat"], "The moat has eels."),
    )
    assert lore(lorebook, "the king")[2] == [0]
    lorebook["recursive_scanning"] = True
    # One more pass: the castle entry fires from the king's content, but not the moat entry.
    assert lore(lorebook, "the king")[2] == [0, 1]


def test_v3_decorators_are_applied_and_stripped() -> None:
    lorebook = book(
        entry([], "@@activate\nAlways, by decorator."),
        entry(["dragon"], "@@dont_activate\nNever."),
        entry(["dragon"], "@@exclude_keys baby, toy\nA fierce dragon."),
        entry(["dragon"], "@@additional_keys cave\n\nA dragon in a cave."),
        entry(["dragon"], "@@position after_desc\nAfter the persona."),
        entry(["dragon"], "@@unknown_thing 3\n@@@position after_desc\nFallback used."),
        entry(["dragon"], "@@scan_depth 1\nOnly the newest message."),
    )
    before, after, fired = lore(lorebook, "a baby dragon", "a cave")
    assert before == ["Always, by decorator.", "A dragon in a cave."]
    assert after == ["After the persona.", "Fallback used."]
    assert fired == [0, 3, 4, 5]
    assert lore(lorebook, "a cave", "a dragon")[2] == [0, 2, 3, 4, 5, 6]


def test_unreadable_entries_are_skipped_at_reply_time() -> None:
    lorebook: dict[str, Any] = book(
        "not an entry",  # type: ignore[arg-type]
        entry("dragon", "Keys are not a list."),  # type: ignore[arg-type]
        entry(["dragon"], "Fine."),
        scan_depth="deep",
    )
    assert lore(lorebook, "dragon") == (["Fine."], [], [2])
    assert lore({"entries": {"0": entry(["dragon"], "Not a list.")}}, "dragon") == ([], [], [])
