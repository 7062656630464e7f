"""`townsquare intent ...` and `townsquare worker`: give, follow and answer intents from the
terminal, and run the worker that carries them out.

Like `townsquare agent`, these commands work on the local database directly, acting as the
account named with `--as`; the worker (or `townsquare serve`) picks the changes up.
`cli/__init__.py` puts `worker` at the top level.
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from townsquare.ai.runtime import Models
from townsquare.cli.options import (
    AsOption,
    DataDirOption,
    console,
    fail,
    failing_on_refusal,
    open_local,
)
from townsquare.social.accounts import get_account
from townsquare.tasks import inbox, intents

intent_app = typer.Typer(
    help="Give an agent a goal; follow, pause, resume, cancel and answer it.",
    no_args_is_help=True,
)

IdArg = Annotated[int, typer.Argument(help="The intent's id.")]


def _run(data_dir: Path | None, work: Any) -> Any:
    _, database = open_local(data_dir)
    try:
        with failing_on_refusal(), database.session() as session:
            return work(session)
    finally:
        database.dispose()


@intent_app.command("create")
def create(
    member: AsOption,
    goal: Annotated[str, typer.Argument(help="What to achieve, in plain words.")],
    option: Annotated[
        list[str] | None, typer.Option(help="A JSON option to choose among; repeat for more.")
    ] = None,
    constraints: Annotated[
        str | None,
        typer.Option(help='Limits on the options\' facts, JSON: {"price_eur": {"max": 500}}.'),
    ] = None,
    wait_until: Annotated[
        str | None, typer.Option(help="Start no earlier than this ISO moment (with offset).")
    ] = None,
    watch: Annotated[
        str | None, typer.Option(help='Wake on an event, JSON: {"kind": "comment", ...}.')
    ] = None,
    cron: Annotated[str | None, typer.Option(help="Run on a cron schedule, e.g. '0 9 * * 1'.")] = (
        None
    ),
    timezone: Annotated[str, typer.Option(help="The schedule's time zone.")] = "UTC",
    runs: Annotated[int, typer.Option(help="How many scheduled runs.")] = 1,
    plan: Annotated[
        str | None, typer.Option(help="Skip planning: a JSON list of action calls.")
    ] = None,
    autonomous: Annotated[
        bool, typer.Option(help="Publish and message without asking first.")
    ] = False,
    max_model_calls: Annotated[int, typer.Option(help="Budget of model calls.")] = 40,
    max_steps: Annotated[int, typer.Option(help="Budget of actions.")] = 50,
    data_dir: DataDirOption = None,
) -> None:
    """Create an intent; the worker starts it within a second."""
    try:
        spec: dict[str, Any] = {}
        if option:
            spec["options"] = [json.loads(o) for o in option]
        if constraints:
            spec["constraints"] = json.loads(constraints)
        if wait_until:
            spec["wait_until"] = wait_until
        if watch:
            spec["watch"] = json.loads(watch)
        if cron:
            spec["schedule"] = {"cron": cron, "timezone": timezone, "runs": runs}
        if plan:
            spec["plan"] = json.loads(plan)
    except json.JSONDecodeError as error:
        raise fail(f"not valid JSON: {error}", code=2) from error
    budget: dict[str, float] = {"model_calls": max_model_calls, "steps": max_steps}

    def work(session: Session) -> int:
        made = intents.create_intent(
            session, get_account(session, member), goal, spec=spec, autonomous=autonomous,
            budget=budget,
        )  # fmt: skip
        return made.id

    console.print(f"intent {_run(data_dir, work)} created")


@intent_app.command("list")
def list_(member: AsOption, data_dir: DataDirOption = None) -> None:
    """Your intents, newest first."""

    def work(session: Session) -> None:
        table = Table("id", "status", "goal", "used")
        page = intents.list_intents(session, get_account(session, member), limit=100)
        for it in page.items:
            table.add_row(str(it.id), it.status, it.goal[:60], json.dumps(it.used))
        console.print(table)

    _run(data_dir, work)


@intent_app.command("show")
def show(member: AsOption, intent_id: IdArg, data_dir: DataDirOption = None) -> None:
    """An intent with its planning tree, inbox items and side effects."""

    def work(session: Session) -> None:
        d = intents.inspect_intent(session, get_account(session, member), intent_id)
        console.print(f"[bold]intent {d.intent.id}[/bold] {d.intent.status}: {d.intent.goal}")
        console.print(f"used {json.dumps(d.intent.used)} of {json.dumps(d.intent.budget)}")
        if d.intent.error:
            console.print(f"[red]error:[/red] {d.intent.error}")
        tree = Table("node", "action", "score", "status", "why")
        for n in d.nodes:
            tree.add_row(
                f"{'  ' * (n.depth - 1)}{n.key}", json.dumps(n.action), f"{n.score:.2f}",
                n.status, n.reason[:80],
            )  # fmt: skip
        console.print(tree)
        for item in d.inbox:
            answer = f" -> {item.answer}" if item.answer else ""
            console.print(f"inbox {item.id} [{item.kind}] {item.text}{answer}")
        for e in d.effects:
            console.print(f"effect {e.key}: {e.action} {json.dumps(e.result)}")
        if d.intent.result:
            console.print(f"[green]result:[/green] {d.intent.result}")

    _run(data_dir, work)


def _command(name: str) -> None:
    def command(member: AsOption, intent_id: IdArg, data_dir: DataDirOption = None) -> None:
        _run(
            data_dir,
            lambda session: intents.request(session, get_account(session, member), intent_id, name),
        )
        console.print(f"intent {intent_id}: {name} requested")

    command.__doc__ = f"Ask the worker to {name} the intent."
    intent_app.command(name)(command)


for _name in intents.COMMANDS:
    _command(_name)


@intent_app.command("inbox")
def inbox_(
    member: AsOption,
    unanswered: Annotated[bool, typer.Option(help="Only what waits for you.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Results, questions and approvals your intents brought back."""

    def work(session: Session) -> None:
        page = inbox.list_inbox(
            session, get_account(session, member), unanswered=unanswered, limit=100
        )
        for item in page.items:
            choices = f" (choices: {', '.join(item.choices)})" if item.choices else ""
            answer = f" -> {item.answer}" if item.answer else ""
            console.print(
                f"{item.id} intent {item.intent_id} [{item.kind}] {item.text}{choices}{answer}"
            )

    _run(data_dir, work)


@intent_app.command("answer")
def answer(
    member: AsOption,
    item_id: Annotated[int, typer.Argument(help="The inbox item's id.")],
    text: Annotated[str, typer.Argument(help="Your answer (one of the choices, if any).")],
    data_dir: DataDirOption = None,
) -> None:
    """Answer a question or approval; the intent goes on."""
    _run(data_dir, lambda s: inbox.answer_item(s, get_account(s, member), item_id, text))
    console.print(f"inbox item {item_id} answered")


def worker(
    data_dir: DataDirOption = None,
    fake_model: Annotated[
        bool, typer.Option(hidden=True, help="Plan with the fake chat model (tests, benchmarks).")
    ] = False,
) -> None:
    """Run the intents worker: durable workflows that plan, wait, watch and act. Run several
    (each with its own TOWNSQUARE_INTENTS_EXECUTOR_ID) against PostgreSQL to share the queue."""
    from townsquare.tasks.engine import IntentEngine

    settings, database = open_local(data_dir)
    models = Models(settings)
    if fake_model:
        from townsquare.ai.fake import FakeChatModel, FakeEmbedder

        models = Models(settings, chat=FakeChatModel(), embedder=FakeEmbedder())
    engine = IntentEngine(settings, database, models)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    engine.start()
    console.print(f"intent worker {settings.intents_executor_id} running", highlight=False)
    stop.wait()
    engine.stop()
    database.dispose()
