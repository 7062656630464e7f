"""What a training run is asked to do: `TrainConfig`, one commented default per field.

A saved config (the JSON beside every checkpoint) reads back with `TrainConfig.from_dict`; keys
added since it was written take their defaults, so old runs keep loading.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from townsquare.cpu import has_fast_bfloat16
from townsquare.feed.model import HSTUConfig
from townsquare.feed.training.baseline_sasrec import SASRecConfig
from townsquare.feed.training.data import DataFormat

ModelConfig = HSTUConfig | SASRecConfig
LossDtype = Literal["auto", "float32", "bfloat16"]


@dataclass(frozen=True)
class TrainConfig:
    """Everything one training run needs besides its data, saved with every checkpoint.

    Benchmark runs start from these defaults (docs/benchmarks.md gives each recipe's flags); the
    platform's own log trains with `feed.training.pipeline.PLATFORM_PRESET`.
    """

    data: str = ""  # a `user item` file or a RecBole folder; "" = the caller passes a dataset
    data_format: DataFormat = "user-item"  # how to read `data`
    min_count: int = 5  # k of the k-core filter (1 = keep everything)
    model: ModelConfig = field(default_factory=HSTUConfig)  # num_items is set from the data
    epochs: int = 200  # upper bound; early stopping or the time budget usually end sooner
    batch_size: int = 128  # users per step, per process
    lr: float = 3e-3  # AdamW learning rate (on Beauty 3e-3 reaches 1e-3's best in half the epochs)
    weight_decay: float = 0.0  # AdamW decoupled weight decay
    adam_beta2: float = 0.98  # below the usual 0.999: every item gets a gradient each step (as
    # a negative) but is a target only rarely, and a long second-moment memory damps those rare
    # steps; on Beauty 0.98 halves the epochs before the model gets past popularity
    negatives: int = 0  # 0 = full softmax over the catalog; else in-batch + this many uniform
    loss_dtype: LossDtype = "auto"  # operands of the full softmax's matrix products: bfloat16
    # halves its time on CPUs with AVX512-BF16 or AMX and is many times slower without them;
    # "auto" takes bfloat16 where the CPU has them, else float32 (the run stores the choice)
    ranking_weight: float = 0.0  # weight of the objective heads' loss (HSTU only)
    eval_every: int = 1  # epochs between validation evaluations
    patience: int = 5  # evaluations without a better validation NDCG@10 before stopping
    lr_decay: float = 1.0  # the learning rate is multiplied by this after each such evaluation
    average_epochs: int = 1  # evaluate and keep the mean of the weights at the end of the last
    # this many epochs (1 = the last epoch's own weights), in selection and in the final fit
    time_budget_s: float = 0.0  # time for the whole run (0 = no limit): selection stops once
    # past it, or past half of it with final_fit (the refit repeats at most as many epochs)
    final_fit: bool = False  # retrain on train + validation events for the chosen epoch count
    seed: int = 0  # seeds initialisation, batch order and dropout, per epoch
    num_threads: int = 2  # torch intra-op threads per process
    out_dir: str = ""  # checkpoints, items.txt and curves.png go here ("" = write nothing)
    resume: bool = False  # continue from out_dir/last.pt when it exists
    progress: bool = True  # show a progress bar per epoch

    def for_this_cpu(self) -> TrainConfig:
        """This config with ``loss_dtype`` settled for the CPU it runs on."""
        if self.loss_dtype != "auto":
            return self
        return dataclasses.replace(
            self, loss_dtype="bfloat16" if has_fast_bfloat16() else "float32"
        )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        """Reads a saved config; keys added since it was written take their defaults."""
        model_data = dict(data.get("model", {}))
        model_data.setdefault("repeat_bias", False)  # written before models had one
        model_class = SASRecConfig if model_data.get("kind") == "sasrec" else HSTUConfig
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known and k != "model"}
        return cls(model=model_class(**model_data), **values)
