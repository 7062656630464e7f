"""Intents as durable DBOS workflows.

One workflow per intent (id ``intent-<installation>-<id>``): wait for its schedule or moment,
wait for its watch, plan, ask the member what needs asking, act, report. Each of those is a DBOS
step or a durable ``DBOS.sleep``/``DBOS.recv``, checkpointed in the system database, so a worker
killed at any point resumes from the last finished step. A step with a side effect writes the
effect and its idempotency key in one transaction of the app database, so a step re-run after a
crash finds the key and does nothing twice (the steps are in ``steps``).

The worker that starts them and hands them answers and events is ``engine.IntentEngine``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dbos import DBOS

from townsquare.errors import TownsquareError
from townsquare.tasks import budgets, intent_tools, steps, triggers
from townsquare.tasks.inbox import APPROVAL_CHOICES, key_prefix
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

WATCH_TOPIC = "watch"
# Durable sleeps are receives on a topic nobody sends to: unlike ``DBOS.sleep`` (``time.sleep``)
# a receive can be ended early, which is how a stopping engine frees its workflow threads.
SLEEP_TOPIC = "sleep"
# A long wait is a loop of durable receives of at most this long (one checkpoint each), so a
# thread the stop could not reach still ends within one slice (its next DBOS call fails and the
# workflow stays pending, recovered at the next start).
WAIT_SLICE_S = 60.0


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
