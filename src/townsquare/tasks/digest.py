"""The daily digest: a post an agent writes for one member from recent posts they would care about.

Once a day per member, the `@digest` agent (a platform assistant, created on first use) picks
several recent public posts from the member's own feed (ranked by the model when one serves, by
the heuristic otherwise; already seen, hidden and own posts are out, as in the feed), asks the
chat model for one short sentence per post, and publishes a post that only that member may see,
labelled AI-made, with one line per source linking it (`/posts/{id}`).

A 135M chat model invents in the same breath as it summarises, so no model sentence is trusted:
each line is checked against its source with the studio's grounding guard (lexical only, the
stricter mode), and a line the source does not support is replaced by the source's own first
sentence, quoted. A digest can therefore say nothing its sources do not.

The digest then enters the member's feed as a "digest" candidate, scored by the same model pass
as every other item (a new post: the model reads its text vector, kind and author).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townsquare.ai.chat import ChatMessage, ChatModel, ChatRequest
from townsquare.db import Database
from townsquare.db.models import Account, Agent, Digest, Post
from townsquare.errors import InvalidInput
from townsquare.feed.serving.config import DigestConfig
from townsquare.feed.serving.service import FeedService
from townsquare.social.accounts import get_account
from townsquare.social.posts import create_post
from townsquare.studio.agents import AGENT_ACCOUNT_KIND
from townsquare.studio.conversation.grounding import Guard
from townsquare.studio.conversation.wording import split_sentences, words
from townsquare.studio.knowledge.passages import Passage

log = logging.getLogger(__name__)

DIGEST_HANDLE = "digest"
DIGEST_NAME = "Townsquare Digest"
DIGEST_BIO = "Writes each member a daily digest of posts they may have missed. AI-made."
# Candidates read from the member's feed to find the sources.
_FEED_LIMIT = 50
_MAX_LINE = 280  # characters of one summary line, before its link
# Asking for the post's own words keeps 4 of 5 lines of SmolLM2-135M past the guard on the
# benchmark's posts; "summarise ... say only what the post says" kept 1 (docs/benchmarks.md).
_SYSTEM = (
    "You shorten social media posts. Reply with one short sentence that reuses the post's own "
    "words. Add nothing."
)


@dataclass(frozen=True)
class Source:
    """A post a digest summarises, with its author as the digest names them (plain values: the
    model runs outside any database transaction)."""

    post_id: int
    text: str
    handle: str
    name: str


@dataclass(frozen=True)
class Line:
    source: Source
    text: str  # the line as published, link included
    grounded: bool  # the model's sentence, supported by the source; False: the source quoted


def digest_agent(session: Session) -> Account:
    """The account that writes digests, created (with its assistant agent) on first use."""
    account = session.scalar(select(Account).where(Account.handle == DIGEST_HANDLE))
    if account is None:
        try:
            with session.begin_nested():
                account = Account(
                    handle=DIGEST_HANDLE,
                    kind=AGENT_ACCOUNT_KIND,
                    display_name=DIGEST_NAME,
                    email=None,
                    password_hash="!agent",  # never verifies: nobody signs in as an agent
                    bio=DIGEST_BIO,
                )
                session.add(account)
                session.flush()
                session.add(
                    Agent(
                        account_id=account.id,
                        owner_id=account.id,  # the platform's own: nobody else answers for it
                        kind="assistant",
                        tagline=DIGEST_BIO,
                        visibility="unlisted",
                        reply_mode="off",
                    )
                )
                session.flush()
        except IntegrityError:  # another process created it first
            account = session.scalar(select(Account).where(Account.handle == DIGEST_HANDLE))
    if account is None or account.kind != AGENT_ACCOUNT_KIND:
        raise RuntimeError(f"the handle @{DIGEST_HANDLE} belongs to a member, not the digest agent")
    return account


def digest_readers(session: Session, *, handle: str | None = None) -> list[int]:
    """Who gets a digest, as account ids: every member (agents read none), or the member
    ``handle`` only (404 for no such account, 422 for an agent)."""
    if handle is None:
        query = select(Account.id).where(Account.kind != AGENT_ACCOUNT_KIND).order_by(Account.id)
        return list(session.scalars(query))
    account = get_account(session, handle)
    if account.kind == AGENT_ACCOUNT_KIND:
        raise InvalidInput(f"@{account.handle} is an agent: digests are for members")
    return [account.id]


def choose_sources(
    session: Session, feed: FeedService, account_id: int, now: datetime, config: DigestConfig
) -> list[Source]:
    """Up to `max_sources` recent public posts with text, best first, from the member's feed."""
    page = feed.page(session, account_id, limit=_FEED_LIMIT, now=now)
    ids = [entry.id for entry in page.entries if entry.kind == "post"]
    rows = session.execute(
        select(Post, Account.handle, Account.display_name)
        .join(Account, Account.id == Post.author_id)
        .where(Post.id.in_(ids))
    ).all()
    since = now - timedelta(hours=config.window_hours)
    found = {
        post.id: Source(post.id, post.text, handle, name)
        for post, handle, name in rows
        if post.audience_id is None and post.created_at >= since and post.text.strip()
    }
    return [found[post_id] for post_id in ids if post_id in found][: config.max_sources]


def _first_sentence(text: str) -> str:
    sentences = split_sentences(text)
    first = sentences[0] if sentences else text.strip()
    return first if len(first) <= _MAX_LINE else first[: _MAX_LINE - 1].rstrip() + "…"


def summarise(chat: ChatModel, source: Source) -> str:
    """The model's one-sentence summary of a post (not yet checked)."""
    request = ChatRequest(
        messages=[
            ChatMessage("system", _SYSTEM),
            ChatMessage(
                "user", f"Shorten this post by {source.name} to one sentence:\n{source.text[:1500]}"
            ),
        ],
        max_tokens=60,
        temperature=0.0,
        seed=0,
        stop=("\n",),
    )
    return chat.complete(request).text.strip()


def grounded_line(source: Source, model_text: str) -> Line:
    """One digest line: the model's sentences when its source supports every one of them, else
    the source's first sentence, quoted."""
    link = f"/posts/{source.post_id}"
    names = frozenset(words(f"{source.name} {source.handle}"))
    passage = Passage(
        chunk_id=0,
        source_id=source.post_id,
        source_kind="post",
        title="",
        locator="",
        text=source.text,
        score=1.0,
        url=link,
    )
    verdict = Guard(None, names).check(model_text, [passage])
    said = " ".join(check.sentence for check in verdict.sentences if check.factual)
    if verdict.supported and len(said) <= _MAX_LINE:
        return Line(source, f"- @{source.handle}: {said} {link}", grounded=True)
    quote = _first_sentence(source.text)
    return Line(source, f'- @{source.handle}: "{quote}" {link}', grounded=False)


def compose(lines: list[Line], day: date) -> str:
    count = len(lines)
    header = f"Your digest for {day:%A %d %B}: {count} posts you may have missed."
    return "\n".join([header, *(line.text for line in lines)])


def write_digest(
    session: Session,
    chat: ChatModel,
    feed: FeedService,
    account: Account,
    *,
    now: datetime | None = None,
    config: DigestConfig | None = None,
) -> Digest | None:
    """Today's digest for the member: the existing one, a new one (committed), or None when too
    few recent posts would go in it."""
    now = now or datetime.now(UTC)
    config = config or feed.config().digest
    day = now.astimezone(UTC).date()
    account_id = account.id
    existing = _existing(session, account_id, day)
    if existing is not None:
        return existing
    sources = choose_sources(session, feed, account_id, now, config)
    if len(sources) < config.min_sources:
        return None
    # Nothing is written yet: end the read (under SQLite, its lock) while the model writes.
    session.rollback()
    lines = [grounded_line(source, summarise(chat, source)) for source in sources]
    author = digest_agent(session)
    post = create_post(
        session, author, kind="text", text=compose(lines, day), ai_generated=True, audience=account
    )
    digest = Digest(
        account_id=account_id,
        day=day,
        post_id=post.id,
        source_post_ids=[source.post_id for source in sources],
    )
    session.add(digest)
    try:
        session.commit()
    except IntegrityError:  # written concurrently (the CLI and a server): keep theirs
        session.rollback()
        return _existing(session, account_id, day)
    log.info(
        "digest: wrote post %d for account %d from %d posts (%d model lines kept)",
        digest.post_id,
        account_id,
        len(lines),
        sum(line.grounded for line in lines),
    )
    return digest


def _existing(session: Session, account_id: int, day: date) -> Digest | None:
    return session.scalar(select(Digest).where(Digest.account_id == account_id, Digest.day == day))


class DigestScheduler:
    """Writes a member's digest after their feed request, off the request's path: at most one
    run per member at a time, none again that day once written, and after a failure or a day
    with too few posts, none before `retry_minutes`. Thread-safe; one per app."""

    def __init__(
        self,
        database: Database,
        chat: Callable[[], ChatModel],
        feed: FeedService,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self._chat = chat
        self._feed = feed
        self._clock = clock
        self._lock = threading.Lock()
        self._written: dict[int, date] = {}  # account -> the day its digest was last written
        self._waiting: dict[int, float] = {}  # account -> clock time before which not to retry
        self._running: set[int] = set()

    def due(self, account_id: int, now: datetime | None = None) -> bool:
        """Whether a run for this member would do anything now (cheap: no database)."""
        config = self._feed.config().digest
        day = (now or datetime.now(UTC)).astimezone(UTC).date()
        with self._lock:
            return (
                config.enabled
                and self._written.get(account_id) != day
                and self._waiting.get(account_id, 0.0) <= self._clock()
                and account_id not in self._running
            )

    def run(self, account_id: int, now: datetime | None = None) -> None:
        """Writes today's digest if due; never raises (a failure is logged and retried later)."""
        with self._lock:
            if account_id in self._running:
                return
            self._running.add(account_id)
        config = self._feed.config().digest
        written = None
        try:
            with self._database.new_session() as session:
                account = session.get(Account, account_id)
                if account is not None and account.kind != AGENT_ACCOUNT_KIND:
                    digest = write_digest(
                        session, self._chat(), self._feed, account, now=now, config=config
                    )
                    written = None if digest is None else digest.day
        except Exception:
            log.exception("digest: writing account %d's digest failed; retrying later", account_id)
        finally:
            with self._lock:
                self._running.discard(account_id)
                if written is not None:
                    self._written[account_id] = written
                else:
                    self._waiting[account_id] = self._clock() + config.retry_minutes * 60
