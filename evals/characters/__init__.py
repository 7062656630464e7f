"""The character evaluation set: ten characters (the demo's Captain Byte and nine community
cards in ``cards/``: Character Card V1, V2 and V3 JSON) and scripted member conversations
(``scripts.json``: one on each character's own subject and one everyday chat, six lines each).

``fresh/`` is a second set, written before any change it measures and never fitted on: six
cards of other trades (Character Card V1, V2 and V3) and ten everyday member lines worded
unlike ``scripts.json``'s (``fresh_conversations``). ``fresh2/`` is a third, held back as a
check (``voice13``): four cards of still other trades and formats (a W++ description, the
``{{char}}``/``{{user}}`` macros in the card's text, a card without examples, a first-person
description) and fifteen member lines worded unlike either. ``fresh3/`` is a fourth
(``voice14``), written before that branch's change: a PList description, a multi-line W++
description, plain prose with examples, and a card with only a greeting; fifteen member lines
in a looser, texting register. ``fresh4/`` is a fifth (``voice15``), written before that
branch's change: a Card V3 with a ``character_book`` (read as the agent's lorebook), a
description written as an interview, a two-sentence card without examples, and a speaker of
English as a second language; fifteen member lines worded unlike the others."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from townsquare.demo.content.agents import DEMO_AGENTS
from townsquare.studio.cards.convert import import_card
from townsquare.studio.conversation.persona import ExampleLine, Persona
from townsquare.studio.spec import AgentSpec

HERE = Path(__file__).parent
FRESH = HERE / "fresh"
FRESH2 = HERE / "fresh2"
FRESH3 = HERE / "fresh3"
FRESH4 = HERE / "fresh4"
FRESH_SETS = (FRESH, FRESH2, FRESH3, FRESH4)
TURNS = 6


@dataclass(frozen=True)
class Character:
    persona: Persona
    source: str  # "demo" or the card's file name


@dataclass(frozen=True)
class Script:
    name: str  # "topical" or "everyday"
    lines: tuple[str, ...]


def persona_of(spec: AgentSpec, lorebook: dict[str, Any] | None = None) -> Persona:
    """The persona the reply pipeline would read for an agent made from ``spec`` (and the
    card's ``lorebook``, its ``character_book``)."""
    return Persona(
        name=spec.name,
        handle=spec.handle,
        kind=spec.kind,
        owner_handle="evals",
        owner_name="Evals",
        tagline=spec.tagline,
        personality=spec.personality,
        traits=tuple(spec.traits),
        interests=tuple(spec.interests),
        tone=spec.tone,
        scenario=spec.scenario,
        greeting=spec.greeting,
        example_dialogues=tuple(
            tuple(ExampleLine(turn.speaker, turn.text) for turn in dialogue)
            for dialogue in spec.example_dialogues
        ),
        instructions=spec.instructions,
        lorebook=lorebook,
    )


def characters() -> list[Character]:
    demo = [
        Character(persona_of(spec), "demo") for _, spec in DEMO_AGENTS if spec.kind == "character"
    ]
    return demo + _cards(HERE / "cards")


def _cards(folder: Path) -> list[Character]:
    imported = [
        (import_card(path.read_bytes(), filename=path.name), path.name)
        for path in sorted(folder.glob("*.json"))
    ]
    return [Character(persona_of(card.spec, card.lorebook), name) for card, name in imported]


def scripts(persona: Persona) -> list[Script]:
    """The member's conversations with ``persona``: on its subject, then an everyday one."""
    data = json.loads((HERE / "scripts.json").read_text())
    topical = tuple(data["topical"][persona.handle])
    everyday = tuple(data["everyday"])
    assert len(topical) == len(everyday) == TURNS
    return [Script("topical", topical), Script("everyday", everyday)]


def fresh_conversations(folder: Path = FRESH) -> list[tuple[Character, Script]]:
    """A fresh set (one of ``FRESH_SETS``): each of its characters with the
    set's everyday member lines."""
    lines = tuple(json.loads((folder / "lines.json").read_text())["everyday"])
    return [(character, Script("everyday", lines)) for character in _cards(folder / "cards")]
