"""The items one page is ranked from, and the model's view of them.

A request builds its own small catalog (`PlatformCatalog.load`): the items of the member's recent
history and the ids its candidate sources found, a few thousand rows at most whatever the size
of the community, so no process ever holds the platform's whole catalog. What is costly per item
and the same for every request, the text vector of its caption or profile, is kept in a bounded
cache shared by the process's requests (least recently used out first); the model's embedding of
the page's rows is one small pass per request. A request works on a `Snapshot`, its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from townsquare.ai.embeddings import Embedder
from townsquare.feed.catalog import FloatArray, PlatformCatalog
from townsquare.feed.items import ItemFeatures
from townsquare.feed.serving.candidates import CatalogColumns
from townsquare.feed.serving.store import ServingModel


@dataclass(frozen=True)
class Snapshot:
    """The catalog one request ranks from."""

    catalog: PlatformCatalog  # this request's items only
    columns: CatalogColumns  # (M,) per-row facts
    features: ItemFeatures | None  # (M,) in the served model's id space; None without a model
    table: Tensor | None  # (M, D) unit-norm model embedding of every row

    def __len__(self) -> int:
        return len(self.columns)


class TextVectors:
    """Text vectors of items by token, at most `capacity` of them, for one embedder at a time;
    thread-safe (a vector is computed outside the lock: two requests may both embed a new item,
    never wait for each other)."""

    def __init__(self, embedder: Callable[[], Embedder], capacity: int) -> None:
        self._embedder = embedder
        self.capacity = capacity
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, FloatArray] = OrderedDict()  # token -> (E,)
        self._name = ""  # the embedder the vectors are from

    def __len__(self) -> int:
        return len(self._vectors)

    def fill(self, catalog: PlatformCatalog) -> None:
        """Sets `catalog.vectors` for every row, embedding only the texts not cached."""
        embedder = self._embedder()
        with self._lock:
            if self._name != embedder.name:
                self._vectors.clear()
                self._name = embedder.name
            found = [self._vectors.get(token) for token in catalog.tokens[1:]]
            for token, vector in zip(catalog.tokens[1:], found, strict=True):
                if vector is not None:
                    self._vectors.move_to_end(token)
        missing = [row for row, vector in enumerate(found, start=1) if vector is None]
        vectors = np.zeros((len(catalog.tokens), embedder.dimension), dtype=np.float32)  # (M, E)
        for row, vector in enumerate(found, start=1):
            if vector is not None:
                vectors[row] = vector
        if missing:
            vectors[missing] = embedder.embed([catalog.texts[row] for row in missing], "query")
            with self._lock:
                if self._name == embedder.name:
                    for row in missing:
                        self._vectors[catalog.tokens[row]] = vectors[row]
                    while len(self._vectors) > self.capacity:
                        self._vectors.popitem(last=False)
        catalog.vectors, catalog.embedder_name = vectors, embedder.name


def build_snapshot(
    catalog: PlatformCatalog, serving: ServingModel | None, vectors: TextVectors
) -> Snapshot:
    """The request's catalog with the served model's features and embedding of every row."""
    columns = CatalogColumns.of(catalog)
    if serving is None:
        return Snapshot(catalog, columns, None, None)
    if serving.embedder:
        vectors.fill(catalog)
    features = catalog.features(serving.vocabulary)  # (M,)
    with torch.no_grad():
        table = serving.model.item_table(features)  # (M, D)
    return Snapshot(catalog, columns, features, table)
