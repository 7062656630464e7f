"""`townsquare feed ...`: train, evaluate and inspect the feed model from the terminal.

Without `--data`, `train` learns from this instance's event log and, when it finishes, the
running server switches to the new model by itself; with `--data FILE` it trains on a benchmark
file instead (Amazon Beauty, MovieLens) and only writes the run. Under
`torchrun --nproc_per_node N -m townsquare.feed_cli train ...` the same command trains with DDP.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from townsquare.ai._openmp import passive_openmp
from townsquare.settings import Settings

if TYPE_CHECKING:
    from townsquare.ai.embeddings import Embedder
    from townsquare.feed.training.config import TrainConfig
    from townsquare.feed.training.pipeline import RunData

feed_app = typer.Typer(
    help="Train, evaluate and inspect the feed's ranking model.", no_args_is_help=True
)
console = Console()

DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Overrides TOWNSQUARE_DATA_DIR.")
]
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


def _settings(data_dir: Path | None) -> Settings:
    try:
        return Settings(**({"data_dir": data_dir} if data_dir else {}))  # type: ignore[arg-type]
    except (ValidationError, FileNotFoundError) as error:
        console.print(f"[red]Configuration error:[/red] {error}")
        raise typer.Exit(2) from error


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]Error:[/red] {message}")
    return typer.Exit(1)


def _embedder(settings: Settings) -> Embedder:
    from townsquare.ai.runtime import Models

    return Models(settings).embedder


def _data_format(data: Path, given: str | None) -> Literal["user-item", "recbole"]:
    chosen = given or ("recbole" if data.is_dir() else "user-item")
    if chosen not in ("user-item", "recbole"):
        raise _fail(f"--format must be user-item or recbole; got {chosen!r}")
    return "recbole" if chosen == "recbole" else "user-item"


def _benchmark(
    data: Path, data_format: str | None, min_count: int, embedder: Embedder | None
) -> RunData:
    from townsquare.feed.training.pipeline import benchmark_data

    if not data.exists():
        raise _fail(f"--data names a missing file or folder: {data}")
    try:
        return benchmark_data(
            data, _data_format(data, data_format), min_count=min_count, embedder=embedder
        )
    except ValueError as error:
        raise _fail(str(error)) from error


def _platform(settings: Settings, embedder: Embedder | None, options: Any) -> RunData:
    from townsquare.db import Database, upgrade_to_head
    from townsquare.feed.training.pipeline import platform_data

    database = Database(settings.resolved_database_url)
    try:
        upgrade_to_head(database)
        return platform_data(database, options, embedder=embedder)
    finally:
        database.dispose()


def _describe(data: RunData) -> str:
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


def _report(figures: dict[str, Any]) -> None:
    console.print(
        _metrics_table(
            "Retrieval, leave-one-out, full ranking",
            {k: figures[k] for k in ("test", "test_filtered") if figures.get(k)},
        )
    )
    if figures.get("heads"):
        console.print(_metrics_table("Ranking heads on held-out events", figures["heads"]))


def _train_config(
    preset: TrainConfig,
    *,
    model: str,
    epochs: int | None,
    batch_size: int | None,
    lr: float | None,
    dim: int | None,
    layers: int | None,
    max_len: int | None,
    dropout: float | None,
    id_dropout: float | None,
    negatives: int | None,
    ranking_weight: float | None,
    patience: int | None,
    lr_decay: float | None,
    average_epochs: int | None,
    loss_dtype: str | None,
    budget_minutes: float,
    final_fit: bool,
    seed: int,
    threads: int,
    resume: bool,
) -> TrainConfig:
    from townsquare.feed.training.baseline_sasrec import SASRecConfig

    model_config: Any = preset.model
    if model == "sasrec":
        model_config = SASRecConfig()
    elif model != "hstu":
        raise _fail(f"--model must be hstu or sasrec; got {model!r}")
    if loss_dtype not in (None, "float32", "bfloat16"):
        raise _fail(f"--loss-dtype must be float32 or bfloat16; got {loss_dtype!r}")
    overrides: dict[str, Any] = {
        "dim": dim,
        "num_layers": layers,
        "max_len": max_len,
        "dropout": dropout,
    }
    if id_dropout is not None:
        if model == "sasrec":
            raise _fail("--id-dropout is for hstu: the SASRec baseline reads ids only")
        overrides["id_dropout"] = id_dropout
    model_config = replace(model_config, **{k: v for k, v in overrides.items() if v is not None})
    values: dict[str, Any] = {
        "epochs": epochs,
        "batch_size": batch_size,
        "lr": lr,
        "negatives": negatives,
        "ranking_weight": 0.0 if model == "sasrec" else ranking_weight,
        "patience": patience,
        "lr_decay": lr_decay,
        "average_epochs": average_epochs,
        "loss_dtype": loss_dtype,
    }
    return replace(
        preset,
        model=model_config,
        time_budget_s=budget_minutes * 60,
        final_fit=final_fit,
        seed=seed,
        num_threads=threads,
        resume=resume,
        **{k: v for k, v in values.items() if v is not None},
    )


@feed_app.command("train")
def train_command(
    data: DataOption = None,
    data_format: FormatOption = None,
    min_count: MinCountOption = 5,
    out: Annotated[
        Path | None,
        typer.Option(help="Run folder for --data runs (default runs/<data name>)."),
    ] = None,
    run: Annotated[
        str | None, typer.Option(help="Platform run name (default: the current UTC time).")
    ] = None,
    model: Annotated[str, typer.Option(help="hstu (the feed model) | sasrec (baseline).")] = "hstu",
    text: Annotated[
        bool | None,
        typer.Option(
            help="Give the model item text vectors (default: on for the platform, off for "
            "--data; a RecBole folder's .item titles can be used)."
        ),
    ] = None,
    epochs: Annotated[int | None, typer.Option(help="Upper bound on epochs.")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Users per step, per process.")] = None,
    lr: Annotated[float | None, typer.Option(help="AdamW learning rate.")] = None,
    dim: Annotated[int | None, typer.Option(help="Embedding and layer width.")] = None,
    layers: Annotated[int | None, typer.Option(help="Stacked layers.")] = None,
    max_len: Annotated[int | None, typer.Option(help="Longest history read.")] = None,
    dropout: Annotated[
        float | None, typer.Option(help="Dropout on input embeddings and layer outputs.")
    ] = None,
    id_dropout: Annotated[
        float | None,
        typer.Option(help="Share of item ids hidden in training, for cold start (hstu)."),
    ] = None,
    negatives: Annotated[
        int | None, typer.Option(help="0 = full softmax; else sampled softmax with N uniform.")
    ] = None,
    ranking_weight: Annotated[
        float | None, typer.Option(help="Weight of the ranking heads' loss (HSTU).")
    ] = None,
    patience: Annotated[
        int | None, typer.Option(help="Evaluations without improvement before stopping.")
    ] = None,
    lr_decay: Annotated[
        float | None,
        typer.Option(help="Multiplies the learning rate after each evaluation without progress."),
    ] = None,
    average_epochs: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Evaluate and keep the mean of the weights of the last N epochs (1 = the last).",
        ),
    ] = None,
    loss_dtype: Annotated[
        str | None,
        typer.Option(
            help="float32 | bfloat16: operands of the full softmax's matrix products (bfloat16 "
            "halves its time on CPUs with AVX512-BF16 or AMX)."
        ),
    ] = None,
    budget_minutes: Annotated[
        float,
        typer.Option(
            help="Time for the whole run (0 = no limit): selection stops past it, or past half "
            "of it with --final-fit."
        ),
    ] = 0.0,
    final_fit: Annotated[
        bool, typer.Option(help="Retrain on train + validation events for the chosen epochs.")
    ] = False,
    long_view_seconds: Annotated[
        float, typer.Option(help="Platform: a dwell this long counts as a long view.")
    ] = 10.0,
    session_gap_minutes: Annotated[
        float, typer.Option(help="Platform: events on one item this close are one encounter.")
    ] = 30.0,
    seed: Annotated[int, typer.Option(help="Seeds initialisation, batch order and dropout.")] = 0,
    threads: Annotated[int, typer.Option(help="Torch threads per process.")] = 2,
    resume: Annotated[
        bool, typer.Option(help="Continue an interrupted run (--run, --out, or the newest).")
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Train the feed model, with checkpoints, progress bars and a PNG of the curves."""
    passive_openmp()
    from townsquare.feed.histories import PlatformOptions
    from townsquare.feed.training.config import TrainConfig
    from townsquare.feed.training.distributed import distributed_from_env
    from townsquare.feed.training.pipeline import (
        PLATFORM_PRESET,
        latest_unfinished_run,
        new_run_name,
        train_on_benchmark,
        train_on_platform,
    )

    rank, world_size = distributed_from_env()
    lead = rank == 0
    settings = _settings(data_dir)
    use_text = text if text is not None else data is None
    embedder = _embedder(settings) if use_text else None
    options = PlatformOptions(
        long_view_ms=round(long_view_seconds * 1000), session_gap_s=round(session_gap_minutes * 60)
    )
    preset = TrainConfig() if data is not None else PLATFORM_PRESET
    config = _train_config(
        preset,
        model=model,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        dim=dim,
        layers=layers,
        max_len=max_len,
        dropout=dropout,
        id_dropout=id_dropout,
        negatives=negatives,
        ranking_weight=ranking_weight,
        patience=patience,
        lr_decay=lr_decay,
        average_epochs=average_epochs,
        loss_dtype=loss_dtype,
        budget_minutes=budget_minutes,
        final_fit=final_fit,
        seed=seed,
        threads=threads,
        resume=resume,
    )
    config = replace(config, progress=lead)
    try:
        if data is not None:
            run_data = _benchmark(data, data_format, min_count, embedder)
            folder = out or Path("runs") / data.stem
            config = replace(
                config,
                data=str(data),
                data_format=_data_format(data, data_format),
                min_count=min_count,
            )
            if lead:
                console.print(f"training {model} on {data}: {_describe(run_data)}")
            result = train_on_benchmark(run_data, config, folder, rank=rank, world_size=world_size)
        else:
            run_data = _platform(settings, embedder, options)
            if len(run_data.dataset.sequences) < 3:
                raise _fail("too few members with activity to train on (need 3 or more)")
            name = run
            if resume and name is None:
                name = latest_unfinished_run(settings.data_dir)
                if name is None:
                    raise _fail("nothing to resume: no unfinished run in the data directory")
            name = name or new_run_name(rank, world_size)
            if lead:
                console.print(f"training on this instance's events: {_describe(run_data)}")
            result, folder = train_on_platform(
                run_data,
                settings.data_dir,
                config,
                options,
                run_name=name,
                rank=rank,
                world_size=world_size,
            )
    except ValueError as error:
        raise _fail(str(error)) from error
    typer.echo(f"rank {rank}/{world_size}: weights {result.digest}")  # one line, for scripts
    if not lead:
        return
    _report(
        {"test": result.test, "test_filtered": result.test_filtered, "heads": result.test_heads}
    )
    console.print(
        f"best epoch {result.best_epoch}, {result.seconds / 60:.1f} min, "
        f"{result.sequences_per_s:.0f} sequences/s; run folder {folder} "
        f"(final.pt, curves.png){'; now serving' if data is None else ''}"
    )


@feed_app.command("eval")
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

    settings = _settings(data_dir)
    if run is None:
        root = feed_dir(settings.data_dir)
        if not (root / LATEST).exists():
            raise _fail("no model is served yet: run `townsquare feed train` or pass --run")
        run = root / RUNS / (root / LATEST).read_text().strip()
    meta_path = run / "final.json"
    if not meta_path.exists():
        raise _fail(f"{run} holds no finished training (final.json is missing)")
    meta = json.loads(meta_path.read_text())
    embedder = _embedder(settings) if meta.get("embedder") else None
    if data is not None:
        run_data = _benchmark(data, data_format, min_count, embedder)
    elif "platform" in meta:
        options = PlatformOptions(**meta["platform"]["options"])
        run_data = _platform(settings, embedder, options)
    else:
        config = meta["config"]
        run_data = _benchmark(
            Path(config["data"]), config["data_format"], config["min_count"], embedder
        )
    try:
        figures = evaluate_run(run, run_data)
    except ValueError as error:
        raise _fail(str(error)) from error
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    console.print(f"{run}: {figures['users']} held-out events, {figures['engaged_users']} engaged")
    _report(figures)


@feed_app.command("status")
def status_command(data_dir: DataDirOption = None) -> None:
    """Which model this instance serves, and how it scored when it was trained."""
    from townsquare.feed.runs import feed_dir
    from townsquare.feed.serving.store import ModelStore

    settings = _settings(data_dir)
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
    _report({"test": metrics.get("test"), "heads": metrics.get("test_heads")})


@feed_app.command("digest")
def digest_command(
    handle: Annotated[
        str | None, typer.Option("--handle", help="Only this member (default: every member).")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Write today's digest for each member who has none yet (for cron; a running server also
    writes one when a member first opens their feed that day)."""
    passive_openmp()
    from sqlalchemy import select

    from townsquare.ai.runtime import Models
    from townsquare.db import Database, upgrade_to_head
    from townsquare.db.models import Account
    from townsquare.feed.serving.service import FeedService
    from townsquare.studio.agents import AGENT_ACCOUNT_KIND
    from townsquare.tasks.digest import write_digest

    settings = _settings(data_dir)
    models = Models(settings)
    database = Database(settings.resolved_database_url)
    try:
        upgrade_to_head(database)
        feed = FeedService(settings.data_dir, lambda: models.embedder)
        with database.new_session() as session:
            query = select(Account.id).where(Account.kind != AGENT_ACCOUNT_KIND)
            if handle is not None:
                query = select(Account.id).where(Account.handle == handle.lstrip("@").lower())
            account_ids = list(session.scalars(query.order_by(Account.id)))
        if handle is not None and not account_ids:
            raise _fail(f"no account @{handle.lstrip('@')}")
        written = 0
        for account_id in account_ids:
            with database.new_session() as session:
                account = session.get(Account, account_id)
                assert account is not None
                if account.kind == AGENT_ACCOUNT_KIND:
                    raise _fail(f"@{account.handle} is an agent: digests are for members")
                digest = write_digest(session, models.chat, feed, account)
                if digest is None:
                    typer.echo(f"@{account.handle}: too few new posts for a digest today")
                    continue
                written += 1
                count = len(digest.source_post_ids)
                typer.echo(f"@{account.handle}: digest of {count} posts, post {digest.post_id}")
        typer.echo(f"{written} digest{'s' if written != 1 else ''} ready for today")
    finally:
        database.dispose()


if __name__ == "__main__":
    feed_app()
