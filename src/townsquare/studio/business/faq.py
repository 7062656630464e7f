"""The shop's FAQ answers a customer's question with the entry that question asks about, quoted
and cited, in any language the shop serves.

An FAQ is a list of question/answer pairs: in the agent's knowledge, the chunks whose locator is
a question (a Markdown heading ending in "?", the "question" of an FAQ ``.json``). Its questions
are written to be matched, so each entry is read as its question and its answer together, and
the customer's question is matched against both by the multilingual embedder (e5-small): a
question in Portuguese finds the entry of an English FAQ. The best entry answers only when the
grounding guard's relevance (the studio-calibrated bar ``RELEVANCE_MIN``, e5 mapped onto
MiniLM's scale) says it does; a question the FAQ does not answer (a near miss: "do you rent
bikes?" beside "do you repair electric bikes?") gets None here, and the turn's "I couldn't find
that" with a hand-off offer. The entry's sentences that best answer the question are quoted as
the owner wrote them (never translated by the model), after a lead in the customer's language
(and, in another language than the FAQ's, only the best one, with the creator agent's note
that it is quoted as written).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ai.embeddings import Embedder
from townsquare.ai.errors import ModelUnavailableError
from townsquare.ai.languages import detect_language
from townsquare.db import Database
from townsquare.db.models import Account, Agent, KnowledgeChunk, KnowledgeSource
from townsquare.studio.business.wording import Language, quoted_note, say
from townsquare.studio.conversation.grounding import RELEVANCE_MIN, Guard
from townsquare.studio.conversation.types import Reply
from townsquare.studio.knowledge.passages import Passage

# What is quoted of an entry's answer: its best sentence and a close runner-up (``Guard``);
# only the best one to a customer who wrote in another language than the FAQ's.
QUOTED_SENTENCES = 2


@dataclass(frozen=True)
class Entry:
    """One question/answer pair of an FAQ; ``passage`` holds the answer, cited by its question."""

    question: str
    passage: Passage

    @property
    def text(self) -> str:
        """The pair as the guard reads it: the question, then the answer."""
        return f"{self.question}\n{self.passage.text}"


def entries(session: Session, agent_id: int) -> list[Entry]:
    """The question/answer pairs in the agent's ready files, in the order they were written."""
    handle = session.scalar(
        select(Account.handle)
        .join(Agent, Agent.account_id == Account.id)
        .where(Agent.id == agent_id)
    )
    rows = session.execute(
        select(
            KnowledgeChunk.id,
            KnowledgeChunk.source_id,
            KnowledgeChunk.locator,
            KnowledgeChunk.text,
            KnowledgeSource.title,
        )
        .join(KnowledgeSource, KnowledgeSource.id == KnowledgeChunk.source_id)
        .where(
            KnowledgeChunk.agent_id == agent_id,
            KnowledgeSource.status == "ready",
            KnowledgeSource.kind == "file",
            KnowledgeChunk.locator.like("%?"),
        )
        .order_by(KnowledgeChunk.source_id, KnowledgeChunk.ordinal)
    ).all()
    found: list[Entry] = []
    for (source_id, question), chunks in groupby(rows, key=lambda row: (row[1], row[2])):
        parts = list(chunks)
        # An FAQ .json's chunk starts with its question; a heading's does not.
        answer = " ".join(_without(question, text) for *_, text, _title in parts).strip()
        if answer:
            first = parts[0]
            url = f"/agents/{handle}/passages/{first[0]}"
            passage = Passage(first[0], source_id, "file", first[4], question, answer, 0.0, url)
            found.append(Entry(question, passage))
    return found


def _without(question: str, text: str) -> str:
    return text[len(question) :].strip() if text.startswith(question) else text


def best_entry(guard: Guard, question: str, faq: Sequence[Entry]) -> Entry | None:
    """The entry that answers ``question``: the most relevant, if it reaches ``RELEVANCE_MIN``."""
    scored = [(guard.relevance(question, _whole(entry)), index) for index, entry in enumerate(faq)]
    relevance, index = max(scored, default=(0.0, -1))
    return faq[index] if relevance >= RELEVANCE_MIN else None


def _whole(entry: Entry) -> Passage:
    """The entry as one passage (question and answer), for the guard's relevance."""
    p = entry.passage
    return Passage(p.chunk_id, p.source_id, p.source_kind, p.title, p.locator, entry.text, 0, p.url)


def quote(guard: Guard, question: str, entry: Entry, *, limit: int = QUOTED_SENTENCES) -> str:
    """The sentences of the entry's answer that best answer ``question``, as written. The
    entry's own question names the subject, so its words cannot tell the sentences apart."""
    p = entry.passage
    subject = Passage(p.chunk_id, p.source_id, p.source_kind, entry.question, "", p.text, 0, "")
    return " ".join(guard.best_sentences(question, subject, limit=limit))


def faq_answer(
    database: Database,
    embedder: Embedder,
    agent_id: int,
    names: frozenset[str],
    language: Language,
    question: str,
) -> Reply | None:
    """The FAQ's answer to ``question`` with its citation, or None when no entry answers it (or
    the multilingual embedder cannot run on this CPU: then the documents' usual path answers)."""
    with database.session() as session:
        faq = entries(session, agent_id)
    if not faq:
        return None
    guard = Guard(embedder, names)
    try:
        entry = best_entry(guard, question, faq)
        written_in = detect_language(entry.passage.text) if entry is not None else None
        limit = 1 if written_in not in (None, language) else QUOTED_SENTENCES
        quoted = quote(guard, question, entry, limit=limit) if entry is not None else ""
    except ModelUnavailableError:
        return None
    if entry is None or not quoted:
        return None
    # The creator agent's note after a quote in another language than the customer's.
    note = quoted_note(language, written_in)
    text = " ".join(filter(None, (say(language, "faq_says", quote=quoted), note)))
    return Reply(text, [entry.passage.citation(quoted)], "quoted", [entry.passage], False)
