from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Account, Event, Post
from townsquare.feed.runs import LATEST, RUNS, feed_dir
from townsquare.feed.serving.config import RetrainConfig
from townsquare.feed.serving.retrain import (
    LOG_FILE,
    RetrainScheduler,
    ServedRun,
    served_run,
    training_command,
    why_due,
)
from townsquare.settings import Settings

from ..community import community, record

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SMALL = ["--no-text", "--epochs", "2", "--dim", "16", "--max-len", "8", "--batch-size", "8"]


def _served(hours_old: float, through_event: int = 10) -> ServedRun:
    return ServedRun("r1", NOW - timedelta(hours=hours_old), through_event)


@pytest.mark.parametrize(
    ("config", "served", "new_events", "due"),
    [
        (RetrainConfig(min_new_events=5), None, 5, "no model serves yet and 5 events are logged"),
        (RetrainConfig(min_new_events=5), None, 4, None),
        (RetrainConfig(every_hours=24, min_new_events=5), _served(23.9), 500, None),
        (
            RetrainConfig(every_hours=24, min_new_events=5),
            _served(30),
            7,
            "model r1 is 30.0 h old and 7 events are new",
        ),
        (RetrainConfig(every_hours=24, min_new_events=5), _served(30), 4, None),
        (RetrainConfig(every_hours=0, min_new_events=1), None, 1000, None),
    ],
)
def test_a_training_is_due_only_with_enough_new_events_and_an_old_or_missing_model(
    config: RetrainConfig, served: ServedRun | None, new_events: int, due: str | None
) -> None:
    assert why_due(config, served, new_events, NOW) == due


def test_the_served_run_is_read_from_latest_without_loading_the_model(tmp_path: Path) -> None:
    assert served_run(tmp_path) is None
    run = tmp_path / RUNS / "20261123-100000"
    run.mkdir(parents=True)
    (run / "final.json").write_text(json.dumps({"platform": {"through_event": 42}}))
    (tmp_path / LATEST).write_text("20261123-100000\n")
    served = served_run(tmp_path)
    assert served is not None
    assert (served.version, served.through_event) == ("20261123-100000", 42)
    (tmp_path / LATEST).write_text("gone\n")  # names a run that is not there
    assert served_run(tmp_path) is None


def test_the_training_command_carries_the_configured_options(tmp_path: Path) -> None:
    config = RetrainConfig(threads=3, budget_minutes=12, arguments=["--dim", "128"])
    command = training_command(Settings(data_dir=tmp_path), config)
    assert command[1:5] == ["-m", "townsquare", "feed", "train"]
    assert command[5:] == [
        "--data-dir",
        str(tmp_path),
        "--threads",
        "3",
        "--budget-minutes",
        "12.0",
        "--dim",
        "128",
    ]


class _Clock:
    """Real time until a test moves it (a run's age is read from its file's real mtime)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def instance(tmp_path: Path) -> tuple[Settings, Database]:
    """A data directory with a small community's events, and a retraining schedule that needs
    only a few new events and trains a tiny model."""
    settings = Settings(data_dir=tmp_path)
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database)
    with database.session() as session, community(session):
        pass
    root = feed_dir(tmp_path)
    root.mkdir(parents=True)
    arguments = ", ".join(f'"{argument}"' for argument in SMALL)
    (root / "feed.toml").write_text(
        f"[retrain]\nevery_hours = 24\nmin_new_events = 3\narguments = [{arguments}]\n"
    )
    return settings, database


def test_the_scheduler_trains_publishes_and_waits_for_new_events(
    instance: tuple[Settings, Database],
) -> None:
    settings, database = instance
    clock = _Clock()
    scheduler = RetrainScheduler(settings, database, clock=clock)
    assert scheduler.check() is True
    served = served_run(feed_dir(settings.data_dir))
    assert served is not None
    with database.session() as session:
        assert served.through_event == session.scalar(select(func.max(Event.id)))
    assert scheduler.check() is False  # a fresh model
    clock.now += timedelta(hours=25)
    assert scheduler.check() is False  # old, but nothing new happened
    with database.session() as session:
        reader = session.get(Account, session.scalars(select(Event.account_id)).first())
        post = session.scalars(select(Post)).first()
        assert reader is not None and post is not None
        for _ in range(3):
            record(session, reader, "impression", post=post)
    assert scheduler.check() is True
    newer = served_run(feed_dir(settings.data_dir))
    assert newer is not None and newer.version != served.version


def test_a_failed_training_is_logged_and_not_retried_at_once(
    instance: tuple[Settings, Database],
) -> None:
    settings, database = instance
    root = feed_dir(settings.data_dir)
    (root / "feed.toml").write_text(
        '[retrain]\nmin_new_events = 3\narguments = ["--model", "gpt"]\n'
    )
    clock = _Clock()
    scheduler = RetrainScheduler(settings, database, clock=clock)
    assert scheduler.check() is False
    log = (root / LOG_FILE).read_text()
    assert "--model must be hstu or sasrec" in log
    assert scheduler.check() is False
    assert (root / LOG_FILE).read_text() == log  # no second try yet
    clock.now += timedelta(hours=25)
    assert scheduler.check() is False
    assert (root / LOG_FILE).read_text().count("--- ") == 2
    assert not (root / LATEST).exists()


def test_a_stopped_scheduler_starts_no_training(instance: tuple[Settings, Database]) -> None:
    settings, database = instance
    scheduler = RetrainScheduler(settings, database)
    scheduler.stop()
    assert scheduler.check() is False
    assert not (feed_dir(settings.data_dir) / LATEST).exists()


def test_a_broken_feed_toml_falls_back_to_the_defaults(
    instance: tuple[Settings, Database],
) -> None:
    settings, database = instance
    (feed_dir(settings.data_dir) / "feed.toml").write_text("[retrain]\nevery_hours = -1\n")
    assert RetrainScheduler(settings, database).config().retrain == RetrainConfig()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_server_runs_the_scheduler_while_it_serves(
    settings: Settings, database: Database, models: Models
) -> None:
    def retraining() -> bool:
        return any(thread.name == "feed-retrain" for thread in threading.enumerate())

    app = create_app(settings.model_copy(update={"feed_retrain_in_server": True}), database, models)
    with TestClient(app):
        assert retraining()
    assert not retraining()
    with TestClient(create_app(settings, database, models)):
        assert not retraining()  # off in this test session's settings
