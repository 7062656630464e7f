"""The unified feed recommender: platform events -> histories -> model (HSTU) -> train ->
serve (a ranked, explained page) -> evaluate.

The model and what it reads sit at the top of the package; `training/` makes runs, `serving/`
reads the published one (serving may import training's config and checkpoints, never the
reverse). The API, the CLI and a scheduler need only what is exported here.
"""

from townsquare.feed.batch import Candidates, SequentialFeatures, history_features
from townsquare.feed.catalog import PlatformCatalog
from townsquare.feed.histories import PlatformOptions, member_history, platform_dataset
from townsquare.feed.items import ItemFeatures
from townsquare.feed.model import HSTU, HSTUConfig
from townsquare.feed.recommender import SequenceRecommender
from townsquare.feed.runs import feed_dir, publish
from townsquare.feed.sequences import Dataset, Sequences, leave_one_out
from townsquare.feed.serving.config import FeedConfig, SurfaceConfig
from townsquare.feed.serving.service import FeedEntry, FeedPage, FeedService
from townsquare.feed.serving.store import ModelStore
from townsquare.feed.training.baseline_sasrec import SASRec, SASRecConfig
from townsquare.feed.training.checkpoint import load_checkpoint
from townsquare.feed.training.config import TrainConfig
from townsquare.feed.training.data import build_dataset, load_dataset
from townsquare.feed.training.evaluate import evaluate, evaluate_heads
from townsquare.feed.training.pipeline import (
    PLATFORM_PRESET,
    benchmark_data,
    evaluate_run,
    platform_data,
    train_on_benchmark,
    train_on_platform,
)
from townsquare.feed.training.train import TrainResult, build_model, train
from townsquare.feed.vocabulary import ACTIONS, OBJECTIVE_NAMES, action_bit, action_mask

__all__ = [
    "ACTIONS",
    "HSTU",
    "OBJECTIVE_NAMES",
    "PLATFORM_PRESET",
    "Candidates",
    "Dataset",
    "FeedConfig",
    "FeedEntry",
    "FeedPage",
    "FeedService",
    "HSTUConfig",
    "ItemFeatures",
    "ModelStore",
    "PlatformCatalog",
    "PlatformOptions",
    "SASRec",
    "SASRecConfig",
    "SequenceRecommender",
    "Sequences",
    "SequentialFeatures",
    "SurfaceConfig",
    "TrainConfig",
    "TrainResult",
    "action_bit",
    "action_mask",
    "benchmark_data",
    "build_dataset",
    "build_model",
    "evaluate",
    "evaluate_heads",
    "evaluate_run",
    "feed_dir",
    "history_features",
    "leave_one_out",
    "load_checkpoint",
    "load_dataset",
    "member_history",
    "platform_data",
    "platform_dataset",
    "publish",
    "train",
    "train_on_benchmark",
    "train_on_platform",
]
