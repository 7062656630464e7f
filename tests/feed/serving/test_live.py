"""A page's catalog and the text vectors a process keeps between pages."""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from tests.utils.factories import make_account, make_post
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.feed.catalog import PlatformCatalog, post_token
from townsquare.feed.serving.live import TextVectors, build_snapshot


def _catalog(session: Session, post_ids: list[int]) -> PlatformCatalog:
    catalog = PlatformCatalog()
    catalog.load(session, account_ids=[], post_ids=post_ids)
    return catalog


def test_text_vectors_embed_only_what_is_not_kept_and_keep_at_most_their_capacity(
    database: Database,
) -> None:
    embedder = FakeEmbedder(dimension=8)
    vectors = TextVectors(lambda: embedder, capacity=3)
    with database.session() as session:
        potter = make_account(session, "potter")
        first, second, third = (make_post(session, potter, f"Kiln day {n}.").id for n in range(3))
        catalog = _catalog(session, [first])
        vectors.fill(catalog)  # the author and the post
        assert [len(call) for call in embedder.calls] == [2]
        assert catalog.vectors is not None and catalog.vectors.shape == (3, 8)
        assert not catalog.vectors[0].any()  # padding
        expected = embedder.embed([catalog.texts[2]], "query")[0]
        assert np.allclose(catalog.vectors[2], expected)
        embedder.calls.clear()
        again = _catalog(session, [first, second])
        vectors.fill(again)
        assert embedder.calls == [[again.texts[again.ids[post_token(second)]]]]
        assert np.allclose(again.vectors[again.ids[post_token(first)]], expected)  # type: ignore[index]
        assert len(vectors) == 3
        vectors.fill(_catalog(session, [third]))  # 4 items seen: the least recent goes
        assert len(vectors) == 3
        embedder.calls.clear()
        vectors.fill(_catalog(session, [first]))  # `first` was the least recently used
        assert embedder.calls == [[catalog.texts[2]]]


def test_text_vectors_of_another_embedder_start_over(database: Database) -> None:
    embedders = [FakeEmbedder(dimension=8, name="one"), FakeEmbedder(dimension=4, name="two")]
    vectors = TextVectors(lambda: embedders[0], capacity=10)
    with database.session() as session:
        post_id = make_post(session, make_account(session, "potter"), "Kiln day.").id
        vectors.fill(_catalog(session, [post_id]))
        embedders.reverse()
        catalog = _catalog(session, [post_id])
        vectors.fill(catalog)
        assert catalog.embedder_name == "two"
        assert catalog.vectors is not None and catalog.vectors.shape == (3, 4)
        assert [len(call) for call in embedders[0].calls] == [2]


def test_without_a_model_a_snapshot_holds_the_catalogs_rows_and_no_vectors(
    database: Database,
) -> None:
    embedder = FakeEmbedder(dimension=8)
    with database.session() as session:
        post_id = make_post(session, make_account(session, "potter"), "Kiln day.").id
        catalog = _catalog(session, [post_id])
        snapshot = build_snapshot(catalog, None, TextVectors(lambda: embedder, capacity=10))
    assert len(snapshot) == 3 and snapshot.columns.post_ids.tolist() == [0, 0, post_id]
    assert snapshot.features is None and snapshot.table is None
    assert embedder.calls == []
