from __future__ import annotations

import dataclasses
import importlib
import json
import os
import socket
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from townsquare.feed.batch import training_batch
from townsquare.feed.model import HSTU, HSTUConfig
from townsquare.feed.sequences import Dataset, leave_one_out
from townsquare.feed.training.baseline_sasrec import SASRecConfig
from townsquare.feed.training.checkpoint import load_checkpoint, load_item_tokens
from townsquare.feed.training.config import TrainConfig
from townsquare.feed.training.data import build_dataset
from townsquare.feed.training.losses import TrainingObjective
from townsquare.feed.training.train import build_model, train
from townsquare.feed.vocabulary import OBJECTIVE_NAMES, action_bit

from ..conftest import NUM_ITEMS, walk_events

SMALL = HSTUConfig(max_len=8, dim=16, num_heads=2, dropout=0.0, temperature=0.1)


def _config(**overrides: object) -> TrainConfig:
    values: dict[str, object] = {
        "model": SMALL,
        "epochs": 3,
        "batch_size": 16,
        "lr": 0.01,
        "patience": 100,
        "progress": False,
        "num_threads": 1,
    }
    return TrainConfig(**(values | overrides))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("negatives", "ranking_weight"),
    [(0, 0.0), (8, 0.0), (0, 1.0)],
    ids=["full", "sampled", "ranking"],
)
def test_a_few_steps_reduce_the_loss(walks: Dataset, negatives: int, ranking_weight: float) -> None:
    torch.manual_seed(0)
    model = HSTU(HSTUConfig(num_items=NUM_ITEMS, max_len=8, dim=16, num_heads=2, dropout=0.0))
    train_rows = leave_one_out(walks.sequences).train
    popularity = torch.full((NUM_ITEMS + 1,), 1 / NUM_ITEMS)
    objective = TrainingObjective(
        model, negatives=negatives, ranking_weight=ranking_weight, popularity=popularity
    )
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)
    batch = training_batch(train_rows, range(16), 8, with_candidates=ranking_weight > 0)
    losses = []
    for _ in range(20):
        torch.manual_seed(0)  # the same negatives each step, so losses compare
        loss = objective(batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.7 * losses[0]


def test_a_batch_without_engaged_targets_trains_the_heads_alone(walks: Dataset) -> None:
    torch.manual_seed(0)
    model = HSTU(HSTUConfig(num_items=NUM_ITEMS, max_len=8, dim=16, num_heads=2, dropout=0.0))
    rows = leave_one_out(walks.sequences).train
    seen_only = dataclasses.replace(
        rows, actions=[np.full_like(a, action_bit("impression")) for a in rows.actions]
    )
    batch = training_batch(seen_only, range(4), 8, with_candidates=True)
    assert not batch.engaged.any()
    loss = TrainingObjective(model, ranking_weight=1.0)(batch)
    loss.backward()
    assert torch.isfinite(loss) and loss.item() > 0
    assert model.heads.weight.grad is not None and model.heads.weight.grad.abs().sum() > 0


def test_training_learns_the_walks_and_reports_every_figure(walks: Dataset, tmp_path: Path) -> None:
    result = train(_config(epochs=6, out_dir=str(tmp_path), ranking_weight=0.5), dataset=walks)
    assert result.history[-1]["loss"] < result.history[0]["loss"]
    assert result.test["hr@10"] > 0.5  # 20 items, predictable walks: chance is 0.5 at k=10
    assert set(result.test) == {"hr@5", "ndcg@5", "hr@10", "ndcg@10"}
    assert result.test_filtered["hr@10"] >= result.test["hr@10"]
    assert result.valid == max(
        ({k[6:]: v for k, v in row.items() if k.startswith("valid_")} for row in result.history),
        key=lambda metrics: metrics["ndcg@10"],
    )
    assert (tmp_path / "curves.png").read_bytes()[:4] == b"\x89PNG"
    final = json.loads((tmp_path / "final.json").read_text())
    assert final["metrics"]["test"] == result.test
    assert final["config"]["model"]["num_items"] == NUM_ITEMS
    assert final["digest"] == result.digest
    assert load_item_tokens(tmp_path) == walks.item_tokens
    assert set(result.test_heads) == set(OBJECTIVE_NAMES)
    like = result.test_heads["like"]
    assert like["auc"] is not None and 0 <= like["auc"] <= 1
    assert like["log_loss"] is not None and like["log_loss"] > 0
    assert result.sequences_per_s > 0


@pytest.mark.parametrize("average_epochs", [1, 2])
def test_resuming_repeats_an_uninterrupted_run(
    walks: Dataset, tmp_path: Path, average_epochs: int
) -> None:
    straight = tmp_path / "straight"
    train(_config(epochs=3, out_dir=str(straight), average_epochs=average_epochs), dataset=walks)
    interrupted = tmp_path / "interrupted"
    config = _config(epochs=2, out_dir=str(interrupted), average_epochs=average_epochs)
    train(config, dataset=walks)
    assert json.loads((interrupted / "last.json").read_text())["epoch"] == 2
    resumed = train(dataclasses.replace(config, epochs=3, resume=True), dataset=walks)
    assert [row["epoch"] for row in resumed.history] == [1, 2, 3]
    a, b = load_checkpoint(straight / "last"), load_checkpoint(interrupted / "last")
    assert a.meta["step"] == b.meta["step"]
    for name, tensor in a.model.items():
        torch.testing.assert_close(b.model[name], tensor, msg=name)
    a, b = load_checkpoint(straight / "final"), load_checkpoint(interrupted / "final")
    for name, tensor in a.model.items():  # the average, too, spans the interruption
        torch.testing.assert_close(b.model[name], tensor, msg=name)


def test_the_kept_model_is_the_mean_of_the_last_epochs_weights(
    walks: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = iter([0.1, 0.2, 0.3])  # every epoch better: the third is kept
    module = importlib.import_module("townsquare.feed.training.train")
    monkeypatch.setattr(module, "evaluate", lambda *args, **kwargs: {"ndcg@10": next(scores, 0.0)})
    train(_config(epochs=3, average_epochs=2, out_dir=str(tmp_path)), dataset=walks)
    last, best = load_checkpoint(tmp_path / "last"), load_checkpoint(tmp_path / "best")
    assert len(last.recent) == 2  # the weights after epochs 2 and 3
    torch.testing.assert_close(last.recent[-1], last.model)
    for name, tensor in best.model.items():
        if tensor.is_floating_point():
            mean = (last.recent[0][name] + last.recent[1][name]) / 2
            torch.testing.assert_close(tensor, mean, msg=name)
    assert not torch.equal(best.model["repeat_bias"], last.model["repeat_bias"])


def test_a_checkpoint_restores_the_model_and_its_config(walks: Dataset, tmp_path: Path) -> None:
    config = _config(model=SASRecConfig(max_len=8, dim=16), epochs=1, out_dir=str(tmp_path))
    result = train(config, dataset=walks)
    saved = load_checkpoint(tmp_path / "best")
    restored_config = TrainConfig.from_dict(saved.meta["config"])
    assert restored_config == result.config
    model = build_model(restored_config.model)
    model.load_state_dict(saved.model)
    assert saved.meta["epoch"] == result.best_epoch and saved.meta["step"] > 0


def test_a_run_without_data_says_what_to_pass() -> None:
    with pytest.raises(ValueError, match="--data PATH"):
        train(TrainConfig(progress=False))


def test_an_old_config_without_newer_keys_takes_the_defaults() -> None:
    old = {"epochs": 7, "model": {"kind": "hstu", "dim": 32}, "a_key_since_removed": 1}
    config = TrainConfig.from_dict(old)
    assert config.epochs == 7
    assert config.model == HSTUConfig(dim=32, repeat_bias=False)  # its weights hold none
    assert config.batch_size == TrainConfig().batch_size


def test_final_fit_trains_on_the_validation_events_too(walks: Dataset) -> None:
    result = train(_config(epochs=4, final_fit=True), dataset=walks)
    assert 1 <= result.best_epoch <= 4
    assert result.test["hr@10"] > 0.5


def test_an_evaluation_without_progress_decays_the_learning_rate(
    walks: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = iter([0.3, 0.2, 0.4, 0.1])  # better, worse, better, worse
    module = importlib.import_module("townsquare.feed.training.train")
    monkeypatch.setattr(module, "evaluate", lambda *args, **kwargs: {"ndcg@10": next(scores, 0.0)})
    config = _config(epochs=4, lr=0.01, lr_decay=0.5, final_fit=True, out_dir=str(tmp_path))
    result = train(config, dataset=walks)
    assert [row["lr"] for row in result.history] == [0.01, 0.01, 0.005, 0.005]
    assert load_checkpoint(tmp_path / "last").meta["lrs"] == [0.01, 0.01, 0.005, 0.005]
    assert result.best_epoch == 3


def _ddp_worker(rank: int, world_size: int, port: int, out: str) -> None:
    os.environ |= {"MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port)}
    dataset = build_dataset(walk_events())
    try:
        # final_fit makes every rank refit for the epoch count only rank 0 chose.
        # lr_decay: the ranks must agree on every learning rate only rank 0 sets.
        config = _config(epochs=3, final_fit=True, ranking_weight=0.5, lr_decay=0.1)
        result = train(config, rank=rank, world_size=world_size, dataset=dataset)
        torch.save((result.test, result.digest), Path(out) / f"rank{rank}.pt")
    finally:
        dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_training_under_ddp_with_two_processes(tmp_path: Path) -> None:
    mp.spawn(_ddp_worker, args=(2, _free_port(), str(tmp_path)), nprocs=2)
    (test0, digest0), (test1, digest1) = (torch.load(tmp_path / f"rank{r}.pt") for r in (0, 1))
    assert set(test0) == {"hr@5", "ndcg@5", "hr@10", "ndcg@10"}
    assert test1 == {}  # only rank 0 evaluates
    assert digest0 == digest1


def test_the_model_learns_that_walked_items_do_not_come_back(
    walks: Dataset, tmp_path: Path
) -> None:
    train(_config(epochs=3, out_dir=str(tmp_path)), dataset=walks)  # no walk revisits an item
    learned = float(load_checkpoint(tmp_path / "final").model["repeat_bias"])
    assert learned < -0.05  # a cosine offset: starts at 0, pushed down by every held item


@pytest.mark.parametrize(("native", "chosen"), [(True, "bfloat16"), (False, "float32")])
def test_auto_loss_dtype_follows_the_cpu_and_an_explicit_one_stays(
    monkeypatch: pytest.MonkeyPatch, native: bool, chosen: str
) -> None:
    from townsquare.feed.training import config as config_module

    monkeypatch.setattr(config_module, "has_fast_bfloat16", lambda: native)
    assert TrainConfig().loss_dtype == "auto"
    assert TrainConfig().for_this_cpu().loss_dtype == chosen
    assert TrainConfig(loss_dtype="float32").for_this_cpu().loss_dtype == "float32"
    assert TrainConfig(loss_dtype="bfloat16").for_this_cpu().loss_dtype == "bfloat16"
