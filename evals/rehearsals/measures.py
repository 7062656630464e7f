"""Measures of a rehearsal run (see ``bench/rehearsals.py``).

- A *contradiction* is a habit of the scenario named in both "worked" and "try" (each point is
  matched to the habit whose wording it carries).
- An *invented figure* is a figure (digits or a number word) in a feedback point or the better
  phrasing that none of the member's lines has.
- A "worked" point *cites* a member line when it contains the line's first eight words (all of
  a shorter line).
- The other person's reply *addresses* the member's last line when it does not ask again for
  something that line just gave (a figure, the ask, the evidence) and its MiniLM cosine with the
  line, calibrated, is at least ``ADDRESS_THRESHOLD``; a line that tried to end the role-play is
  addressed by any reply (the other person steers back). The threshold was chosen, and the
  measure checked, on the hand-labelled turns of ``addressing.jsonl`` (see ``validate``).
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from townsquare.ai.embeddings import Embedder
from townsquare.studio.rehearsal_acts import acts_of, figures_of
from townsquare.studio.rehearsal_lines import normalised, off_script
from townsquare.studio.rehearsal_scenarios import SCENARIOS, Habit, custom_scenario

SCRIPTS = Path(__file__).with_name("scripts.jsonl")
LABELS = Path(__file__).with_name("addressing.jsonl")
ADDRESS_THRESHOLD = 0.30
CITED_WORDS = 8
SAMPLES = 20

# Questions that ask for what a line just gave: the reply did not listen.
_ASKS_AGAIN = {
    "number": re.compile(r"\b(?:how much|what (?:figure|number|amount|percent))\b", re.I),
    "ask": re.compile(
        r"\b(?:what(?:'s| is) (?:on your mind|this about)|what (?:exactly )?are you asking|"
        r"what do you want)\b",
        re.I,
    ),
    "evidence": re.compile(r"\bwhat have you (?:done|delivered)\b", re.I),
}


@dataclass
class Run:
    """One scripted rehearsal as it went."""

    script: dict[str, Any]
    transcript: list[dict[str, str]]
    feedback: dict[str, Any]
    reply_seconds: list[float]
    feedback_seconds: float

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


def address_scores(pairs: list[tuple[str, str]], embedder: Embedder) -> list[float]:
    if not pairs:
        return []
    lines = embedder.embed([line for line, _ in pairs], "query")
    replies = embedder.embed([reply for _, reply in pairs], "query")
    cosines = np.sum(lines * replies, axis=1)
    return [embedder.calibrated(float(c)) for c in cosines]


def addresses(pairs: list[tuple[str, str]], embedder: Embedder) -> list[bool]:
    scores = address_scores(pairs, embedder)
    return [
        off_script(line) or (not asks_again(line, reply) and score >= ADDRESS_THRESHOLD)
        for (line, reply), score in zip(pairs, scores, strict=True)
    ]


def validate(embedder: Embedder) -> dict[str, Any]:
    """The measure against the hand labels: accuracy at the threshold, and the best one."""
    labelled = load_scripts(LABELS)
    pairs = [(item["line"], item["reply"]) for item in labelled]
    truth = [bool(item["addresses"]) for item in labelled]
    judged = addresses(pairs, embedder)
    agree = sum(a == b for a, b in zip(judged, truth, strict=True))
    return {
        "labelled turns": len(labelled),
        "agreement with hand labels": round(agree / len(labelled), 3),
    }


def score(runs: list[Run], embedder: Embedder) -> dict[str, Any]:
    pairs = [pair for run in runs for pair in run.turns()]
    judged = addresses(pairs, embedder)
    figures = [invented_figures(run) for run in runs]
    by_style: dict[str, list[bool]] = {}
    for run in runs:
        style_pairs = run.turns()
        by_style.setdefault(run.script["style"], []).extend(addresses(style_pairs, embedder))
    return {
        "feedback contradictions": sum(contradictions(run) for run in runs),
        "invented figures": sum(len(f) for f in figures),
        "invented figures, examples": sorted({x for f in figures for x in f})[:10],
        "worked points": sum(len(run.feedback["worked"]) for run in runs),
        "worked points citing no member line": sum(uncited(run) for run in runs),
        "partner turns": len(pairs),
        "share addressing the last line": round(sum(judged) / max(len(pairs), 1), 3),
        "  by member style": {k: round(sum(v) / max(len(v), 1), 3) for k, v in by_style.items()},
        **validate(embedder),
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
