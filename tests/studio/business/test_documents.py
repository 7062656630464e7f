"""Questions no tool covers are answered from the shop's FAQ with citations: first, without the
model, a question the FAQ answers better than the catalog (and one the catalog answers, from
the catalog); then when the model calls ``answer_from_documents``, answers in words, or
searches the catalog in vain. A question the FAQ does not answer gets no invented answer, and
small talk does not search at all."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray
from sqlalchemy import select

from tests.studio.business.conftest import Shop, say
from townsquare.ai.embeddings import Side
from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.db.models import Agent, ToolCall
from townsquare.settings import Settings
from townsquare.studio.business.documents import NOTHING_FOUND, answer_from_documents
from townsquare.studio.business.turn import BusinessTurn, run_business_turn
from townsquare.studio.conversation.persona import persona_from_agent
from townsquare.studio.conversation.types import Reply
from townsquare.studio.knowledge.ingest import enqueue_file, ingest_source_now

HOURS = "The shop is open Tuesday to Saturday, 9:00 to 18:00."


def _action(tool: str, **fields: object) -> str:
    return json.dumps({"action": {"tool": tool, **fields}})


def _answer(
    database: Database, models: Models, shop: Shop, message: str
) -> tuple[Reply, list[ToolCall]]:
    with database.session() as session:
        call = say(session, shop, shop.bruno_id, message)
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None
        turn = BusinessTurn(
            agent_id=shop.agent_id,
            thread_id=call.thread_id,
            message_id=call.message_id,
            member_id=shop.bruno_id,
            persona=persona_from_agent(session, agent),
            message=message,
            history=[],
            introduce=False,
        )
    *_, reply = run_business_turn(database, models, turn)
    assert isinstance(reply, Reply)
    with database.session() as session:
        calls = session.scalars(
            select(ToolCall).where(ToolCall.thread_id == call.thread_id).order_by(ToolCall.id)
        ).all()
        session.expunge_all()
    return reply, list(calls)


@pytest.mark.parametrize(
    "action",
    [_action("answer_from_documents", arguments={}), _action("reply", text="We never close!")],
)
def test_a_question_the_faq_answers_is_answered_from_it_with_a_citation(
    database: Database, settings: Settings, faq_shop: Shop, action: str
) -> None:
    models = Models(settings, chat=FakeChatModel([action, HOURS]), embedder=FakeEmbedder())
    reply, calls = _answer(database, models, faq_shop, "Tell me your opening hours")
    assert reply.outcome in ("answered", "quoted")
    assert "Tuesday to Saturday" in reply.text and "[1]" in reply.text
    assert "never close" not in reply.text
    [citation] = reply.citations
    assert citation["title"] == "ember-and-oak-faq.md"
    assert [(c.tool, c.status) for c in calls] == [("answer_from_documents", "ok")]
    assert calls[0].result["citations"] == reply.citations


def test_a_question_the_faq_answers_better_than_the_catalog_goes_there_first(
    database: Database, settings: Settings, faq_shop: Shop
) -> None:
    chat = FakeChatModel([HOURS])
    models = Models(settings, chat=chat, embedder=FakeEmbedder())
    reply, calls = _answer(database, models, faq_shop, "What are your opening hours?")
    assert "Tuesday to Saturday" in reply.text and "[1]" in reply.text
    # A question of a known type is answered by the FAQ's own sentence: no model call at all,
    # not even for a tool.
    assert chat.requests == []
    assert [(c.tool, c.status) for c in calls] == [("answer_from_documents", "ok")]


def test_a_question_the_catalog_answers_is_searched_there_first(
    database: Database, settings: Settings, faq_shop: Shop
) -> None:
    chat = FakeChatModel([_action("reply", text="no idea")])
    models = Models(settings, chat=chat, embedder=FakeEmbedder())
    reply, calls = _answer(database, models, faq_shop, "Do you run a brewing class?")
    assert "Home brewing class (CLASS-BREW): 35.00 EUR" in reply.text
    assert chat.requests == []
    assert [(c.tool, c.status) for c in calls] == [("search_catalog", "ok")]


def test_a_question_about_the_customers_records_goes_to_the_model(
    database: Database, settings: Settings, faq_shop: Shop
) -> None:
    chat = FakeChatModel([_action("order_details", arguments={"order_number": "E-1002"})])
    models = Models(settings, chat=chat, embedder=FakeEmbedder())
    _, calls = _answer(database, models, faq_shop, "Do you ship orders on Sundays?")
    assert chat.requests[0].json_schema is not None  # the model picked the action
    assert [c.tool for c in calls] == ["order_details"]


def test_a_catalog_search_that_finds_nothing_is_answered_from_the_faq(
    database: Database, settings: Settings, faq_shop: Shop
) -> None:
    search = _action("search_catalog", arguments={"query": "delivery to Germany"})
    chat = FakeChatModel([search, "Delivery takes 4 to 6 working days."])
    models = Models(settings, chat=chat, embedder=FakeEmbedder())
    reply, calls = _answer(database, models, faq_shop, "how long does delivery to Germany take")
    assert "4 to 6 working days" in reply.text and reply.citations
    assert [(c.tool, c.status) for c in calls] == [
        ("search_catalog", "error"),
        ("answer_from_documents", "ok"),
    ]


def test_a_question_the_faq_does_not_answer_gets_no_invented_answer(
    database: Database, settings: Settings, faq_shop: Shop
) -> None:
    chat = FakeChatModel([_action("answer_from_documents", arguments={}), "Yes, plenty."])
    models = Models(settings, chat=chat, embedder=FakeEmbedder())
    reply, calls = _answer(database, models, faq_shop, "Is there bicycle parking nearby?")
    assert reply.text == NOTHING_FOUND and reply.citations == []
    assert [(c.tool, c.status) for c in calls] == [
        ("answer_from_documents", "error"),
        ("search_catalog", "error"),  # nor does the catalog
    ]


def test_a_catalog_question_sent_to_the_faq_is_answered_from_the_catalog(
    database: Database, settings: Settings, faq_shop: Shop
) -> None:
    chat = FakeChatModel([_action("answer_from_documents", arguments={})])
    models = Models(settings, chat=chat, embedder=FakeEmbedder())
    reply, calls = _answer(database, models, faq_shop, "do you sell decaf coffee")
    assert "Swiss Water decaf" in reply.text
    assert [(c.tool, c.status) for c in calls] == [
        ("answer_from_documents", "error"),
        ("search_catalog", "ok"),
    ]


def test_small_talk_is_answered_by_the_model_without_searching(
    database: Database, settings: Settings, faq_shop: Shop
) -> None:
    chat = FakeChatModel([_action("reply", text="Hello! How can I help?")])
    models = Models(settings, chat=chat, embedder=FakeEmbedder())
    reply, calls = _answer(database, models, faq_shop, "Hello there!")
    assert reply.text == "Hello! How can I help?" and reply.citations == []
    assert len(chat.requests) == 1 and calls == []


# A cross-language embedder as far as this test needs one: German words read as English.
GERMAN = {"wie": "how", "lange": "long", "dauert": "takes", "versand": "parcel", "nach": "to"}
SHIPPING = "## Shipping\nA parcel to Germany takes 3 to 4 working days."


class Translating(FakeEmbedder):
    def embed(self, texts: Sequence[str], side: Side) -> NDArray[np.float32]:
        english = [" ".join(GERMAN.get(w, w) for w in re.findall(r"\w+", t.lower())) for t in texts]
        return super().embed(english, side)


def test_a_question_in_another_language_searches_the_documents_with_the_cross_embedder(
    database: Database, settings: Settings, shop: Shop
) -> None:
    english = FakeEmbedder(languages=frozenset({"en"}))
    with database.session() as session:
        agent = session.get(Agent, shop.agent_id)
        assert agent is not None
        source_id = enqueue_file(session, settings, agent, "shipping.md", SHIPPING.encode()).id
        persona = persona_from_agent(session, agent)
    ingest_source_now(database, english, source_id, settings=settings)
    question = "Wie lange dauert der Versand nach Deutschland?"
    answer = "A parcel to Germany takes 3 to 4 working days."

    def ask(models: Models) -> Reply | None:
        return answer_from_documents(database, models, shop.agent_id, persona, question, [], "de")

    cross = Translating(name="multi")
    found = ask(
        Models(settings, chat=FakeChatModel([answer]), embedder=english, cross_embedder=cross)
    )
    assert found is not None and "3 to 4 working days" in found.text
    assert [c["title"] for c in found.citations] == ["shipping.md"]
    assert ["how long takes der parcel to deutschland"] in cross.calls  # the question, read
    assert all(question not in texts for texts in english.calls)


def test_a_product_code_from_nowhere_is_a_guess_and_the_faq_answers_first(
    database: Database, settings: Settings, faq_shop: Shop
) -> None:
    # A small model copies its example's code; the question is one the FAQ answers.
    chat = FakeChatModel([_action("product_details", arguments={"sku": "TEA-01"})])
    models = Models(settings, chat=chat, embedder=FakeEmbedder())
    reply, calls = _answer(database, models, faq_shop, "can the oak mug go in the microwave")
    assert "not microwave safe" in reply.text and reply.citations
    assert [(c.tool, c.status) for c in calls] == [("answer_from_documents", "ok")]
