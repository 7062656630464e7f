"""The creator-agent evaluation: a creator's own files uploaded to a fresh Townsquare, members'
questions answered through /v1/chat/completions, scored per category and language.

    python -m bench.creator_eval --set dev [--set heldout] [--set baker] [--model embedded|fake]
        [--category changed ...] [--id changed-02 ...] [--limit N] [--show-failures]
        [--json report.json]

Sets live in ``evals/creator/<name>/`` (the format: ``evals/creator/__init__.py``); ``baker``
is the studio evaluation in that format. ``--model embedded`` uses the models the
``TOWNSQUARE_*`` settings configure (the embedded SmolLM2 and MiniLM by default, or an
OpenAI-compatible server); ``fake`` checks the harness in seconds. The metrics are defined in
``evals/creator/scoring.py``; figures of full runs are in docs/benchmarks.md ("Creator agent on
unseen material"). Exits 1 when a run misses one of issue 15's targets (``TARGETS`` there).
"""

from __future__ import annotations

import os

# Before llama.cpp or torch load OpenMP: idle threads sleep instead of spinning (shared cores).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select

from evals.creator import CATEGORIES, SETS_DIR, CreatorSet, load_set
from evals.creator.baker import baker_set
from evals.creator.harness import (
    Instance,
    ModelKind,
    build_models,
    clock_at,
    instance_settings,
    run_set,
)
from evals.creator.scoring import FIGURES, Answer, failure, missed_targets, report
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db.models import Account, Agent
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever

PHASES = {"upload": "uploading files", "index": "indexing", "ask": "asking"}


@contextmanager
def uploaded(evalset: CreatorSet) -> Iterator[tuple[Models, KnowledgeRetriever]]:
    """``evalset`` uploaded to a fresh Townsquare on the set's day: its embedded models and
    its agent's retrieval, as the pipeline searches (for the benches that read one step of it)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = instance_settings(Path(tmp))
        models = build_models("embedded", settings)
        with clock_at(evalset), TestClient(create_app(settings, models=models)) as client:
            Instance(client, evalset).set_up_creator(lambda phase, done, total: None)
            database = client.app.state.database  # type: ignore[attr-defined]
            with database.session() as session:
                agent_id = session.scalar(
                    select(Agent.id)
                    .join(Account, Account.id == Agent.account_id)
                    .where(Account.handle == evalset.agent.handle)
                )
            assert agent_id is not None
            yield (
                models,
                KnowledgeRetriever(
                    database, models.embedder, agent_id, cross=models.cross_embedder
                ),
            )


def _load(name: str) -> CreatorSet:
    return baker_set() if name == "baker" else load_set(name)


def _cell(name: str, value: float) -> str:
    if math.isnan(value):
        return "-"
    if name in ("n", "injected"):
        return f"{value:.0f}"
    return f"{value:.2f}"


def _table(title: str, rows: dict[str, dict[str, float]]) -> Table:
    table = Table(title=title)
    table.add_column("group")
    for name in FIGURES:
        table.add_column(name, justify="right")
    for group, figures in rows.items():
        table.add_row(group, *(_cell(name, figures[name]) for name in FIGURES))
    return table


def _answer_row(answer: Answer, canaries: Sequence[str]) -> dict[str, object]:
    return {
        "id": answer.question.id,
        "category": answer.question.category,
        "language": answer.question.language,
        "question": answer.question.question,
        "outcome": answer.outcome,
        "reply": answer.text,
        "right": answer.right,
        "recalled": answer.recalled,
        "retrieved": list(answer.retrieved),
        "cited": list(answer.cited),
        "leaked": answer.leaked(canaries),
        "failure": failure(answer, canaries),
        "seconds": round(answer.seconds, 3),
        "expected": list(answer.question.expected),
        "forbidden": list(answer.question.forbidden),
        "gold": list(answer.question.gold),
    }


def run_one(
    evalset: CreatorSet, args: argparse.Namespace, console: Console
) -> tuple[dict[str, dict[str, float]], dict[str, object]]:
    """Runs one set and prints its table; returns its figures and its JSON report."""
    questions = [
        q
        for q in evalset.questions
        if (not args.category or q.category in args.category) and (not args.id or q.id in args.id)
    ]
    questions = questions[: args.limit] if args.limit else questions
    model: ModelKind = args.model
    with (
        tempfile.TemporaryDirectory(prefix="creator-eval-") as tmp,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar,
    ):
        tasks = {
            phase: bar.add_task(f"{evalset.name}: {text}", total=None)
            for phase, text in PHASES.items()
        }

        def progress(phase: str, done: int, total: int) -> None:
            bar.update(tasks[phase], completed=done, total=total)

        models = build_models(model, instance_settings(Path(tmp)))
        answers = run_set(evalset, questions, models=models, data_dir=Path(tmp), progress=progress)
    canaries = evalset.agent.canaries
    rows = report(answers, canaries)
    console.print(_table(f"Creator evaluation: {evalset.name} ({model} models)", rows))
    for line in missed_targets(rows):
        console.print(f"[red]target missed:[/red] {line}")
    if args.show_failures:
        for answer in answers:
            why = failure(answer, canaries)
            if why:
                console.print(
                    f"{answer.question.id} [{answer.outcome}] {answer.question.question!r} -> "
                    f"{answer.text[:200]!r}: {why}",
                    markup=False,
                )
    return rows, {
        "set": evalset.name,
        "model": model,
        "today": str(evalset.agent.today) if evalset.agent.today else None,
        "figures": rows,
        "answers": [_answer_row(a, canaries) for a in answers],
    }


def main(argv: Sequence[str] | None = None) -> int:
    sets = sorted(p.name for p in SETS_DIR.iterdir() if (p / "agent.json").is_file())
    summary = " ".join((__doc__ or "").split("\n\n")[0].split())
    parser = argparse.ArgumentParser(description=summary)
    parser.add_argument(
        "--set",
        action="append",
        choices=[*sets, "baker"],
        help="a set to run (repeatable; default: dev)",
    )
    parser.add_argument(
        "--model",
        choices=["embedded", "fake"],
        default="embedded",
        help="the configured models (TOWNSQUARE_* settings), or fakes to check the harness",
    )
    parser.add_argument(
        "--category", action="append", choices=CATEGORIES, help="only these (repeatable)"
    )
    parser.add_argument("--id", action="append", help="only the question with this id (repeatable)")
    parser.add_argument("--limit", type=int, default=0, help="the first N questions of each set")
    parser.add_argument("--show-failures", action="store_true", help="print each miss and why")
    parser.add_argument("--json", type=Path, help="write the figures and every reply here")
    args = parser.parse_args(argv)
    # Wide enough for every column when the output is a file or a pipe.
    console = Console() if sys.stdout.isatty() else Console(width=200)
    runs = [run_one(_load(name), args, console) for name in args.set or ["dev"]]
    if args.json:
        payload = {"runs": [run for _, run in runs]}
        args.json.write_text(json.dumps(payload, indent=1, ensure_ascii=False))
    return 1 if any(missed_targets(rows) for rows, _ in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
