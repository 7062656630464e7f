"""The model's part of serving a page: retrieval over the whole pool, then one ranking pass.

The member's history (catalog rows, read live) becomes a (1, T) model input in the served
model's id space; its last hidden state is the retrieval query, compared with every eligible row
of the catalog's table; then every candidate, whatever its source, is scored by all heads in one
forward pass (candidates read the history, never each other).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt
import torch
from torch import Tensor

from townsquare.feed.batch import Candidates, SequentialFeatures
from townsquare.feed.histories import History
from townsquare.feed.items import ItemFeatures
from townsquare.feed.model import HSTU
from townsquare.feed.serving.config import SurfaceConfig
from townsquare.feed.serving.live import Snapshot
from townsquare.feed.serving.ranking import Ranked, head_mask, weighted_scores
from townsquare.feed.vocabulary import OBJECTIVE_NAMES, SURFACE_IDS, is_engaged

_FEED_SURFACE = SURFACE_IDS["feed"]


def recent(history: History, rows: int, max_len: int) -> History:
    """The latest `max_len` encounters with items among the first `rows` catalog rows (an item
    created after the request's snapshot is left out)."""
    known = history.items < rows
    return History(
        *(
            column[known][-max_len:]
            for column in (history.items, history.actions, history.times, history.surfaces)
        )
    )


def history_features(history: History, features: ItemFeatures) -> SequentialFeatures:
    """(1, T) model input for one member's history given as catalog rows; an empty history is
    one padding column that nothing reads."""
    length = len(history)
    width = max(length, 1)

    def padded(values: npt.NDArray[np.int64]) -> Tensor:
        out = torch.zeros(1, width, dtype=torch.int64)
        out[0, :length] = torch.from_numpy(values)
        return out

    return SequentialFeatures(
        items=features.take(padded(history.items)),  # (1, T) rows -> model-space features
        actions=padded(history.actions),
        timestamps=padded(history.times),
        lengths=torch.tensor([length]),
        surfaces=padded(history.surfaces),
    )


@torch.no_grad()
def retrieve(
    model: HSTU,
    features: SequentialFeatures,
    history: History,
    snapshot: Snapshot,
    allowed: npt.NDArray[np.bool_],
    k: int,
) -> dict[int, int]:
    """The k eligible rows nearest the member's next-item query: {row: the account whose item in
    the history it is most like (0 when nothing was engaged with)}, best first."""
    assert snapshot.table is not None
    if not len(history) or k == 0 or not allowed.any():
        return {}
    table = snapshot.table  # (M, D)
    scores = table @ model.last_query(features)[0]  # (M,)
    scores[torch.from_numpy(~allowed)] = float("-inf")
    top = scores.topk(min(k, int(allowed.sum()))).indices  # (k,)
    engaged = [
        int(r) for r, a in zip(history.items, history.actions, strict=True) if is_engaged(int(a))
    ]
    if not engaged:
        return dict.fromkeys(top.tolist(), 0)
    nearest = (table[top] @ table[engaged].T).argmax(dim=1)  # (k,) index into engaged
    owners = snapshot.columns.owners
    return {row: int(owners[engaged[int(n)]]) for row, n in zip(top.tolist(), nearest, strict=True)}


@torch.no_grad()
def score(
    model: HSTU,
    features: SequentialFeatures,
    snapshot: Snapshot,
    rows: Sequence[int],
    surface: SurfaceConfig,
    now: datetime,
) -> list[Ranked]:
    """Every candidate row scored in one pass: the surface's weighted sum of head
    probabilities, and the probabilities that count for its kind."""
    assert snapshot.features is not None
    if not rows:
        return []
    index = torch.tensor(list(rows))
    C = len(rows)
    candidates = Candidates(
        items=snapshot.features.take(index[None]),  # (1, C)
        timestamps=torch.full((1, C), int(now.timestamp())),
        visible=features.lengths[:, None].expand(1, C),  # the whole history
        surfaces=torch.full((1, C), _FEED_SURFACE),
    )
    probabilities = torch.sigmoid(model.rank(features, candidates)[0]).double().numpy()  # (C, H)
    kinds = snapshot.columns.kinds[list(rows)]
    scores = weighted_scores(probabilities, surface.head_weights(), kinds)  # (C,)
    counted = head_mask(kinds)  # (C, H): an account's like head means nothing
    return [
        Ranked(
            row=row,
            score=float(scores[i]),
            predictions={
                name: float(probabilities[i, h])
                for h, name in enumerate(OBJECTIVE_NAMES)
                if counted[i, h]
            },
        )
        for i, row in enumerate(rows)
    ]
