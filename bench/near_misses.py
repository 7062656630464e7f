"""Typed answers against every creator set, without the chat model: what each typed question
(a price, a date, a name, ...) is answered with, and what a near-miss check would change.

A near miss quotes a sentence that holds a value of the asked type, but not of the thing asked
("the 10-class card" for "a 5 class card"; the autumn term's dates for the spring term's). The
checks counted here look for what the question names and the answer does not:

- **figure**: a figure the question names that neither the quoted sentences nor the material
  retrieved for the question state;
- **word**: a word of the question's subject named nowhere in that material.

    python -m bench.near_misses --set dev --set kayak ... [--record rows.json]
        [--from rows.json] [--show]

Each set is uploaded to a fresh Townsquare as ``bench.creator_eval`` does; each question is
read, its passages retrieved and sanitised and its typed answer chosen exactly as the pipeline
does (``questions.read_question``, ``focus.retype``, ``selection.typed_answer`` with the
shipped selector, the embedder ``Models.embedder_for`` picks, the set's day on the clock).
Untyped questions (written by the chat model) and the off-limits and injection questions are
left out. ``--record`` keeps every row so that a check can be counted again without the models
(``--from``): per set, the answerable questions answered right and those a check would turn
into "I don't know", and the unanswerable ones it would.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.creator_eval import _load, uploaded

from evals.creator import ANSWERABLE, CreatorSet
from evals.creator.scoring import mentions
from townsquare.studio.conversation.answers import Answer, Chooser, today
from townsquare.studio.conversation.focus import retype
from townsquare.studio.conversation.grounding import Guard
from townsquare.studio.conversation.language import reply_language
from townsquare.studio.conversation.pipeline import RETRIEVE_K
from townsquare.studio.conversation.questions import read_question
from townsquare.studio.conversation.safety import question_part, sanitise_passage
from townsquare.studio.conversation.selection import shipped, typed_answer
from townsquare.studio.conversation.wording import content_words, meets, numbers
from townsquare.studio.knowledge.passages import Passage

PREFIX_MIN = 4  # stems this long meet the longer stems they begin (``answers.PREFIX_MIN``)


def lacks(
    question: str, subject: frozenset[str], quoted: Sequence[str], material: str
) -> list[str]:
    """What ``question`` names that an answer quoting ``quoted`` from ``material`` does not:
    "figure:5", "word:spring" ([]: nothing)."""
    held = numbers(" ".join(quoted)) | numbers(material)
    figures = [f"figure:{n}" for n in sorted(numbers(question) - held)]
    named = content_words(material)
    unnamed = [f"word:{w}" for w in sorted(subject) if not meets(w, named, shortest=PREFIX_MIN)]
    return figures + unnamed


@dataclass(frozen=True)
class Row:
    """One typed question, its answer and whether the near-miss check turns it away."""

    set: str
    id: str
    category: str
    question: str
    type: str
    subject: list[str]  # the question's subject stems
    answer: str  # "" for "I don't know"
    right: bool  # answerable, and the answer has an expected value and no forbidden one
    quoted: list[str]  # the sentences the answer quotes
    material: str  # the retrieved passages' titles, locators and texts

    def lacking(self, only: str) -> list[str]:
        """What the near-miss check finds the answer lacks ([]: it answers, or none given)."""
        if not self.answer:
            return []
        found = lacks(self.question, frozenset(self.subject), self.quoted, self.material)
        return [f for f in found if f.startswith(only)]


def recorded(evalset: CreatorSet) -> list[Row]:
    """Every typed question of ``evalset`` answered as the pipeline answers it."""
    names = frozenset(
        w
        for w in f"{evalset.agent.name} {evalset.agent.handle} {evalset.agent.owner_name}"
        f" {evalset.agent.owner_handle}".lower()
        .replace("_", " ")
        .split()
    )
    with uploaded(evalset) as (models, retriever):

        def search(text: str) -> list[Passage]:
            found = retriever.search(text, RETRIEVE_K)
            return [c for p in found if (c := sanitise_passage(p)) is not None]

        rows = []
        for q in evalset.questions:
            if q.category not in ANSWERABLE and q.category != "unanswerable":
                continue
            query = question_part(q.question)
            language = reply_language(q.question).code
            asked = retype(read_question(query, language=language, names=names), query)
            if asked.type == "other":
                continue
            guard = Guard(models.embedder_for(q.question), names)
            chooser = Chooser(query, asked, guard, owner=evalset.agent.owner_name, on=today())
            passages = search(query)
            chosen = typed_answer(chooser, passages, search, shipped())
            text = chosen.text if isinstance(chosen, Answer) else ""
            cited = chosen.citations if isinstance(chosen, Answer) else []
            quoted = [str(c["quote"]) for c in cited]
            right = (
                q.category in ANSWERABLE
                and any(mentions(text, e) for e in q.expected)
                and not any(mentions(text, f) for f in q.forbidden)
            )
            material = "\n".join(f"{p.title}\n{p.locator}\n{p.text}" for p in passages)
            rows.append(
                Row(
                    evalset.name,
                    q.id,
                    q.category,
                    query,
                    asked.type,
                    sorted(asked.subject),
                    text,
                    right,
                    quoted,
                    material,
                )
            )
        return rows


def tally(rows: Sequence[Row], only: str) -> dict[str, list[int]]:
    """Per set: answerable typed, right, right the check turns away; unanswerable typed,
    answered anyway, answered that the check turns away."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        c = counts.setdefault(row.set, [0, 0, 0, 0, 0, 0])
        if row.category == "unanswerable":
            c[3] += 1
            c[4] += bool(row.answer)
            c[5] += bool(row.lacking(only))
        else:
            c[0] += 1
            c[1] += row.right
            c[2] += row.right and bool(row.lacking(only))
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", default=[], dest="sets")
    parser.add_argument("--record", type=Path, help="write every row here")
    parser.add_argument("--from", type=Path, dest="source", help="read rows instead of the sets")
    parser.add_argument("--show", action="store_true", help="list the answers the check turns")
    parser.add_argument("--only", default="", help="count only what the check names so")
    args = parser.parse_args(argv)
    if args.source:
        rows = [Row(**r) for r in json.loads(args.source.read_text())]
    else:
        rows = []
        for name in args.sets:  # each set's rows kept as soon as it is read
            rows += recorded(_load(name))
            if args.record:
                args.record.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False))
    print("set          answerable: right  lost   unanswerable: answered  turned")
    for name, (n, right, lost, u, answered, turned) in tally(rows, args.only).items():
        print(f"{name:<12} {n:>4} {right:>12} {lost:>5}   {u:>6} {answered:>15} {turned:>7}")
    if args.show:
        for row in rows:
            if lacking := row.lacking(args.only):
                print(f"  {row.set} {row.id} right={row.right} lacks {lacking}: {row.question}")
                print(f"      {row.answer[:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
