"""How a running server picks up a newly published feed model (`feed.runs`: where runs live).

`ModelStore.current()` reads LATEST (a few bytes) on each call and loads the named run when it
changed; until the load succeeds the previous model keeps serving, and a run that fails to load is
reported once, not retried on every request.
"""

from __future__ import annotations

import logging
import pickle
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from townsquare.feed.histories import PlatformOptions
from townsquare.feed.model import HSTU, HSTUConfig
from townsquare.feed.runs import LATEST, RUNS
from townsquare.feed.training.checkpoint import load_checkpoint, load_item_tokens
from townsquare.feed.training.config import TrainConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServingModel:
    """A loaded run: the model, the vocabulary it was trained on, and how its data was read."""

    version: str  # the run folder's name
    model: HSTU  # in eval mode
    vocabulary: dict[str, int]  # item token -> the model's id
    options: PlatformOptions  # how events were folded into encounters for training
    embedder: str  # name of the text embedder whose vectors it reads; "" when it reads none
    meta: dict[str, Any]  # final.json: config, metrics, ...


def load_run(run: Path) -> ServingModel:
    """Loads a run folder; raises ValueError when it cannot serve (say, a SASRec baseline)."""
    saved = load_checkpoint(run / "final")
    config = TrainConfig.from_dict(saved.meta["config"]).model
    if not isinstance(config, HSTUConfig):
        raise ValueError(f"{run} holds a {config.kind} model; only HSTU has ranking heads")
    model = HSTU(config)
    model.load_state_dict(saved.model)
    model.eval()
    tokens = load_item_tokens(run)
    if len(tokens) != config.num_items + 1:
        raise ValueError(f"{run}: items.txt has {len(tokens)} rows for {config.num_items} items")
    platform = saved.meta.get("platform")
    if platform is None:
        raise ValueError(f"{run} was trained on a benchmark file, not on this platform's events")
    return ServingModel(
        version=run.name,
        model=model,
        vocabulary={token: index for index, token in enumerate(tokens) if index},
        options=PlatformOptions(**platform["options"]),
        embedder=str(saved.meta.get("embedder", "")),
        meta=saved.meta,
    )


class ModelStore:
    """The served model of one data directory, reloaded when LATEST changes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._pointer: str | None = None  # LATEST's content when last read
        self._current: ServingModel | None = None
        self.error: str | None = None  # why the newest published run is not serving

    def current(self) -> ServingModel | None:
        """The newest loadable published model, or None before any training."""
        try:
            pointer = (self.root / LATEST).read_text().strip()
        except FileNotFoundError:
            return self._current
        if pointer == self._pointer:
            return self._current
        with self._lock:
            if pointer != self._pointer:
                self._load(pointer)
        return self._current

    def _load(self, pointer: str) -> None:
        self._pointer = pointer
        try:
            loaded = load_run(self.root / RUNS / pointer)
        except (OSError, ValueError, KeyError, RuntimeError, pickle.UnpicklingError) as error:
            self.error = f"run {pointer!r} cannot serve: {error}"
            log.warning("feed: %s; keeping the previous model", self.error)
            return
        self._current = loaded  # one reference assignment: requests see old or new, never half
        self.error = None
        log.info("feed: serving model %s", pointer)
