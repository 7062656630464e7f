"""Intents as durable DBOS workflows, and the worker that drives them.

One workflow per intent (id ``intent-<installation>-<id>``): wait for its schedule or moment,
wait for its watch, plan, ask the member what needs asking, act, report. Each of those is a DBOS
step or a durable ``DBOS.sleep``/``DBOS.recv``, checkpointed in the system database, so a worker
killed at any point resumes from the last finished step. A step with a side effect writes the
effect and its idempotency key in one transaction of the app database, so a step re-run after a
crash finds the key and does nothing twice (the steps are in ``steps``).

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
from datetime import UTC, datetime
from typing import Any

from dbos import DBOS, DBOSConfig, SetWorkflowID
from sqlalchemy import select

from townsquare import __version__
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.installation import installation_id
from townsquare.db.models import InboxItem, Intent
from townsquare.db.types import utcnow
from townsquare.errors import TownsquareError
from townsquare.settings import Settings
from townsquare.tasks import budgets, intent_tools, steps, triggers
from townsquare.tasks.inbox import APPROVAL_CHOICES, key_prefix
from townsquare.tasks.intents import FINISHED, workflow_id
from townsquare.tasks.planner import SearchBudget
from townsquare.tasks.steps import (
    act_step,
    arm_watch_step,
    begin_step,
    finish_step,
    inbox_step,
    now_step,
    plan_step,
    woken_step,
)
from townsquare.tasks.wakeup import WorkSignal

log = logging.getLogger(__name__)

QUEUE = "intents"
WATCH_TOPIC = "watch"
# Durable sleeps are receives on a topic nobody sends to: unlike ``DBOS.sleep`` (``time.sleep``)
# a receive can be ended early, which is how a stopping engine frees its workflow threads.
SLEEP_TOPIC = "sleep"
# A long wait is a loop of durable receives of at most this long (one checkpoint each), so a
# thread the stop could not reach still ends within one slice (its next DBOS call fails and the
# workflow stays pending, recovered at the next start).
WAIT_SLICE_S = 60.0
# How often a poll asks DBOS for the workflows of unfinished intents that ended in an error.
ERROR_CHECK_S = 5.0
# The workflow statuses that never run again by themselves (an unexpected exception left it).
ERRORED = ["ERROR", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"]
INTERNAL_ERROR = "stopped by an internal error; create it again to retry"


# --- The workflow ---------------------------------------------------------------------------------


class EngineStopped(Exception):
    """Raised in a workflow thread that outlived its engine: it must not go on in a later engine
    of the same process (the workflow stays pending in its own system database)."""


def _still_running(engine: steps.Runtime | None) -> None:
    if steps.current() is None or steps.current() is not engine:
        raise EngineStopped("the intent engine this workflow ran under has stopped")


def _wait_answer(intent_id: int, item_id: int) -> str:
    steps.mark(intent_id, "asking")
    engine = steps.current()
    while True:
        _still_running(engine)
        answer = DBOS.recv(f"inbox-{item_id}", timeout_seconds=WAIT_SLICE_S)
        if answer is not None:
            steps.mark(intent_id, "running")
            return str(answer)


def _sleep_until(intent_id: int, moment: datetime) -> None:
    remaining = moment.timestamp() - now_step()
    if remaining > 0:
        steps.mark(intent_id, "waiting")
        engine = steps.current()
        while remaining > 0:
            _still_running(engine)
            DBOS.recv(SLEEP_TOPIC, timeout_seconds=min(remaining, WAIT_SLICE_S))
            remaining = moment.timestamp() - now_step()
        steps.mark(intent_id, "running")


def _fill(value: Any, answers: dict[str, str]) -> Any:
    """Puts the member's answers into later calls: "{{choice}}", "{{answer}}", "{{event}}"."""
    if isinstance(value, str):
        for name, text in answers.items():
            value = value.replace("{{" + name + "}}", text)
        return value
    if isinstance(value, dict):
        return {k: _fill(v, answers) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, answers) for v in value]
    return value


def _run_round(intent_id: int, info: dict[str, Any], round_no: int) -> str:
    wf, spec = key_prefix(intent_id), info["spec"]
    answers: dict[str, str] = {}
    if spec.get("watch"):
        arm_watch_step(intent_id)
        steps.mark(intent_id, "watching")
        event, engine = None, steps.current()
        while event is None:
            _still_running(engine)
            event = DBOS.recv(WATCH_TOPIC, timeout_seconds=WAIT_SLICE_S)
        woken_step(intent_id, event)
        answers["event"] = str(event.get("text") or event.get("kind"))
    steps.mark(intent_id, "running")
    context = f"Woken by: {answers['event']}" if "event" in answers else ""
    plan = plan_step(intent_id, round_no, context)
    lines: list[str] = []
    if plan["fits"]:
        fits = plan["fits"]
        question = (
            f"{len(fits)} option{'s' if len(fits) > 1 else ''} fit ({', '.join(fits)}); "
            "which do you prefer?"
            if plan.get("confirmed", True)
            else f"I could not confirm that any option fits ({', '.join(fits)}); which do you "
            "prefer?"
        )
        item = inbox_step(intent_id, "question", question, f"{wf}:{round_no}:choose", fits)
        answers["choice"] = answers["answer"] = _wait_answer(intent_id, item)
        lines.append(f"You chose {answers['choice']}.")
    for i, raw in enumerate(plan["actions"]):
        call = _fill(raw, answers)
        name, args = call["name"], call.get("args", {})
        key = f"{wf}:{round_no}:{i}"
        if name == "finish":
            lines.append(str(args.get("summary", "")))
            continue
        if name == "ask_member":
            choices = [str(c) for c in args.get("choices", [])]
            item = inbox_step(intent_id, "question", str(args["question"]), key, choices)
            answers["answer"] = _wait_answer(intent_id, item)
            continue
        if name == "choose" and "choice" in answers:
            continue  # the member chose already
        if intent_tools.get(name).needs_approval and not info["autonomous"]:
            ask = f"May I {name.replace('_', ' ')} on your behalf? {args}"
            item = inbox_step(intent_id, "approval", ask, f"{key}:approval", APPROVAL_CHOICES)
            if _wait_answer(intent_id, item) != "approve":
                lines.append(f"Skipped {name}: you said no.")
                continue
        result = act_step(intent_id, key, call)
        lines.append(f"{name}: {result}")
    return "\n".join(line for line in lines if line)


@DBOS.workflow()
def intent_workflow(intent_id: int) -> str:
    info = begin_step(intent_id)
    spec = info["spec"]
    schedule = spec.get("schedule")
    runs = int(schedule.get("runs", 1)) if schedule else 1
    reports: list[str] = []
    try:
        if spec.get("wait_until"):
            _sleep_until(intent_id, triggers.parse_moment(spec["wait_until"]))
        for round_no in range(runs):
            if schedule:
                after = datetime.fromtimestamp(now_step(), UTC)
                _sleep_until(intent_id, triggers.next_fire(schedule, after))
            reports.append(_run_round(intent_id, info, round_no))
    except (budgets.BudgetExceeded, TownsquareError) as error:
        finish_step(intent_id, "failed", "\n\n".join(reports), str(error))
        return "failed"
    finish_step(intent_id, "done", "\n\n".join(reports) or "Done.", "")
    return "done"


# --- The worker -----------------------------------------------------------------------------------


def dbos_config(settings: Settings) -> DBOSConfig:
    return {
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
                if intent is not None and intent.status not in (*FINISHED, "paused"):
                    log.error("intent %s stopped: %s", intent.id, workflow.error)
                    steps.finish(session, intent, "failed", "", INTERNAL_ERROR)
        return len(errored)
