"""The shared models: the multilingual embedder a shop's FAQ is matched with."""

from __future__ import annotations

from pathlib import Path

from townsquare.ai.e5_embedder import E5Embedder
from townsquare.ai.fake import FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.settings import Settings


def test_the_multilingual_embedder_is_the_cross_language_one(tmp_path: Path) -> None:
    given = FakeEmbedder()
    models = Models(Settings(data_dir=tmp_path), embedder=FakeEmbedder(), cross_embedder=given)
    assert models.multilingual is given
    own = Models(Settings(data_dir=tmp_path))  # MiniLM, and e5-small across languages
    assert isinstance(own.multilingual, E5Embedder) and own.multilingual is own.multilingual


def test_without_a_cross_language_embedder_the_embedder_is_the_multilingual_one(
    tmp_path: Path,
) -> None:
    fake = Models(Settings(data_dir=tmp_path), embedder=FakeEmbedder())
    assert fake.multilingual is fake.embedder
    e5 = Models(Settings(data_dir=tmp_path, embedder="e5-small"))
    assert e5.multilingual is e5.embedder
