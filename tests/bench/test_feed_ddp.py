from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from bench.feed_ddp import plot_losses, read_log
from bench.synth import Plan, generate

from townsquare.db import Database
from townsquare.feed.sequences import Sequences

pytestmark = pytest.mark.postgres


def test_the_log_is_read_as_training_reads_it_and_saved_for_the_ranks(
    database: Database, tmp_path: Path
) -> None:
    written = generate(database, Plan(20, seed=4))
    read = read_log(database.url.render_as_string(hide_password=False), tmp_path)
    assert read["events"] == written["events"] == 2_000
    assert read["items"] == written["accounts"] + written["posts"]
    assert 0 < read["encounters"] <= 2_000 and 0 < read["members"] <= 20
    with (tmp_path / "data.pkl").open("rb") as file:
        sequences, catalog = pickle.load(file)
    assert isinstance(sequences, Sequences) and len(sequences) == read["members"]
    assert catalog is not None and len(catalog.ids) == read["items"] + 1  # row 0 pads


def test_the_loss_curve_is_a_png(tmp_path: Path) -> None:
    plot_losses([8.4, 7.9, 7.1], tmp_path / "loss.png", "2 process(es)")
    assert (tmp_path / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
