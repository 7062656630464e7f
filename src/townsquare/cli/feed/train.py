"""`townsquare feed train`: without `--data`, it learns from this instance's event log and, when
it finishes, the running server switches to the new model by itself; with `--data FILE` it trains
on a benchmark file instead (Amazon Beauty, MovieLens) and only writes the run. Under
`torchrun --nproc_per_node N -m townsquare feed train ...` the same command trains with DDP.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from townsquare.ai._openmp import passive_openmp
from townsquare.cli.feed.data import (
    DataOption,
    FormatOption,
    MinCountOption,
    chosen_format,
    describe,
    load_benchmark,
    load_platform,
    report,
    text_embedder,
)
from townsquare.cli.options import DataDirOption, console, fail, load_settings

if TYPE_CHECKING:
    from townsquare.feed.training.config import TrainConfig


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
        raise fail(f"--model must be hstu or sasrec; got {model!r}")
    if loss_dtype not in (None, "auto", "float32", "bfloat16"):
        raise fail(f"--loss-dtype must be auto, float32 or bfloat16; got {loss_dtype!r}")
    overrides: dict[str, Any] = {
        "dim": dim,
        "num_layers": layers,
        "max_len": max_len,
        "dropout": dropout,
    }
    if id_dropout is not None:
        if model == "sasrec":
            raise fail("--id-dropout is for hstu: the SASRec baseline reads ids only")
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


def _dtype_reason(asked: str | None) -> str:
    from townsquare.cpu import has_fast_bfloat16

    if asked not in (None, "auto"):
        return "as asked"
    native = has_fast_bfloat16()
    return f"this CPU {'has' if native else 'lacks'} AVX512-BF16/AMX"


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
            help="auto | float32 | bfloat16: operands of the full softmax's matrix products "
            "(bfloat16 halves its time on CPUs with AVX512-BF16 or AMX and is many times "
            "slower without; auto, the default, takes it only where the CPU has them)."
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
    settings = load_settings(data_dir=data_dir)
    use_text = text if text is not None else data is None
    embedder = text_embedder(settings) if use_text else None
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
    config = replace(config.for_this_cpu(), progress=lead)
    if lead:
        console.print(f"loss products in {config.loss_dtype} ({_dtype_reason(loss_dtype)})")
    try:
        if data is not None:
            run_data = load_benchmark(data, data_format, min_count, embedder)
            folder = out or Path("runs") / data.stem
            config = replace(
                config,
                data=str(data),
                data_format=chosen_format(data, data_format),
                min_count=min_count,
            )
            if lead:
                console.print(f"training {model} on {data}: {describe(run_data)}")
            result = train_on_benchmark(run_data, config, folder, rank=rank, world_size=world_size)
        else:
            run_data = load_platform(settings, embedder, options)
            if len(run_data.dataset.sequences) < 3:
                raise fail("too few members with activity to train on (need 3 or more)")
            name = run
            if resume and name is None:
                name = latest_unfinished_run(settings.data_dir)
                if name is None:
                    raise fail("nothing to resume: no unfinished run in the data directory")
            name = name or new_run_name(rank, world_size)
            if lead:
                console.print(f"training on this instance's events: {describe(run_data)}")
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
        raise fail(str(error)) from error
    typer.echo(f"rank {rank}/{world_size}: weights {result.digest}")  # one line, for scripts
    if not lead:
        return
    report({"test": result.test, "test_filtered": result.test_filtered, "heads": result.test_heads})
    console.print(
        f"best epoch {result.best_epoch}, {result.seconds / 60:.1f} min, "
        f"{result.sequences_per_s:.0f} sequences/s; run folder {folder} "
        f"(final.pt, curves.png){'; now serving' if data is None else ''}"
    )
