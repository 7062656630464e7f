"""`townsquare feed eval` and `feed status`: how a trained run scores, and which run is served."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from townsquare.ai._openmp import passive_openmp
from townsquare.cli.feed.data import (
    DataOption,
    FormatOption,
    MinCountOption,
    load_benchmark,
    load_platform,
    report,
    text_embedder,
)
from townsquare.cli.options import DataDirOption, console, fail, load_settings


def eval_command(
    run: Annotated[
        Path | None,
        typer.Option(help="A run folder (default: the model this instance serves)."),
    ] = None,
    data: DataOption = None,
    data_format: FormatOption = None,
    min_count: MinCountOption = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Evaluate a run: leave-one-out HR@K/NDCG@K with full ranking, and per-head AUC and
    log-loss on the held-out events."""
    passive_openmp()
    from townsquare.feed.histories import PlatformOptions
    from townsquare.feed.runs import LATEST, RUNS, feed_dir
    from townsquare.feed.training.pipeline import evaluate_run

    settings = load_settings(data_dir=data_dir)
    if run is None:
        root = feed_dir(settings.data_dir)
        if not (root / LATEST).exists():
            raise fail("no model is served yet: run `townsquare feed train` or pass --run")
        run = root / RUNS / (root / LATEST).read_text().strip()
    meta_path = run / "final.json"
    if not meta_path.exists():
        raise fail(f"{run} holds no finished training (final.json is missing)")
    meta = json.loads(meta_path.read_text())
    embedder = text_embedder(settings) if meta.get("embedder") else None
    if data is not None:
        run_data = load_benchmark(data, data_format, min_count, embedder)
    elif "platform" in meta:
        options = PlatformOptions(**meta["platform"]["options"])
        run_data = load_platform(settings, embedder, options)
    else:
        config = meta["config"]
        run_data = load_benchmark(
            Path(config["data"]), config["data_format"], config["min_count"], embedder
        )
    try:
        figures = evaluate_run(run, run_data)
    except ValueError as error:
        raise fail(str(error)) from error
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    console.print(f"{run}: {figures['users']} held-out events, {figures['engaged_users']} engaged")
    report(figures)


def status_command(data_dir: DataDirOption = None) -> None:
    """Which model this instance serves, and how it scored when it was trained."""
    from townsquare.feed.runs import feed_dir
    from townsquare.feed.serving.store import ModelStore

    settings = load_settings(data_dir=data_dir)
    store = ModelStore(feed_dir(settings.data_dir))
    serving = store.current()
    if serving is None:
        console.print(store.error or "No feed model yet: the feed ranks by a heuristic.")
        console.print("Train one with `townsquare feed train`.")
        return
    metrics = serving.meta.get("metrics", {})
    console.print(
        f"Serving run {serving.version}: {serving.model.config.num_items} items, "
        f"text vectors: {serving.embedder or 'none'}"
    )
    report({"test": metrics.get("test"), "heads": metrics.get("test_heads")})
