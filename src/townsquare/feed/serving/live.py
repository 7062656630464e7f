"""The catalog a server keeps between requests, and the model's view of it.

Refreshing appends only the posts and accounts created since the last request (and embeds only
their texts), and the served model's embedding table is extended by those rows alone; a new
model (or one reading another embedder's vectors) starts both over. A request works on a
`Snapshot`: later requests may append rows, never change the ones it reads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import torch
from sqlalchemy.orm import Session
from torch import Tensor

from townsquare.ai.embeddings import Embedder
from townsquare.feed.catalog import PlatformCatalog
from townsquare.feed.items import ItemFeatures
from townsquare.feed.serving.candidates import CatalogColumns
from townsquare.feed.serving.store import ServingModel


@dataclass(frozen=True)
class Snapshot:
    """The catalog as one request sees it: its first `len(columns)` rows."""

    catalog: PlatformCatalog  # shared and growing; read only rows below len(columns)
    columns: CatalogColumns  # (M,) per-row facts
    features: ItemFeatures | None  # (M,) in the served model's id space; None without a model
    table: Tensor | None  # (M, D) unit-norm model embedding of every row

    def __len__(self) -> int:
        return len(self.columns)


@dataclass(frozen=True)
class _ModelView:
    version: str
    features: ItemFeatures  # (M,)
    table: Tensor  # (M, D)


class LiveCatalog:
    """Thread-safe: one instance serves every request of a process."""

    def __init__(self, embedder: Callable[[], Embedder]) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()
        self._catalog = PlatformCatalog()
        self._columns = CatalogColumns.of(self._catalog)
        self._view: _ModelView | None = None

    def snapshot(self, session: Session, serving: ServingModel | None) -> Snapshot:
        # The session's transaction begins before the lock is taken, never under it: on SQLite
        # a transaction holds the write lock, and a thread that waited for it here while holding
        # the lock, behind a request waiting for the lock, would stall both until SQLite's
        # busy timeout failed one (500s under load; the abuse benchmark found it).
        session.connection()
        with self._lock:
            catalog = self._catalog
            embedder = self._embedder() if serving is not None and serving.embedder else None
            if embedder is not None and catalog.embedder_name not in ("", embedder.name):
                catalog = self._catalog = PlatformCatalog()  # vectors of another embedder
                self._view = None
            catalog.refresh(session, embedder)
            if embedder is not None:
                catalog.embed_texts(embedder)  # rows loaded while no model read text
            if len(self._columns) != len(catalog.tokens):
                self._columns = CatalogColumns.of(catalog)
            if serving is None:
                return Snapshot(catalog, self._columns, None, None)
            view = self._view = self._extend(catalog, serving)
            return Snapshot(catalog, self._columns, view.features, view.table)

    def _extend(self, catalog: PlatformCatalog, serving: ServingModel) -> _ModelView:
        view = self._view
        if view is not None and view.version == serving.version:
            if len(view.features) == len(catalog.tokens):
                return view
            start, table = len(view.features), view.table
        else:
            start, table = 0, torch.zeros(0, serving.model.config.dim)
        features = catalog.features(serving.vocabulary)
        with torch.no_grad():
            new_rows = features.take(torch.arange(start, len(features)))  # (M - start,)
            table = torch.cat([table, serving.model.item_table(new_rows)])  # (M, D)
        return _ModelView(serving.version, features, table)
