"""DDP plumbing of the train loop: the rank and world size `torchrun` sets, rank 0's decisions
shared with every rank, and the weight digest the ranks compare at the end (gloo on CPU)."""

from __future__ import annotations

import hashlib
import os
from typing import Any

import torch.distributed as dist
from torch import nn


def parameter_digest(model: nn.Module) -> str:
    """SHA-256 over every parameter and buffer, in state-dict order."""
    digest = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        digest.update(name.encode())
        digest.update(tensor.detach().contiguous().cpu().numpy().tobytes())
    return digest.hexdigest()


def distributed_from_env() -> tuple[int, int]:
    """(rank, world size) as `torchrun` sets them in RANK and WORLD_SIZE; (0, 1) outside it."""
    return int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))


def shared_stop(stop: bool, world_size: int) -> bool:
    """Rank 0's decision, shared with every rank so they leave the loop together."""
    if world_size == 1:
        return stop
    decision = [stop]
    dist.broadcast_object_list(decision, src=0)
    return bool(decision[0])


def from_lead(value: Any, world_size: int) -> Any:
    """Rank 0's value on every rank (only rank 0 evaluates, so only it knows the best epoch)."""
    if world_size == 1:
        return value
    box = [value]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def check_ranks_agree(digest: str, world_size: int) -> None:
    if world_size == 1:
        return
    digests: list[str | None] = [None] * world_size
    dist.all_gather_object(digests, digest)
    if len(set(digests)) != 1:
        raise RuntimeError(f"DDP ranks ended with different weights: {digests}")
