"""A rehearsal as a scene: the other person moves through a small plan of beats.

Each scenario's plan is the same shape: the other person opens, pushes back once, asks for the
specifics the member has not given yet, and agrees or defers. The next beat is chosen from what
the member's lines did (``rehearsal_acts``), never by the model: the model only phrases the beat,
and a phrasing that does not do the beat (or asks for something the member just gave) is
replaced by the beat's own line. So the other person answers what was actually said: a member
who named 10% is not asked "what exactly are you asking for?".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from townsquare.studio.rehearsal_acts import Act, acts_of, figures_of

__all__ = ["BEAT_PLANS", "Beat", "BeatPlan", "Cue", "does_beat", "next_cue", "plan_of"]

Beat = Literal["push_back", "ask_specifics", "agree", "defer", "hold"]

MEMBER = "member"


@dataclass(frozen=True)
class BeatPlan:
    """One scenario's scene: the specifics the other person needs before agreeing, and a line
    for each beat (``ask`` holds one per missing specific)."""

    needs: tuple[Act, ...]  # what the member must have done before the other person agrees
    push_back: str  # the one push back, said when the member first makes the ask
    ask: dict[Act, str]  # asking for a missing specific
    agree: str
    close: str  # said instead of agreeing a second time
    defer: str  # the member gave up or stalled: the other person leaves it open
    hold: str  # the member blamed or went vague: the other person holds their ground
    instructions: dict[Beat, str]  # what the model is told to do for each beat
    # The agreement that answers what the member's last line did, first match in
    # ``_AGREE_ORDER``: a proposal is accepted as such, an apology or a "that must have hurt"
    # is taken in; ``agree`` otherwise.
    agree_to: dict[Act, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Cue:
    """The next beat and the line that does it when the model's phrasing does not."""

    beat: Beat
    line: str
    instruction: str
    given: frozenset[Act]  # what the member has already done, never to be asked for again
    last: frozenset[Act] = frozenset()  # what the member's last line did
    figures: frozenset[str] = frozenset()  # the figures the member has said


def _instructions(push: str, ask: str, agree: str, defer: str, hold: str) -> dict[Beat, str]:
    return {
        "push_back": push,
        "ask_specifics": ask,
        "agree": agree,
        "defer": defer,
        "hold": hold,
    }


BEAT_PLANS: dict[str, BeatPlan] = {
    "raise": BeatPlan(
        needs=("number", "evidence"),
        push_back="I hear you, but the budget is tight this year.",
        ask={
            "evidence": "What have you delivered that justifies it?",
            "number": "What figure do you have in mind?",
            "ask": "What exactly are you asking for?",
        },
        agree="That's fair. I'll take it to finance this week and come back to you with an answer.",
        close="Good. Let's leave it there for today; I'll follow up by email.",
        defer="Alright. When you know what you want to ask for, come back and we'll talk.",
        hold="Let's keep this about your role and your results.",
        instructions=_instructions(
            "Push back once: mention the tight budget, without saying no.",
            "Ask for the one thing that is missing, in one short question.",
            "Agree to take it forward, and say what you will do next.",
            "Leave it open without promising anything.",
            "Stay calm and bring it back to their role and results.",
        ),
        agree_to={
            "next_step": "Alright, let's do that. I'll put it in the calendar and talk to finance.",
        },
    ),
    "friend": BeatPlan(
        needs=("apology", "acknowledge"),
        push_back="I appreciate that, but it really hurt.",
        ask={
            "apology": "Are you sorry for what you said, though?",
            "acknowledge": "Do you get why that hurt me?",
            "ask": "So what do you want from me?",
        },
        agree="Okay. I'd like that. Let's try again.",
        close="I'm glad we talked. Let's not leave it this long again.",
        defer="Okay. Maybe we both need a bit more time.",
        hold="That's not fair. I came here to sort things out, not to be blamed.",
        instructions=_instructions(
            "Say it still hurts, once, without ending the talk.",
            "Ask for the one thing that is missing, in one short question.",
            "Accept, warmly, and agree to the plan.",
            "Say you need more time, without closing the door.",
            "Say calmly that blaming does not help.",
        ),
        agree_to={
            "next_step": "Okay, yes. I'd like that, let's do it.",
            "apology": "Okay. Thank you for saying sorry, that means a lot to me.",
            "acknowledge": "Okay. Yeah, that's exactly how it felt. Thanks for hearing me.",
        },
    ),
    "boundary": BeatPlan(
        needs=("refusal", "next_step"),
        push_back="Come on, it's just this once. I thought we were friends.",
        ask={
            "refusal": "So can you do it or not?",
            "next_step": "Okay, so what do you want me to do next time?",
            "ask": "So what are you actually saying?",
        },
        agree="Fair enough. I'll ask earlier next time.",
        close="Okay, got it. I'll sort the report out myself.",
        defer="Oh, great, thanks! I knew I could count on you.",
        hold="Wow, that's harsh. I only asked for a favour.",
        instructions=_instructions(
            "Try a little guilt, once, to get the favour anyway.",
            "Ask for the one thing that is missing, in one short question.",
            "Accept the boundary, a bit reluctantly.",
            "Take the yes happily and thank them.",
            "Act a little hurt, without giving in.",
        ),
        agree_to={"next_step": "Okay, deal. I'll ask you earlier next time."},
    ),
    "custom": BeatPlan(
        needs=("ask", "evidence"),
        push_back="I see, but that's not so simple for me.",
        ask={
            "ask": "What exactly are you asking me for?",
            "evidence": "Why now? What has happened?",
        },
        agree="Alright, that's reasonable. Let's do that.",
        close="Good, then we're agreed. Thanks for raising it.",
        defer="Okay. Let me know when you've worked out what you need.",
        hold="I don't think that's fair. Can we keep to the point?",
        instructions=_instructions(
            "Push back once, politely, without saying no.",
            "Ask for the one thing that is missing, in one short question.",
            "Agree to what they asked, and say what happens next.",
            "Leave it open without promising anything.",
            "Stay polite and bring it back to the point.",
        ),
        agree_to={"next_step": "Alright, let's do that."},
    ),
}


def plan_of(scenario_key: str) -> BeatPlan:
    return BEAT_PLANS.get(scenario_key, BEAT_PLANS["custom"])


def next_cue(scenario_key: str, transcript: Sequence[dict[str, str]]) -> Cue:
    """The beat that answers the member's last line of ``transcript`` (the scene so far). The
    beats of earlier turns are replayed from the lines, so the push back comes once."""
    plan = plan_of(scenario_key)
    member_acts = [acts_of(line["text"]) for line in transcript if line["role"] == MEMBER]
    pushed_back = False
    given: frozenset[Act] = frozenset()
    for last in member_acts:
        given = given | last
        beat = _beat(plan, last, given, pushed_back=pushed_back)
        pushed_back = pushed_back or beat == "push_back"
    line = {
        "push_back": plan.push_back,
        "agree": _agreement(plan, last),
        "defer": plan.defer,
        "hold": plan.hold,
    }.get(beat, "")
    instruction = plan.instructions[beat]
    if beat == "ask_specifics":
        line = plan.ask[_missing(plan, given)[0]]
    said = {entry["text"] for entry in transcript if entry["role"] != MEMBER}
    if line in said:  # the scene moves on rather than repeat itself
        line = {
            "agree": plan.close,
            "hold": f"Like I said, {line[:1].lower()}{line[1:]}",
        }.get(beat, f"I'm still not sure. {line}")
    figures = frozenset(
        figure
        for entry in transcript
        if entry["role"] == MEMBER
        for figure in figures_of(entry["text"])
    )
    return Cue(beat, line, instruction, given, last=last, figures=figures)


_AGREE_ORDER: tuple[Act, ...] = ("next_step", "apology", "acknowledge")


def _agreement(plan: BeatPlan, last: frozenset[Act]) -> str:
    return next(
        (plan.agree_to[act] for act in _AGREE_ORDER if act in last and act in plan.agree_to),
        plan.agree,
    )


# Lines that make the member's ask plain, whatever the scenario.
_STATES_ASK: frozenset[Act] = frozenset({"ask", "number", "refusal", "apology", "next_step"})


def _missing(plan: BeatPlan, given: frozenset[Act]) -> list[Act]:
    """What the other person still asks for: the ask itself first, then the plan's needs."""
    missing: list[Act] = [] if _STATES_ASK & given else ["ask"]
    return [*missing, *(act for act in plan.needs if act not in given and act != "ask")]


def _beat(
    plan: BeatPlan, last: frozenset[Act], given: frozenset[Act], *, pushed_back: bool
) -> Beat:
    if "cave" in last:
        return "defer"
    if "blame" in last:
        return "hold"
    if not pushed_back and _STATES_ASK & last:
        return "push_back"
    if _missing(plan, given):
        return "ask_specifics"
    return "agree"


# What asks for a specific again: a question after the member gave that specific is a sign the
# other person did not listen.
_ASKS_FOR: dict[Act, re.Pattern[str]] = {
    "number": re.compile(
        r"\b(?:how much|what (?:figure|number|amount|percent)|which number)\b", re.I
    ),
    "ask": re.compile(
        r"\b(?:what(?:'s| is) (?:on your mind|this about)|what (?:exactly )?are you asking|"
        r"what do you want)\b",
        re.I,
    ),
    "evidence": re.compile(r"\b(?:what have you (?:done|delivered)|why (?:now|should))\b", re.I),
}
_APOLOGISES = re.compile(r"\b(?:sorry|apologi[sz]e)", re.I)
_WORD = re.compile(r"[a-z']{4,}")
_COMMON = frozenset(
    {"what", "your", "have", "that", "this", "with", "i'll", "i'm", "it's", "just", "okay", "yeah"}
)
_CUES: dict[Beat, re.Pattern[str]] = {
    "push_back": re.compile(
        r"\b(?:but|budget|tight|hurt|just this once|friends?|simple|however)\b", re.I
    ),
    "agree": re.compile(
        r"\b(?:okay|ok|alright|fair|agree|let's|i'll|i will|sounds good|yes)\b", re.I
    ),
    "defer": re.compile(r"\b(?:okay|ok|alright|later|time|come back|thanks|maybe|open)\b", re.I),
    "hold": re.compile(r"\b(?:fair|point|blame|harsh|keep|focus|role|results)\b", re.I),
}


def does_beat(cue: Cue, phrasing: str) -> bool:
    """Whether the model's ``phrasing`` does ``cue``'s beat: it asks for nothing already given,
    names no figure the member did not say ("the CEO wants a 20% raise"), does not apologise
    back to an apology or to blame (the roles swapped: "I'm so sorry to have hurt you"),
    carries the beat's cue words, and shares a content word with the beat's own line (a
    question must also be one)."""
    if any(act in cue.given and rule.search(phrasing) for act, rule in _ASKS_FOR.items()):
        return False
    if figures_of(phrasing) - cue.figures:
        return False
    if ({"apology", "blame"} & cue.last) and _APOLOGISES.search(phrasing):
        return False
    if cue.beat == "ask_specifics":
        if not phrasing.rstrip().endswith("?"):
            return False
    elif _CUES[cue.beat].search(phrasing) is None:
        return False
    own = set(_WORD.findall(cue.line.lower())) - _COMMON
    return bool(own & set(_WORD.findall(phrasing.lower())))
