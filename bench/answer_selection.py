"""The learned answer choice (``studio/conversation/selection.py``): its training data, its
leave-one-set-out validation against the rules, and the weights it ships with.

    python -m bench.answer_selection record --set dev --set potter --set baker --out cands.jsonl
    python -m bench.answer_selection validate cands.jsonl [--write]

``record`` runs each set's answerable and unanswerable questions through the evaluation harness
(``evals/creator``, the rules answering, embedded models) and writes one JSON line per question:
its category and whether the full run got it right, and, where the question reached the
one-source choice (``Chooser.answer``: typed, neither computed nor bridged), every candidate
sentence with its features and the sentence the rules chose.

``validate`` labels each candidate (its sentence states an expected answer and no forbidden one,
``evals.creator.scoring.mentions``), then for each set trains on the other sets (logistic
regression, the threshold chosen on those sets only) and scores that set: the learned choice
against the rules on the same questions, per category. Questions the choice never sees keep
their full-run result in both columns. ``--write`` fits all sets and writes
``src/townsquare/studio/conversation/selection.json``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rich.console import Console
from rich.progress import track
from rich.table import Table
from sklearn.linear_model import LogisticRegression

from evals.creator import ANSWERABLE, CreatorSet, load_set
from evals.creator.baker import baker_set
from evals.creator.scoring import mentions
from townsquare.studio.conversation import selection
from townsquare.studio.conversation.answers import Answer, Chooser
from townsquare.studio.conversation.selection import FEATURES, Selector, choose, features
from townsquare.studio.knowledge.dates import find_dates

WEIGHTS = Path(selection.__file__).with_name(selection.WEIGHTS_FILE)
SCORED = (*sorted(ANSWERABLE), "unanswerable")
THRESHOLDS = np.round(np.arange(0.02, 0.9, 0.02), 2)
MARGINS = (0.0, 0.05, 0.1, 0.2, 0.3)
C = 1.0  # inverse L2 strength of the logistic regression (sklearn's default)


def _load(name: str) -> CreatorSet:
    return baker_set() if name == "baker" else load_set(name)


# --- record --------------------------------------------------------------------------------


def record(names: Sequence[str], out: Path, *, foreign: bool = False) -> None:
    from evals.creator import harness

    current: dict[str, str] = {}
    chosen: dict[str, dict[str, Any]] = {}
    rules_answer = Chooser.answer

    def answer(self: Chooser, passages: Any) -> Any:
        pool = [c for c, _ in self.scan(passages, self.asked.type, self.asked.subject)]
        result = rules_answer(self, passages)
        chosen[current["id"]] = {
            "type": self.asked.type,
            "wants_next": self.asked.wants_next,
            "on": self.on.isoformat(),
            "rules": result.citations[0]["quote"] if isinstance(result, Answer) else None,
            "candidates": [
                {
                    "sentence": c.sentence,
                    "features": [round(float(v), 5) for v in row],
                    "dates": [
                        day.isoformat()
                        for _, day in find_dates(c.sentence, near=c.passage.dated or self.on)
                    ],
                }
                for c, row in zip(pool, features(self, pool), strict=True)
            ],
        }
        return result

    rules_ask = harness.Instance.ask

    def ask(self: Any, question: Any, member: int) -> Any:
        current["id"] = question.id
        return rules_ask(self, question, member)

    Chooser.answer = answer  # type: ignore[method-assign]
    harness.Instance.ask = ask  # type: ignore[method-assign]
    harness.Instance.retrieved_files = lambda self, question: ()  # type: ignore[method-assign]
    with out.open("w") as sink:
        for name in names:
            evalset = _load(name)
            questions = [
                q
                for q in evalset.questions
                if q.category in SCORED and not (foreign and q.language == "en")
            ]
            with tempfile.TemporaryDirectory(prefix="answer-selection-") as tmp:
                models = harness.build_models("embedded", harness.instance_settings(Path(tmp)))
                for number, reply in enumerate(
                    harness.run_set(evalset, questions, models=models, data_dir=Path(tmp)), 1
                ):
                    q = reply.question
                    row = {"set": name, "id": q.id, "category": q.category, "right": reply.right}
                    row |= {"unknown": reply.outcome == "unknown", "question": q.question}
                    row |= {"expected": list(q.expected), "forbidden": list(q.forbidden)}
                    row["choice"] = chosen.pop(q.id, None)
                    sink.write(json.dumps(row, ensure_ascii=False) + "\n")
                    print(f"{name} {number}/{len(questions)} {q.id}", flush=True)


# --- validate ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One question that reached the one-source choice, its candidates labelled."""

    x: npt.NDArray[np.float64]  # (N, F) features
    right: npt.NDArray[np.bool_]  # (N,) the sentence states an expected answer, no forbidden one
    dates: list[list[str]]  # per candidate, the ISO dates it names
    on: str  # the day "the next" counts from
    wants_next: bool
    rules: bool | None  # the rules' sentence right; None: the rules said "I don't know"


@dataclass(frozen=True)
class Row:
    set: str
    id: str
    category: str
    full_run: bool  # right (answerable) or "I don't know" (unanswerable) in the full run
    choice: Choice | None


def _states(sentence: str, row: dict[str, Any]) -> bool:
    return any(mentions(sentence, e) for e in row["expected"]) and not any(
        mentions(sentence, f) for f in row["forbidden"]
    )


def load_rows(records: Path) -> list[Row]:
    rows = []
    for line in records.read_text().splitlines():
        row = json.loads(line)
        answerable = row["category"] in ANSWERABLE
        choice = None
        if (c := row["choice"]) is not None:
            found = c["candidates"]
            x = np.array([f["features"] for f in found], dtype=np.float64).reshape(
                len(found), len(FEATURES)
            )
            right = np.array([answerable and _states(f["sentence"], row) for f in found], bool)
            rules = None if c["rules"] is None else answerable and _states(c["rules"], row)
            dates = [f["dates"] for f in found]
            choice = Choice(x, right, dates, c["on"], c["wants_next"], rules)
        full_run = row["right"] if answerable else row["unknown"]
        rows.append(Row(row["set"], row["id"], row["category"], full_run, choice))
    return rows


def chosen(
    choice: Choice, p: npt.NDArray[np.float64], threshold: float, margin: float
) -> int | None:
    """What ``Selector.answer`` picks: a candidate's index, or None for "I don't know"."""
    kept = [i for i in range(len(p)) if p[i] >= threshold]
    if not kept:
        return None
    if choice.wants_next:
        dated = [(day, i) for i in kept for day in choice.dates[i]]
        if dated:
            upcoming = [(day, -p[i], i) for day, i in dated if day >= choice.on]
            return min(upcoming)[2] if upcoming else None
    return choose(choice.x, p, margin)


def outcome(row: Row, selector: Selector | None) -> bool:
    """Right (answerable) or "I don't know" (unanswerable): the rules' when ``selector`` is
    None; a question the choice never saw keeps its full-run result."""
    if row.choice is None:
        return row.full_run
    answerable = row.category in ANSWERABLE
    if selector is None:
        return bool(row.choice.rules) if answerable else row.choice.rules is None
    if not len(row.choice.x):
        return not answerable
    p = selector.probabilities(row.choice.x)
    index = chosen(row.choice, p, selector.threshold, selector.margin)
    if index is None:
        return not answerable
    return answerable and bool(row.choice.right[index])


def fit(rows: Sequence[Row]) -> Selector:
    """Logistic regression on the candidates of ``rows``, then the threshold and rival margin
    that get the most of ``rows`` right (answerable right, unanswerable "I don't know")."""
    choices = [r.choice for r in rows if r.choice is not None and len(r.choice.x)]
    x = np.concatenate([c.x for c in choices])  # (N, F)
    y = np.concatenate([c.right for c in choices])  # (N,)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit((x - mean) / scale, y)
    weights, bias = model.coef_[0], float(model.intercept_[0])
    grid = [(float(t), m) for m in MARGINS for t in THRESHOLDS]
    scores = [sum(outcome(r, Selector(weights, bias, mean, scale, *g)) for r in rows) for g in grid]
    best = [g for g, s in zip(grid, scores, strict=True) if s == max(scores)]
    return Selector(weights, bias, mean, scale, *best[len(best) // 2])


def figures(rows: Sequence[Row], selector: Selector | None) -> dict[str, float]:
    by: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        right = outcome(row, selector)
        by[row.category].append(right)
        if row.category in ANSWERABLE:
            by["right"].append(right)
    return {k: float(np.mean(v)) for k, v in by.items()} | {"n": float(len(rows))}


def folds(rows: Sequence[Row]) -> Iterator[tuple[str, list[Row], list[Row]]]:
    for held in dict.fromkeys(r.set for r in rows):
        yield held, [r for r in rows if r.set != held], [r for r in rows if r.set == held]


def validate(records: Path, *, write: bool) -> int:
    console = Console(width=200)
    rows = load_rows(records)
    columns = ["right", *sorted(ANSWERABLE), "unanswerable"]
    table = Table(title="Leave one set out: rules / learned (trained on the other sets)")
    table.add_column("held out")
    table.add_column("threshold, margin", justify="right")
    for name in columns:
        table.add_column(name, justify="right")
    means: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for held, train, test in track(list(folds(rows)), description="folds", console=console):
        selector = fit(train)
        rules, learned = figures(test, None), figures(test, selector)
        cells = []
        for name in columns:
            if name in rules:
                cells.append(f"{rules[name]:.2f} / {learned[name]:.2f}")
                means[name].append((rules[name], learned[name]))
            else:
                cells.append("-")
        table.add_row(held, f"{selector.threshold:.2f}, {selector.margin:.2f}", *cells)
    table.add_row(
        "mean",
        "",
        *(
            f"{np.mean([a for a, _ in means[n]]):.2f} / {np.mean([b for _, b in means[n]]):.2f}"
            if means[n]
            else "-"
            for n in columns
        ),
    )
    console.print(table)
    reached = [r.choice for r in rows if r.choice is not None and r.category in ANSWERABLE]
    ceiling = np.mean([bool(c.right.any()) for c in reached])
    console.print(f"{len(reached)} answerable questions reach the choice; a right one is among")
    console.print(f"the candidates of {ceiling:.2f} of them (the ceiling of any choice).")
    if write:
        selector = fit(rows)
        WEIGHTS.write_text(json.dumps(selector.to_dict(), indent=1) + "\n")
        console.print(f"wrote {WEIGHTS} (threshold {selector.threshold:.2f})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    summary = " ".join((__doc__ or "").split("\n\n")[0].split())
    parser = argparse.ArgumentParser(description=summary)
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record", help="run the sets and write their candidates")
    rec.add_argument("--set", action="append", required=True, help="a set (repeatable)")
    rec.add_argument("--out", type=Path, required=True, help="the JSON-lines file to write")
    rec.add_argument("--foreign", action="store_true", help="only questions not in English")
    val = commands.add_parser("validate", help="leave one set out; --write ships the weights")
    val.add_argument("records", type=Path, help="what record wrote")
    val.add_argument("--write", action="store_true", help=f"fit all sets, write {WEIGHTS.name}")
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.set, args.out, foreign=args.foreign)
        return 0
    return validate(args.records, write=args.write)


if __name__ == "__main__":
    sys.exit(main())
