"""A synthetic community at size: N members, ~10N posts, ~100N events, written in bulk.

Run: ``python bench/synth.py --members 100000 --database-url postgresql+psycopg://...``
(the database is migrated first; rows are added after whatever is there). PostgreSQL is written
with COPY (psycopg 3 ``cursor.copy``), SQLite with ``executemany``; each table shows a progress
bar, and the run ends with rows per table, seconds and the database's size.

The shapes are those of a real community, drawn with numpy from one seed:

* who is followed follows a power law (Zipf, exponent 1.1): a few members have tens of
  thousands of followers, the median a handful; each member follows a log-normal number;
* posts of every kind (text, image, short and long video, link), written mostly by the popular;
* events in sessions: a member opens the feed and scrolls (impressions), opens some posts,
  dwells (log-normal milliseconds), likes, comments, shares, follows, hides, now and then
  reports; posts are seen in proportion to their author's reach;
* browser sessions for the active third, agents of every kind for 1% of members, and DM threads
  (member to member, and member to agent with the agent's AI-written replies).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import NDArray
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from sqlalchemy import JSON, Connection, Table, func, insert, select, text

from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Base
from townsquare.social.messages import members_key

BATCH = 50_000
NOW = datetime(2026, 12, 1, tzinfo=UTC)
POST_KINDS = ("text", "image", "short_video", "long_video", "link")
POST_KIND_SHARES = (0.55, 0.25, 0.1, 0.03, 0.07)
MEDIA_OF = {"image": "image/jpeg", "short_video": "video/mp4", "long_video": "video/mp4"}
EVENT_TYPES = (
    "impression",
    "open",
    "dwell",
    "like",
    "comment",
    "share",
    "follow",
    "hide",
    "report",
)
EVENT_SHARES = (0.71, 0.1, 0.1, 0.06, 0.01, 0.006, 0.01, 0.0035, 0.0005)
AGENT_KINDS = ("character", "creator", "business", "assistant")
WORDS = """bread kiln glaze market sunday walk garden river coffee bike trail recipe photo music
    class studio workshop friends weekend rain city book film dinner morning light paint clay
    harvest apples bakery order ship shop price open late early new first best small local
    season festival concert game team park beach train night school project""".split()  # noqa: SIM905


@dataclass(frozen=True)
class Plan:
    """How much of each thing to write for ``members`` members (the issue's shape)."""

    members: int
    seed: int = 0

    @property
    def posts(self) -> int:
        return 10 * self.members

    @property
    def events(self) -> int:
        return 100 * self.members


Rows = Iterator[tuple[object, ...]]


class Writer:
    """Appends rows to tables: COPY on PostgreSQL, executemany on SQLite. Columns not given
    get the model's default (evaluated once: a timestamp, ``[]``, ``{}``)."""

    def __init__(self, connection: Connection, progress: Progress) -> None:
        self.connection = connection
        self.progress = progress
        self.written: dict[str, int] = {}

    def next_id(self, table: str) -> int:
        found = self.connection.scalar(select(func.max(Base.metadata.tables[table].c.id)))
        return int(found or 0) + 1

    def write(self, name: str, columns: Sequence[str], rows: Rows, total: int) -> None:
        table = Base.metadata.tables[name]
        extra = _defaults(table, columns)
        names = [*columns, *extra]
        filler = tuple(extra.values())
        task = self.progress.add_task(name, total=total)
        if self.connection.dialect.name == "postgresql":
            self._copy(table, names, rows, filler, task)
        else:
            self._insert(table, names, rows, filler, task)
        self.written[name] = self.written.get(name, 0) + int(self.progress.tasks[task].completed)

    def _copy(
        self, table: Table, names: list[str], rows: Rows, filler: tuple[object, ...], task: int
    ) -> None:
        json_at = [i for i, name in enumerate(names) if isinstance(table.c[name].type, JSON)]
        cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        count = 0
        with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                values = list(row + filler)
                for i in json_at:
                    values[i] = json.dumps(values[i])
                copy.write_row(values)
                count += 1
                if count % BATCH == 0:
                    self.progress.advance(task, BATCH)
        self.progress.update(task, completed=count)

    def _insert(
        self, table: Table, names: list[str], rows: Rows, filler: tuple[object, ...], task: int
    ) -> None:
        statement = insert(table)
        batch: list[dict[str, object]] = []
        for row in rows:
            batch.append(dict(zip(names, row + filler, strict=True)))
            if len(batch) == BATCH:
                self.connection.execute(statement, batch)
                self.progress.advance(task, len(batch))
                batch = []
        if batch:
            self.connection.execute(statement, batch)
            self.progress.advance(task, len(batch))


def _defaults(table: Table, given: Sequence[str]) -> dict[str, object]:
    """Each column not in ``given`` that has a model default: that default."""
    values: dict[str, object] = {}
    for column in table.columns:
        if column.name in given or column.primary_key or column.default is None:
            continue
        value = column.default.arg  # type: ignore[attr-defined]
        if callable(value):
            value = value(None)
        values[column.name] = value
    return values


def zipf_weights(n: int, rng: np.random.Generator, exponent: float = 1.1) -> NDArray[np.float64]:
    """Probabilities over n items that fall as rank^-exponent, ranks shuffled over the items."""
    weights = 1.0 / np.arange(1, n + 1) ** exponent  # (n,)
    rng.shuffle(weights)
    return weights / weights.sum()


def times(rng: np.random.Generator, n: int, days: int) -> list[datetime]:
    seconds = rng.integers(0, days * 86_400, n)
    return [NOW - timedelta(seconds=int(s)) for s in seconds]


def generate(database: Database, plan: Plan, *, console: Console | None = None) -> dict[str, int]:
    """Writes the community in one transaction; returns the rows written per table."""
    rng = np.random.default_rng(plan.seed)
    n = plan.members
    progress = Progress(
        TextColumn("{task.description:>16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=console is None,
    )
    with progress, database.engine.begin() as connection:
        writer = Writer(connection, progress)
        first = writer.next_id("accounts")
        reach = zipf_weights(n, rng)  # (n,) who gets followed and seen
        _accounts(writer, rng, first, n)
        members = np.arange(first, first + n)  # (n,)
        _follows(writer, rng, members, reach)
        post_ids, authors = _posts(writer, rng, members, reach, plan.posts)
        _events(writer, rng, members, reach, post_ids, authors, plan.events)
        _sessions(writer, rng, members)
        agent_accounts = _agents(writer, rng, members)
        _dms(writer, rng, members, reach, agent_accounts)
        if connection.dialect.name == "postgresql":  # ids were given: move the sequences on
            for name in ("accounts", "media", "posts", "threads"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) "
                        f"FROM {name}"
                    )
                )
    return writer.written


def _accounts(writer: Writer, rng: np.random.Generator, first: int, n: int) -> None:
    kinds = rng.choice(["person", "business"], n, p=[0.97, 0.03])
    created = times(rng, n, 3 * 365)
    rows = (
        (first + i, f"m{first + i}", str(kinds[i]), f"Member {first + i}",
         f"m{first + i}@synth.example", "!synthetic", created[i])
        for i in range(n)
    )  # fmt: skip
    columns = ("id", "handle", "kind", "display_name", "email", "password_hash", "created_at")
    writer.write("accounts", columns, rows, n)


def _follows(
    writer: Writer, rng: np.random.Generator, members: NDArray[np.int64], reach: NDArray[np.float64]
) -> None:
    counts = np.minimum(rng.lognormal(2.5, 1.0, members.size).astype(np.int64), members.size - 1)
    followers = np.repeat(members, counts)  # (F,)
    followees = rng.choice(members, followers.size, p=reach)  # (F,)
    pairs = np.unique(np.stack([followers, followees], axis=1), axis=0)  # (F', 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    created = times(rng, len(pairs), 365)
    rows = ((int(a), int(b), created[i]) for i, (a, b) in enumerate(pairs))
    writer.write("follows", ("follower_id", "followee_id", "created_at"), rows, len(pairs))


def _posts(
    writer: Writer,
    rng: np.random.Generator,
    members: NDArray[np.int64],
    reach: NDArray[np.float64],
    count: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    authors = rng.choice(members, count, p=0.5 * reach + 0.5 / members.size)  # (P,)
    kinds = rng.choice(len(POST_KINDS), count, p=POST_KIND_SHARES)  # (P,)
    media_first = writer.next_id("media")
    with_media = np.isin(kinds, [POST_KINDS.index(k) for k in MEDIA_OF])  # (P,)
    media_ids = np.full(count, -1)
    media_ids[with_media] = np.arange(media_first, media_first + with_media.sum())
    created = times(rng, count, 365)
    media_rows = (
        (int(media_ids[i]), int(authors[i]), f"synth/{media_ids[i]}",
         MEDIA_OF[POST_KINDS[kinds[i]]], int(rng.integers(20_000, 5_000_000)),
         f"{int(media_ids[i]):064x}", created[i])
        for i in np.flatnonzero(with_media)
    )  # fmt: skip
    columns = ("id", "owner_id", "path", "mime", "size_bytes", "sha256", "created_at")
    writer.write("media", columns, media_rows, int(with_media.sum()))
    first = writer.next_id("posts")
    words = np.array(WORDS)
    lengths = rng.integers(4, 40, count)
    rows = (
        (first + i, int(authors[i]), POST_KINDS[kinds[i]],
         " ".join(rng.choice(words, lengths[i])).capitalize() + ".",
         f"https://example.org/{i}" if POST_KINDS[kinds[i]] == "link" else None,
         int(media_ids[i]) if media_ids[i] > 0 else None, created[i], created[i])
        for i in range(count)
    )  # fmt: skip
    columns = (
        "id",
        "author_id",
        "kind",
        "text",
        "link_url",
        "media_id",
        "created_at",
        "updated_at",
    )
    writer.write("posts", columns, rows, count)
    return np.arange(first, first + count), authors


def _events(
    writer: Writer,
    rng: np.random.Generator,
    members: NDArray[np.int64],
    reach: NDArray[np.float64],
    post_ids: NDArray[np.int64],
    authors: NDArray[np.int64],
    count: int,
) -> None:
    """Sessions of ~25 events each: one member, one start time, events a few seconds apart."""
    sessions = max(1, count // 25)
    active = rng.choice(members, sessions, p=0.7 * reach + 0.3 / members.size)  # (S,)
    starts = rng.integers(0, 90 * 86_400, sessions)  # (S,) seconds before NOW
    session_of = np.sort(rng.integers(0, sessions, count))  # (E,)
    seen = reach[np.searchsorted(members, authors)]  # (P,) a post is seen as its author is
    posts = rng.choice(post_ids, count, p=seen / seen.sum())  # (E,)
    types = rng.choice(len(EVENT_TYPES), count, p=EVENT_SHARES)  # (E,)
    followee = rng.choice(members, count, p=reach)  # (E,)
    dwell = rng.lognormal(8.0, 1.0, count).astype(np.int64)  # (E,) ms, median ~3 s
    surfaces = np.array(["feed", "profile", "post", "search"])[
        rng.choice(4, count, p=[0.8, 0.1, 0.07, 0.03])
    ]
    offsets = rng.integers(0, 900, count)  # (E,) seconds into the session

    def row(i: int) -> tuple[object, ...]:
        kind = EVENT_TYPES[types[i]]
        s = session_of[i]
        when = NOW - timedelta(seconds=int(starts[s] - offsets[i]))
        target = int(followee[i]) if kind == "follow" else None
        post = None if kind == "follow" else int(posts[i])
        return (int(active[s]), kind, str(surfaces[i]), post, target,
                int(dwell[i]) if kind == "dwell" else None, {"session": int(s)}, when)  # fmt: skip

    columns = ("account_id", "type", "surface", "post_id", "target_account_id", "dwell_ms",
               "extra", "created_at")  # fmt: skip
    writer.write("events", columns, (row(i) for i in range(count)), count)


def _sessions(writer: Writer, rng: np.random.Generator, members: NDArray[np.int64]) -> None:
    active = members[rng.random(members.size) < 0.3]
    seen = times(rng, active.size, 30)
    rows = (
        (int(m), rng.bytes(32).hex(), seen[i], seen[i], seen[i] + timedelta(days=30))
        for i, m in enumerate(active)
    )
    columns = ("account_id", "secret_hash", "created_at", "last_seen_at", "expires_at")
    writer.write("browser_sessions", columns, rows, active.size)


def _agents(
    writer: Writer, rng: np.random.Generator, members: NDArray[np.int64]
) -> NDArray[np.int64]:
    owners = rng.choice(members, max(1, members.size // 100), replace=False)
    first = writer.next_id("accounts")
    accounts = np.arange(first, first + owners.size)
    rows = (
        (int(a), f"a{a}", "agent", f"Agent {a}", "!synthetic", NOW) for a in accounts
    )  # fmt: skip
    columns = ("id", "handle", "kind", "display_name", "password_hash", "created_at")
    writer.write("accounts", columns, rows, owners.size)
    agent_rows = (
        (int(a), int(o), AGENT_KINDS[i % len(AGENT_KINDS)], NOW)
        for i, (a, o) in enumerate(zip(accounts, owners, strict=True))
    )
    writer.write(
        "agents", ("account_id", "owner_id", "kind", "created_at"), agent_rows, owners.size
    )
    return accounts


def _dms(
    writer: Writer,
    rng: np.random.Generator,
    members: NDArray[np.int64],
    reach: NDArray[np.float64],
    agent_accounts: NDArray[np.int64],
) -> None:
    """N/2 threads of two: 80% between members, 20% a member and an agent; ~10 messages each."""
    count = max(1, members.size // 2)
    starters = rng.choice(members, count)
    others = np.where(
        rng.random(count) < 0.8,
        rng.choice(members, count, p=reach),
        rng.choice(agent_accounts, count),
    )
    pairs = {
        tuple(sorted((int(a), int(b)))) for a, b in zip(starters, others, strict=True) if a != b
    }
    ordered = sorted(pairs)
    first = writer.next_id("threads")
    started = times(rng, len(ordered), 180)
    rows = (
        (first + i, members_key(set(pair)), started[i], started[i])
        for i, pair in enumerate(ordered)
    )
    writer.write(
        "threads", ("id", "members_key", "created_at", "last_message_at"), rows, len(ordered)
    )
    member_rows = ((first + i, m) for i, pair in enumerate(ordered) for m in pair)
    writer.write("thread_members", ("thread_id", "account_id"), member_rows, 2 * len(ordered))
    agents = set(agent_accounts.tolist())
    lengths = rng.geometric(0.1, len(ordered))  # (T,) messages per thread, mean 10
    words = np.array(WORDS)

    def messages() -> Rows:
        for i, pair in enumerate(ordered):
            for turn in range(int(lengths[i])):
                sender = pair[turn % 2]
                body = " ".join(rng.choice(words, 8))
                when = started[i] + timedelta(minutes=turn)
                yield (first + i, sender, body, sender in agents, when)

    columns = ("thread_id", "sender_id", "text", "ai_generated", "created_at")
    writer.write("messages", columns, messages(), int(lengths.sum()))


def database_size(database: Database) -> int | None:
    """Bytes on disk, where the engine says (PostgreSQL: the whole database)."""
    if database.is_sqlite:
        return None
    with database.engine.connect() as connection:
        return int(connection.scalar(text("SELECT pg_database_size(current_database())")) or 0)


def main(argv: Sequence[str] | None = None, *, console: Console | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000, help="how many members (N)")
    parser.add_argument("--database-url", required=True, help="a SQLAlchemy database URL")
    parser.add_argument("--seed", type=int, default=0, help="the random seed")
    args = parser.parse_args(argv)
    if args.members < 2:
        parser.error("--members must be at least 2")
    console = console or Console()
    database = Database(args.database_url)
    upgrade_to_head(database)
    started = time.perf_counter()
    written = generate(database, Plan(args.members, args.seed), console=console)
    seconds = time.perf_counter() - started
    table = RichTable(title=f"{args.members:,} members in {seconds:.1f} s")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in written.items():
        table.add_row(name, f"{rows:,}")
    size = database_size(database)
    if size is not None:
        table.add_row("database size", f"{size / 2**20:,.0f} MiB")
    console.print(table)
    database.dispose()


if __name__ == "__main__":
    main()
