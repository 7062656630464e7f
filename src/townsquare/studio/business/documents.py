"""Answers from the business's documents: what no tool covers (delivery times, care
instructions, opening hours in an uploaded FAQ or policy) is answered from the agent's
knowledge by the grounded pipeline creator agents use (``studio.reply``): hybrid retrieval, the
grounding guard, citations.

The business turn asks here first when ``asks_the_documents``: a question about none of the
customer's records that the documents answer clearly better than the catalog (a 135M model
opens a ticket for "what are your opening hours?"). Otherwise it asks when the model calls
``answer_from_documents``, when it would answer in words, and when no tool found anything. Only
an answer the guard accepts ("answered" or "quoted") is used, so a question the documents do
not answer falls through to the turn's own reply and never to an invented one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.studio.business.catalog import search_products
from townsquare.studio.grounding import RELEVANCE_MIN, Guard, is_small_talk
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever
from townsquare.studio.memory import Turn
from townsquare.studio.passages import Passage
from townsquare.studio.persona import Persona
from townsquare.studio.reply import RETRIEVE_K, Reply, ReplyInput, run_reply

NAME = "answer_from_documents"
DESCRIPTION = (
    "Answer a question from the shop's documents: delivery and shipping, opening hours,"
    " care and storage, anything in the FAQ."
)
PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {},
    "required": [],
    "additionalProperties": False,
}
NOTHING_FOUND = (
    "I couldn't find that in our documents. I can open a ticket or pass you to a person from"
    " the team."
)
USABLE = frozenset({"answered", "quoted", "avoided"})
# A message about the customer's own records, or asking for a change, is for the tools.
ABOUT_RECORDS = re.compile(
    r"\d|@|\b(?:orders?|appointments?|bookings?|book|slots?|cancel\w*|refund\w*|returns?"
    r"|exchanges?|tickets?|verify|email|person|human)\b",
    re.IGNORECASE,
)
# How much more relevant than the best catalog match the documents must be to go first: the
# demo's "Do you run a brewing class?" is as relevant to the FAQ (classes take place in the
# shop) as to the catalog's class, and the catalog must answer it.
MARGIN = 0.1


def asks_the_documents(
    database: Database,
    models: Models,
    agent_id: int,
    business_id: int,
    persona: Persona,
    message: str,
) -> bool:
    """A question about none of the customer's records that the documents answer (by the
    grounding guard's relevance) better than any product of the catalog, by ``MARGIN``."""
    if "?" not in message or ABOUT_RECORDS.search(message):
        return False
    guard = Guard(models.embedder, persona.names)
    retriever = KnowledgeRetriever(database, models.embedder, agent_id)
    passages = retriever.search(message, RETRIEVE_K)
    documents = max((guard.relevance(message, p) for p in passages), default=0.0)
    if documents < RELEVANCE_MIN:
        return False
    with database.session() as session:
        products = [
            Passage(0, 0, "catalog", p.name, p.sku, f"{p.name}. {p.description}", 0.0, "")
            for p in search_products(session, business_id, message)
        ]
    return documents >= max((guard.relevance(message, p) for p in products), default=0.0) + MARGIN


def answer_from_documents(
    database: Database,
    models: Models,
    agent_id: int,
    persona: Persona,
    message: str,
    history: Sequence[Turn],
) -> Reply | None:
    """The documents' answer to ``message``, with citations; None when they hold none (or the
    message is small talk, which asks for no fact)."""
    if is_small_talk(message, persona.names):
        return None
    retriever = KnowledgeRetriever(database, models.embedder, agent_id)
    inp = ReplyInput(persona=persona, message=message, history=history)
    *_, reply = run_reply(inp, model=models.chat, retriever=retriever, embedder=models.embedder)
    assert isinstance(reply, Reply)
    return reply if reply.outcome in USABLE else None
