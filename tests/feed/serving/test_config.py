from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from townsquare.feed.serving.config import FeedConfig, SurfaceConfig, load_feed_config
from townsquare.feed.vocabulary import OBJECTIVE_NAMES


def test_horizons_fold_into_one_weight_per_head() -> None:
    surface = SurfaceConfig(
        horizon_mix={"today": 0.75, "months": 0.25},
        weights={"today": {"like": 2.0, "hide_or_report": -4.0}, "months": {"follow_author": 8.0}},
    )
    weights = dict(zip(OBJECTIVE_NAMES, surface.head_weights(), strict=True))
    assert weights["like"] == 1.5
    assert weights["follow_author"] == 2.0
    assert weights["hide_or_report"] == -3.0
    assert weights["open"] == 0.0


def test_the_defaults_serve_home_and_videos_and_punish_hiding() -> None:
    config = FeedConfig()
    assert set(config.surfaces) == {"home", "videos"}
    assert config.surfaces["videos"].kinds == ["short_video", "long_video"]
    for surface in config.surfaces.values():
        assert surface.head_weights()[OBJECTIVE_NAMES.index("hide_or_report")] < 0


def test_bad_configuration_names_the_problem() -> None:
    with pytest.raises(ValidationError, match="unknown heads \\['likes'\\]"):
        SurfaceConfig(weights={"today": {"likes": 1.0}})
    with pytest.raises(ValidationError, match="horizons without weights: \\['years'\\]"):
        SurfaceConfig(horizon_mix={"years": 1.0})
    with pytest.raises(ValidationError, match="at least one surface"):
        FeedConfig(surfaces={})
    with pytest.raises(ValidationError, match="kinds"):
        SurfaceConfig.model_validate({"kinds": ["podcast"]})


def test_the_file_is_optional_and_strict(tmp_path: Path) -> None:
    path = tmp_path / "feed.toml"
    assert load_feed_config(path) == FeedConfig()
    path.write_text(
        "retrieval_candidates = 50\n"
        "[surfaces.home.weights.today]\nlike = 5.0\n"
        "[surfaces.home.weights.months]\nfollow_author = 1.0\n"
    )
    config = load_feed_config(path)
    assert config.retrieval_candidates == 50
    assert config.surfaces["home"].weights["today"] == {"like": 5.0}
    assert set(config.surfaces) == {"home"}
    path.write_text("retrieval_candidate = 50\n")
    with pytest.raises(ValueError, match=r"feed\.toml: retrieval_candidate: Extra inputs"):
        load_feed_config(path)
    path.write_text("retrieval_candidates = [\n")
    with pytest.raises(ValueError, match=r"feed\.toml: not valid TOML"):
        load_feed_config(path)
