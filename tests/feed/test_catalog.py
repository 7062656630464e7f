from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from sqlalchemy import func, select

from tests.utils.factories import make_account, make_post
from townsquare.ai.fake import FakeEmbedder
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.feed.catalog import PlatformCatalog, account_token, among, post_token
from townsquare.feed.items import KIND_IDS
from townsquare.social import posts


def test_posts_and_accounts_share_one_id_space_and_grow_incrementally(
    tmp_path: Path,
    database: Database,
) -> None:
    embedder = FakeEmbedder()
    with database.session() as session:
        maya = make_account(session, display_name="Maya", bio="sourdough every day")
        first = make_post(session, maya, "rye loaf crumb shot")
        catalog = PlatformCatalog()
        assert catalog.refresh(session, embedder) == 2
        assert catalog.tokens == ["", account_token(maya.id), post_token(first.id)]
        assert catalog.kinds[1:] == [KIND_IDS["account"], KIND_IDS["text"]]
        assert catalog.authors[1:] == [1, 1]  # an account is its own author
        assert catalog.owners[1:] == [maya.id, maya.id]
        assert catalog.post_ids[1:] == [0, first.id]
        assert "sourdough" in catalog.texts[1] and "rye loaf" in catalog.texts[2]
        assert catalog.vectors is not None and catalog.vectors.shape == (3, 32)
        assert not catalog.vectors[0].any()
        calls = len(embedder.calls)
        tom = make_account(session)
        second = posts.create_post(
            session, tom, kind="link", text="a race", link_url="https://example.org/race"
        )
        # deleted posts stay: events point at them
        posts.delete_post(session, maya, first.id, media_dir=tmp_path)
        session.flush()
        assert catalog.refresh(session, embedder) == 2
        assert catalog.refresh(session, embedder) == 0
        assert embedder.calls[calls:] == [catalog.texts[3:]]  # only the new rows were embedded
        assert catalog.ids[post_token(second.id)] == 4
        assert catalog.authors[4] == catalog.ids[account_token(tom.id)]
        assert "example.org/race" in catalog.texts[4]


def test_features_map_rows_onto_a_models_vocabulary(database: Database) -> None:
    with database.session() as session:
        maya = make_account(session)
        post = make_post(session, maya)
        catalog = PlatformCatalog()
        catalog.refresh(session, FakeEmbedder(dimension=8))
        own = catalog.features()
        assert own.ids.tolist() == [0, 1, 2]
        assert own.text is not None and own.text.shape == (3, 8)
        # A model trained when only the post existed, under other ids; the account is new to it.
        mapped = catalog.features({post_token(post.id): 7})
        assert mapped.ids.tolist() == [0, 0, 7]
        assert mapped.authors is not None and mapped.authors.tolist() == [0, 0, 0]
        torch.testing.assert_close(mapped.text, own.text)


def test_vectors_of_one_embedder_only(database: Database) -> None:
    with database.session() as session:
        make_post(session, make_account(session))
        catalog = PlatformCatalog()
        catalog.refresh(session)
        assert catalog.vectors is None
        catalog.embed_texts(FakeEmbedder(name="a"))  # rows loaded without vectors get them
        assert catalog.vectors is not None and len(catalog.vectors) == 3
        with pytest.raises(ValueError, match="holds 'a' text vectors; cannot add 'b' ones"):
            catalog.embed_texts(FakeEmbedder(name="b"))
        make_post(session, make_account(session))
        catalog.refresh(session)
        with pytest.raises(ValueError, match="call embed_texts"):
            catalog.features()
        catalog.embed_texts(FakeEmbedder(name="a"))
        assert np.isfinite(catalog.features().text.numpy()).all()  # type: ignore[union-attr]


@pytest.mark.postgres
def test_an_id_list_longer_than_the_drivers_bind_parameter_limit_is_answered(
    database: Database,
) -> None:
    """A community of 100,000 accounts asked for the followers of each (PostgreSQL binds at most
    65,535 parameters, SQLite 32,766): the feed answered 503 before."""
    with database.session() as session:
        member = make_account(session, "member")
        ids = [member.id, *range(10**6, 10**6 + 70_000)]
        found = session.scalar(select(func.count()).where(among(Account.id, ids)))
        assert found == 1
        assert session.scalar(select(func.count()).where(among(Account.id, []))) == 0


def test_load_adds_only_the_items_asked_for_and_their_authors(database: Database) -> None:
    with database.session() as session:
        potter, baker, reader = (make_account(session, h) for h in ("potter", "baker", "reader"))
        kiln = make_post(session, potter, "Kiln opens at nine.")
        make_post(session, potter, "Glaze day.")
        bread = make_post(session, baker, "Sourdough at seven.")
        catalog = PlatformCatalog()
        catalog.load(session, account_ids=[reader.id], post_ids=[kiln.id])
        assert catalog.tokens[1:] == [
            account_token(potter.id),
            account_token(reader.id),
            post_token(kiln.id),
        ]
        assert catalog.authors[3] == catalog.ids[account_token(potter.id)]
        catalog.load(session, account_ids=[potter.id], post_ids=[kiln.id, bread.id])
        assert catalog.tokens[4:] == [account_token(baker.id), post_token(bread.id)]
        assert len(catalog) == 5
        catalog.load(session, account_ids=[], post_ids=[])
        assert len(catalog) == 5
