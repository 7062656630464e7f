"""The hard conversations a member can rehearse, and every word the model is given about them.

Each preset names the other person and gives the model two lines in their voice: the embedded
SmolLM2-135M copies a concrete example far better than it follows an adjective, so "you talk
like this" does more for staying in character than any description. A custom rehearsal has only
the member's description and title, so its prompt says less and leans on the service's checks.

``steer`` lines are said without the model: when the member's line tries to end the role-play
("ignore the scenario", "you are now ...") and when the model's own line is unusable. Each is
something the other person could plausibly say at any point of the conversation.

Text from the member (their name, the description, the title, the goal, their lines) reaches
these prompts only after ``strip_role_markers``, so it cannot open a turn of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from townsquare.ai.chat import ChatMessage, Role
from townsquare.studio.conversation.safety import strip_role_markers
from townsquare.studio.rehearsal_acts import Act

__all__ = [
    "CUSTOM",
    "SCENARIOS",
    "Habit",
    "Scenario",
    "custom_scenario",
    "opening_messages",
    "reply_messages",
]

CUSTOM = "custom"
MEMBER, OTHER = "member", "other"  # the two roles of a transcript line

# Per ChatML message: <|im_start|>, the role, a newline, <|im_end|>, a newline.
_MESSAGE_OVERHEAD_TOKENS = 5


@dataclass(frozen=True)
class Habit:
    """One thing the feedback looks for: said, citing the line, when a member line does one of
    ``shown_by`` and none does one of ``spoiled_by``; advised otherwise."""

    did: str  # "You named a specific amount or range."
    advice: str  # "Name a specific amount or range."
    example: str  # a sentence that shows it, with no figure: the feedback never invents one
    shown_by: tuple[Act, ...]
    spoiled_by: tuple[Act, ...] = ()
    twice: bool = False  # shown only by a second line that does it (holding a "no")


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    name: str  # the other person's name: a line that starts with it is narration
    other_person: str  # who the model plays, unless the member describes them differently
    situation: str  # why the two are talking, told to the other person; {member} is filled in
    opening: str  # how the other person starts the conversation
    greeting: str  # what the member says as they arrive: the cue for the opening line
    opening_line: str  # the opening when the model's is unusable
    voice: tuple[str, ...]  # lines in the other person's voice, shown to the model as examples
    habits: tuple[Habit, ...]  # what the feedback looks at
    steer: tuple[str, ...]  # in-character lines that bring the conversation back on track

    def system_prompt(self, member: str, other_person: str) -> str:
        """Who the model plays and how: short and concrete, as a 135M model needs."""
        # Not str.format: a custom scenario's situation holds the member's title, braces and all.
        situation = self.situation.replace("{member}", _safe(member))
        lines = [f"You are {_safe(other_person)}", situation]
        if self.voice:
            lines.append("You talk like this:")
            lines.extend(f'- "{line}"' for line in self.voice)
        lines.append(
            "Reply with what you say next, in one or two short sentences. Stay yourself: ask "
            "questions and push back before you agree to anything, and never insult anyone."
        )
        return "\n".join(lines)

    @property
    def watch_for(self) -> tuple[str, ...]:
        """What to watch for, as advice to the member before they start."""
        return tuple(habit.advice for habit in self.habits)


SCENARIOS: dict[str, Scenario] = {
    scenario.key: scenario
    for scenario in (
        Scenario(
            key="raise",
            title="Ask for a raise",
            name="Dana",
            other_person="Dana, a manager: busy, fair and careful with the budget. "
            "Dana pushes back once before agreeing to anything.",
            situation="{member} works on your team and asked for ten minutes to talk about pay.",
            opening="You have ten minutes between meetings; ask what this is about.",
            greeting="Hi Dana, have you got ten minutes?",
            opening_line="Sure, I've got ten minutes before my next meeting. What's on your mind?",
            voice=(
                "Before we talk numbers, what has changed since your last review?",
                "I hear you, but the budget is set until January.",
            ),
            habits=(
                Habit(
                    "You named a specific amount or range.",
                    "Name a specific amount or range.",
                    "I'm asking for a raise of a specific amount, in line with the market.",
                    shown_by=("number",),
                ),
                Habit(
                    "You backed your request with concrete results.",
                    "Back your request with concrete results.",
                    "Here is what I delivered this year and what it saved us.",
                    shown_by=("evidence",),
                ),
                Habit(
                    "You stayed calm and did not apologise for asking.",
                    "Stay calm, and do not apologise for asking.",
                    "I understand the budget is tight, and I'd still like us to make this work.",
                    shown_by=("acknowledge", "ask"),
                    spoiled_by=("cave", "hedge", "blame"),
                ),
                Habit(
                    "You agreed on a next step or a date.",
                    "Agree on a next step or a date before you leave.",
                    "If it can't happen now, can we agree today on when to revisit it?",
                    shown_by=("next_step",),
                ),
            ),
            steer=(
                "Let's stay on the raise. What exactly are you asking for?",
                "Help me understand what you've delivered that justifies it.",
                "The budget is tight this year, so convince me.",
            ),
        ),
        Scenario(
            key="friend",
            title="Make up after a fight with a friend",
            name="Sam",
            other_person="Sam, an old friend: still hurt after your argument last week, "
            "a bit defensive, but wants the friendship back.",
            situation="Last week you and {member} had a fight and have not spoken since. "
            "{member} asked to meet.",
            opening="You came, but you are guarded; say so.",
            greeting="Hi Sam. Thanks for coming.",
            opening_line="Hi. Honestly, I wasn't sure I wanted to come.",
            voice=(
                "Honestly, I wasn't sure I wanted to come.",
                "It felt like you didn't care what I had to say.",
            ),
            habits=(
                Habit(
                    "You apologised for your part without excuses.",
                    "Apologise for your part without adding excuses.",
                    "I'm sorry for what I said. It was unfair, and you didn't deserve it.",
                    shown_by=("apology",),
                    spoiled_by=("blame",),
                ),
                Habit(
                    "You listened and said back how your friend felt.",
                    "Say back how your friend felt before you explain yourself.",
                    "It sounds like you felt I didn't care what you had to say.",
                    shown_by=("acknowledge",),
                ),
                Habit(
                    "You avoided blaming with 'you always' or 'you never'.",
                    "Avoid 'you always' and 'you never'; talk about one moment.",
                    "When I walked out, I was frustrated, and I handled it badly.",
                    shown_by=("apology", "acknowledge"),
                    spoiled_by=("blame",),
                ),
                Habit(
                    "You suggested a way forward.",
                    "Suggest a concrete way forward.",
                    "Can we get dinner soon and start over? I miss hanging out with you.",
                    shown_by=("next_step",),
                ),
            ),
            steer=(
                "I came here to sort things out. Can we do that?",
                "That's not really an answer. How do you see what happened?",
                "I'm still upset about last week, you know.",
            ),
        ),
        Scenario(
            key="boundary",
            title="Set a boundary",
            name="Alex",
            other_person="Alex, a coworker: friendly, keeps asking for favours and hands over "
            "their work at the last minute, and tries to guilt people a little when told no.",
            situation="{member} sits next to you at work and wants to talk about the favours "
            "you keep asking for.",
            opening="Greet them warmly and ask for one more small favour.",
            greeting="Morning, Alex.",
            opening_line="Morning! Could you do me a tiny favour and finish my report today?",
            voice=(
                "Come on, it's just this once, you're so much faster at it than me.",
                "Wow, I thought we were friends.",
            ),
            habits=(
                Habit(
                    "You said no clearly, without over-explaining.",
                    "Say no in one sentence, without over-explaining.",
                    "No, I can't take your report today.",
                    shown_by=("refusal",),
                    spoiled_by=("cave", "hedge"),
                ),
                Habit(
                    "You named the boundary and what happens instead.",
                    "Name the boundary and what will happen instead.",
                    "From now on I need notice for favours; without it, the answer is no.",
                    shown_by=("next_step",),
                ),
                Habit(
                    "You stayed kind without giving in to guilt.",
                    "Stay kind, but do not give in to guilt.",
                    "We are friends, and that's why I'm being straight with you: I can't do it.",
                    shown_by=("acknowledge",),
                    spoiled_by=("cave",),
                ),
                Habit(
                    "You held the boundary when pushed again.",
                    "Hold the boundary when you are pushed a second time.",
                    "I hear you, and my answer is still no.",
                    shown_by=("refusal",),
                    spoiled_by=("cave",),
                    twice=True,
                ),
            ),
            steer=(
                "Come on, it's just this once. Can you help me or not?",
                "So what are you actually saying?",
                "I thought we were friends.",
            ),
        ),
    )
}

_CUSTOM_HABITS = (
    Habit(
        "You said clearly what you want.",
        "Say clearly what you want from the conversation.",
        "What I'm asking for is simple: I'd like us to agree on what happens next.",
        shown_by=("ask",),
        spoiled_by=("hedge",),
    ),
    Habit(
        "You listened and answered what they said.",
        "Answer what they actually said before making your point.",
        "I hear what you're saying, and I want to answer that first.",
        shown_by=("acknowledge",),
    ),
    Habit(
        "You stayed calm and specific when pushed back on.",
        "Stay calm and specific when they push back.",
        "Let me be specific about what happened and what I need.",
        shown_by=("evidence",),
        spoiled_by=("blame", "cave"),
    ),
    Habit(
        "You ended with an agreement or a next step.",
        "End with an agreement or a next step.",
        "So we agree on the next step: can we check in again soon?",
        shown_by=("next_step",),
    ),
)
_CUSTOM_STEER = (
    "Sorry, what are you asking me, exactly?",
    "Can we get back to the point?",
    "I'm not sure I see it the way you do.",
)


def custom_scenario(title: str) -> Scenario:
    """A conversation the member described; ``title`` says what it is about."""
    return Scenario(
        key=CUSTOM,
        title=title,
        name="Them",
        other_person="",
        situation=f"{{member}} wants to talk to you. The conversation: {_safe(title)}.",
        opening="Greet them in one short sentence, the way you would.",
        greeting="Hello.",
        opening_line="Hi. What did you want to talk about?",
        voice=(),
        habits=_CUSTOM_HABITS,
        steer=_CUSTOM_STEER,
    )


def opening_messages(scenario: Scenario, member: str, other_person: str) -> list[ChatMessage]:
    """The request for the other person's first line: the member arrives, they speak first."""
    system = f"{scenario.system_prompt(member, other_person)}\nNow: {scenario.opening}"
    return [ChatMessage("system", system), ChatMessage("user", scenario.greeting)]


def reply_messages(
    scenario: Scenario,
    member: str,
    other_person: str,
    transcript: Sequence[dict[str, str]],
    *,
    count_tokens: Callable[[str], int],
    budget_tokens: int,
    now: str,
) -> list[ChatMessage]:
    """The request for the other person's next line: their persona, then the newest lines
    that fit in ``budget_tokens`` as alternating turns (the member is the user, the other
    person the assistant), starting with a member turn as ChatML expects, and last what to
    do ``now`` (the scene's next beat)."""
    merged: list[ChatMessage] = []
    for line in transcript:
        role: Role = "user" if line["role"] == MEMBER else "assistant"
        text = _safe(line["text"]) if role == "user" else line["text"]
        if merged and merged[-1].role == role:  # a member line whose answer was lost
            text = f"{merged.pop().content}\n{text}"
        merged.append(ChatMessage(role, text))
    turns: list[ChatMessage] = []
    spent = count_tokens(scenario.greeting) + _MESSAGE_OVERHEAD_TOKENS  # may lead the window
    for turn in reversed(merged):
        spent += count_tokens(turn.content) + _MESSAGE_OVERHEAD_TOKENS
        if turns and spent > budget_tokens:
            break
        turns.insert(0, turn)
    if turns and turns[0].role == "assistant":
        turns.insert(0, ChatMessage("user", scenario.greeting))
    # The beat comes last, so the persona and the transcript stay a prefix the model's prompt
    # cache can reuse from one turn to the next.
    system = scenario.system_prompt(member, other_person)
    return [ChatMessage("system", system), *turns, ChatMessage("system", f"Now: {now}")]


def _safe(text: str) -> str:
    """Member-written text as data: no chat-template markers, on one line."""
    return " ".join(strip_role_markers(text).split())
