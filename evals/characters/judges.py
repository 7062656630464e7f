"""Which judge of "on the member's topic" and "in the character's voice" agrees with people?

Every hand-labelled reply (``*labels*.jsonl`` here: the reply, the member's line, the
character, and a person's yes/no for each question) is scored by each candidate judge
(``scoring.raw_scores``: MiniLM or multilingual-e5-small, the ``relative`` or ``cosine``
score). The labels are split in two halves, alternate rows in file order (so both hold every
character and every member line): the threshold is chosen on the even rows (the one that
agrees with most of their labels) and the agreement reported on the odd rows, which played no
part in choosing it. The best judge of each question is written into ``scoring.TOPIC`` and
``scoring.VOICE`` by hand, with its even-row threshold, and the bench reports it. Replies
labelled after that (``*check*.jsonl``) are a fresh test of those two judges.

It also checks the reply path's draft chooser (``choosing.fits``, MiniLM): of two labelled
replies of one character to one member line, does it prefer the one people rated better?

    python -m evals.characters.judges
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from evals.characters import characters
from evals.characters.scoring import Said, embedder, judge, raw_scores
from townsquare.studio.conversation.choosing import fits

HERE = Path(__file__).parent
QUESTIONS = ("on_topic", "in_voice")


def labels(pattern: str = "*labels*.jsonl") -> list[tuple[Said, dict[str, bool]]]:
    rows = [
        json.loads(line)
        for path in sorted(HERE.glob(pattern))
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    return [
        (Said(r["character"], r["member"], r["reply"]), {q: r[q] for q in QUESTIONS}) for r in rows
    ]


def best_threshold(values: Sequence[float], truth: Sequence[bool]) -> float:
    """The threshold (a reply passes at or over it) that agrees with most of ``truth``; of
    equally good ones, the middle one."""
    candidates = [*sorted(set(values)), max(values) + 1.0]
    agreement = [agreement_at(values, truth, t) for t in candidates]
    tied = [t for t, a in zip(candidates, agreement, strict=True) if a == max(agreement)]
    return tied[len(tied) // 2]


def agreement_at(values: Sequence[float], truth: Sequence[bool], threshold: float) -> float:
    return statistics.mean((v >= threshold) == t for v, t in zip(values, truth, strict=True))


def choosing(rows: Sequence[tuple[Said, dict[str, bool]]]) -> tuple[int, int]:
    """(agrees, pairs): pairs of labelled replies of one character to one member line where
    people rated one better (more of the two questions yes), and how often ``fits`` agrees."""
    cast = {c.persona.name: c.persona for c in characters()}
    agrees = pairs = 0
    for (a, la), (b, lb) in itertools.combinations(rows, 2):
        good_a, good_b = sum(la.values()), sum(lb.values())
        if (a.character, a.member) != (b.character, b.member) or good_a == good_b:
            continue
        persona = cast[a.character]
        fit_a, fit_b = fits(
            [a.reply, b.reply], message=a.member, persona=persona, embedder=embedder("MiniLM")
        )
        pairs += 1
        agrees += (fit_a > fit_b) == (good_a > good_b)
    return agrees, pairs


def main() -> None:
    rows = labels()
    said = [s for s, _ in rows]
    scores = {model: raw_scores(said, model) for model in ("MiniLM", "e5")}
    console = Console()
    for q in QUESTIONS:
        truth = [label[q] for _, label in rows]
        held = truth[1::2]
        base = max(statistics.mean(held), 1 - statistics.mean(held))
        table = Table(
            title=f"{q}: {len(rows)} hand labels ({sum(truth)} yes); on the odd rows, always"
            f" the majority answer agrees {base:.2f}"
        )
        for column in ("judge", "threshold (even rows)", "agreement (odd rows)"):
            table.add_column(column)
        for model, measure in itertools.product(("MiniLM", "e5"), ("relative", "cosine")):
            values = scores[model][f"{q}/{measure}"]
            threshold = best_threshold(values[0::2], truth[0::2])
            agreement = agreement_at(values[1::2], held, threshold)
            table.add_row(f"{model} {measure}", f"{threshold:.3f}", f"{agreement:.2f}")
        console.print(table)
    fresh = labels("*check*.jsonl")  # labelled after TOPIC and VOICE were fixed
    if fresh:
        on_topic, in_voice = judge([s for s, _ in fresh])
        for q, passed in (("on_topic", on_topic), ("in_voice", in_voice)):
            agreement = statistics.mean(
                p == label[q] for p, (_, label) in zip(passed, fresh, strict=True)
            )
            console.print(
                f"{q}: the bench's judge agrees with {agreement:.2f} of {len(fresh)} fresh labels"
            )
    agrees, pairs = choosing(rows)
    console.print(
        f"the draft chooser (MiniLM cos to the line + cos to the character) prefers the reply"
        f" people rated better in {agrees} of {pairs} labelled pairs"
    )


if __name__ == "__main__":
    main()
