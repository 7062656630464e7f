"""What the commands that work on the local instance's database share (`townsquare agent ...`,
`townsquare business ...`): the console, the `--data-dir` option, opening the instance, and
ending a command on an error."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from townsquare.db import Database, upgrade_to_head
from townsquare.settings import Settings

console = Console()

DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Overrides TOWNSQUARE_DATA_DIR.")
]


def open_local(data_dir: Path | None) -> tuple[Settings, Database]:
    """The instance's settings and its database, migrated to the latest schema."""
    try:
        settings = Settings(**({"data_dir": data_dir} if data_dir else {}))  # type: ignore[arg-type]
    except (ValidationError, FileNotFoundError) as error:
        console.print(f"[red]Configuration error:[/red] {error}")
        raise typer.Exit(2) from error
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database)
    return settings, database


def fail(error: Exception) -> typer.Exit:
    """Prints the error; raise what it returns to end the command with status 1."""
    console.print(f"[red]Error:[/red] {error}")
    return typer.Exit(1)
