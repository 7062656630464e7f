"""The one product a customer's message names, by its code or its whole name."""

from __future__ import annotations

import pytest

from tests.utils.factories import make_account, unique_handle
from townsquare.db import Database
from townsquare.studio.business import catalog

pytestmark = pytest.mark.postgres

CSV = """sku,name,description,price,currency,stock,options
LOCK-U,U-lock,Hardened steel.,55.00,EUR,0,
JERSEY-MERINO,Merino jersey,Wool.,75.00,EUR,6,size=XS|S|M|L|XL
GLOVES-WINTER,Winter gloves (sale),Windproof.,19.00,EUR,4,
GLOVES-SUMMER,Summer gloves,Light.,15.00,EUR,4,
"""


@pytest.mark.parametrize(
    ("message", "sku"),
    [
        ("Is the U-lock in stock?", "LOCK-U"),
        ("What sizes does the merino jersey come in?", "JERSEY-MERINO"),
        ("Do you still have winter gloves?", "GLOVES-WINTER"),  # "(sale)" need not be written
        ("Is product lock-u in stock?", "LOCK-U"),
        ("Do you have gloves?", None),  # two of them
        ("Do you sell a lock?", None),  # not the whole name
        ("Is the U lock in stock?", "LOCK-U"),  # a hyphen written as a space
    ],
)
def test_the_product_a_message_names(database: Database, message: str, sku: str | None) -> None:
    with database.session() as session:
        business = make_account(session, unique_handle("shop"), kind="business")
        assert not catalog.import_csv(session, business.id, CSV).errors
        found = catalog.named_product(session, business.id, message)
        assert (found.sku if found is not None else None) == sku


@pytest.mark.parametrize(
    ("message", "sku"),
    [
        ("Which sizes do your jerseys come in?", "JERSEY-MERINO"),  # not the whole name
        ("Quelles tailles pour le jersey ?", "JERSEY-MERINO"),
        ("¿En qué tamaños tenéis el jersey?", "JERSEY-MERINO"),
        ("In quali taglie c'è il jersey?", "JERSEY-MERINO"),
        ("Welke maten heeft de jersey?", "JERSEY-MERINO"),
        ("Jakie rozmiary ma jersey?", "JERSEY-MERINO"),
        ("How much is a jersey?", None),  # a price question: the search answers it
        ("Which colours do the gloves come in?", None),  # no gloves have options
        ("What sizes does the merino jersey come in?", "JERSEY-MERINO"),
    ],
)
def test_the_product_a_question_about_options_is_about(
    database: Database, message: str, sku: str | None
) -> None:
    with database.session() as session:
        business = make_account(session, unique_handle("shop"), kind="business")
        assert not catalog.import_csv(session, business.id, CSV).errors
        found = catalog.asked_product(session, business.id, message)
        assert (found.sku if found is not None else None) == sku
