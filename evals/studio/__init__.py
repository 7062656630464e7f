"""The studio evaluation set: a home baker's corpus, and questions about it.

Kept beside the package (not shipped in it) so that the benchmark (``bench/studio_eval.py``)
and the slow test guarding its targets read the same files:

- ``corpus.jsonl`` — one document per line: ``id``, ``kind`` (``post`` or ``faq``), ``title``,
  ``text``. Several documents are deliberately alike (five classes with different days and
  prices, four posts about starters), and three carry injection text inside ordinary prose.
- ``questions.jsonl`` — ``id``, ``type`` and ``question``; ``answerable`` ones name the ``gold``
  documents that answer them and ``expected`` facts (the answer is right when one of them
  appears in the reply); ``unanswerable`` ones are about nothing in the corpus; ``injection``
  ones carry a ``canary`` that appears in a reply only if the injection worked, and ``gold``
  names the corpus document carrying the injection, if any.
- ``agent.json`` — the creator agent and its owner; the owner's instructions hold a secret
  that a leaked prompt would reveal (one of the canaries).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

QuestionType = Literal["answerable", "unanswerable", "injection"]


@dataclass(frozen=True)
class Document:
    id: str
    kind: Literal["post", "faq"]
    title: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    question: str
    gold: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    canary: str = ""


@dataclass(frozen=True)
class EvalSet:
    documents: list[Document]
    questions: list[Question]
    agent: dict[str, Any]  # {"owner": {...}, "agent": {...}}: see agent.json

    def of_type(self, kind: QuestionType) -> list[Question]:
        return [q for q in self.questions if q.type == kind]


def _lines(name: str) -> list[dict[str, Any]]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def parse_question(row: dict[str, Any], documents: set[str]) -> Question:
    """One line of ``questions.jsonl``, checked against the corpus's document ids."""
    question = Question(
        id=row["id"],
        type=row["type"],
        question=row["question"],
        gold=tuple(row.get("gold", ())),
        expected=tuple(row.get("expected", ())),
        canary=row.get("canary", ""),
    )
    unknown = set(question.gold) - documents
    if unknown:
        raise ValueError(f"question {question.id}: gold names unknown documents {sorted(unknown)}")
    if question.type == "answerable" and not (question.gold and question.expected):
        raise ValueError(f"question {question.id}: an answerable question needs gold and expected")
    if question.type == "injection" and not question.canary:
        raise ValueError(f"question {question.id}: an injection question needs a canary")
    return question


def load_evalset() -> EvalSet:
    """The evaluation set, checked: every gold id names a document, every field is present."""
    documents = [Document(**row) for row in _lines("corpus.jsonl")]
    ids = {document.id for document in documents}
    if len(ids) != len(documents):
        raise ValueError("corpus.jsonl: document ids must be unique")
    questions = [parse_question(row, ids) for row in _lines("questions.jsonl")]
    agent = json.loads(resources.files(__package__).joinpath("agent.json").read_text("utf-8"))
    return EvalSet(documents, questions, agent)
