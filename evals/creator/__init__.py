"""Creator-agent evaluation sets: a creator's own files, uploaded through the knowledge API, and
members' questions about them. One directory per set, ``evals/creator/<set name>/``:

- ``agent.json`` — ``handle``, ``name``, ``tagline``, ``personality``, ``owner_instructions``,
  ``avoid_topics`` (strings, or ``{"topic", "reply"}`` objects), ``today`` (``YYYY-MM-DD``, the
  date the set is asked on) and ``canaries`` (strings that appear in a reply only if an
  injection worked). Optional: ``owner`` (``{"handle", "name"}``).
- ``files/`` — the material, uploaded as is (posts, an FAQ ``.json``, a catalog ``.csv``,
  ``.html`` pages, a transcript), some facts changed by later posts, injections planted in some.
- ``questions.jsonl`` — ``id``, ``category`` (``CATEGORIES``), ``language``, ``question``,
  ``gold`` (the files that hold the answer), ``expected`` (acceptable answers: any one counts),
  ``forbidden`` (strings that must not appear: a stale value stated as current, a canary).
  Optional: ``near`` (for an unanswerable question, the files about something close).

``load_set`` reads a set and checks it: every named file exists, answerable questions have gold
files and expected answers, ids are unique. ``evals.creator.baker`` presents the studio (baker)
evaluation in the same shape, so one harness runs both.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, get_args

Category = Literal[
    "one_source",
    "two_sources",
    "computed",
    "changed",
    "multilingual",
    "unanswerable",
    "off_limits",
    "injection_dm",
    "injection_doc",
]
CATEGORIES: tuple[Category, ...] = get_args(Category)
# Right answers are scored on these: the material holds (or computes) the answer.
ANSWERABLE: frozenset[str] = frozenset(
    {"one_source", "two_sources", "computed", "changed", "multilingual"}
)
INJECTIONS: frozenset[str] = frozenset({"injection_dm", "injection_doc"})
SETS_DIR = Path(__file__).parent
# What the agent says for an avoided topic given as a bare string in agent.json.
DEFAULT_AVOID_REPLY = "That's not something I talk about here, sorry! Ask me anything else."


@dataclass(frozen=True)
class AvoidTopic:
    topic: str
    reply: str


@dataclass(frozen=True)
class AgentFile:
    """``agent.json``: the creator agent as its owner defines it, and the set's date."""

    handle: str
    name: str
    tagline: str
    personality: str
    owner_instructions: str
    avoid_topics: tuple[AvoidTopic, ...]
    today: date | None  # None: asked on the real date (the baker set has none)
    canaries: tuple[str, ...]
    owner_handle: str
    owner_name: str

    def spec(self) -> dict[str, Any]:
        """The body of ``POST /agents`` that creates this agent."""
        return {
            "handle": self.handle,
            "kind": "creator",
            "name": self.name,
            "tagline": self.tagline,
            "personality": self.personality,
            "instructions": self.owner_instructions,
            "avoid_topics": [{"topic": t.topic, "reply": t.reply} for t in self.avoid_topics],
        }


@dataclass(frozen=True)
class Question:
    id: str
    category: Category
    language: str
    question: str
    gold: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    near: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.category in ANSWERABLE


@dataclass(frozen=True)
class CreatorSet:
    name: str
    agent: AgentFile
    files: dict[str, bytes]  # file name -> contents, as uploaded
    questions: list[Question]

    def of_category(self, category: str) -> list[Question]:
        return [q for q in self.questions if q.category == category]


def parse_agent(row: dict[str, Any]) -> AgentFile:
    """``agent.json``, checked. A missing owner gets a handle after the agent's and the agent's
    name less a trailing "AI" ("Kiln Notes AI" is owned by "Kiln Notes"): the creator wrote the
    material, and a reply that quotes it says so, never that the agent wrote it."""
    missing = [k for k in ("handle", "name", "today", "canaries") if k not in row]
    if missing:
        raise ValueError(f"agent.json: missing {', '.join(missing)}")
    topics = tuple(
        AvoidTopic(t, DEFAULT_AVOID_REPLY)
        if isinstance(t, str)
        else AvoidTopic(str(t["topic"]), str(t["reply"]))
        for t in row.get("avoid_topics", [])
    )
    owner = row.get("owner") or {}
    owner_handle = owner.get("handle") or re.sub(r"_?ai$", "", row["handle"]) + "_owner"
    return AgentFile(
        handle=row["handle"],
        name=row["name"],
        tagline=row.get("tagline", ""),
        personality=row.get("personality", ""),
        owner_instructions=row.get("owner_instructions", ""),
        avoid_topics=topics,
        today=date.fromisoformat(row["today"]),
        canaries=tuple(row["canaries"]),
        owner_handle=owner_handle,
        owner_name=owner.get("name") or re.sub(r"\s+AI$", "", row["name"]) or row["name"],
    )


def parse_question(row: dict[str, Any], files: set[str]) -> Question:
    """One line of ``questions.jsonl``, checked against the set's file names."""
    qid = row.get("id", "?")
    if row.get("category") not in CATEGORIES:
        raise ValueError(f"question {qid}: category {row.get('category')!r} is not one of ours")
    question = Question(
        id=row["id"],
        category=row["category"],
        language=row.get("language", "en"),
        question=row["question"],
        gold=tuple(row.get("gold", ())),
        expected=tuple(row.get("expected", ())),
        forbidden=tuple(row.get("forbidden", ())),
        near=tuple(row.get("near", ())),
    )
    unknown = sorted((set(question.gold) | set(question.near)) - files)
    if unknown:
        raise ValueError(f"question {qid}: names files that are not in files/: {unknown}")
    if question.answerable and not (question.gold and question.expected):
        raise ValueError(f"question {qid}: an answerable question needs gold and expected")
    return question


def load_set(name: str, root: Path = SETS_DIR) -> CreatorSet:
    """The set ``root/name``, checked (see the module docstring)."""
    directory = root / name
    if not (directory / "agent.json").is_file():
        raise ValueError(f"no evaluation set {name!r}: {directory}/agent.json does not exist")
    agent = parse_agent(json.loads((directory / "agent.json").read_text("utf-8")))
    files = {p.name: p.read_bytes() for p in sorted((directory / "files").iterdir()) if p.is_file()}
    lines = (directory / "questions.jsonl").read_text("utf-8").splitlines()
    questions = [parse_question(json.loads(line), set(files)) for line in lines if line.strip()]
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{name}/questions.jsonl: question ids must be unique")
    return CreatorSet(name, agent, files, questions)
