"""The worker that drives the intents' workflows (``workflows.intent_workflow``).

The ``IntentEngine`` is the bridge from the app database, where the API and CLI write, to the
workflows: every poll it enqueues new intents, carries out pause/resume/cancel requests, hands
inbox answers to the workflows waiting for them, wakes watching intents whose event arrived, and
fails the intents whose workflow an unexpected exception ended (DBOS keeps those ``ERROR``).
Between polls it waits for work as ``wakeup`` says: woken by ``NOTIFY`` on PostgreSQL, a wait
that grows while idle on SQLite.
"""

from __future__ import annotations

import logging
import threading
import time

from dbos import DBOS, DBOSConfig, SetWorkflowID
from sqlalchemy import select

from townsquare import __version__
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.installation import installation_id
from townsquare.db.models import InboxItem, Intent
from townsquare.db.types import utcnow
from townsquare.settings import Settings
from townsquare.tasks import steps, triggers
from townsquare.tasks.intents import FINISHED, workflow_id
from townsquare.tasks.planner import SearchBudget
from townsquare.tasks.wakeup import WorkSignal
from townsquare.tasks.workflows import WATCH_TOPIC, intent_workflow

log = logging.getLogger(__name__)

QUEUE = "intents"
# How often a poll asks DBOS for the workflows of unfinished intents that ended in an error.
ERROR_CHECK_S = 5.0
# The workflow statuses that never run again by themselves (an unexpected exception left it).
ERRORED = ["ERROR", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"]
INTERNAL_ERROR = "stopped by an internal error; create it again to retry"


def dbos_config(settings: Settings) -> DBOSConfig:
    config: DBOSConfig = {
        "name": "townsquare-intents",
        "system_database_url": settings.resolved_intents_database_url,
        # Pinned, so a restarted worker of the same release recovers what its predecessor left.
        "application_version": f"townsquare-{__version__}",
        "executor_id": settings.intents_executor_id,
        "dbos_system_schema": settings.intents_database_schema,
        # Only a SQLite system database polls for messages; PostgreSQL's are LISTEN/NOTIFY.
        "notification_listener_polling_interval_sec": settings.intents_queue_poll_s,
        "log_level": "WARNING",
    }
    if not settings.resolved_intents_database_url.startswith("sqlite"):
        # Bounded, so every process fits in the server's max_connections (docs/operations.md);
        # DBOS also holds one connection beside the pool for its LISTEN.
        config["sys_db_pool_size"] = settings.intents_database_pool_size
    return config


class IntentEngine:
    """Runs the workflow engine in this process and bridges it to the app database. One per
    process (DBOS is a process-wide singleton)."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        models: Models,
        *,
        poll_seconds: float = 0.1,
        plan_budget: SearchBudget | None = None,
    ) -> None:
        self.settings, self.database, self.models = settings, database, models
        self.poll_seconds = poll_seconds  # the wait after a poll that found work (SQLite)
        self.plan_budget = plan_budget or SearchBudget()
        self.polls = 0  # polls done since start
        self._checked_at = 0.0  # when a poll last looked for workflows ended in an error
        self._signal: WorkSignal | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if steps.current() is not None:
            raise RuntimeError("an intent engine is already running in this process")
        with self.database.session() as session:
            self.installation = installation_id(session)
        steps.attach(steps.Runtime(self.database, self.models, self.plan_budget))
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self._dbos = DBOS(config=dbos_config(self.settings))
        DBOS.launch()  # recovers the workflows this executor left unfinished
        self.queue = DBOS.register_queue(
            QUEUE,
            worker_concurrency=self.settings.intents_concurrency,
            polling_interval_sec=self.settings.intents_queue_poll_s,
        )
        self.polls = 0
        self._signal = WorkSignal(
            self.database.engine, busy_s=self.poll_seconds, idle_s=self.settings.intents_idle_poll_s
        )
        self._signal.listen()  # before the first poll, so nothing written after it is missed
        self._thread = threading.Thread(
            target=self._loop, args=(self._signal,), name="intent-engine", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._signal is not None:
            self._signal.stop()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._signal is not None:
            self._signal.close()
        waiting = self._dbos._sys_db.notifications_map  # private: no public way to end a recv
        DBOS.destroy()
        steps.attach(None)
        # The workflow threads of this process waiting in a receive wake, find their engine
        # stopped and end (their workflows stay pending, for the next start) instead of holding
        # the process's exit for up to a slice.
        for _payload, _waiter, event in waiting.snapshot():
            event.set()

    def _loop(self, signal: WorkSignal) -> None:
        while True:
            try:
                did_work = self.poll_once() > 0
            except Exception:
                log.exception("intent engine poll failed; retrying")
                did_work = False
            self.polls += 1
            if not signal.wait(did_work=did_work):
                return

    def poll_once(self) -> int:
        """One pass over the app database; returns how many things it did."""
        done = self._start_new() + self._commands() + self._answers() + self._watches()
        return done + self._errored()

    def _start_new(self) -> int:
        with self.database.session(writes=False) as session:  # polls: no write lock
            ids = list(session.scalars(select(Intent.id).where(Intent.status == "pending")))
        if not ids:
            return 0
        for intent_id in ids:
            # The id makes this idempotent: a second worker enqueuing the same intent is a no-op.
            with SetWorkflowID(workflow_id(self.installation, intent_id)):
                self.queue.enqueue(intent_workflow, intent_id)
        with self.database.session() as session:
            for intent in session.scalars(select(Intent).where(Intent.id.in_(ids))):
                if intent.status == "pending":
                    intent.status = "running"
        return len(ids)

    def _commands(self) -> int:
        with self.database.session(writes=False) as session:
            rows = list(session.execute(select(Intent.id, Intent.requested).where(
                Intent.requested.is_not(None))))  # fmt: skip
        for intent_id, command in rows:
            wf = workflow_id(self.installation, intent_id)
            if command in ("pause", "cancel"):
                DBOS.cancel_workflow(wf)
            elif command == "resume":
                with self.database.session() as session:
                    row = session.get(Intent, intent_id)
                    if row is not None:
                        row.status = "running"  # before the replay sets the real one
                DBOS.resume_workflow(wf)
            with self.database.session() as session:
                intent = session.get(Intent, intent_id)
                if intent is None or intent.requested != command:
                    continue
                intent.requested = None
                intent.updated_at = utcnow()
                if command == "pause":
                    intent.status = "paused"
                elif command == "cancel":
                    intent.status, intent.finished_at = "cancelled", utcnow()
        return len(rows)

    def _answers(self) -> int:
        with self.database.session(writes=False) as session:
            items = list(session.execute(
                select(InboxItem.id, InboxItem.intent_id, InboxItem.answer).where(
                    InboxItem.answered_at.is_not(None), InboxItem.delivered.is_(False))
            ))  # fmt: skip
        for item_id, intent_id, answer in items:
            DBOS.send(
                workflow_id(self.installation, intent_id),
                answer,
                f"inbox-{item_id}",
                idempotency_key=f"inbox-{item_id}",
            )
            with self.database.session() as session:
                item = session.get(InboxItem, item_id)
                if item is not None:
                    item.delivered = True
                intent = session.get(Intent, intent_id)
                if intent is not None and intent.status == "asking":
                    intent.status = "running"
        return len(items)

    def _watches(self) -> int:
        with self.database.session(writes=False) as session:  # most polls: nobody watches
            if (
                session.scalar(select(Intent.id).where(Intent.status == "watching").limit(1))
                is None
            ):
                return 0
        sent = 0
        with self.database.session() as session:
            watching = list(session.scalars(select(Intent).where(Intent.status == "watching")))
            for intent in watching:
                matches, cursor = triggers.watch_matches(session, intent)
                for match in matches:
                    DBOS.send(
                        workflow_id(self.installation, intent.id),
                        match,
                        WATCH_TOPIC,
                        idempotency_key=f"watch-{intent.id}-{match['event_id']}",
                    )
                    sent += 1
                intent.watch_after_event_id = cursor
        return sent

    def _errored(self) -> int:
        """Fails the unfinished intents whose workflow ended in an error no step handles (e.g.
        the app database unreachable): DBOS keeps it ``ERROR`` and never runs it again. Paused,
        pending and enqueued workflows are left alone: a resume or a restart goes on with them."""
        if time.monotonic() - self._checked_at < ERROR_CHECK_S:
            return 0
        self._checked_at = time.monotonic()
        with self.database.session(writes=False) as session:
            ids = list(session.scalars(select(Intent.id).where(
                Intent.status.not_in((*FINISHED, "pending", "paused")))))  # fmt: skip
        if not ids:
            return 0
        by_workflow = {workflow_id(self.installation, i): i for i in ids}
        errored = DBOS.list_workflows(
            workflow_ids=list(by_workflow), status=ERRORED, load_input=False, load_output=False
        )
        for workflow in errored:
            with self.database.session() as session:
                intent = session.get(Intent, by_workflow[workflow.workflow_id])
                if intent is None or intent.status in (*FINISHED, "paused"):
                    continue
                # Every worker looks: the first to end it writes the end, the others nothing.
                if steps.finish(session, intent, "failed", "", INTERNAL_ERROR):
                    log.error("intent %s stopped: %s", intent.id, workflow.error)
        return len(errored)
