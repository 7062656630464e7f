"""`townsquare agent ...`: build, import, export, teach and talk to agents from the terminal.

These commands work on the local database directly (like `townsquare demo`), acting as the
account named with `--owner` or `--as`; there is no sign-in, so they are for whoever runs the
instance.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from townsquare.ai.runtime import Models
from townsquare.cli.options import (
    AsOption,
    DataDirOption,
    OwnerOption,
    console,
    fail,
    failing_on_refusal,
    open_local,
)

if TYPE_CHECKING:
    from townsquare.ai.embeddings import Embedder

agent_app = typer.Typer(
    help="Build, import, export, teach and talk to AI agents.", no_args_is_help=True
)


@agent_app.command("create")
def create(
    owner: OwnerOption,
    handle: Annotated[str, typer.Option(help="The agent's own @handle.")],
    name: Annotated[str, typer.Option(help="The agent's display name.")],
    kind: Annotated[
        str, typer.Option(help="character | creator (an AI of you) | business | assistant")
    ] = "character",
    tagline: Annotated[str, typer.Option(help="One line under the name.")] = "",
    personality: Annotated[str, typer.Option(help="Who the agent is, in prose.")] = "",
    tone: Annotated[str, typer.Option(help="How it sounds, e.g. 'warm, brief'.")] = "",
    greeting: Annotated[str, typer.Option(help="Its first message in a new thread.")] = "",
    trait: Annotated[list[str] | None, typer.Option(help="A trait; repeat for more.")] = None,
    interest: Annotated[list[str] | None, typer.Option(help="An interest; repeat.")] = None,
    avoid: Annotated[
        list[str] | None,
        typer.Option(help="'topic=reply': a topic it will not discuss and what it says instead."),
    ] = None,
    reply_mode: Annotated[str, typer.Option(help="off | drafts | send")] = "send",
    reply_sentences: Annotated[
        int, typer.Option(help="The most sentences of a reply (characters, assistants): 1-8.")
    ] = 3,
    visibility: Annotated[str, typer.Option(help="public | unlisted | private")] = "public",
    data_dir: DataDirOption = None,
) -> None:
    """Create an agent owned by an existing account."""
    from townsquare.social.accounts import get_account
    from townsquare.studio.agents import create_agent
    from townsquare.studio.spec import AgentSpec

    avoid_topics = []
    for item in avoid or []:
        topic, sep, reply = item.partition("=")
        if not sep:
            raise fail(ValueError(f"--avoid needs 'topic=reply', got {item!r}"))
        avoid_topics.append({"topic": topic, "reply": reply})
    try:
        spec = AgentSpec.model_validate(
            {
                "handle": handle,
                "name": name,
                "kind": kind,
                "tagline": tagline,
                "personality": personality,
                "tone": tone,
                "greeting": greeting,
                "traits": trait or [],
                "interests": interest or [],
                "avoid_topics": avoid_topics,
                "reply_mode": reply_mode,
                "reply_sentences": reply_sentences,
                "visibility": visibility,
            }
        )
    except ValidationError as error:
        raise fail(error) from error
    _, database = open_local(data_dir)
    with failing_on_refusal(), database.session() as session:
        agent = create_agent(session, get_account(session, owner), spec)
        agent_id = agent.id
    console.print(f"Created the {kind} agent @{spec.handle} (id {agent_id}), owned by @{owner}.")


@agent_app.command("import")
def import_(
    card: Annotated[Path, typer.Argument(help="A character card: .json, .png or .charx.")],
    owner: OwnerOption,
    handle: Annotated[str | None, typer.Option(help="The new agent's handle.")] = None,
    kind: Annotated[str, typer.Option(help="character | creator | business | assistant")] = (
        "character"
    ),
    data_dir: DataDirOption = None,
) -> None:
    """Create an agent from a Character Card V1/V2/V3 made in another tool."""
    from townsquare.social.accounts import get_account
    from townsquare.studio.agent_cards import MAX_CARD_BYTES, import_agent
    from townsquare.studio.agents import agent_account

    if not card.is_file():
        raise fail(FileNotFoundError(f"no file {card}"))
    settings, database = open_local(data_dir)
    with failing_on_refusal(), database.session() as session, card.open("rb") as file:
        agent, imported = import_agent(
            session,
            get_account(session, owner),
            data=file.read(MAX_CARD_BYTES + 1),
            filename=card.name,
            kind=kind,  # type: ignore[arg-type]
            handle=handle,
            media_dir=settings.media_dir,
        )
        created = agent_account(session, agent).handle
    entries = len((imported.lorebook or {}).get("entries", []) or [])
    console.print(
        f"Imported {imported.version} card '{imported.spec.name}' as @{created}"
        f" ({entries} lorebook entries{', with avatar' if imported.avatar else ''})."
    )


@agent_app.command("export")
def export(
    handle: Annotated[str, typer.Argument(help="The agent's handle.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the card.")],
    format: Annotated[str, typer.Option(help="json_v2 | json_v3 | png_v2 | png_v3 | charx")] = (
        "png_v3"
    ),
    data_dir: DataDirOption = None,
) -> None:
    """Write an agent as a character card for other tools."""
    from townsquare.studio.agent_cards import card_file
    from townsquare.studio.agents import find_agent

    settings, database = open_local(data_dir)
    with failing_on_refusal(), database.session() as session:
        agent = find_agent(session, handle)
        if agent is None:
            raise fail(LookupError(f"no agent @{handle.lstrip('@')}"))
        data = card_file(session, agent, fmt=format, media_dir=settings.media_dir).data  # type: ignore[arg-type]
    out.write_bytes(data)
    console.print(f"Wrote @{handle.lstrip('@')} to {out} ({len(data):,} bytes, {format}).")


@agent_app.command("ingest")
def ingest(
    handle: Annotated[str, typer.Argument(help="The agent's handle.")],
    files: Annotated[
        list[Path] | None,
        typer.Argument(help=".txt .md .html .pdf, FAQ .json or catalog .csv files."),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Teach an agent from files (and, for creator and business agents, its owner's posts)."""
    from townsquare.studio.agents import find_agent
    from townsquare.studio.knowledge.ingest import enqueue_file, ingest_source_now
    from townsquare.studio.knowledge.sync import sync_owner_posts
    from townsquare.studio.spec import GROUNDED_KINDS

    settings, database = open_local(data_dir)
    models = Models(settings)
    for path in files or []:
        if not path.is_file():
            raise fail(FileNotFoundError(f"no file {path}"))
    with failing_on_refusal():
        with database.session() as session:
            agent = find_agent(session, handle)
            if agent is None:
                raise fail(LookupError(f"no agent @{handle.lstrip('@')}"))
            if agent.kind in GROUNDED_KINDS:
                synced = sync_owner_posts(session, models.embedder, agent)
                console.print(f"Posts: {synced}")
            source_ids = [
                enqueue_file(session, settings, agent, path.name, path.read_bytes()).id
                for path in files or []
            ]
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            for path, source_id in zip(files or [], source_ids, strict=True):
                task = progress.add_task(path.name, total=None)

                def report(done: int, total: int, task: TaskID = task) -> None:
                    progress.update(task, completed=done, total=total)

                ingest_source_now(
                    database,
                    models.embedder,
                    source_id,
                    settings=settings,
                    on_progress=report,
                    cross=models.cross_embedder,
                )
    console.print(f"@{handle.lstrip('@')} learned from {len(source_ids)} file(s).")


@agent_app.command("reembed")
def reembed_knowledge(data_dir: DataDirOption = None) -> None:
    """Embed again every agent's knowledge that another embedding model made (after changing
    TOWNSQUARE_EMBEDDER or TOWNSQUARE_CROSS_EMBEDDER), and give chunks without one their
    cross-language embedding; the server's ingest worker does the same when it starts."""
    from townsquare.studio.knowledge.reembed import Slot, reembed

    settings, database = open_local(data_dir)
    models = Models(settings)
    slots: list[tuple[Slot, Embedder]] = [("primary", models.embedder)]
    if (cross := models.cross_embedder) is not None:
        slots.append(("cross", cross))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        for slot, embedder in slots:
            task = progress.add_task(f"chunks -> {embedder.name}", total=None)

            def report(done: int, total: int, task: TaskID = task) -> None:
                progress.update(task, completed=done, total=total)

            done = reembed(database, embedder, slot=slot, on_progress=report)
            console.print(f"{done} chunk(s) embedded again with {embedder.name}.")


@agent_app.command("chat")
def chat(
    handle: Annotated[str, typer.Argument(help="The agent's handle.")],
    as_: AsOption,
    message: Annotated[
        list[str] | None,
        typer.Option("--message", "-m", help="Send this and exit; repeat for several turns."),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Talk to an agent in your DM thread with it (the replies stream; citations follow)."""
    from townsquare.social.accounts import get_account
    from townsquare.social.messages import send_message
    from townsquare.studio.conversation.types import Delta, Outcome, ReplyEvent
    from townsquare.studio.dm.agent_threads import open_agent_thread
    from townsquare.studio.dm.answering import answer

    settings, database = open_local(data_dir)
    models = Models(settings)
    with failing_on_refusal(), database.session() as session:
        member = get_account(session, as_)
        opened = open_agent_thread(session, member, handle)
        thread_id, created = opened.thread.id, opened.created
    if created:
        console.print("[dim](a new thread: the agent greeted you)[/dim]")

    def emit(event: ReplyEvent) -> None:
        if isinstance(event, Delta):
            console.print(event.text, end="", markup=False, highlight=False)
        elif isinstance(event, Outcome):
            console.print()
            for number, citation in enumerate(event.citations, 1):
                where = f", {citation['locator']}" if citation.get("locator") else ""
                console.print(
                    f"  [dim][{number}] {citation['title']}{where} {citation['url']}[/dim]"
                )
            if event.kind == "draft":
                console.print("[dim](saved as a draft for the owner to approve)[/dim]")
            elif event.kind == "silent":
                console.print("[dim](the agent is not answering this thread now)[/dim]")

    scripted = list(message or [])
    while True:
        if scripted:
            text = scripted.pop(0)
            console.print(f"[bold]you:[/bold] {text}")
        elif message:
            return
        else:
            try:
                text = console.input("[bold]you:[/bold] ")
            except (EOFError, KeyboardInterrupt):
                console.print()
                return
            if not text.strip():
                continue
        with failing_on_refusal(), database.session() as session:
            sent, _ = send_message(session, get_account(session, as_), thread_id, text)
            sent_id = sent.id
        console.print(f"[bold]@{handle.lstrip('@')} (AI):[/bold] ", end="")
        answer(database, models, sent_id, emit)


@agent_app.command("list")
def list_(data_dir: DataDirOption = None) -> None:
    """Every agent on this instance."""
    from townsquare.studio.agents import instance_agents

    _, database = open_local(data_dir)
    table = Table("handle", "name", "kind", "owner", "visibility", "replies")
    with database.session() as session:
        for row in instance_agents(session):
            table.add_row(
                f"@{row.account.handle}",
                row.account.display_name,
                row.agent.kind,
                f"@{row.owner.handle}",
                row.agent.visibility,
                row.agent.reply_mode,
            )
    console.print(table)
