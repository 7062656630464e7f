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

The learned judges (``choosing``: a logistic model over general features of a reply, with
the agent's own embedder, MiniLM) are fitted on every label of five characters and checked on
the other five, both ways round (``learned``), beside the earlier bench judges on the same
held-out rows; ``--write`` fits them on every label and writes ``choosing.json``, which the
reply path's draft chooser and the bench read. It also checks the chooser: of two labelled
replies of one character to one member line, does it prefer the one people rated better?

    python -m evals.characters.judges [--write]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from rich.console import Console
from rich.table import Table
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from evals.characters.scoring import Said, feature_rows, judge, threshold_judge
from townsquare.studio.conversation.choosing import FEATURES, WEIGHTS, judges

HERE = Path(__file__).parent
QUESTIONS = ("on_topic", "in_voice")
Labelled = tuple[Said, dict[str, bool]]


def labels(pattern: str = "*.jsonl", *, among: Sequence[str] | None = None) -> list[Labelled]:
    """The hand labels of the files matching ``pattern`` (of those named ``among``, when
    given), in file order."""
    paths = [p for p in sorted(HERE.glob(pattern)) if among is None or p.name in among]
    rows = [json.loads(line) for p in paths for line in p.read_text().splitlines() if line.strip()]
    return [
        (Said(r["character"], r["member"], r["reply"]), {q: r[q] for q in QUESTIONS}) for r in rows
    ]


def fitted_on() -> list[str]:
    """The label files the shipped judges were fitted on."""
    return list(json.loads(WEIGHTS.read_text())["fitted_on"])


def choosing(rows: Sequence[Labelled], x: NDArray[np.float64]) -> tuple[int, int]:
    """(agrees, pairs): pairs of labelled replies of one character to one member line where
    people rated one better (more of the two questions yes), and how often the shipped
    chooser's fit (P(on topic) x P(in voice), of the rows ``x`` of ``feature_rows``) agrees."""
    topic, voice = judges()
    fit_of = topic.probability(x) * voice.probability(x)
    agrees = pairs = 0
    for (i, (a, la)), (j, (b, lb)) in itertools.combinations(enumerate(rows), 2):
        good_a, good_b = sum(la.values()), sum(lb.values())
        if (a.character, a.member) != (b.character, b.member) or good_a == good_b:
            continue
        pairs += 1
        agrees += bool(fit_of[i] > fit_of[j]) == (good_a > good_b)
    return agrees, pairs


def halves(rows: Sequence[Labelled]) -> tuple[list[int], list[int]]:
    """Row indices of the labels of the even and the odd characters (sorted by name)."""
    names = sorted({s.character for s, _ in rows})
    even = {n for i, n in enumerate(names) if i % 2 == 0}
    first = [i for i, (s, _) in enumerate(rows) if s.character in even]
    return first, [i for i in range(len(rows)) if i not in set(first)]


def fit(x: NDArray[np.float64], y: Sequence[bool]) -> Pipeline:
    """A logistic model over standardised features (the shape ``choosing.Judge`` reads)."""
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
    return model.fit(x, np.asarray(y, dtype=int))


def learned(rows: Sequence[Labelled], console: Console) -> None:
    """Held-out agreement of the learned judges, fitted on one half of the characters and
    checked on the other (both ways round), beside the earlier judges on the same rows."""
    said = [s for s, _ in rows]
    x = feature_rows(said)
    earlier = dict(zip(QUESTIONS, threshold_judge(said), strict=True))
    table = Table(title=f"{len(rows)} hand labels; fitted on 5 characters, checked on the other 5")
    for column in ("question", "held-out half", "labels", "majority", "earlier judge", "learned"):
        table.add_column(column)
    for q in QUESTIONS:
        truth = [label[q] for _, label in rows]
        for name, (train, test) in zip(
            ("odd", "even"), [halves(rows), halves(rows)[::-1]], strict=True
        ):
            held = [truth[i] for i in test]
            model = fit(x[train], [truth[i] for i in train])
            passed = model.predict_proba(x[test])[:, 1] >= 0.5
            agree = statistics.mean(bool(p) == t for p, t in zip(passed, held, strict=True))
            before = statistics.mean(earlier[q][i] == truth[i] for i in test)
            majority = max(statistics.mean(held), 1 - statistics.mean(held))
            table.add_row(
                q, name, str(len(test)), f"{majority:.2f}", f"{before:.2f}", f"{agree:.2f}"
            )
    console.print(table)


def write(rows: Sequence[Labelled], files: Sequence[str], path: Path = WEIGHTS) -> None:
    """Fits both judges on ``rows`` (the labels of ``files``) and writes them to ``path``
    (``choosing.json``)."""
    x = feature_rows([s for s, _ in rows])
    scaler = StandardScaler().fit(x)
    data: dict[str, object] = {
        "features": list(FEATURES),
        "fitted_on": list(files),
        "labels": len(rows),
        "mean": [round(float(v), 5) for v in scaler.mean_],
        "scale": [round(float(v), 5) for v in scaler.scale_],
    }
    for q in QUESTIONS:
        model = fit(x, [label[q] for _, label in rows])[-1]
        data[q] = {
            "weights": [round(float(w), 4) for w in model.coef_[0]],
            "bias": round(float(model.intercept_[0]), 4),
        }
    path.write_text(json.dumps(data, indent=1) + "\n")


def fresh(rows: Sequence[Labelled], name: str, console: Console) -> None:
    """How the earlier and the shipped judges, and the chooser, do on labels the shipped
    judges were not fitted on."""
    said = [s for s, _ in rows]
    shipped, earlier = judge(said), threshold_judge(said)
    for q, now, before in zip(QUESTIONS, shipped, earlier, strict=True):
        truth = [label[q] for _, label in rows]
        agree = [
            statistics.mean(p == t for p, t in zip(passed, truth, strict=True))
            for passed in (before, now)
        ]
        console.print(
            f"{name}: {q} ({len(rows)} labels, {sum(truth)} yes): earlier judge agrees"
            f" {agree[0]:.2f}, shipped judge {agree[1]:.2f}"
        )
    agrees, pairs = choosing(rows, feature_rows(said))
    console.print(
        f"{name}: the chooser prefers the reply people rated better in {agrees} of {pairs}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="refit on every label file")
    args = parser.parse_args()
    console = Console()
    files = [p.name for p in sorted(HERE.glob("*.jsonl"))]
    fitting = files if args.write else fitted_on()
    learned(labels(among=fitting), console)
    if args.write:
        write(labels(among=files), files)
        console.print(f"wrote {WEIGHTS} from {len(files)} label files")
    for name in files:
        if name not in fitting:
            fresh(labels(name), name, console)


if __name__ == "__main__":
    main()
