from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import torch
from numpy.typing import NDArray
from sqlalchemy import select, update

from townsquare.ai import Side
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.feed.histories import PlatformOptions
from townsquare.feed.runs import LATEST, RUNS, feed_dir
from townsquare.feed.training.baseline_sasrec import SASRecConfig
from townsquare.feed.training.checkpoint import load_item_tokens
from townsquare.feed.training.pipeline import (
    benchmark_data,
    evaluate_run,
    latest_unfinished_run,
    platform_data,
    train_on_benchmark,
    train_on_platform,
)

from ..community import community
from ..conftest import TINY

OPTIONS = PlatformOptions(long_view_ms=5_000)


def test_a_platform_run_is_trained_published_and_evaluated(
    database: Database, tmp_path: Path
) -> None:
    with database.session() as session, community(session):
        pass  # committed when the session block ends
    data = platform_data(database, OPTIONS, embedder=FakeEmbedder(dimension=8))
    assert data.text_dim == 8 and data.embedder == "fake"
    result, run = train_on_platform(data, tmp_path, TINY, OPTIONS, run_name="first")
    assert run == feed_dir(tmp_path) / RUNS / "first"
    assert (feed_dir(tmp_path) / LATEST).read_text().strip() == "first"
    meta = json.loads((run / "final.json").read_text())
    assert meta["embedder"] == "fake"
    assert meta["platform"]["options"] == dataclasses.asdict(OPTIONS)
    assert meta["config"]["model"]["text_dim"] == 8
    assert load_item_tokens(run) == data.dataset.item_tokens
    assert (run / "curves.png").exists()
    figures = evaluate_run(run, data)
    assert figures["test"] == result.test
    assert set(figures["heads"]) == set(result.test_heads)
    assert figures["users"] == len(data.dataset.sequences)


class WritingEmbedder(FakeEmbedder):
    """Has a member write while it embeds (from another thread, as a request would)."""

    def __init__(self, database: Database) -> None:
        super().__init__(dimension=8)
        self.database = database

    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        with ThreadPoolExecutor(1) as pool:
            pool.submit(self._write).result(timeout=5)
        return super().embed(texts, side)

    def _write(self) -> None:
        with self.database.session() as session:
            session.execute(update(Account).values(bio="written while the feed embedded texts"))


def test_members_write_while_the_training_data_is_embedded(database: Database) -> None:
    with database.session() as session, community(session):
        pass
    data = platform_data(database, OPTIONS, embedder=WritingEmbedder(database))
    assert data.text_dim == 8
    with database.session() as session:
        assert {a.bio for a in session.scalars(select(Account))} == {
            "written while the feed embedded texts"
        }


def test_evaluation_refuses_vectors_of_another_embedder(database: Database, tmp_path: Path) -> None:
    with database.session() as session, community(session):
        pass
    data = platform_data(database, OPTIONS, embedder=None)
    _, run = train_on_platform(data, tmp_path, TINY, OPTIONS, run_name="ids")
    embedded = platform_data(database, OPTIONS, embedder=FakeEmbedder(dimension=8))
    with pytest.raises(ValueError, match="reads no text vectors; the data was embedded with fake"):
        evaluate_run(run, embedded)


def test_the_newest_unfinished_run_is_the_one_to_resume(tmp_path: Path) -> None:
    runs = feed_dir(tmp_path) / RUNS
    assert latest_unfinished_run(tmp_path) is None
    for name, files in (
        ("a", ["last.json"]),
        ("b", ["last.json"]),
        ("c", ["last.json", "final.json"]),
    ):
        (runs / name).mkdir(parents=True)
        for file in files:
            (runs / name / file).write_text("{}")
    assert latest_unfinished_run(tmp_path) == "b"


def _ratings(folder: Path) -> Path:
    """A tiny RecBole folder: 12 users walking 10 items with titles, rating 5 on even items."""
    folder.mkdir()
    lines = ["user_id:token\titem_id:token\trating:float\ttimestamp:float"]
    for user in range(12):
        for step in range(6):
            item = (user + step) % 10
            lines.append(f"{user}\t{item}\t{5 if item % 2 == 0 else 2}\t{1000 * step}")
    (folder / "tiny.inter").write_text("\n".join(lines) + "\n")
    items = ["item_id:token\tmovie_title:token_seq"] + [f"{i}\tfilm number {i}" for i in range(10)]
    (folder / "tiny.item").write_text("\n".join(items) + "\n")
    return folder


def test_a_benchmark_with_item_text(tmp_path: Path) -> None:
    folder = _ratings(tmp_path / "tiny")
    data = benchmark_data(folder, "recbole", min_count=1, embedder=FakeEmbedder(dimension=8))
    assert data.catalog is not None and data.catalog.text is not None
    assert data.catalog.text.shape == (11, 8) and not data.catalog.text[0].any()
    config = dataclasses.replace(TINY, data=str(folder), data_format="recbole", min_count=1)
    result = train_on_benchmark(data, config, tmp_path / "run")
    assert result.config.model.text_dim == 8  # type: ignore[union-attr]
    assert result.test_heads["like"]["auc"] is not None
    figures = evaluate_run(tmp_path / "run", data)
    assert figures["test"] == result.test
    sasrec = dataclasses.replace(config, model=SASRecConfig(max_len=16, dim=16), ranking_weight=0)
    with pytest.raises(ValueError, match="SASRec baseline reads item ids only"):
        train_on_benchmark(data, sasrec, tmp_path / "sasrec")
    with pytest.raises(ValueError, match="no item texts"):
        path = tmp_path / "pairs.txt"
        path.write_text("1 2\n1 3\n")
        benchmark_data(path, "user-item", min_count=1, embedder=FakeEmbedder())
    assert torch.isfinite(torch.tensor(figures["test"]["ndcg@10"]))
