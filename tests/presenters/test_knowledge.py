from __future__ import annotations

from datetime import UTC, datetime

import pytest

from townsquare.db.models import KnowledgeSource
from townsquare.presenters.knowledge import source_public


def _source(status: str, done: int, total: int) -> KnowledgeSource:
    now = datetime.now(UTC)
    return KnowledgeSource(
        id=7,
        agent_id=1,
        kind="file",
        title="FAQ",
        filename="faq.json",
        mime="application/json",
        post_id=None,
        status=status,
        progress_done=done,
        progress_total=total,
        error="",
        indexed_at=None,
        created_at=now,
        updated_at=now,
    )


@pytest.mark.parametrize(
    ("status", "done", "total", "percent"),
    [("queued", 0, 0, 0.0), ("indexing", 1, 3, 33.3), ("ready", 0, 0, 100.0)],
)
def test_progress_is_a_percentage_and_ready_is_whole(
    status: str, done: int, total: int, percent: float
) -> None:
    shown = source_public(_source(status, done, total), chunk_count=done)
    assert (shown.progress_percent, shown.chunk_count, shown.status) == (percent, done, status)
