"""Checkpoints: weights (and optimizer state) in `<name>.pt`, everything a person or a loader
needs to know about them (config, epoch, step, metrics) in `<name>.json` beside it."""

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
) -> None:
    """Writes `stem.pt`, then `stem.json`: a JSON file's presence means both are whole."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "model": model.state_dict(),
        "optimizer": None if optimizer is None else optimizer.state_dict(),
    }
    _replace_atomically(stem.with_suffix(".pt"), lambda p: torch.save(state, p))
    text = json.dumps(meta, indent=2, sort_keys=True)
    _replace_atomically(stem.with_suffix(".json"), lambda p: p.write_text(text + "\n"))


def load_checkpoint(stem: Path) -> Checkpoint:
    meta = json.loads(stem.with_suffix(".json").read_text())
    state = torch.load(stem.with_suffix(".pt"), weights_only=True)
    return Checkpoint(model=state["model"], optimizer=state["optimizer"], meta=meta)
