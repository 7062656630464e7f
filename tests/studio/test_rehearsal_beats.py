from __future__ import annotations

import pytest

from townsquare.studio.rehearsal_beats import BEAT_PLANS, does_beat, next_cue

RAISE = BEAT_PLANS["raise"]


def _scene(*member_lines: str) -> list[dict[str, str]]:
    lines = [{"role": "other", "text": "What's on your mind?"}]
    for text in member_lines:
        lines.append({"role": "member", "text": text})
        cue = next_cue("raise", lines)
        lines.append({"role": "other", "text": cue.line})
    return lines[:-1]


@pytest.mark.parametrize(
    ("member_lines", "beat", "line"),
    [
        (["I'd like a raise."], "push_back", RAISE.push_back),
        (["I'd like a raise.", "I'm asking for 10%."], "ask_specifics", RAISE.ask["evidence"]),
        (["I'd like a raise.", "I led the migration."], "ask_specifics", RAISE.ask["number"]),
        (["Um, hi."], "ask_specifics", RAISE.ask["ask"]),
        (["I'd like a raise.", "I want 10%.", "I led the migration."], "agree", RAISE.agree),
        (["You never notice anything I do."], "hold", RAISE.hold),
        (["I'd like a raise.", "Sorry, never mind."], "defer", RAISE.defer),
    ],
)
def test_the_next_beat_answers_what_the_member_did(
    member_lines: list[str], beat: str, line: str
) -> None:
    cue = next_cue("raise", _scene(*member_lines))
    assert (cue.beat, cue.line) == (beat, line)


def test_the_other_person_pushes_back_once_and_does_not_repeat_a_line() -> None:
    scene = _scene("I'd like a raise.", "I want 10%.", "I led the migration.", "Thanks.")
    said = [line["text"] for line in scene if line["role"] == "other"]
    assert said.count(RAISE.push_back) == 1
    assert next_cue("raise", scene).line == RAISE.close  # agreed once already


def test_an_unknown_scenario_plays_the_custom_plan() -> None:
    cue = next_cue("custom", _scene("Hello."))
    assert cue.line in BEAT_PLANS["custom"].ask.values()


@pytest.mark.parametrize(
    ("member_line", "phrasing", "ok"),
    [
        ("I'd like a raise.", "I hear you, but money is tight.", True),
        ("I'd like a raise.", "Sure, whatever you want.", False),
        ("I'm asking for 10%.", "But how much are you thinking of?", False),
        ("I'm asking for 10%.", "Okay, but what exactly are you asking for?", False),
        ("Hmm.", "What exactly are you asking for?", True),
        ("Hmm.", "Nice weather today.", False),
    ],
)
def test_a_phrasing_must_do_the_beat_and_ask_for_nothing_already_given(
    member_line: str, phrasing: str, ok: bool
) -> None:
    cue = next_cue("raise", _scene(member_line))
    assert does_beat(cue, phrasing) is ok


FRIEND = BEAT_PLANS["friend"]


def _friend_scene(*member_lines: str) -> list[dict[str, str]]:
    lines = [{"role": "other", "text": "Hi."}]
    for text in member_lines:
        lines.append({"role": "member", "text": text})
        lines.append({"role": "other", "text": next_cue("friend", lines).line})
    return lines[:-1]


def test_the_agreement_answers_what_the_last_line_did() -> None:
    scene = _friend_scene("I'm sorry for what I said.", "I get that it felt like I didn't listen.")
    assert next_cue("friend", scene).line == FRIEND.agree_to["acknowledge"]
    scene = _friend_scene(
        "I'm sorry for what I said.",
        "I get that it felt like I didn't listen.",
        "Can we meet on Saturday and talk properly?",
    )
    # A proposal after the first agreement is accepted, not closed with a line that ignores it.
    assert next_cue("friend", scene).line == FRIEND.agree_to["next_step"]


def test_a_plan_without_a_matching_agreement_says_its_own() -> None:
    assert next_cue("raise", _scene("I'd like a raise.", "I want 10%.", "I led it.")).line == (
        RAISE.agree
    )


@pytest.mark.parametrize(
    ("member_line", "phrasing"),
    [
        ("I'm asking for a 10% raise.", "I hear you, but the CEO wants a 20% raise."),
        ("I'm asking for a 10% raise.", "But the budget is tight for eight people."),
    ],
)
def test_a_phrasing_with_a_figure_the_member_never_said_is_refused(
    member_line: str, phrasing: str
) -> None:
    cue = next_cue("raise", _scene(member_line))
    assert does_beat(cue, "I hear you, but a 10% raise is a lot; the budget is tight.")
    assert not does_beat(cue, phrasing)


def test_a_phrasing_that_apologises_back_swaps_the_roles_and_is_refused() -> None:
    cue = next_cue("friend", _friend_scene("I owe you an apology for the argument."))
    assert cue.beat == "push_back"
    assert does_beat(cue, "I appreciate that, but it really hurt.")
    assert not does_beat(cue, "I'm so sorry to hear that, but it really hurt.")


def test_holding_ground_a_second_time_says_so() -> None:
    scene = _friend_scene("You always overreact.", "You never listen to me either.")
    assert next_cue("friend", scene).line == f"Like I said, t{FRIEND.hold[1:]}"


def test_an_okay_alone_is_no_agreement() -> None:
    lines = [{"role": "other", "text": "Morning! Could you finish my report?"}]
    for text in ("No, I can't take your report today.", "From now on I need a day's notice."):
        lines.append({"role": "member", "text": text})
        cue = next_cue("boundary", lines)
        lines.append({"role": "other", "text": cue.line})
    assert cue.beat == "agree"
    assert not does_beat(cue, "No, I'm not okay.")
    assert does_beat(cue, "Okay, fair enough. I'll ask you earlier next time.")
