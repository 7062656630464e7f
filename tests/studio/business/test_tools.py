"""The business tools' own sentences: a catalog search says when a product is sold out or
nearly, in the customer's language."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.studio.business.conftest import Shop, say
from townsquare.db import Database
from townsquare.studio.business import catalog
from townsquare.studio.business.runner import execute

pytestmark = pytest.mark.postgres


def test_a_search_line_tells_a_sold_out_or_low_stock(database: Database, shop: Shop) -> None:
    with database.session() as session:
        catalog.reprice(session, shop.business_id, "GRINDER-HAND", price_cents=6500, stock=2)
        found = execute(
            say(session, shop, shop.alice_id, "beans?"),
            "search_catalog",
            {"query": "beans grinder"},
        )
        assert found.status == "ok"
        assert "Swiss Water decaf 250g (BEAN-DECAF): 10.50 EUR, sold out." in found.say
        assert "Hand grinder (GRINDER-HAND): 65.00 EUR, 2 in stock" in found.say
        # Plenty in stock: the price alone.
        assert "Ethiopia Guji beans 250g (BEAN-ETH): 13.00 EUR;" in found.say


def test_a_search_line_is_in_the_customers_language(database: Database, shop: Shop) -> None:
    with database.session() as session:
        call = replace(say(session, shop, shop.alice_id, "descafeinado?"), language="pt")
        found = execute(call, "search_catalog", {"query": "decaf"})
        assert found.say.endswith("(BEAN-DECAF): 10.50 EUR, esgotado.")
