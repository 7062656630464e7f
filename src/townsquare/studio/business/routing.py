"""Which source answers a customer's question, decided without the model: a 135M model opens a
ticket for "what are your opening hours?" and asks a customer to verify before telling them
whether decaf is sold, so a plain question goes straight to the source that answers it.

A question (it has a "?") about none of the customer's records and asking for no change goes to
the business's documents when they answer it (by the grounding guard's relevance, with the
embedder that reads the question's language) clearly better
than any product of the catalog, or to a catalog search when the catalog answers it at least as
well as the documents; to the documents too when neither clearly answers it but an entry of
the shop's FAQ does (``faq``: matched across languages). A question of when, how long or how
to is never the catalog's. Anything else is the model's to route.
"""

from __future__ import annotations

import re
from typing import Literal

from townsquare.ai.errors import ModelUnavailableError
from townsquare.ai.runtime import Models
from townsquare.db import Database
from townsquare.studio.business.catalog import search_products
from townsquare.studio.business.faq import best_entry, entries
from townsquare.studio.conversation.grounding import RELEVANCE_MIN, Guard
from townsquare.studio.conversation.persona import Persona
from townsquare.studio.conversation.pipeline import RETRIEVE_K
from townsquare.studio.knowledge.passages import Passage
from townsquare.studio.knowledge.retrieval import KnowledgeRetriever

Source = Literal["documents", "catalog"]

# A message about the customer's own records, or asking for a change, is for the model's tools.
# A number is a record's only when it looks like one ("E-1001", "#4410"): "for my 9 year old"
# or "a 30 litre pot" ask about the catalog or the documents; nor is "order" a verb ("I'd like
# to order one", "can I order it in blue?").
ABOUT_RECORDS = re.compile(
    r"(?<![\w-])(?:[A-Za-z]{1,5}-\d{1,8}|#\d{1,8})(?![\w-])|@"
    r"|(?<!\bto )(?<!\bi )(?<!\bwe )\border\b"
    r"|\b(?:orders|appointments?|bookings?|book|slots?|cancel\w*|refund\w*|returns?"
    r"|exchanges?|tickets?|verify|email|person|human)\b",
    re.IGNORECASE,
)
# A question of when, how long, how often or how to, or of sending something: the catalog's
# prices, stock and options
# never answer it, however well a product's name matches ("After a consultation, how soon do I
# get the plan?" names the consultation the catalog sells), in each language the shop serves.
NOT_THE_CATALOGS = re.compile(
    r"\bhow (?:soon|long|often|quickly|fast|do i|should i|to)\b|\bwhen (?:will|do|does|should)\b"
    r"|\bwhy\b|\bwhat happens\b"
    r"|\bcu[aá]nto (?:tiempo|tarda)|\bcada cu[aá]nto\b|\bc[oó]mo (?:puedo|debo|se)\b"
    r"|\bquanto tempo\b|\bde quanto em quanto\b|\bcomo (?:posso|devo)\b"
    r"|\bcombien de temps\b|\bà quelle fréquence\b|\bcomment (?:puis-je|dois-je|faire)\b"
    r"|\bwie (?:lange|oft|schnell|kann ich|soll ich)\b|\bwarum\b"
    r"|\bogni quanto\b|\bcome (?:posso|devo)\b"
    r"|\bhoe (?:lang|vaak|snel|kan ik)\b|\bwaarom\b"
    r"|\bjak (?:długo|często|mogę)\b|\bdlaczego\b"
    # Sending and delivery: the catalog has no postage.
    r"|\b(?:post(?:age|ing)?|shipping|ship|deliver(?:y|ed)?|envío|enviar|envio|portes"
    r"|livraison|envoi|expédition|versand|lieferung|liefern|porto|spedizione|consegna"
    r"|verzending|bezorging|wysyłk[aię]|dostaw[aęy])\b",
    re.IGNORECASE,
)
# How much more relevant than the best product the documents must be to answer: the demo's "Do
# you run a brewing class?" is as relevant to the FAQ (classes take place in the shop) as to the
# catalog's class, and the catalog must answer it.
MARGIN = 0.1
# A product name matches a short question on fewer words than a passage does ("Do you sell
# decaf coffee?" scores 0.46 against the decaf beans), so the catalog's bar is lower.
CATALOG_MIN = 0.4


def route_question(
    database: Database,
    models: Models,
    agent_id: int,
    business_id: int,
    persona: Persona,
    message: str,
) -> Source | None:
    if "?" not in message or ABOUT_RECORDS.search(message):
        return None
    # A question in a language the embedder cannot read is searched and judged with the
    # cross-language embedder, as the documents then answer it (``documents``).
    guard = Guard(models.embedder_for(message), persona.names)
    retriever = KnowledgeRetriever(database, models.embedder, agent_id, cross=models.cross_embedder)
    passages = retriever.search(message, RETRIEVE_K)
    documents = max((guard.relevance(message, p) for p in passages), default=0.0)
    with database.session() as session:
        products = [
            Passage(0, 0, "catalog", p.name, p.sku, f"{p.name}. {p.description}", 0.0, "")
            for p in search_products(session, business_id, message)
        ]
    catalog = max((guard.relevance(message, p) for p in products), default=0.0)
    not_the_catalogs = NOT_THE_CATALOGS.search(message) is not None
    if documents >= RELEVANCE_MIN and (documents >= catalog + MARGIN or not_the_catalogs):
        return "documents"
    if catalog >= CATALOG_MIN and catalog >= documents and not not_the_catalogs:
        return "catalog"
    return "documents" if _in_faq(database, models, agent_id, persona, message) else None


def _in_faq(
    database: Database, models: Models, agent_id: int, persona: Persona, message: str
) -> bool:
    """An entry of the shop's FAQ answers ``message`` (in whatever language it is asked)."""
    with database.session() as session:
        faq = entries(session, agent_id)
    guard = Guard(models.multilingual, persona.names)
    try:
        return bool(faq) and best_entry(guard, message, faq) is not None
    except ModelUnavailableError:
        return False
