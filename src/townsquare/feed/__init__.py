"""The unified feed recommender: data -> model (HSTU) -> train -> evaluate.

Serving and the CLI should need only what is exported here.
"""

from townsquare.feed.actions import ACTIONS, OBJECTIVE_NAMES, action_id
from townsquare.feed.baseline_sasrec import SASRec, SASRecConfig
from townsquare.feed.batch import Candidates, SequentialFeatures, history_features
from townsquare.feed.checkpoint import load_checkpoint
from townsquare.feed.data import Dataset, Sequences, build_dataset, leave_one_out, load_dataset
from townsquare.feed.evaluate import evaluate
from townsquare.feed.model import HSTU, HSTUConfig
from townsquare.feed.recommender import SequenceRecommender
from townsquare.feed.train import TrainConfig, TrainResult, build_model, train

__all__ = [
    "ACTIONS",
    "HSTU",
    "OBJECTIVE_NAMES",
    "Candidates",
    "Dataset",
    "HSTUConfig",
    "SASRec",
    "SASRecConfig",
    "SequenceRecommender",
    "Sequences",
    "SequentialFeatures",
    "TrainConfig",
    "TrainResult",
    "action_id",
    "build_dataset",
    "build_model",
    "evaluate",
    "history_features",
    "leave_one_out",
    "load_checkpoint",
    "load_dataset",
    "train",
]
