from __future__ import annotations

import townsquare.feed


def test_the_public_surface_is_pinned() -> None:
    assert sorted(townsquare.feed.__all__) == [
        "ACTIONS",
        "Candidates",
        "Dataset",
        "FeedConfig",
        "FeedEntry",
        "FeedPage",
        "FeedService",
        "HSTU",
        "HSTUConfig",
        "ItemFeatures",
        "ModelStore",
        "OBJECTIVE_NAMES",
        "PLATFORM_PRESET",
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
    for name in townsquare.feed.__all__:
        assert getattr(townsquare.feed, name) is not None
