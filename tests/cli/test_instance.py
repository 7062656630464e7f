from pathlib import Path

import pytest
from typer.testing import CliRunner

from townsquare.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["demo"],
        ["doctor"],
        ["db"],
        ["db", "upgrade"],
        ["feed"],
        ["feed", "train"],
        ["feed", "eval"],
        ["feed", "status"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    result = runner.invoke(app, ["db", "upgrade", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "database at head" in result.output
    assert (tmp_path / "townsquare.db").exists()


def test_configuration_errors_are_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_MODE", "production")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "TOWNSQUARE_SECRET_KEY" in result.output


def test_demo_seeds_once_and_prints_logins(tmp_path: Path) -> None:
    first = runner.invoke(app, ["demo", "--no-serve", "--data-dir", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "@maya_bakes" in first.output
    assert "townsquare-demo" in first.output
    assert "http://127.0.0.1:8000" in first.output
    again = runner.invoke(app, ["demo", "--no-serve", "--data-dir", str(tmp_path)])
    assert again.exit_code == 0, again.output


def test_doctor_names_the_broken_database_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", "postgresql+psycopg://nobody:x@127.0.0.1:1/none")
    result = runner.invoke(app, ["doctor", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "FAIL database" in result.output
    assert "TOWNSQUARE_DATABASE_URL" in result.output


def test_doctor_reports_pending_migrations(tmp_path: Path) -> None:
    result = runner.invoke(app, ["doctor", "--data-dir", str(tmp_path)])
    assert "migration(s) not applied" in result.output
    assert "townsquare db upgrade" in result.output


def test_serve_refuses_several_workers_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TOWNSQUARE_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["serve", "--workers", "2", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "--workers 2 needs PostgreSQL: SQLite serves one process." in " ".join(
        result.output.split()
    )


def test_serve_refuses_several_workers_sharing_one_sqlite_intents_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", "postgresql+psycopg://u:p@127.0.0.1:1/db")
    monkeypatch.setenv("TOWNSQUARE_INTENTS_IN_SERVER", "true")
    monkeypatch.delenv("TOWNSQUARE_INTENTS_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["serve", "--workers", "3", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "TOWNSQUARE_INTENTS_IN_SERVER=false and run `townsquare worker`" in " ".join(
        result.output.split()
    )


@pytest.mark.parametrize("workers", ["0", "-1"])
def test_serve_needs_at_least_one_worker(workers: str) -> None:
    result = runner.invoke(app, ["serve", "--workers", workers])
    assert result.exit_code == 2
    shown = " ".join(result.output.replace("│", " ").split())
    assert "Invalid value for '--workers'" in shown
    assert "greater than or equal to 1" in shown


def test_several_processes_answer_the_health_check_within_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from townsquare.cli.instance import _serve
    from townsquare.settings import Settings

    started: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options))
    monkeypatch.setenv("TOWNSQUARE_WORKER_HEALTHCHECK_S", "45")
    settings = Settings(data_dir=tmp_path)
    for name, value in settings.environment().items():  # restored after the test
        monkeypatch.setenv(name, value)
    _serve(settings, workers=2)
    assert started["workers"] == 2
    assert started["timeout_worker_healthcheck"] == 45


def test_a_health_check_of_no_time_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_WORKER_HEALTHCHECK_S", "0")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "worker_healthcheck_s" in result.output
    assert "greater than or equal to 1" in result.output
