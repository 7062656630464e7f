"""An agent's knowledge of its owner's posts, kept in step with the posts themselves.

Creator and business agents speak for their owner, so they learn from what the owner posts:
a new post is indexed, an edited one re-indexed, a deleted one forgotten. The reply pipeline
calls ``sync_owner_posts`` before each answer, so it must cost one query when nothing changed:
that query joins the owner's posts to the agent's post sources and returns only the rows that
need work. So that no transaction stays open while the embedder runs, the texts to embed can be
read first (``pending_texts``, a short read), embedded with no transaction open
(``embed_texts``), and handed to ``sync_owner_posts``, which embeds only what changed meanwhile.

A post source's ``indexed_at`` is the post's ``updated_at`` at the time it was read, not the
clock: an edit committed while a sync was running then still counts as newer than what was
indexed, and the next sync picks it up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from townsquare.ai.embeddings import Embedder
from townsquare.db.models import Agent, KnowledgeSource, Post
from townsquare.studio.knowledge import store
from townsquare.studio.knowledge.chunking import Chunk, searchable_text, split_section
from townsquare.studio.knowledge.dates import source_date
from townsquare.studio.knowledge.extract import Section
from townsquare.studio.spec import GROUNDED_KINDS

EMBED_BATCH = 64
TITLE_CHARS = 80


@dataclass(frozen=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def __str__(self) -> str:
        return f"{self.added} new, {self.updated} re-indexed, {self.removed} removed"


def pending_texts(session: Session, agent: Agent) -> list[str] | None:
    """The chunk texts a sync of ``agent`` would embed now; None when it needs no sync."""
    work = session.execute(_pending(agent)).all() if agent.kind in GROUNDED_KINDS else []
    if not work:
        return None
    return [text for post, _ in work if _indexable(post) for text in _post_chunks(post)]


def embed_texts(embedder: Embedder, texts: list[str]) -> dict[str, NDArray[np.float32]]:
    """Each text's vector, as ``sync_owner_posts`` takes them."""
    return dict(zip(texts, _embed(embedder, texts), strict=True))


def sync_owner_posts(
    session: Session,
    embedder: Embedder,
    agent: Agent,
    *,
    embedded: dict[str, NDArray[np.float32]] | None = None,
) -> SyncReport:
    """Brings a creator or business agent's post sources up to date with its owner's posts
    (other kinds of agent do not learn from posts). ``embedded``: vectors already computed
    (``embed_texts``); only other texts are embedded here. The caller commits."""
    if agent.kind not in GROUNDED_KINDS or not session.execute(_pending(agent)).first():
        return SyncReport()
    # Serialise concurrent syncs of one agent (two DMs at once), then look again: the other
    # may have done the work.
    session.execute(select(Agent.id).where(Agent.id == agent.id).with_for_update())
    work = session.execute(_pending(agent)).all()
    gone = [source for post, source in work if source is not None and not _indexable(post)]
    fresh = [(post, source) for post, source in work if _indexable(post)]
    store.delete_sources(session, gone)
    texts = [_post_chunks(post) for post, _ in fresh]
    vectors = _embed_missing(embedder, [t for post_texts in texts for t in post_texts], embedded)
    offset = added = 0
    for (post, source), post_texts in zip(fresh, texts, strict=True):
        if source is None:
            added += 1
            source = KnowledgeSource(agent_id=agent.id, kind="post", post_id=post.id)
            session.add(source)
        source.title = _title(post.text)
        source.status, source.error, source.indexed_at = "ready", "", post.updated_at
        source.progress_done = source.progress_total = len(post_texts)
        session.flush()
        store.delete_chunks(session, [source.id])
        store.add_chunks(
            session,
            source,
            0,
            [
                Chunk(text, "", source_date(post.text, uploaded=post.created_at.date()))
                for text in post_texts
            ],
            vectors[offset : offset + len(post_texts)],
            embedder.name,
        )
        offset += len(post_texts)
    report = SyncReport(added=added, updated=len(fresh) - added, removed=len(gone))
    if report.changed:
        store.bump_version(session, agent.id)
    return report


def _pending(agent: Agent) -> Select[Post, KnowledgeSource]:
    """The owner's posts that need work: new and non-blank, or indexed but since edited,
    deleted or blanked."""
    source = KnowledgeSource
    return (
        select(Post, source)
        .outerjoin(source, and_(source.post_id == Post.id, source.agent_id == agent.id))
        .where(
            Post.author_id == agent.owner_id,
            Post.audience_id.is_(None),  # a post for one member is never public knowledge
            or_(
                and_(source.id.is_(None), Post.deleted_at.is_(None), func.trim(Post.text) != ""),
                and_(
                    source.id.is_not(None),
                    or_(
                        Post.deleted_at.is_not(None),
                        source.indexed_at.is_(None),
                        Post.updated_at > source.indexed_at,
                        source.status != "ready",
                    ),
                ),
            ),
        )
        .order_by(Post.id)
    )


def _embed(embedder: Embedder, texts: list[str]) -> NDArray[np.float32]:
    batches = [
        embedder.embed(
            [searchable_text(text, "") for text in texts[start : start + EMBED_BATCH]], "passage"
        )
        for start in range(0, len(texts), EMBED_BATCH)
    ]
    return np.concatenate(batches) if batches else np.zeros((0, 1), dtype=np.float32)


def _embed_missing(
    embedder: Embedder, texts: list[str], embedded: dict[str, NDArray[np.float32]] | None
) -> NDArray[np.float32]:
    """(N, D) vectors of ``texts``, taken from ``embedded`` where it has them."""
    if not embedded or not texts:
        return _embed(embedder, texts)
    missing = [text for text in texts if text not in embedded]
    known = {**embedded, **embed_texts(embedder, missing)} if missing else embedded
    return np.stack([known[text] for text in texts])


def _indexable(post: Post) -> bool:
    return post.deleted_at is None and bool(post.text.strip())


def _post_chunks(post: Post) -> list[str]:
    """One chunk per post, unless it is long enough to need splitting."""
    return split_section(Section(post.text.strip()))


def _title(text: str) -> str:
    first = text.strip().split("\n", 1)[0].strip()
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1].rstrip() + "…"
