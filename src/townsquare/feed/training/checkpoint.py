"""Checkpoints: weights (and optimizer state) in `<name>.pt`, everything a person or a loader
needs to know about them (config, epoch, step, metrics) in `<name>.json` beside it, and the item
vocabulary of the run (`items.txt`: line i is the source token of item id i) once per folder, so
a server maps its live posts and accounts onto the ids the weights were trained on."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn


@dataclass(frozen=True)
class Checkpoint:
    model: dict[str, Any]  # model state_dict
    optimizer: dict[str, Any] | None  # optimizer state_dict, for resuming
    meta: dict[str, Any]  # the JSON: config, epoch, step, metrics, ...
    recent: list[dict[str, Any]]  # weights at the end of the last epochs, for resuming an average


def _replace_atomically(path: Path, write: Any) -> None:
    """Writes through a temporary file so a crash never leaves half a checkpoint."""
    temporary = path.with_name(path.name + ".tmp")
    write(temporary)
    os.replace(temporary, path)


def save_checkpoint(
    stem: Path,
    model: nn.Module,
    meta: dict[str, Any],
    optimizer: torch.optim.Optimizer | None = None,
    recent: list[dict[str, Any]] | None = None,
) -> None:
    """Writes `stem.pt`, then `stem.json`: a JSON file's presence means both are whole."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "model": model.state_dict(),
        "optimizer": None if optimizer is None else optimizer.state_dict(),
        "recent": recent or [],
    }
    _replace_atomically(stem.with_suffix(".pt"), lambda p: torch.save(state, p))
    text = json.dumps(meta, indent=2, sort_keys=True)
    _replace_atomically(stem.with_suffix(".json"), lambda p: p.write_text(text + "\n"))


def load_checkpoint(stem: Path) -> Checkpoint:
    meta = json.loads(stem.with_suffix(".json").read_text())
    state = torch.load(stem.with_suffix(".pt"), weights_only=True)
    return Checkpoint(
        model=state["model"],
        optimizer=state["optimizer"],
        meta=meta,
        recent=state.get("recent", []),  # absent from checkpoints written before averaging
    )


ITEMS_FILE = "items.txt"


def save_item_tokens(folder: Path, tokens: tuple[str, ...]) -> None:
    """Writes the vocabulary (token of id 0, the padding, is empty) atomically."""
    if any("\n" in token for token in tokens):
        raise ValueError("item tokens must not contain newlines")
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join(tokens) + "\n"
    _replace_atomically(folder / ITEMS_FILE, lambda p: p.write_text(text))


def load_item_tokens(folder: Path) -> tuple[str, ...]:
    return tuple((folder / ITEMS_FILE).read_text().split("\n")[:-1])
