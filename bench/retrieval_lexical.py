"""The lexical list inside PostgreSQL at size: bounded candidates against the full ranking.

    python -m bench.retrieval_lexical --database-url URL [--sizes 1000000] [--queries 30]

On a server where ``bench.retrieval_scale`` loaded its schemas (``scale_N``; the GIN index is
enough, the HNSW one need not be built yet), the scale bench's questions are asked of the
lexical list alone (``pgindex.search`` without a vector, top 50), twice: with the bound
``pgindex.PER_WORD`` and with no bound, which ranks every chunk sharing a word, as the list
did before. Per size: p50/p95 ms of each, how many chunks shared a word with the question, and
how far the bounded list keeps the full ranking: the same best chunk, and the overlap of the
top 10 and the top 50.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Sequence

from bench.retrieval_latency import ASKS, DAYS, OBJECTS, percentiles
from bench.retrieval_load import scoped
from rich.console import Console
from rich.progress import track
from rich.table import Table
from sqlalchemy import text

from townsquare.studio.knowledge import pgindex

DEPTH = 50
UNBOUNDED = 10**9


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="the scale bench's server")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    console = Console()
    rng = random.Random(args.seed + 1)  # the scale bench's questions
    queries = [
        f"{rng.choice(ASKS)} {rng.choice(OBJECTS)} on {rng.choice(DAYS)}?"
        for _ in range(args.queries)
    ]
    table = Table(title=f"The lexical list alone, top {DEPTH} (ms per search)")
    columns = ("chunks", "list", "p50", "p95", "sharing a word (median)", "same best",
               "top-10 kept", "top-50 kept", "load 1/5/15 min")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column == "list" else "right")
    bound = pgindex.PER_WORD
    for size in args.sizes:
        database = scoped(args.database_url, f"scale_{size}")
        with database.session() as session:
            agent = int(session.scalar(text("SELECT min(agent_id) FROM knowledge_chunks")) or 0)
            sharing = sorted(
                int(
                    session.scalar(
                        text(
                            "SELECT count(*) FROM knowledge_chunks WHERE search @@ "
                            "websearch_to_tsquery('english', :words)"
                        ),
                        {"words": pgindex.text_query(query)},
                    )
                    or 0
                )
                for query in queries[:3]
            )
        lists: dict[int, list[list[int]]] = {}
        for per_word in (bound, UNBOUNDED):
            pgindex.PER_WORD = per_word
            samples, lists[per_word] = [], []
            with database.session() as session:
                pgindex.search(session, agent, queries[0], None, "bench", DEPTH)  # warm-up
                for query in track(queries, f"{size:,} chunks, {per_word:,} per word"):
                    started = time.perf_counter()
                    found = pgindex.search(session, agent, query, None, "bench", DEPTH)
                    samples.append(time.perf_counter() - started)
                    lists[per_word].append([i for i, _ in found.lexical])
            p50, p95 = percentiles(samples)
            name = "bounded" if per_word == bound else "full ranking"
            row = [f"{size:,}", f"{name} ({per_word:,} per word)", f"{p50:.1f}", f"{p95:.1f}",
                   f"{sharing[len(sharing) // 2]:,}"]  # fmt: skip
            if per_word == bound:
                row += ["", "", ""]
            else:
                pairs = list(zip(lists[bound], lists[UNBOUNDED], strict=True))
                row += [
                    f"{sum(a[:1] == b[:1] for a, b in pairs)}/{len(pairs)}",
                    f"{kept(pairs, 10):.2f}",
                    f"{kept(pairs, DEPTH):.2f}",
                ]
            row.append(" / ".join(f"{figure:.1f}" for figure in os.getloadavg()))
            table.add_row(*row)
            console.print(" | ".join(row), markup=False)
        pgindex.PER_WORD = bound
        database.dispose()
    console.print(table)


def kept(pairs: list[tuple[list[int], list[int]]], top: int) -> float:
    """The mean share of the full ranking's top ``top`` that the bounded list's top holds."""
    return sum(len(set(a[:top]) & set(b[:top])) / top for a, b in pairs) / len(pairs)


if __name__ == "__main__":
    main()
