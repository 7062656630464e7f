from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.feed.community import community
from townsquare.cli.feed import feed_app
from townsquare.db import Database, upgrade_to_head
from townsquare.feed.runs import LATEST, feed_dir

runner = CliRunner()
SMALL = ["--epochs", "2", "--dim", "16", "--max-len", "8", "--batch-size", "8", "--threads", "1"]


def _walks(path: Path, users: int = 30) -> Path:
    """A `user item` file: each user walks 12 items in steps of one."""
    lines = [f"{u} {(u + s) % 12 + 1}" for u in range(users) for s in range(6)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _said(result: Result) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.mark.parametrize("command", [[], ["train"], ["eval"], ["status"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(feed_app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in _said(result)


def test_train_and_evaluate_a_benchmark_file(tmp_path: Path) -> None:
    data, out = _walks(tmp_path / "walks.txt"), tmp_path / "run"
    trained = runner.invoke(
        feed_app, ["train", "--data", str(data), "--min-count", "1", "--out", str(out), *SMALL]
    )
    assert trained.exit_code == 0, trained.output
    assert "180 events, 30 users, 12 items" in _said(trained)
    assert "rank 0/1: weights" in _said(trained) and "ndcg@10" in _said(trained)
    assert (out / "final.json").exists() and (out / "curves.png").exists()
    evaluated = runner.invoke(feed_app, ["eval", "--run", str(out), "--json"])
    assert evaluated.exit_code == 0, evaluated.output
    figures = json.loads(evaluated.output)
    final = json.loads((out / "final.json").read_text())
    assert figures["test"] == final["metrics"]["test"]
    assert figures["users"] == 30
    resumed = runner.invoke(
        feed_app,
        ["train", "--data", str(data), "--min-count", "1", "--out", str(out), *SMALL, "--resume"],
    )
    assert resumed.exit_code == 0, resumed.output


def test_the_benchmark_recipes_options_reach_the_saved_config(tmp_path: Path) -> None:
    data, out = _walks(tmp_path / "walks.txt"), tmp_path / "run"
    recipe = ["--dropout", "0.5", "--lr-decay", "0.5", "--patience", "3", "--final-fit"]
    recipe += ["--average-epochs", "2", "--loss-dtype", "bfloat16"]
    options = ["--data", str(data), "--min-count", "1", "--out", str(out), *SMALL, *recipe]
    trained = runner.invoke(feed_app, ["train", *options])
    assert trained.exit_code == 0, trained.output
    config = json.loads((out / "final.json").read_text())["config"]
    assert config["model"]["dropout"] == 0.5 and config["model"]["repeat_bias"] is True
    assert (config["lr_decay"], config["patience"], config["final_fit"]) == (0.5, 3, True)
    assert (config["average_epochs"], config["loss_dtype"]) == (2, "bfloat16")
    assert "loss products in bfloat16 (as asked)" in _said(trained)


def test_the_loss_dtype_is_chosen_for_this_cpu_printed_and_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from townsquare import cpu
    from townsquare.feed.training import config as config_module

    monkeypatch.setattr(config_module, "has_fast_bfloat16", lambda: False)
    monkeypatch.setattr(cpu, "has_fast_bfloat16", lambda: False)
    data, out = _walks(tmp_path / "walks.txt"), tmp_path / "run"
    options = ["--data", str(data), "--min-count", "1", "--out", str(out), *SMALL]
    trained = runner.invoke(feed_app, ["train", *options])
    assert trained.exit_code == 0, trained.output
    assert "loss products in float32 (this CPU lacks AVX512-BF16/AMX)" in _said(trained)
    config = json.loads((out / "final.json").read_text())["config"]
    assert config["loss_dtype"] == "float32"


def test_train_on_this_instances_events_and_serve(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'townsquare.db'}")
    upgrade_to_head(database)
    with database.session() as session, community(session):
        pass
    database.dispose()
    before = runner.invoke(feed_app, ["status", "--data-dir", str(tmp_path)])
    assert "No feed model yet" in _said(before)
    args = ["--data-dir", str(tmp_path), "--no-text", "--run", "first", *SMALL]
    trained = runner.invoke(feed_app, ["train", *args])
    assert trained.exit_code == 0, trained.output
    assert "now serving" in _said(trained)
    assert (feed_dir(tmp_path) / LATEST).read_text().strip() == "first"
    status = runner.invoke(feed_app, ["status", "--data-dir", str(tmp_path)])
    assert "Serving run first" in _said(status) and "text vectors: none" in _said(status)
    evaluated = runner.invoke(feed_app, ["eval", "--data-dir", str(tmp_path), "--json"])
    assert evaluated.exit_code == 0, evaluated.output
    assert "like" in json.loads(evaluated.output)["heads"]


def test_errors_say_what_to_do(tmp_path: Path) -> None:
    missing = runner.invoke(feed_app, ["train", "--data", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "--data names a missing file" in _said(missing)
    bad_format = runner.invoke(
        feed_app, ["train", "--data", str(_walks(tmp_path / "w.txt")), "--format", "csv"]
    )
    assert bad_format.exit_code == 1 and "--format must be user-item or recbole" in _said(
        bad_format
    )
    empty = runner.invoke(feed_app, ["train", "--data-dir", str(tmp_path), "--no-text"])
    assert empty.exit_code == 1 and "too few members" in _said(empty)
    nothing = runner.invoke(feed_app, ["eval", "--data-dir", str(tmp_path)])
    assert nothing.exit_code == 1 and "run `townsquare feed train`" in _said(nothing)
    model = runner.invoke(feed_app, ["train", "--data-dir", str(tmp_path), "--model", "gpt"])
    assert model.exit_code == 1 and "--model must be hstu or sasrec" in _said(model)
    dtype = runner.invoke(feed_app, ["train", "--data-dir", str(tmp_path), "--loss-dtype", "fp8"])
    assert dtype.exit_code == 1 and "--loss-dtype must be auto, float32 or bfloat16" in _said(dtype)


@pytest.mark.slow
def test_torchrun_trains_with_two_processes_that_agree(tmp_path: Path) -> None:
    torchrun = shutil.which("torchrun", path=str(Path(sys.executable).parent))
    assert torchrun is not None
    data, out = _walks(tmp_path / "walks.txt", users=40), tmp_path / "ddp"
    command = [
        torchrun,
        "--standalone",  # a free port on this machine
        "--nproc_per_node",
        "2",
        "-m",
        "townsquare",
        "feed",
        "train",
        "--data",
        str(data),
        "--min-count",
        "1",
        "--out",
        str(out),
        *SMALL,
        "--final-fit",
    ]
    env = os.environ | {"OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    digests = dict(re.findall(r"rank (\d)/2: weights ([0-9a-f]{64})", done.stdout))
    assert set(digests) == {"0", "1"} and digests["0"] == digests["1"]
    final = json.loads((out / "final.json").read_text())
    assert final["digest"] == digests["0"]
    assert set(final["metrics"]["test"]) == {"hr@5", "ndcg@5", "hr@10", "ndcg@10"}
