"""The instance itself: `townsquare serve`, `demo`, `doctor` (over the checks in
`townsquare.doctor`) and `db upgrade`; `cli/__init__.py` puts the first three at the top level."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from townsquare import __version__
from townsquare.cli.options import DataDirOption, console, load_settings
from townsquare.settings import Settings

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)

HostOption = Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")]
PortOption = Annotated[int | None, typer.Option(help="Port to bind (default 8000).")]


def _serve(settings: Settings) -> None:
    import uvicorn

    from townsquare.app import create_app

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


def serve(data_dir: DataDirOption = None, host: HostOption = None, port: PortOption = None) -> None:
    """Run the server (migrates the database first): the web app at /, API docs at /docs."""
    settings = load_settings(data_dir=data_dir, host=host, port=port)
    console.print(f"Townsquare {__version__} on http://{settings.host}:{settings.port}")
    _serve(settings)


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
    database = Database(settings.resolved_database_url)
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
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database)
    database.dispose()
    console.print(f"database at head: {database.url.render_as_string(hide_password=True)}")
