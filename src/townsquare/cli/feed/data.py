"""What `feed train` and `feed eval` share: the options naming benchmark data, the data a run
reads (a benchmark file or this instance's event log), and the tables its figures print as."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.table import Table

from townsquare.cli.options import console, fail
from townsquare.settings import Settings

if TYPE_CHECKING:
    from townsquare.ai.embeddings import Embedder
    from townsquare.feed.training.pipeline import RunData

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="A benchmark: a `user item` file (Amazon Beauty) or a RecBole folder (ml-100k). "
        "Omit to use this instance's event log.",
    ),
]
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format", help="user-item | recbole (default: recbole for a folder, else user-item)."
    ),
]
MinCountOption = Annotated[
    int, typer.Option(help="k of the k-core filter on benchmark data (1 keeps everything).")
]


def text_embedder(settings: Settings) -> Embedder:
    from townsquare.ai.runtime import Models

    return Models(settings).embedder


def chosen_format(data: Path, given: str | None) -> Literal["user-item", "recbole"]:
    chosen = given or ("recbole" if data.is_dir() else "user-item")
    if chosen not in ("user-item", "recbole"):
        raise fail(f"--format must be user-item or recbole; got {chosen!r}")
    return "recbole" if chosen == "recbole" else "user-item"


def load_benchmark(
    data: Path, data_format: str | None, min_count: int, embedder: Embedder | None
) -> RunData:
    from townsquare.feed.training.pipeline import benchmark_data

    if not data.exists():
        raise fail(f"--data names a missing file or folder: {data}")
    try:
        return benchmark_data(
            data, chosen_format(data, data_format), min_count=min_count, embedder=embedder
        )
    except ValueError as error:
        raise fail(str(error)) from error


def load_platform(settings: Settings, embedder: Embedder | None, options: Any) -> RunData:
    from townsquare.db import Database, upgrade_to_head
    from townsquare.feed.training.pipeline import platform_data

    database = Database.configured(settings)
    try:
        upgrade_to_head(database)
        return platform_data(database, options, embedder=embedder)
    finally:
        database.dispose()


def describe(data: RunData) -> str:
    dataset = data.dataset
    text = f", text vectors from {data.embedder}" if data.embedder else ""
    return (
        f"{dataset.num_events} events, {len(dataset.sequences)} users, "
        f"{dataset.sequences.num_items} items{text}"
    )


def _metrics_table(title: str, rows: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=title)
    columns = sorted({key for row in rows.values() for key in row})
    table.add_column("")
    for column in columns:
        table.add_column(column, justify="right")
    for name, row in rows.items():
        cells = [row.get(c) for c in columns]
        table.add_row(name, *("-" if v is None else f"{v:.4f}" for v in cells))
    return table


def report(figures: dict[str, Any]) -> None:
    console.print(
        _metrics_table(
            "Retrieval, leave-one-out, full ranking",
            {k: figures[k] for k in ("test", "test_filtered") if figures.get(k)},
        )
    )
    if figures.get("heads"):
        console.print(_metrics_table("Ranking heads on held-out events", figures["heads"]))
