"""The shared models: the multilingual embedder a shop's FAQ is matched with."""

from __future__ import annotations

from pathlib import Path

from townsquare.ai.e5_embedder import E5Embedder
from townsquare.ai.fake import FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.settings import Settings


def test_the_multilingual_embedder_is_the_one_given_else_e5(tmp_path: Path) -> None:
    given = FakeEmbedder()
    assert Models(Settings(data_dir=tmp_path), multilingual=given).multilingual is given
    own = Models(Settings(data_dir=tmp_path), embedder=FakeEmbedder())
    assert isinstance(own.multilingual, E5Embedder) and own.multilingual is own.multilingual


def test_a_configured_e5_embedder_is_also_the_multilingual_one(tmp_path: Path) -> None:
    models = Models(Settings(data_dir=tmp_path, embedder="e5-small"))
    assert models.multilingual is models.embedder
