"""Measures of a rehearsal run (see ``bench/rehearsals.py``).

- A *contradiction* is a habit of the scenario named in both "worked" and "try" (each point is
  matched to the habit whose wording it carries).
- An *invented figure* is a figure (digits or a number word) in a feedback point or the better
  phrasing that none of the member's lines has.
- A "worked" point *cites* a member line when it contains the line's first eight words (all of
  a shorter line).
- The other person's reply *addresses* the member's last line when it stays in role, does not
  ask again for something that line gave (a figure, the ask, the evidence), and responds to
  what the line did: it pushes back, asks, agrees or defers; a give-up ("never mind") is met by
  leaving it open or pulling the member back, a proposal by accepting, deferring or pushing
  back on it. A line that tried to end the role-play is addressed by any reply (it steers back).
  Checked against 75 hand-labelled turns of ``addressing.jsonl`` (see ``validate``): the
  MiniLM cosine of line and reply agreed with the labels at best 0.68 (at any threshold; an
  echo scores high), so it is not used.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from townsquare.studio.rehearsal_acts import acts_of, figures_of
from townsquare.studio.rehearsal_lines import normalised, off_script
from townsquare.studio.rehearsal_scenarios import SCENARIOS, Habit, custom_scenario

SCRIPTS = Path(__file__).with_name("scripts.jsonl")
LABELS = Path(__file__).with_name("addressing.jsonl")
CITED_WORDS = 8
SAMPLES = 20

# Questions that ask for what a line just gave: the reply did not listen.
# Replies no person in the scene would say: the model talking as an assistant.
_OUT_OF_ROLE = re.compile(
    r"\b(?:ai|assist(?:ant|ance)?|advisor|not available|unable to|happy to help|helpful|"
    r"access to|not sure what (?:to|you)|for your loss|not the best person)\b",
    re.I,
)
# What a reply does, by its words.
_RESPONSES = {
    "push": re.compile(
        r"\b(?:but|budget|tight|hurt|upset|friends|just this once|harsh|not fair|"
        r"not really an answer|sort things out|stay on)\b",
        re.I,
    ),
    "agree": re.compile(
        r"\b(?:okay|ok|alright|fair|agree|let's|i'll|see you|sounds good|i'd like that|glad we|"
        r"good)\b",
        re.I,
    ),
    "defer": re.compile(r"\b(?:later|come back|more time|think about it|when you know)\b", re.I),
}
_ASKS_AGAIN = {
    "number": re.compile(r"\b(?:how much|what (?:figure|number|amount|percent))\b", re.I),
    "ask": re.compile(
        r"\b(?:what(?:'s| is) (?:on your mind|this about)|what (?:exactly )?are you asking|"
        r"what do you want|what are you (?:actually )?saying|what's going on)\b",
        re.I,
    ),
    "evidence": re.compile(r"\b(?:what have you (?:done|delivered)|justif\w*|convince me)\b", re.I),
}


@dataclass
class Run:
    """One scripted rehearsal as it went."""

    script: dict[str, Any]
    transcript: list[dict[str, str]]
    feedback: dict[str, Any]
    reply_seconds: list[float]
    feedback_seconds: float
    # CPU seconds of this process per reply: unlike wall seconds, barely moved by neighbours'
    # load on a shared machine (runs kept before it was measured have none).
    reply_cpu_seconds: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def member_lines(self) -> list[str]:
        return [line["text"] for line in self.transcript if line["role"] == "member"]

    def turns(self) -> list[tuple[str, str]]:
        """(member line, the other person's reply) pairs."""
        lines = self.transcript
        return [
            (line["text"], reply["text"])
            for line, reply in itertools.pairwise(lines)
            if line["role"] == "member" and reply["role"] == "other"
        ]


def load_scripts(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _habits(run: Run) -> tuple[Habit, ...]:
    key = run.script["scenario"]
    return SCENARIOS[key].habits if key in SCENARIOS else custom_scenario("").habits


def _habit_of(point: str, habits: tuple[Habit, ...]) -> int:
    words = set(normalised(point).split())

    def overlap(habit: Habit) -> float:
        return max(
            len(words & set(normalised(text).split())) / len(set(normalised(text).split()))
            for text in (habit.did, habit.advice)
        )

    return max(range(len(habits)), key=lambda i: overlap(habits[i]))


def contradictions(run: Run) -> int:
    habits = _habits(run)
    worked = {_habit_of(point, habits) for point in run.feedback["worked"]}
    tries = {_habit_of(point, habits) for point in run.feedback["try"]}
    return len(worked & tries)


def invented_figures(run: Run) -> list[str]:
    said: set[str] = set().union(*(figures_of(line) for line in run.member_lines))
    phrasing = run.feedback["better_phrasing"]
    texts = [*run.feedback["worked"], *run.feedback["try"], phrasing["suggestion"]]
    return sorted({f for text in texts for f in figures_of(text)} - said)


def uncited(run: Run) -> int:
    keys = [" ".join(normalised(line).split()[:CITED_WORDS]) for line in run.member_lines]
    return sum(
        1
        for point in run.feedback["worked"]
        if not any(key and key in normalised(point) for key in keys)
    )


def asks_again(line: str, reply: str) -> bool:
    given = acts_of(line)
    return any(act in given and rule.search(reply) for act, rule in _ASKS_AGAIN.items())


def addresses(line: str, reply: str) -> bool:
    """Whether ``reply`` answers ``line`` (see the module's docstring)."""
    if off_script(line):
        return True  # any in-character line steers back
    if _OUT_OF_ROLE.search(reply) or asks_again(line, reply):
        return False
    kinds = {kind for kind, rule in _RESPONSES.items() if rule.search(reply)}
    if reply.rstrip().endswith("?"):
        kinds.add("question")
    acts = acts_of(line)
    if "cave" in acts:  # the member gave up: leave it open or pull them back, not push on
        return bool(kinds & {"agree", "defer"}) or kinds == {"question"}
    if "next_step" in acts:  # a proposal is accepted, deferred or pushed back on
        return bool(kinds & {"agree", "defer", "push"})
    return bool(kinds)


def validate() -> dict[str, Any]:
    """The measure against the hand labels of ``addressing.jsonl``."""
    labelled = load_scripts(LABELS)
    agree = sum(addresses(item["line"], item["reply"]) == item["addresses"] for item in labelled)
    return {
        "hand-labelled turns": len(labelled),
        "measure agrees with the hand labels": round(agree / len(labelled), 3),
    }


def score(runs: list[Run]) -> dict[str, Any]:
    pairs = [pair for run in runs for pair in run.turns()]
    judged = [addresses(line, reply) for line, reply in pairs]
    figures = [invented_figures(run) for run in runs]
    by_style: dict[str, list[bool]] = {}
    for run in runs:
        style = by_style.setdefault(run.script["style"], [])
        style.extend(addresses(line, reply) for line, reply in run.turns())
    return {
        "feedback contradictions": sum(contradictions(run) for run in runs),
        "invented figures": sum(len(f) for f in figures),
        "invented figures, examples": sorted({x for f in figures for x in f})[:10],
        "worked points": sum(len(run.feedback["worked"]) for run in runs),
        "worked points citing no member line": sum(uncited(run) for run in runs),
        "partner turns": len(pairs),
        "share addressing the last line": round(sum(judged) / max(len(pairs), 1), 3),
        "  by member style": {k: round(sum(v) / max(len(v), 1), 3) for k, v in by_style.items()},
        **validate(),
    }


def write_samples(runs: list[Run], folder: Path, label: str) -> None:
    """The first ``SAMPLES`` runs as one markdown file per run, for people to read."""
    folder.mkdir(parents=True, exist_ok=True)
    for run in runs[:SAMPLES]:
        names = {"member": "Member", "other": "Other person"}
        lines = [
            f"# {run.script['id']} ({label})",
            "",
            f"Scenario: {run.script['scenario']}, member who asks {run.script['style']}.",
            "",
        ]
        lines += [f"**{names[line['role']]}:** {line['text']}  " for line in run.transcript]
        feedback = run.feedback
        lines += ["", "## Feedback", "", "Worked:"]
        lines += [f"- {point}" for point in feedback["worked"]] or ["- (nothing)"]
        lines += ["", "Try:"]
        lines += [f"- {point}" for point in feedback["try"]] or ["- (nothing)"]
        phrasing = feedback["better_phrasing"]
        lines += [
            "",
            f'Better phrasing of: "{phrasing["original"]}"',
            "",
            f"> {phrasing['suggestion']}",
            "",
        ]
        (folder / f"{run.script['id']}.md").write_text("\n".join(lines))
