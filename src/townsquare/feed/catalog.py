"""The platform's items: every post (of any kind) and every account, in one id space.

An account is an item because following is an action on it: "accounts to follow" are ranked by
the same model as posts. Each item carries what the model reads besides its id: its kind, its
author (an account is its own author), when it appeared, and a text vector of its caption or
profile, so a post published after the last training run is still ranked (cold start).

The catalog only grows: `refresh` appends the posts and accounts created since the last call
and embeds only their texts (training reads the whole platform this way), and `load` appends
given posts and accounts only (the served feed builds a small catalog of the items one page
needs). Ids here are the catalog's own; a trained model has its own vocabulary (the tokens it was
trained on) and `features(vocabulary=...)` maps rows onto it, unknown rows to id 0.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from townsquare.ai.embeddings import Embedder
from townsquare.db.models import Account, Post
from townsquare.feed.items import KIND_IDS, ItemFeatures

FloatArray = npt.NDArray[np.float32]
STREAM_ROWS = 20_000  # rows fetched at a time when reading the whole catalog or event log


def post_token(post_id: int) -> str:
    return f"post:{post_id}"


def account_token(account_id: int) -> str:
    return f"account:{account_id}"


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def among(column: InstrumentedAttribute[int], ids: Iterable[int]) -> ColumnElement[bool]:
    """``column IN ids`` with the ids written into the statement, not bound one parameter each:
    a community's list of accounts outgrows the drivers' limits (65,535 bind parameters on
    PostgreSQL, 32,766 on SQLite)."""
    return column.in_(bindparam(None, list(ids), expanding=True, literal_execute=True))


def _streamed(stream: bool) -> dict[str, Any]:
    """Rows fetched STREAM_ROWS at a time (a server-side cursor on PostgreSQL), or all at once:
    a page's few hundred rows need no second round trip."""
    return {"yield_per": STREAM_ROWS} if stream else {}


def _account_rows(where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(Account.id, Account.display_name, Account.handle, Account.kind, Account.bio)
        .add_columns(Account.created_at)
        .where(where)
        .order_by(Account.id)
    )


def _post_rows(where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(Post.id, Post.kind, Post.author_id, Post.text, Post.link_url, Post.audience_id)
        .add_columns(Post.created_at, Account.display_name)
        .join(Account, Account.id == Post.author_id)
        .where(where)
        .order_by(Post.id)
    )


@dataclass
class PlatformCatalog:
    """Posts and accounts as items 1..N (0 is padding), in the order they were first loaded."""

    tokens: list[str] = field(default_factory=lambda: [""])  # id -> "post:12" | "account:3"
    kinds: list[int] = field(default_factory=lambda: [0])  # id -> feed.items.KINDS index
    authors: list[int] = field(default_factory=lambda: [0])  # id -> the author's account item id
    created: list[int] = field(default_factory=lambda: [0])  # id -> unix seconds
    texts: list[str] = field(default_factory=lambda: [""])  # id -> what its text vector says
    owners: list[int] = field(default_factory=lambda: [0])  # id -> account row: itself or author
    post_ids: list[int] = field(default_factory=lambda: [0])  # id -> post row; 0 for an account
    audiences: list[int] = field(default_factory=lambda: [0])  # id -> the one account it is for
    ids: dict[str, int] = field(default_factory=dict)  # token -> id
    vectors: FloatArray | None = None  # (rows, E) text vectors of the first rows embedded
    embedder_name: str = ""  # which embedder made `vectors`
    last_post_id: int = 0  # the newest post row loaded
    last_account_id: int = 0  # the newest account row loaded

    def __len__(self) -> int:
        """Items, padding excluded."""
        return len(self.tokens) - 1

    def _add(
        self,
        token: str,
        kind: str,
        owner: int,
        post_id: int,
        created: int,
        text: str,
        audience: int = 0,
    ) -> None:
        item = len(self.tokens)
        self.tokens.append(token)
        self.kinds.append(KIND_IDS[kind])
        # An account is its own author, and it is added before any of its posts.
        self.authors.append(item if not post_id else self.ids[account_token(owner)])
        self.created.append(created)
        self.texts.append(text)
        self.owners.append(owner)
        self.post_ids.append(post_id)
        self.audiences.append(audience)
        self.ids[token] = item

    def refresh(self, session: Session, embedder: Embedder | None = None) -> int:
        """Appends the accounts and posts created since the last call (deleted posts too: old
        events still point at them); returns how many items were added."""
        before = len(self.tokens)
        # Plain rows, streamed (a catalog can hold millions of posts: no ORM objects)
        newest = self._add_accounts(session, Account.id > self.last_account_id, stream=True)
        self.last_account_id = max(self.last_account_id, newest)
        newest = self._add_posts(session, Post.id > self.last_post_id, stream=True)
        self.last_post_id = max(self.last_post_id, newest)
        if embedder is not None:
            self.embed_texts(embedder)
        return len(self.tokens) - before

    def load(
        self, session: Session, *, account_ids: Collection[int], post_ids: Collection[int]
    ) -> None:
        """Appends the given accounts and posts not loaded yet (a post's author comes with it),
        whatever their age: one page's items, not the platform's (`refresh` after `load` does
        not add what `load` skipped: a catalog is built by one or the other)."""
        posts = {p for p in post_ids if post_token(p) not in self.ids}
        authors: set[int] = set()
        if posts:
            query = select(Post.author_id).where(among(Post.id, posts)).distinct()
            authors = set(session.scalars(query))
        accounts = {a for a in set(account_ids) | authors if account_token(a) not in self.ids}
        if accounts:
            self._add_accounts(session, among(Account.id, accounts))
        if posts:
            self._add_posts(session, among(Post.id, posts))

    def _add_accounts(
        self, session: Session, where: ColumnElement[bool], *, stream: bool = False
    ) -> int:
        """Appends the accounts `where` selects, by id (`stream`: fetched a batch at a time, for
        the whole platform); returns the largest id added (0: none)."""
        newest = 0
        rows = session.execute(_account_rows(where), execution_options=_streamed(stream))
        for account_id, name, handle, kind, bio, created_at in rows:
            text = f"{name} (@{handle}), {kind}. {bio}"
            created = _unix(created_at)
            self._add(account_token(account_id), "account", account_id, 0, created, text.strip())
            newest = account_id
        return newest

    def _add_posts(
        self, session: Session, where: ColumnElement[bool], *, stream: bool = False
    ) -> int:
        """Appends the posts `where` selects, by id (`stream` as for accounts); returns the
        largest id added (0: none)."""
        newest = 0
        rows = session.execute(_post_rows(where), execution_options=_streamed(stream))
        for post_id, kind, author_id, body, link_url, audience_id, created_at, author in rows:
            text = f"{kind.replace('_', ' ')} by {author}: {body}"
            if link_url:
                text += f" {link_url}"
            audience = audience_id or 0  # 0: public; else a digest only its member sees
            self._add(
                post_token(post_id), kind, author_id, post_id, _unix(created_at), text, audience
            )
            newest = post_id
        return newest

    def embed_texts(self, embedder: Embedder) -> None:
        """Text vectors for every row that has none yet (all of them on the first call, the
        new ones after); row 0 (padding) is a zero vector."""
        if self.vectors is None:
            self.vectors = np.zeros((1, embedder.dimension), dtype=np.float32)
            self.embedder_name = embedder.name
        if self.embedder_name != embedder.name or self.vectors.shape[1] != embedder.dimension:
            raise ValueError(
                f"the catalog holds {self.embedder_name!r} text vectors; "
                f"cannot add {embedder.name!r} ones"
            )
        new = self.texts[len(self.vectors) :]
        if new:
            self.vectors = np.concatenate([self.vectors, embedder.embed(new, "query")])

    def features(self, vocabulary: Mapping[str, int] | None = None) -> ItemFeatures:
        """(N+1,) item features, row i = item i. With a model's `vocabulary` (token -> id), ids
        and authors are that model's, 0 for an item it was not trained on; without, the
        catalog's own ids."""
        if vocabulary is None:
            ids = torch.arange(len(self.tokens))
            authors = torch.tensor(self.authors)
        else:
            ids = torch.tensor([vocabulary.get(token, 0) for token in self.tokens])
            ids[0] = 0
            authors = ids[torch.tensor(self.authors)]
        if self.vectors is not None and len(self.vectors) != len(self.tokens):
            raise ValueError("some items have no text vector yet: call embed_texts first")
        return ItemFeatures(
            ids=ids,
            text=None if self.vectors is None else torch.from_numpy(self.vectors),
            kinds=torch.tensor(self.kinds),
            authors=authors,
            created=torch.tensor(self.created),
        )
