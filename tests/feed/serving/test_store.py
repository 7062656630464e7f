from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from townsquare.db import Database
from townsquare.feed.histories import PlatformOptions
from townsquare.feed.runs import LATEST, RUNS, feed_dir, publish
from townsquare.feed.serving.store import ModelStore
from townsquare.feed.training.baseline_sasrec import SASRecConfig
from townsquare.feed.training.pipeline import (
    RunData,
    platform_data,
    train_on_benchmark,
    train_on_platform,
)

from ..community import community
from ..conftest import TINY

OPTIONS = PlatformOptions(long_view_ms=5_000)


@pytest.fixture
def data(database: Database) -> RunData:
    with database.session() as session, community(session):
        pass
    return platform_data(database, OPTIONS, embedder=None)


def test_a_published_run_is_picked_up_and_swapped(data: RunData, tmp_path: Path) -> None:
    root = feed_dir(tmp_path)
    store = ModelStore(root)
    assert store.current() is None and store.error is None
    train_on_platform(data, tmp_path, TINY, OPTIONS, run_name="one")
    first = store.current()
    assert first is not None and first.version == "one"
    assert first.options == OPTIONS and first.embedder == ""
    assert not first.model.training
    assert len(first.vocabulary) == data.dataset.sequences.num_items
    assert store.current() is first  # unchanged LATEST: no reload
    train_on_platform(data, tmp_path, dataclasses.replace(TINY, seed=1), OPTIONS, run_name="two")
    second = store.current()
    assert second is not None and second.version == "two" and second is not first


def test_a_run_that_cannot_serve_keeps_the_previous_model(
    data: RunData, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = feed_dir(tmp_path)
    store = ModelStore(root)
    train_on_platform(data, tmp_path, TINY, OPTIONS, run_name="good")
    assert store.current() is not None
    broken = root / RUNS / "broken"
    broken.mkdir()
    (broken / "final.json").write_text("{}")
    publish(root, broken)
    with caplog.at_level(logging.WARNING):
        serving = store.current()
    assert serving is not None and serving.version == "good"
    assert store.error is not None and "'broken' cannot serve" in store.error
    assert "keeping the previous model" in caplog.text
    caplog.clear()
    store.current()
    assert not caplog.text  # reported once, not on every request


def test_only_platform_hstu_runs_serve(data: RunData, tmp_path: Path) -> None:
    root = feed_dir(tmp_path)
    sasrec = dataclasses.replace(TINY, model=SASRecConfig(max_len=16, dim=16), ranking_weight=0)
    train_on_platform(data, tmp_path, sasrec, OPTIONS, run_name="baseline")
    store = ModelStore(root)
    assert store.current() is None
    assert store.error is not None and "only HSTU has ranking heads" in store.error
    benchmark = root / RUNS / "benchmark"
    train_on_benchmark(data, TINY, benchmark)
    publish(root, benchmark)
    assert store.current() is None
    assert "trained on a benchmark file" in (store.error or "")


def test_publish_refuses_what_is_not_a_finished_run(tmp_path: Path) -> None:
    root = feed_dir(tmp_path)
    (root / RUNS / "half").mkdir(parents=True)
    with pytest.raises(ValueError, match=r"final\.json is missing"):
        publish(root, root / RUNS / "half")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "final.json").write_text("{}")
    with pytest.raises(ValueError, match="not a run folder"):
        publish(root, elsewhere)
    assert not (root / LATEST).exists()
