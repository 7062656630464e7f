"""The studio (baker) evaluation in the creator format, so ``bench/creator_eval.py --set baker``
runs it through the same HTTP path: each post becomes a Markdown file, the FAQ one ``faq.json``;
answerable questions count as ``one_source``; an injection is ``injection_doc`` when it names a
corpus document, else ``injection_dm``, and its canary is forbidden. The set has no date."""

from __future__ import annotations

import json

from evals.creator import AgentFile, AvoidTopic, Category, CreatorSet, Question
from evals.studio import Document, load_evalset

FAQ_FILE = "faq.json"
CATEGORY: dict[str, Category] = {"answerable": "one_source", "unanswerable": "unanswerable"}


def _file_of(document: Document) -> str:
    return FAQ_FILE if document.kind == "faq" else f"{document.id}.md"


def baker_set() -> CreatorSet:
    evalset = load_evalset()
    files = {
        _file_of(d): f"# {d.title}\n\n{d.text}\n".encode()
        for d in evalset.documents
        if d.kind == "post"
    }
    pairs = []
    for document in evalset.documents:
        if document.kind == "faq":
            question, _, answer = document.text.partition("?")
            pairs.append({"question": question.strip() + "?", "answer": answer.strip()})
    files[FAQ_FILE] = json.dumps(pairs).encode()
    file_of = {d.id: _file_of(d) for d in evalset.documents}
    questions = []
    for q in evalset.questions:
        gold = tuple(dict.fromkeys(file_of[g] for g in q.gold))
        category: Category
        if q.type == "injection":
            category = "injection_doc" if gold else "injection_dm"
        else:
            category = CATEGORY[q.type]
        questions.append(
            Question(
                id=q.id,
                category=category,
                language="en",
                question=q.question,
                gold=gold if q.type != "unanswerable" else (),
                expected=q.expected,
                forbidden=(q.canary,) if q.canary else (),
            )
        )
    owner, agent = evalset.agent["owner"], evalset.agent["agent"]
    return CreatorSet(
        "baker",
        AgentFile(
            handle=agent["handle"],
            name=agent["name"],
            tagline=agent.get("tagline", ""),
            personality=agent.get("personality", ""),
            owner_instructions=agent.get("instructions", ""),
            avoid_topics=tuple(AvoidTopic(t["topic"], t["reply"]) for t in agent["avoid_topics"]),
            today=None,
            canaries=tuple(dict.fromkeys(q.canary for q in evalset.questions if q.canary)),
            owner_handle=owner["handle"],
            owner_name=owner["display_name"],
        ),
        files,
        questions,
    )
