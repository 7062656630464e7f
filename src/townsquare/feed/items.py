"""What the model knows about an item besides its id: kind, author, publication time and text.

The same container holds a catalog (one row per item id, leading shape (N+1,)) and the items of a
batch (leading shape (B, T) or (B, C)): `catalog.take(ids)` turns the first into the second. An
item the model's id table does not know (published after training) has id 0 and is represented
by its side features alone, which is what lets a brand-new post be ranked (cold start).
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor

# Item kinds; index 0 means unknown (benchmark items). Post kinds mirror
# `townsquare.social.posts.POST_KINDS` (a test checks); an account is an item too (follow target).
KINDS = ("unknown", "text", "image", "short_video", "long_video", "link", "account")
KIND_IDS = {name: index for index, name in enumerate(KINDS)}


@dataclass(frozen=True)
class ItemFeatures:
    """Item ids and their side features, all with the same leading shape (...)."""

    ids: Tensor  # (...) int64 id in the model's table; 0 = padding or unknown to the table
    text: Tensor | None = None  # (..., E) float32 unit-norm text vector; None = no text
    kinds: Tensor | None = None  # (...) int64 index into KINDS; None = unknown
    authors: Tensor | None = None  # (...) int64 id of the author's account item; 0 = unknown
    created: Tensor | None = None  # (...) int64 unix seconds the item appeared; 0 = unknown

    def take(self, index: Tensor) -> ItemFeatures:
        """Rows `index` (any shape (...)) of a catalog whose leading shape is (N+1,)."""
        return ItemFeatures(
            ids=self.ids[index],
            text=None if self.text is None else self.text[index],
            kinds=None if self.kinds is None else self.kinds[index],
            authors=None if self.authors is None else self.authors[index],
            created=None if self.created is None else self.created[index],
        )

    def __len__(self) -> int:
        return int(self.ids.shape[0])


def ids_only(ids: Tensor) -> ItemFeatures:
    """Items known by id alone (benchmark files without side information)."""
    return ItemFeatures(ids=ids)
