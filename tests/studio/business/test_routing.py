"""A plain question goes to the source that answers it, without the model: the FAQ when it
answers clearly better than the catalog, the catalog when it answers at least as well; a message
about the customer's records, or one that asks nothing, is the model's."""

from __future__ import annotations

import pytest

from tests.studio.business.conftest import Shop
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Agent
from townsquare.settings import Settings
from townsquare.studio.business.routing import ABOUT_RECORDS, NOT_THE_CATALOGS, route_question
from townsquare.studio.conversation.persona import persona_from_agent


def _route(database: Database, settings: Settings, shop: Shop, message: str) -> str | None:
    models = Models(settings, chat=FakeChatModel(), embedder=FakeEmbedder())
    with database.session() as session:
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None
        persona = persona_from_agent(session, agent)
    return route_question(database, models, shop.agent_id, shop.business_id, persona, message)


@pytest.mark.parametrize(
    ("message", "source"),
    [
        ("What are your opening hours?", "documents"),
        ("Do you run a brewing class?", "catalog"),
        ("Do you sell a hand grinder?", "catalog"),
        ("Tell me your opening hours", None),  # asks nothing
        ("Where is my order E-1001?", None),
        ("Is E-1001 on its way?", None),
        ("Do you sell a hand grinder for 2 people?", "catalog"),
        ("Can you cancel my booking for the brewing class?", None),
        ("Is my email on file?", None),
        ("Is there bicycle parking nearby?", None),  # neither source answers it
        ("Can I order a hand grinder?", "catalog"),
        ("Did my order with the hand grinder leave?", None),  # the customer's order
    ],
)
def test_a_question_goes_to_the_source_that_answers_it(
    database: Database, settings: Settings, faq_shop: Shop, message: str, source: str | None
) -> None:
    assert _route(database, settings, faq_shop, message) == source


def test_without_documents_a_faq_question_is_the_models(
    database: Database, settings: Settings, shop: Shop
) -> None:
    assert _route(database, settings, shop, "What are your opening hours?") is None


@pytest.mark.parametrize(
    ("message", "asks_how"),
    [
        ("How soon do the house blend beans ship after roasting?", True),
        ("Wie lange dauert die Lieferung der Kaffeebohnen?", True),
        ("¿Cada cuánto hay que desincrustar la cafetera?", True),
        ("Jak długo trwa kurs parzenia kawy?", True),
        ("What would you charge to post the grinder to Lyon?", True),
        ("¿Hacéis envío de los granos a Canarias?", True),
        ("Do you run a brewing class?", False),
        ("How much is the oak mug?", False),
        ("Welche Größen hat die Tasse?", False),
    ],
)
def test_a_question_of_when_or_how_long_is_never_the_catalogs(message: str, asks_how: bool) -> None:
    assert (NOT_THE_CATALOGS.search(message) is not None) is asks_how


@pytest.mark.parametrize(
    ("message", "about_records"),
    [
        ("Is the tall vase available? I'd like to order one today.", False),
        ("We order for a restaurant: do you make plates?", False),
        ("Can I order it in blue?", False),
        ("Has my order shipped?", True),
        ("Where are my orders?", True),
        ("Is the order I placed on Monday paid?", True),
    ],
)
def test_order_as_a_verb_is_not_about_the_customers_records(
    message: str, about_records: bool
) -> None:
    assert (ABOUT_RECORDS.search(message) is not None) is about_records
