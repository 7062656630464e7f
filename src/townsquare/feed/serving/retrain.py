"""Retraining on a schedule: a running server keeps its feed model fresh on its own events.

A thread wakes every `check_minutes` (`[retrain]` in `feed.toml`, re-read on each check). A
training is due when at least `min_new_events` events were logged after the newest one the
served model was trained on, and either no model serves yet or the served one is `every_hours`
old. The training runs as a child process (`townsquare feed train` with the server's settings),
so the CPU-bound loop never competes with request threads for the interpreter, a crash in it
cannot take the server down, and stopping the server stops it. The child publishes its run when
it finishes (one `os.replace` of LATEST); the feed's `ModelStore` serves it from the next request
on. Its output goes to `<data_dir>/feed/retrain.log`; after a failure the next try waits
`every_hours`.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from townsquare.db import Database
from townsquare.db.locks import exclusive
from townsquare.db.models import Event
from townsquare.feed.runs import LATEST, RUNS, feed_dir
from townsquare.feed.serving.config import FeedConfig, RetrainConfig, load_feed_config
from townsquare.settings import Settings

log = logging.getLogger(__name__)

LOG_FILE = "retrain.log"


@dataclass(frozen=True)
class ServedRun:
    """What the scheduler needs to know of the served model, read without loading it."""

    version: str
    finished_at: datetime  # when its final.json was written
    through_event: int  # the newest event id it was trained on (0: not recorded)


def served_run(root: Path) -> ServedRun | None:
    """The run LATEST names, or None before the first training (or when it cannot be read)."""
    try:
        version = (root / LATEST).read_text().strip()
        final = root / RUNS / version / "final.json"
        meta = json.loads(final.read_text())
        finished = datetime.fromtimestamp(final.stat().st_mtime, UTC)
    except (OSError, ValueError):
        return None
    through = int((meta.get("platform") or {}).get("through_event", 0))
    return ServedRun(version, finished, through)


def why_due(
    config: RetrainConfig, served: ServedRun | None, new_events: int, now: datetime
) -> str | None:
    """Why a training should start now, or None when it should not."""
    if config.every_hours == 0 or new_events < config.min_new_events:
        return None
    if served is None:
        return f"no model serves yet and {new_events} events are logged"
    age = now - served.finished_at
    if age < timedelta(hours=config.every_hours):
        return None
    hours = age.total_seconds() / 3600
    return f"model {served.version} is {hours:.1f} h old and {new_events} events are new"


def training_command(settings: Settings, config: RetrainConfig) -> list[str]:
    """`townsquare feed train` for this data directory, as the configuration asks."""
    return [
        sys.executable,
        "-m",
        "townsquare",
        "feed",
        "train",
        "--data-dir",
        str(settings.data_dir),
        "--threads",
        str(config.threads),
        "--budget-minutes",
        str(config.budget_minutes),
        *config.arguments,
    ]


class RetrainScheduler:
    """One per server: checks on a timer, runs at most one training at a time."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._settings = settings
        self._database = database
        self._clock = clock
        self._root = feed_dir(settings.data_dir)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._child: subprocess.Popen[bytes] | None = None
        self._not_before: datetime | None = None  # after a failure, no try before this

    def config(self) -> FeedConfig:
        try:
            return load_feed_config(self._root / "feed.toml")
        except ValueError as error:
            log.error("feed retraining: using the defaults: %s", error)
            return FeedConfig()

    def new_events(self, served: ServedRun | None) -> int:
        since = 0 if served is None else served.through_event
        with self._database.session(writes=False) as session:
            return session.scalar(select(func.count()).where(Event.id > since)) or 0

    def check(self) -> bool:
        """Trains now if due (blocking until the child ends); whether a training ran and
        published a model."""
        config = self.config().retrain
        now = self._clock()
        if self._not_before is not None and now < self._not_before:
            return False
        # Several server processes share the data directory: one of them trains, and each
        # serves what it published (``store`` reloads when ``LATEST`` changes).
        with exclusive(self._database, "townsquare-feed-retrain", wait=False) as mine:
            if not mine:
                return False
            served = served_run(self._root)
            reason = why_due(config, served, self.new_events(served), now)
            if reason is None:
                return False
            log.info("feed retraining: %s; training", reason)
            if self._train(config):
                self._not_before = None
                log.info("feed retraining: now serving %s", served_run(self._root))
                return True
        self._not_before = now + timedelta(hours=max(config.every_hours, 1.0))
        return False

    def _train(self, config: RetrainConfig) -> bool:
        self._root.mkdir(parents=True, exist_ok=True)
        environment = self._settings.environment()
        with (self._root / LOG_FILE).open("ab") as output:
            output.write(f"--- {self._clock().isoformat()}\n".encode())
            output.flush()
            with self._lock:  # stop() either sees this child or keeps it from starting
                if self._stopping.is_set():
                    return False
                child = subprocess.Popen(
                    training_command(self._settings, config),
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    env=environment,
                )
                self._child = child
            code = child.wait()
            self._child = None
        if code != 0 and not self._stopping.is_set():
            log.error(
                "feed retraining: training exited with %d; see %s", code, self._root / LOG_FILE
            )
        return code == 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="feed-retrain", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.check()
            except Exception:
                log.exception("feed retraining: the check failed; trying again later")
            self._stopping.wait(self.config().retrain.check_minutes * 60)

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ends the loop and a training under way (its run stays unpublished)."""
        with self._lock:
            self._stopping.set()
            child = self._child
        if child is not None:
            child.terminate()
            try:
                child.wait(timeout_s)
            except subprocess.TimeoutExpired:
                child.kill()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None
