"""A synthetic community at size: N members, ~10N posts, ~100N events, written in bulk.

Run: ``python -m bench.synth --members 100000 --database-url postgresql+psycopg://...``
(the database is migrated first; rows are added after whatever is there). PostgreSQL is written
with COPY (psycopg 3 ``cursor.copy``), SQLite with ``executemany``; each table shows a progress
bar, and the run ends with rows per table, seconds and the database's size.

It is meant for an empty or a benchmark database: on PostgreSQL the written tables' foreign keys
and secondary indexes are dropped for the load and built again after it (``bulk.indexes_dropped``),
so the tables are locked for the whole run and the rebuild covers every row already there.

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
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from bench.bulk import Writer, indexes_dropped
from numpy.typing import NDArray
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table as RichTable
from sqlalchemy import text

from townsquare.db import Database, upgrade_to_head
from townsquare.social.events import EVENT_TYPES
from townsquare.social.messages import members_key
from townsquare.social.posts import POST_KINDS
from townsquare.studio.spec import AGENT_KINDS

TABLES = ("accounts", "follows", "media", "posts", "events", "browser_sessions", "agents",
          "threads", "thread_members", "messages")  # fmt: skip
EVENT_CHUNK = 1_000_000  # events generated at a time (memory stays flat)
NOW = np.datetime64("2026-12-01T00:00:00", "s")
POST_KIND_SHARES = (0.55, 0.25, 0.1, 0.03, 0.07)
MEDIA_OF = {"image": "image/jpeg", "short_video": "video/mp4", "long_video": "video/mp4"}
EVENT_SHARES = (0.71, 0.1, 0.1, 0.06, 0.01, 0.006, 0.01, 0.0035, 0.0005)
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


def zipf_weights(n: int, rng: np.random.Generator, exponent: float = 1.1) -> NDArray[np.float64]:
    """Probabilities over n items that fall as rank^-exponent, ranks shuffled over the items."""
    weights = 1.0 / np.arange(1, n + 1) ** exponent  # (n,)
    rng.shuffle(weights)
    return weights / weights.sum()


def times(rng: np.random.Generator, n: int, days: int) -> NDArray[np.datetime64]:
    """n moments in the ``days`` before NOW, (n,) datetime64[s]."""
    return NOW - rng.integers(0, days * 86_400, n).astype("timedelta64[s]")


def nullable(values: NDArray[np.int64], present: NDArray[np.bool_]) -> list[Any]:
    """Python ints, None where not ``present``."""
    column = values.astype(object)
    column[~present] = None
    return list(column)


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
    with (
        progress,
        database.engine.begin() as connection,
        indexes_dropped(connection, TABLES, progress),
    ):
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
        if writer.postgres:  # ids were given: move the sequences on
            for name in ("accounts", "media", "posts", "threads"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) "
                        f"FROM {name}"
                    )
                )
    return writer.written


def _accounts(writer: Writer, rng: np.random.Generator, first: int, n: int) -> None:
    ids = np.arange(first, first + n)
    writer.write(
        "accounts",
        {
            "id": ids,
            "handle": [f"m{i}" for i in ids.tolist()],
            "kind": rng.choice(["person", "business"], n, p=[0.97, 0.03]),
            "display_name": [f"Member {i}" for i in ids.tolist()],
            "email": [f"m{i}@synth.example" for i in ids.tolist()],
            "password_hash": ["!synthetic"] * n,  # no password opens it
            "created_at": times(rng, n, 3 * 365),
        },
    )


def _follows(
    writer: Writer, rng: np.random.Generator, members: NDArray[np.int64], reach: NDArray[np.float64]
) -> None:
    counts = np.minimum(rng.lognormal(2.5, 1.0, members.size).astype(np.int64), members.size - 1)
    followers = np.repeat(members, counts)  # (F,)
    followees = rng.choice(members, followers.size, p=reach)  # (F,)
    pairs = np.unique(np.stack([followers, followees], axis=1), axis=0)  # (F', 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    writer.write(
        "follows",
        {
            "follower_id": pairs[:, 0],
            "followee_id": pairs[:, 1],
            "created_at": times(rng, len(pairs), 365),
        },
    )


def _posts(
    writer: Writer,
    rng: np.random.Generator,
    members: NDArray[np.int64],
    reach: NDArray[np.float64],
    count: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    authors = rng.choice(members, count, p=0.5 * reach + 0.5 / members.size)  # (P,)
    kinds = np.array(POST_KINDS)[rng.choice(len(POST_KINDS), count, p=POST_KIND_SHARES)]  # (P,)
    created = times(rng, count, 365)  # (P,)
    with_media = np.isin(kinds, list(MEDIA_OF))  # (P,)
    media_first = writer.next_id("media")
    media_ids = np.zeros(count, dtype=np.int64)
    media_ids[with_media] = np.arange(media_first, media_first + int(with_media.sum()))
    media = media_ids[with_media]
    writer.write(
        "media",
        {
            "id": media,
            "owner_id": authors[with_media],
            "path": [f"synth/{m}" for m in media.tolist()],
            "mime": [MEDIA_OF[k] for k in kinds[with_media].tolist()],
            "size_bytes": rng.integers(20_000, 5_000_000, media.size),
            "sha256": [f"{m:064x}" for m in media.tolist()],
            "created_at": created[with_media],
        },
    )
    first = writer.next_id("posts")
    ids = np.arange(first, first + count)
    words = rng.choice(np.array(WORDS), (count, 12))  # (P, 12)
    lengths = rng.integers(3, 13, count)  # (P,)
    writer.write(
        "posts",
        {
            "id": ids,
            "author_id": authors,
            "kind": kinds,
            "text": [
                " ".join(w[:k]) + "." for w, k in zip(words.tolist(), lengths.tolist(), strict=True)
            ],
            "link_url": [
                f"https://example.org/{i}" if k == "link" else None
                for i, k in zip(ids.tolist(), kinds.tolist(), strict=True)
            ],
            "media_id": nullable(media_ids, with_media),
            "created_at": created,
            "updated_at": created,
        },
    )
    return ids, authors


def _events(
    writer: Writer,
    rng: np.random.Generator,
    members: NDArray[np.int64],
    reach: NDArray[np.float64],
    post_ids: NDArray[np.int64],
    authors: NDArray[np.int64],
    count: int,
) -> None:
    """Sessions of ~25 events: one member, one start, events up to 15 minutes into it."""
    writer.expect("events", count)
    seen = reach[np.searchsorted(members, authors)]  # (P,) a post is seen as its author is
    seen /= seen.sum()
    activity = 0.7 * reach + 0.3 / members.size  # (n,)
    surfaces = np.array(["feed", "profile", "post", "search"])
    for done in range(0, count, EVENT_CHUNK):
        size = min(EVENT_CHUNK, count - done)
        sessions = max(1, size // 25)
        active = rng.choice(members, sessions, p=activity)  # (S,)
        starts = times(rng, sessions, 90)  # (S,)
        session_of = np.sort(rng.integers(0, sessions, size))  # (E,)
        types = np.array(EVENT_TYPES)[rng.choice(len(EVENT_TYPES), size, p=EVENT_SHARES)]
        follow = types == "follow"
        dwell = rng.lognormal(8.0, 1.0, size).astype(np.int64)  # (E,) ms, median ~3 s
        writer.write(
            "events",
            {
                "account_id": active[session_of],
                "type": types,
                "surface": surfaces[rng.choice(4, size, p=[0.8, 0.1, 0.07, 0.03])],
                "post_id": nullable(rng.choice(post_ids, size, p=seen), ~follow),
                "target_account_id": nullable(rng.choice(members, size, p=reach), follow),
                "dwell_ms": nullable(dwell, types == "dwell"),
                "created_at": starts[session_of]
                + rng.integers(0, 900, size).astype("timedelta64[s]"),
            },
        )


def _sessions(writer: Writer, rng: np.random.Generator, members: NDArray[np.int64]) -> None:
    active = members[rng.random(members.size) < 0.3]
    seen = times(rng, active.size, 30)
    writer.write(
        "browser_sessions",
        {
            "account_id": active,
            "secret_hash": [rng.bytes(32).hex() for _ in range(active.size)],
            "created_at": seen,
            "last_seen_at": seen,
            "expires_at": seen + np.timedelta64(30, "D"),
        },
    )


def _agents(
    writer: Writer, rng: np.random.Generator, members: NDArray[np.int64]
) -> NDArray[np.int64]:
    owners = rng.choice(members, max(1, members.size // 100), replace=False)
    first = writer.next_id("accounts")
    accounts = np.arange(first, first + owners.size)
    writer.write(
        "accounts",
        {
            "id": accounts,
            "handle": [f"a{a}" for a in accounts.tolist()],
            "kind": ["agent"] * owners.size,
            "display_name": [f"Agent {a}" for a in accounts.tolist()],
            "password_hash": ["!synthetic"] * owners.size,
        },
    )
    writer.write(
        "agents",
        {
            "account_id": accounts,
            "owner_id": owners,
            "kind": [AGENT_KINDS[i % len(AGENT_KINDS)] for i in range(owners.size)],
        },
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
    pairs = np.unique(np.sort(np.stack([starters, others], axis=1), axis=1), axis=0)  # (T, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    first = writer.next_id("threads")
    ids = np.arange(first, first + len(pairs))
    started = times(rng, len(pairs), 180)
    writer.write(
        "threads",
        {
            "id": ids,
            "members_key": [members_key(set(pair)) for pair in pairs.tolist()],
            "created_at": started,
            "last_message_at": started,
        },
    )
    writer.write(
        "thread_members",
        {"thread_id": np.repeat(ids, 2), "account_id": pairs.reshape(-1)},
    )
    lengths = rng.geometric(0.1, len(pairs))  # (T,) messages per thread, mean 10
    thread_of = np.repeat(np.arange(len(pairs)), lengths)  # (M,)
    turn = np.arange(thread_of.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)  # (M,)
    senders = pairs[thread_of, turn % 2]  # (M,)
    words = rng.choice(np.array(WORDS), (thread_of.size, 8)).tolist()
    writer.write(
        "messages",
        {
            "thread_id": ids[thread_of],
            "sender_id": senders,
            "text": [" ".join(w) for w in words],
            "ai_generated": np.isin(senders, agent_accounts),
            "created_at": started[thread_of] + turn.astype("timedelta64[m]"),
        },
    )


def database_size(database: Database) -> int | None:
    """Bytes on disk of this schema's tables with their indexes (PostgreSQL only)."""
    if database.is_sqlite:
        return None
    with database.engine.connect() as connection:
        found = connection.scalar(
            text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
            )
        )
        return int(found or 0)


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
    started, cpu = time.perf_counter(), time.process_time()
    written = generate(database, Plan(args.members, args.seed), console=console)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    table = RichTable(
        title=f"{args.members:,} members in {seconds:.1f} s ({cpu:.1f} s CPU in this process)"
    )
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
