"""Passages: what retrieval hands the reply pipeline, and what a reply cites."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class Passage:
    """A chunk of an agent's knowledge, as retrieved for one question."""

    chunk_id: int
    source_id: int
    source_kind: str  # post | file
    title: str  # the post's first line, or the file's name
    locator: str  # where in the source: "page 12", "Shipping", "" for a whole post
    text: str
    score: float  # fused retrieval score; higher is better, comparable within one search only
    url: str  # where the UI links a citation: "/posts/12" or "/agents/h/knowledge/3#chunk-9"
    dated: date | None = None  # when its source was written (``knowledge.dates``)

    def citation(self, quote: str = "") -> dict[str, object]:
        """The JSON stored with a message: enough to show and link the citation later."""
        row = asdict(self)
        del row["text"], row["score"], row["dated"]
        row["quote"] = quote or self.text[:300]
        return row


class Retriever(Protocol):
    """Searches one agent's knowledge; the best passages first."""

    def search(self, query: str, k: int) -> list[Passage]: ...
