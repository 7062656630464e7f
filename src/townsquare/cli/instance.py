"""The instance itself: `townsquare serve`, `demo`, `doctor` (over the checks in
`townsquare.doctor`) and `db upgrade`; `cli/__init__.py` puts the first three at the top level."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from townsquare import __version__
from townsquare.cli.options import DataDirOption, console, fail, load_settings
from townsquare.settings import Settings

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)

HostOption = Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")]
PortOption = Annotated[int | None, typer.Option(help="Port to bind (default 8000).")]


WorkersOption = Annotated[
    int,
    typer.Option(
        min=1,
        help="Server processes sharing the port (PostgreSQL only): each answers requests, "
        "replies and uploads; replies stream to whichever process the member is connected to.",
    ),
]


def _serve(settings: Settings, workers: int = 1) -> None:
    import uvicorn

    if workers == 1:
        from townsquare.app import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
        return
    from townsquare.db import Database, upgrade_to_head

    database = Database.configured(settings)
    upgrade_to_head(database)  # once, before the processes start
    database.dispose()
    # Each process builds its app from the environment: these settings, spelled out.
    os.environ.update(settings.environment())
    uvicorn.run(
        "townsquare.app:create_app",
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=settings.worker_healthcheck_s,
        host=settings.host,
        port=settings.port,
        log_level="info",
    )


def check_workers(settings: Settings, workers: int) -> str | None:
    """Why ``settings`` cannot be served by ``workers`` processes, or None."""
    if workers == 1:
        return None
    if settings.resolved_database_url.startswith("sqlite"):
        return (
            f"--workers {workers} needs PostgreSQL: SQLite serves one process. Set "
            "TOWNSQUARE_DATABASE_URL=postgresql+psycopg://user:password@host/db, or serve "
            "with --workers 1."
        )
    if settings.intents_in_server and settings.resolved_intents_database_url.startswith("sqlite"):
        return (
            f"--workers {workers} would run the intents engine in every process on one SQLite "
            "file: set TOWNSQUARE_INTENTS_DATABASE_URL to a PostgreSQL database, or "
            "TOWNSQUARE_INTENTS_IN_SERVER=false and run `townsquare worker` beside the server."
        )
    return None


def rate_limit_caveat(settings: Settings, workers: int) -> str | None:
    """What ``workers`` processes counting request rates apart would mean, or None."""
    if workers == 1 or not settings.rate_limit_storage.startswith("memory://"):
        return None
    return (
        f"Request rates are counted in each of the {workers} processes apart "
        f"(TOWNSQUARE_RATE_LIMIT_STORAGE=memory://): a client may get up to {workers} times "
        "the rate. Point it at a shared storage, e.g. redis://host:6379."
    )


def serve(
    data_dir: DataDirOption = None,
    host: HostOption = None,
    port: PortOption = None,
    workers: WorkersOption = 1,
) -> None:
    """Run the server (migrates the database first): the web app at /, API docs at /docs."""
    settings = load_settings(data_dir=data_dir, host=host, port=port)
    refusal = check_workers(settings, workers)
    if refusal is not None:
        raise fail(refusal, code=2)
    caveat = rate_limit_caveat(settings, workers)
    if caveat is not None:
        console.print(f"[yellow]{caveat}[/yellow]")
    processes = f" ({workers} processes)" if workers > 1 else ""
    console.print(f"Townsquare {__version__} on http://{settings.host}:{settings.port}{processes}")
    _serve(settings, workers)


def demo(
    data_dir: DataDirOption = None,
    host: HostOption = None,
    port: PortOption = None,
    serve: Annotated[bool, typer.Option(help="Serve after seeding; --no-serve exits.")] = True,
) -> None:
    """Create a demo community (creators, a business, members with history) and serve it."""
    from townsquare.db import Database, upgrade_to_head
    from townsquare.demo import seed_demo

    settings = load_settings(data_dir=data_dir, host=host, port=port)
    if "data_dir" not in settings.model_fields_set:
        # Unless told otherwise, keep the demo apart from a real instance's data.
        demo_dir = settings.data_dir.with_name(settings.data_dir.name + "-demo")
        settings = load_settings(data_dir=demo_dir, host=host, port=port)
    database = Database.configured(settings)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        task = progress.add_task("migrating the database", total=1)
        upgrade_to_head(database)
        progress.update(task, completed=1)
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        summary = seed_demo(database, settings, on_progress=on_progress)
    database.dispose()
    url = f"http://{settings.host}:{settings.port}"
    table = Table(title="Demo logins")
    for column in ("handle", "password", "who"):
        table.add_column(column)
    for login in summary.logins:
        table.add_row(f"@{login.handle}", login.password, login.role_description)
    console.print(table)
    console.print(f"Data directory: {settings.data_dir}")
    console.print(
        f"Townsquare demo: [bold]{url}[/bold]  (open it and sign in with a login above; "
        f"API docs: {url}/docs)"
    )
    if serve:
        _serve(settings)


def doctor(
    data_dir: DataDirOption = None,
    deep: Annotated[bool, typer.Option(help="Also load the models and run them once.")] = False,
) -> None:
    """Check the data directory, database and models; say what is wrong and how to fix it."""
    from townsquare.doctor import run_checks

    settings = load_settings(data_dir=data_dir)
    failed = 0
    for check in run_checks(settings, deep=deep):
        mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {check.name}: {check.detail}")
        if not check.ok:
            failed += 1
            console.print(f"      fix: {check.fix}")
    if failed:
        console.print(f"[red]{failed} problem(s) found.[/red]")
        raise typer.Exit(1)
    console.print("[green]Everything looks fine.[/green]")


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDirOption = None) -> None:
    """Apply pending migrations (serve and demo also do this at start-up)."""
    from townsquare.db import Database, upgrade_to_head

    settings = load_settings(data_dir=data_dir)
    database = Database.configured(settings)
    upgrade_to_head(database)
    database.dispose()
    console.print(f"database at head: {database.url.render_as_string(hide_password=True)}")
