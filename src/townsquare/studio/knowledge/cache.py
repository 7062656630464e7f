"""A bounded, thread-safe cache of built indexes, keyed by (agent id, knowledge version).

Building an agent's index reads every chunk and tokenises it (seconds at 100,000 chunks), so
it is done once per version and shared by every request. The version is part of the key, so a
change to an agent's knowledge needs no invalidation message: the next search simply asks for
the new key, and the old entry is dropped. Entries are weighed by their chunk count, which is
what their memory grows with (1.5 KiB of embedding per chunk), and the least recently used go
first once the total passes ``max_chunks``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sized
from typing import Generic, TypeVar

V = TypeVar("V", bound=Sized)
Key = tuple[int, int]  # (agent id, knowledge version)


class IndexCache(Generic[V]):
    def __init__(self, max_chunks: int = 300_000) -> None:
        self.max_chunks = max_chunks
        self._entries: OrderedDict[Key, V] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Key, threading.Lock] = {}

    def get_or_build(self, key: Key, build: Callable[[], V]) -> V:
        """The cached value for ``key``, or ``build()``'s. Two requests that miss the same key
        build it once: the second waits for the first instead of doing the work again."""
        with self._lock:
            found = self._touch(key)
            if found is not None:
                return found
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                found = self._touch(key)
            if found is not None:
                return found
            try:
                value = build()
                with self._lock:
                    self._insert(key, value)
            finally:
                with self._lock:
                    self._building.pop(key, None)
        return value

    def __contains__(self, key: Key) -> bool:
        with self._lock:
            return key in self._entries

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _touch(self, key: Key) -> V | None:
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def _insert(self, key: Key, value: V) -> None:
        agent_id, version = key
        if any(k[0] == agent_id and k[1] > version for k in self._entries):
            return  # built from a version that changed meanwhile; keep the newer one
        for stale in [k for k in self._entries if k[0] == agent_id and k[1] < version]:
            del self._entries[stale]
        self._entries[key] = value
        total = sum(len(entry) for entry in self._entries.values())
        while total > self.max_chunks and len(self._entries) > 1:
            _, evicted = self._entries.popitem(last=False)
            total -= len(evicted)
