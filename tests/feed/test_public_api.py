from __future__ import annotations

import townsquare.feed


def test_the_public_surface_is_pinned() -> None:
    assert sorted(townsquare.feed.__all__) == [
        "ACTIONS",
        "Candidates",
        "Dataset",
        "HSTU",
        "HSTUConfig",
        "OBJECTIVE_NAMES",
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
    for name in townsquare.feed.__all__:
        assert getattr(townsquare.feed, name) is not None
