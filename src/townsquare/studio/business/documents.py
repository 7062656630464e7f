"""Answers from the business's documents: what no tool covers (delivery times, care
instructions, opening hours in an uploaded FAQ or policy) is answered from the agent's
knowledge: by the FAQ entry the question asks about (``faq``, in any language), else by the
grounded pipeline creator agents use (``conversation.pipeline``): hybrid retrieval, the
grounding guard, citations.

The business turn asks here first when ``routing`` sends a question to the documents, then when
the model calls ``answer_from_documents``, when it would answer in words, and when a catalog
search found nothing. Only
an answer the guard accepts ("answered" or "quoted") is used, so a question the documents do
not answer falls through to the turn's own reply and never to an invented one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.studio.business.faq import faq_answer
from townsquare.studio.business.wording import Language, say
from townsquare.studio.conversation.memory import Turn
from townsquare.studio.conversation.persona import Persona
from townsquare.studio.conversation.pipeline import run_reply
from townsquare.studio.conversation.types import Reply, ReplyInput
from townsquare.studio.conversation.wording import is_small_talk
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever

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
NOTHING_FOUND = say("en", "no_documents")
USABLE = frozenset({"answered", "quoted", "avoided"})


def answer_from_documents(
    database: Database,
    models: Models,
    agent_id: int,
    persona: Persona,
    message: str,
    history: Sequence[Turn],
    language: Language,
) -> Reply | None:
    """The documents' answer to ``message``, with citations, the FAQ's first; None when they
    hold none (or the message is small talk, which asks for no fact)."""
    if is_small_talk(message, persona.names):
        return None
    faq = faq_answer(database, models.multilingual, agent_id, persona.names, language, message)
    if faq is not None:
        return faq
    # A question in a language the embedder cannot read is searched and judged with the
    # cross-language embedder (the creator agent's path: ``dm.answering.converse``).
    retriever = KnowledgeRetriever(database, models.embedder, agent_id, cross=models.cross_embedder)
    embedder = models.embedder_for(message)
    inp = ReplyInput(persona=persona, message=message, history=history)
    *_, reply = run_reply(
        inp,
        model=models.chat,
        retriever=retriever,
        embedder=embedder,
        selection=models.answer_selection,
    )
    assert isinstance(reply, Reply)
    return reply if reply.outcome in USABLE else None
