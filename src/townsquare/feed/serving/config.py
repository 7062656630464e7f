"""How the served feed turns the model's predictions into a page: the operator's knobs.

The ranking heads predict, per candidate, the chance of each objective (open, like, long view,
comment or share, follow the author, hide or report). What a surface *wants* is a choice, not a
prediction, so it lives here: per surface, one set of head weights per horizon ("today": what a
member will enjoy now; "months": the network they build, so following and conversation weigh
more), mixed by the surface's horizon shares. Hide/report weights are negative.

The file is `<data_dir>/feed/feed.toml` (every key optional; unknown keys are refused):

    [surfaces.home]
    horizon_mix = { today = 0.6, months = 0.4 }
    [surfaces.home.weights.today]
    open = 1.0
    like = 2.0
    hide_or_report = -8.0

It is re-read when it changes, like the model, so weights can be tuned without a restart.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from townsquare.feed.vocabulary import OBJECTIVE_NAMES

PostKind = Literal["text", "image", "short_video", "long_video", "link"]
HeadWeights = dict[str, float]


def _today() -> HeadWeights:
    return {
        "open": 1.0,
        "like": 2.0,
        "long_view": 1.5,
        "comment_or_share": 2.0,
        "follow_author": 0.5,
        "hide_or_report": -8.0,
    }


def _months() -> HeadWeights:
    return {
        "open": 0.5,
        "like": 1.0,
        "long_view": 0.5,
        "comment_or_share": 3.0,
        "follow_author": 4.0,
        "hide_or_report": -8.0,
    }


class SurfaceConfig(BaseModel):
    """One place the feed is shown."""

    model_config = ConfigDict(extra="forbid")

    kinds: list[PostKind] | None = Field(
        None, description="Post kinds shown here; null shows every kind."
    )
    accounts: bool = Field(True, description="Whether accounts to follow are suggested here.")
    horizon_mix: dict[str, float] = Field(
        default_factory=lambda: {"today": 0.7, "months": 0.3},
        description="Share of each horizon in the final score; keys name entries of `weights`.",
    )
    weights: dict[str, HeadWeights] = Field(
        default_factory=lambda: {"today": _today(), "months": _months()},
        description="Per horizon, a weight per ranking head (negative for hide_or_report).",
    )

    @model_validator(mode="after")
    def _known_heads_and_horizons(self) -> SurfaceConfig:
        for horizon, weights in self.weights.items():
            unknown = set(weights) - set(OBJECTIVE_NAMES)
            if unknown:
                raise ValueError(
                    f"weights.{horizon} names unknown heads {sorted(unknown)}; "
                    f"the heads are {', '.join(OBJECTIVE_NAMES)}"
                )
        missing = set(self.horizon_mix) - set(self.weights)
        if missing:
            raise ValueError(f"horizon_mix names horizons without weights: {sorted(missing)}")
        return self

    def head_weights(self) -> list[float]:
        """One combined weight per head, in OBJECTIVE_NAMES order: the score is linear in the
        head probabilities, so the horizons fold into a single vector."""
        return [
            sum(
                share * self.weights[horizon].get(head, 0.0)
                for horizon, share in self.horizon_mix.items()
            )
            for head in OBJECTIVE_NAMES
        ]


def _default_surfaces() -> dict[str, SurfaceConfig]:
    return {
        "home": SurfaceConfig(),
        "videos": SurfaceConfig(kinds=["short_video", "long_video"], accounts=False),
    }


class DigestConfig(BaseModel):
    """The daily digest an agent writes for each member (`tasks.digest`)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(
        True, description="Write digests in the background when a member opens their feed."
    )
    min_sources: int = Field(3, ge=1, description="Fewer new posts than this: no digest today.")
    max_sources: int = Field(5, ge=1, description="Posts one digest summarises at most.")
    window_hours: float = Field(48.0, gt=0, description="How recent a post must be to be in it.")
    retry_minutes: float = Field(
        15.0, ge=0, description="After a failed or empty attempt, wait this long before the next."
    )

    @model_validator(mode="after")
    def _ordered(self) -> DigestConfig:
        if self.max_sources < self.min_sources:
            raise ValueError("digest.max_sources must be at least digest.min_sources")
        return self


class RetrainConfig(BaseModel):
    """When a running server retrains the model on this instance's events
    (`feed.serving.retrain`)."""

    model_config = ConfigDict(extra="forbid")

    every_hours: float = Field(
        24.0, ge=0, description="Retrain once the served model is this old (0 = never)."
    )
    min_new_events: int = Field(
        100, ge=1, description="Events logged since the served model's data, at least, to retrain."
    )
    check_minutes: float = Field(5.0, gt=0, description="How often the server checks.")
    threads: int = Field(1, ge=1, description="Torch threads of the training process.")
    budget_minutes: float = Field(
        30.0, ge=0, description="Cap on one training's model selection (0 = no limit)."
    )
    arguments: list[str] = Field(
        default_factory=list,
        description='More `townsquare feed train` options, e.g. ["--dim", "128"].',
    )


class FeedConfig(BaseModel):
    """Candidate counts, diversity and the surfaces; defaults serve a small community well."""

    model_config = ConfigDict(extra="forbid")

    surfaces: dict[str, SurfaceConfig] = Field(
        default_factory=_default_surfaces, description="Surface name -> its configuration."
    )
    retrieval_candidates: int = Field(
        200, ge=0, description="Items the model retrieves from the pool it searches."
    )
    retrieval_pool: int = Field(
        2000,
        ge=0,
        description="The model's retrieval searches the newest this many public posts, as many "
        "of the accounts the member engaged with, and every other source's candidates.",
    )
    text_vectors: int = Field(
        20_000,
        ge=0,
        description="Items' text vectors a server process keeps between requests "
        "(~1.5 KiB each with MiniLM); the rest are embedded when a page needs them.",
    )
    following_candidates: int = Field(
        100, ge=0, description="Newest unseen posts from followed accounts."
    )
    fresh_candidates: int = Field(100, ge=0, description="Newest unseen posts from anyone.")
    fresh_days: float = Field(7.0, gt=0, description="How old a post may be to count as fresh.")
    popular_candidates: int = Field(100, ge=0, description="Most liked unseen posts.")
    popular_days: float = Field(30.0, gt=0, description="Likes this recent count as popular.")
    account_candidates: int = Field(30, ge=0, description="Accounts considered for suggestion.")
    accounts_per_page: int = Field(2, ge=0, description="Most account suggestions on one page.")
    account_spacing: int = Field(
        4, ge=0, description="Items at least between two account suggestions."
    )
    author_penalty: float = Field(
        0.5, ge=0, description="Subtracted per item of the same author already on the page."
    )
    kind_penalty: float = Field(
        0.15, ge=0, description="Subtracted per item of the same kind among the last three."
    )
    seen_window_days: float = Field(
        3.0,
        gt=0,
        description="A post only shown this long ago may be shown again; one opened, liked, "
        "commented on or shared never is.",
    )
    history_events: int = Field(
        1000, ge=1, description="Latest log events read for a member's history."
    )
    max_served: int = Field(
        500, ge=1, description="Items a cursor remembers, so later pages do not repeat them."
    )
    digest: DigestConfig = Field(
        default_factory=DigestConfig, description="The daily digest written for each member."
    )
    retrain: RetrainConfig = Field(
        default_factory=RetrainConfig, description="Retraining the model on a schedule."
    )

    @model_validator(mode="after")
    def _has_a_surface(self) -> FeedConfig:
        if not self.surfaces:
            raise ValueError("surfaces must name at least one surface")
        return self


def load_feed_config(path: Path) -> FeedConfig:
    """The configuration in a TOML file, or the defaults when there is no file. A malformed
    file raises ValueError naming the file and the bad key."""
    if not path.exists():
        return FeedConfig()
    try:
        return FeedConfig.model_validate(tomllib.loads(path.read_text()))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: not valid TOML: {error}") from error
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'file'}: {item['msg']}"
            for item in error.errors()
        )
        raise ValueError(f"{path}: {problems}") from error
