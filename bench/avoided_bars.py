"""The avoided-topic bars against every creator set: how near each question is to each of its
agent's avoided topics and to the material the pipeline retrieves for it, and, for bars to
try, how many off-limits questions each would deflect and how many other questions it would
deflect by mistake, per set.

    python -m bench.avoided_bars --set dev --set kayak ... [--scores scores.json]
        [--from scores.json] [--loose 0.25 --clear 0.15 --similarity 0.38]
        [--across 0.42]

Each set is uploaded to a fresh Townsquare as ``bench.creator_eval`` does; each question's
material is what the pipeline's retrieval returns for it (``RETRIEVE_K`` passages, sanitised),
and its nearness is read by the embedder the pipeline reads it with (``Models.embedder_for``).
``--scores`` keeps the nearness of every question, and the material retrieved for it, so that
bars can be tried again without the models (``--from``), and the code as it is now can read
the kept questions and material again without uploading the sets (``--from F --again``). No
answer is written: the chat model is never asked.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.creator_eval import _load, uploaded

from evals.creator import CreatorSet, Question
from evals.creator.harness import build_models, instance_settings
from townsquare.ai.runtime import Models
from townsquare.studio.conversation import avoided
from townsquare.studio.conversation.avoided import TopicScore, topic_scores
from townsquare.studio.conversation.persona import AvoidTopic
from townsquare.studio.conversation.pipeline import RETRIEVE_K
from townsquare.studio.conversation.safety import question_part, sanitise_passage
from townsquare.studio.conversation.wording import content_words


@dataclass(frozen=True)
class Row:
    """One question's nearness to each avoided topic of its set."""

    set: str
    id: str
    category: str
    language: str
    question: str
    scores: list[dict[str, object]]  # per topic: words, specific, across, stranger, to_topic,
    # to_material
    material: list[str] = field(default_factory=list)  # the passages retrieved for it


def _row(evalset: CreatorSet, question: Question, models: Models, material: list[str]) -> Row:
    """``question`` read against ``evalset``'s avoided topics and ``material``."""
    rules = [AvoidTopic(t.topic, t.reply) for t in evalset.agent.avoid_topics]
    text = question.question
    scores = topic_scores(text, rules, models.embedder_for(text), material)
    said = content_words(text)
    return Row(
        evalset.name,
        question.id,
        question.category,
        question.language,
        text,
        [
            {
                "specific": s.specific,
                "to_topic": list(s.to_topic),
                "to_material": list(s.to_material),
                "across": s.across,
                "stranger": s.stranger,
                "words": avoided.names_topic(s.rule, said),
            }
            for s in scores
        ],
        material,
    )


def scored(evalset: CreatorSet) -> list[Row]:
    """Every question of ``evalset`` read against its avoided topics, as the pipeline reads it."""
    with uploaded(evalset) as (models, retriever):
        rows = []
        for q in evalset.questions:
            found = retriever.search(question_part(q.question), RETRIEVE_K)
            material = [c.text for p in found if (c := sanitise_passage(p)) is not None]
            rows.append(_row(evalset, q, models, material))
        return rows


def read_again(rows: Sequence[Row]) -> list[Row]:
    """``rows`` read again by the code as it is now, each with the material kept for it."""
    with tempfile.TemporaryDirectory() as tmp:
        models = build_models("embedded", instance_settings(Path(tmp)))
        sets = {name: _load(name) for name in dict.fromkeys(row.set for row in rows)}
        questions = {(s.name, q.id): q for s in sets.values() for q in s.questions}
        return [
            _row(sets[row.set], questions[row.set, row.id], models, row.material) for row in rows
        ]


def deflected(row: Row) -> bool:
    """Whether the bars now in ``avoided`` deflect ``row`` (its embedding tests)."""
    rule = AvoidTopic("", "")
    return any(bool(s["words"]) for s in row.scores) or any(
        TopicScore(
            rule,
            bool(s["specific"]),
            bool(s["across"]),
            bool(s.get("stranger", False)),
            tuple(s["to_topic"]),  # type: ignore[arg-type]
            tuple(s["to_material"]),  # type: ignore[arg-type]
        ).matches()
        for s in row.scores
    )


def tally(rows: Sequence[Row]) -> dict[str, tuple[int, int, int, int]]:
    """Per set: off-limits deflected, off-limits, others deflected, others."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        c = counts.setdefault(row.set, [0, 0, 0, 0])
        hit = deflected(row)
        if row.category == "off_limits":
            c[0] += hit
            c[1] += 1
        else:
            c[2] += hit
            c[3] += 1
    return {name: (c[0], c[1], c[2], c[3]) for name, c in counts.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", default=[], dest="sets")
    parser.add_argument("--scores", type=Path, help="write every question's nearness here")
    parser.add_argument("--from", type=Path, dest="source", help="read them instead of the sets")
    parser.add_argument("--similarity", type=float, default=avoided.AVOID_SIMILARITY)
    parser.add_argument("--loose", type=float, default=avoided.AVOID_LOOSE)
    parser.add_argument("--clear", type=float, default=avoided.AVOID_CLEAR)
    parser.add_argument("--across", type=float, default=avoided.AVOID_ACROSS)
    parser.add_argument("--show", action="store_true", help="list the questions deflected")
    parser.add_argument(
        "--again", action="store_true", help="read --from's questions again with the code now"
    )
    args = parser.parse_args(argv)
    avoided.AVOID_SIMILARITY, avoided.AVOID_LOOSE = args.similarity, args.loose
    avoided.AVOID_CLEAR, avoided.AVOID_ACROSS = args.clear, args.across
    if args.source:
        rows = [Row(**r) for r in json.loads(args.source.read_text())]
        if args.again:
            rows = read_again(rows)
            if args.scores:
                args.scores.write_text(json.dumps([r.__dict__ for r in rows], ensure_ascii=False))
    else:
        rows = []
        for name in args.sets:  # each set's scores kept as soon as it is read
            rows += scored(_load(name))
            if args.scores:
                args.scores.write_text(json.dumps([r.__dict__ for r in rows], ensure_ascii=False))
    print("set          off-limits deflected   others deflected")
    for name, (hit, n, wrong, m) in tally(rows).items():
        print(f"{name:<12} {hit:>3} of {n:<3}              {wrong:>3} of {m}")
    if args.show:
        for row in rows:
            if deflected(row):
                print(f"  {row.set} {row.id} {row.language}: {row.question}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
