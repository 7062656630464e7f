"""Character Card macros in the owner's text, expanded before the model reads it.

Cards written for SillyTavern and its kin name the character ``{{char}}`` (or ``<BOT>``) and
the person talking to it ``{{user}}`` (or ``<USER>``) in every field, not only in the example
dialogues' speaker labels: "{{char}} is a volcanologist ...", "{{user}} is visiting the
observatory". Read as they are, the model sees a placeholder where the character's name
should be, and writes it back. Card frontends replace them with the two names at prompt time;
so does the prompt here (the stored card keeps them, so that it exports as it came).
"""

from __future__ import annotations

import re
from dataclasses import replace

from townsquare.studio.conversation.persona import ExampleLine, Persona

# ``{{char}}``, ``{{ user }}``, ``<BOT>``, ``<USER>``, in any case.
_MACRO = re.compile(r"\{\{\s*(?P<curly>char|user)\s*\}\}|<(?P<angle>bot|user)>", re.IGNORECASE)


def expand(text: str, *, char: str, user: str) -> str:
    """``text`` with the character's macros replaced by ``char`` and the member's by ``user``."""

    def name(match: re.Match[str]) -> str:
        macro = (match.group("curly") or match.group("angle")).lower()
        return user if macro == "user" else char

    return _MACRO.sub(name, text)


def expanded(persona: Persona, *, member: str) -> Persona:
    """``persona`` with the macros of every field the prompt shows expanded (``expand``)."""

    def fill(text: str) -> str:
        return expand(text, char=persona.name, user=member)

    return replace(
        persona,
        tagline=fill(persona.tagline),
        personality=fill(persona.personality),
        traits=tuple(fill(t) for t in persona.traits),
        interests=tuple(fill(i) for i in persona.interests),
        tone=fill(persona.tone),
        scenario=fill(persona.scenario),
        greeting=fill(persona.greeting),
        example_dialogues=tuple(
            tuple(ExampleLine(line.speaker, fill(line.text)) for line in dialogue)
            for dialogue in persona.example_dialogues
        ),
        instructions=fill(persona.instructions),
    )
