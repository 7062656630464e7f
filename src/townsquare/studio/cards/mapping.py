"""How a card's fields become an agent's profile, and back.

=========================================================  =========================================
card (``data.*``)                                          Townsquare
=========================================================  =========================================
``name``                                                   ``name``
``description`` (the long persona text)                    ``personality``
``personality`` (the short summary)                        ``tone`` when it fits (200 characters);
                                                           a longer one becomes a "Personality:"
                                                           paragraph at the end of ``personality``
``scenario``                                               ``scenario``
``first_mes``                                              ``greeting``
``alternate_greetings``                                    ``alternate_greetings`` (blank ones
                                                           dropped)
``mes_example`` (``<START>`` blocks of ``{{user}}:`` and   ``example_dialogues``
``{{char}}:`` lines)
``system_prompt`` + ``post_history_instructions``          ``instructions`` (joined by a blank line;
                                                           exported as ``system_prompt``)
``extensions.townsquare.{handle, tagline, traits,          the same fields (``kind`` is written for
interests, openers, avoid_topics, visibility,              information; the importer chooses it)
reply_mode, reply_sentences}``
``character_book``                                         the lorebook (``studio/lorebook.py``)
everything else: ``creator_notes``, ``tags``, ``creator``,  ``card_extra["data"]``, which nothing
``character_version``, other ``extensions``, the V3        that builds a prompt reads: creator notes
fields, fields no spec defines                             are for people, not for the model
=========================================================  =========================================

Round trips are exact. Some conversions lose something: the profile trims whitespace, a
post-history instruction merges into the instructions, text outside any dialogue line has no
place. For each card field the profile would not give back as it was, ``card_extra["verbatim"]``
keeps the card's text together with a fingerprint of the profile fields it was read into. Export
uses that text while those fields are unchanged, and derives the field from the profile as soon as
the owner edits them.

The ``extensions.townsquare`` block is written when it carries something: a Townsquare-only field
that is not at its default, an agent kind other than ``character``, or a card that had one.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from townsquare.social.accounts import HANDLE_RE
from townsquare.studio.cards.fields import TEXT, TEXT_LIST, CardError, checked
from townsquare.studio.spec import MAX_TEXT, AgentKind, AgentProfile, AgentSpec, DialogueTurn

EXTENSION = "townsquare"
# Profile fields that only Townsquare has; they travel in data.extensions.townsquare.
TOWNSQUARE_FIELDS = (
    "tagline",
    "traits",
    "interests",
    "openers",
    "avoid_topics",
    "visibility",
    "reply_mode",
    "reply_sentences",
)
_TS_SET = set(TOWNSQUARE_FIELDS)
CARD_TEXT_FIELDS = (
    "name",
    "description",
    "personality",
    "scenario",
    "first_mes",
    "mes_example",
    "system_prompt",
    "post_history_instructions",
)
# The profile fields each card field is derived from on export.
_SOURCES: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "description": ("personality",),
    "personality": ("tone", "personality"),
    "scenario": ("scenario",),
    "first_mes": ("greeting",),
    "mes_example": ("example_dialogues",),
    "system_prompt": ("instructions",),
    "post_history_instructions": ("instructions",),
    "alternate_greetings": ("alternate_greetings",),
}
# Where a profile field came from in the card, for error messages.
_CARD_PATHS = {
    "name": "name",
    "personality": "description",
    "tone": "personality",
    "scenario": "scenario",
    "greeting": "first_mes",
    "alternate_greetings": "alternate_greetings",
    "example_dialogues": "mes_example",
    "instructions": "system_prompt",
    "handle": f"extensions.{EXTENSION}.handle",
    **{field: f"extensions.{EXTENSION}.{field}" for field in TOWNSQUARE_FIELDS},
}
_PERSONALITY_LABEL = "Personality: "
_TONE_MAX: int = AgentProfile.model_json_schema()["properties"]["tone"]["maxLength"]
_START = re.compile(r"\s*<start>\s*", re.IGNORECASE)
_USER_LABEL = r"\{\{user\}\}|<user>"
_CHAR_LABEL = r"\{\{char\}\}|<bot>|<char>"


def profile_from_card(
    data: Mapping[str, Any], *, prefix: str, kind: AgentKind
) -> tuple[AgentSpec, dict[str, Any]]:
    """The agent a card's ``data`` describes, and the verbatim texts export needs to give the
    card back unchanged. ``prefix`` is where ``data`` sits in the card (``data.``, or nothing
    for V1), for error messages."""
    if data.get("name") is None:
        raise CardError(f"{prefix}name: missing")
    texts: dict[str, str] = {
        key: checked(data, key, TEXT, f"{prefix}{key}") or "" for key in CARD_TEXT_FIELDS
    }
    if not texts["name"].strip():
        raise CardError(f"{prefix}name: must not be empty")
    greetings: list[str] = (
        checked(data, "alternate_greetings", TEXT_LIST, f"{prefix}alternate_greetings") or []
    )
    block = townsquare_block(data, prefix)
    persona, tone = _persona(texts["description"], texts["personality"], prefix)
    instructions = [
        text.strip()
        for text in (texts["system_prompt"], texts["post_history_instructions"])
        if text.strip()
    ]
    spec = _validated(
        {
            "name": texts["name"],
            "personality": persona,
            "tone": tone,
            "scenario": texts["scenario"],
            "greeting": texts["first_mes"],
            "alternate_greetings": [greeting for greeting in greetings if greeting.strip()],
            "example_dialogues": parse_examples(texts["mes_example"], texts["name"]),
            "instructions": "\n\n".join(instructions),
            **{field: block[field] for field in TOWNSQUARE_FIELDS if field in block},
            "handle": _handle(block.get("handle"), texts["name"], kind, prefix),
            "kind": kind,
        },
        prefix,
    )
    original: dict[str, Any] = {**texts, "alternate_greetings": greetings}
    derived = card_fields(spec)
    verbatim = {
        key: {"card": original[key], "profile": _fingerprint(spec, sources)}
        for key, sources in _SOURCES.items()
        if derived[key] != original[key]
    }
    return spec, verbatim


def card_fields(profile: AgentProfile, verbatim: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The card fields a profile gives; with ``verbatim`` (from import), a field whose profile
    sources are unchanged since import comes back exactly as the card had it."""
    fields: dict[str, Any] = {
        "name": profile.name,
        "description": profile.personality,
        "personality": profile.tone,
        "scenario": profile.scenario,
        "first_mes": profile.greeting,
        "mes_example": render_examples(profile.example_dialogues),
        "system_prompt": profile.instructions,
        "post_history_instructions": "",
        "alternate_greetings": list(profile.alternate_greetings),
    }
    for key, kept in (verbatim or {}).items():
        if key in _SOURCES and kept.get("profile") == _fingerprint(profile, _SOURCES[key]):
            fields[key] = kept["card"]
    return fields


def townsquare_block(data: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """``data.extensions.townsquare``, or an empty dict."""
    extensions = data.get("extensions")
    block = extensions.get(EXTENSION) if isinstance(extensions, Mapping) else None
    if block is None:
        return {}
    if not isinstance(block, Mapping):
        raise CardError(f"{prefix}extensions.{EXTENSION}: must be an object")
    return dict(block)


def townsquare_fields(profile: AgentProfile, *, handle: str, kind: str) -> dict[str, Any]:
    """What export writes into ``data.extensions.townsquare``."""
    return {"handle": handle, "kind": kind, **profile.model_dump(mode="json", include=_TS_SET)}


def has_townsquare_news(profile: AgentProfile, kind: str) -> bool:
    """Whether the profile holds anything a card cannot carry without the block."""
    defaults = AgentProfile(name=profile.name).model_dump(mode="json", include=_TS_SET)
    return kind != "character" or profile.model_dump(mode="json", include=_TS_SET) != defaults


def parse_examples(text: str, name: str) -> list[list[dict[str, str]]]:
    """``mes_example`` as dialogues: each ``<START>`` opens one, ``{{user}}:`` / ``{{char}}:``
    (or ``<USER>:`` / ``<BOT>:``, or the character's name) open turns, other lines continue the
    turn before them. Text before the first turn has no place and is dropped."""
    speaker = re.compile(
        rf"\s*(?:(?P<user>{_USER_LABEL})|{_CHAR_LABEL}|{re.escape(name.strip())})\s*:\s?(?P<text>.*)",
        re.IGNORECASE | re.DOTALL,
    )
    dialogues: list[list[dict[str, str]]] = [[]]
    for line in text.replace("\r\n", "\n").split("\n"):
        if _START.fullmatch(line):
            dialogues.append([])
            continue
        turn = speaker.fullmatch(line)
        if turn is not None:
            who = "user" if turn.group("user") else "agent"
            dialogues[-1].append({"speaker": who, "text": turn.group("text")})
        elif dialogues[-1]:
            dialogues[-1][-1]["text"] += "\n" + line
    cleaned = [[turn for turn in dialogue if turn["text"].strip()] for dialogue in dialogues]
    return [dialogue for dialogue in cleaned if dialogue]


def render_examples(dialogues: Sequence[Sequence[DialogueTurn]]) -> str:
    blocks = []
    for dialogue in dialogues:
        lines = ["<START>"]
        for turn in dialogue:
            label = "{{user}}" if turn.speaker == "user" else "{{char}}"
            lines.append(f"{label}: {turn.text}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def handle_from_name(name: str, kind: str) -> str:
    """A valid handle (``[a-z0-9_]{3,32}``) that reads like the name: "Dr. Émile Zola" ->
    "dr_emile_zola"; a name with no Latin letters gives the kind ("character")."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", folded).strip("_")[:32].rstrip("_")
    if len(slug) < 3:
        slug = f"{slug}_{kind}".strip("_")[:32]
    return slug


def _handle(wanted: object, name: str, kind: str, prefix: str) -> str:
    if wanted is None:
        return handle_from_name(name, kind)
    handle = wanted.strip().lstrip("@").lower() if isinstance(wanted, str) else ""
    if not HANDLE_RE.fullmatch(handle):
        raise CardError(
            f"{prefix}extensions.{EXTENSION}.handle: must be 3-32 characters of lowercase "
            "letters, digits or underscores"
        )
    return handle


def _persona(description: str, personality: str, prefix: str) -> tuple[str, str]:
    """(profile personality, tone): the summary is the tone when it fits, else a paragraph."""
    summary = personality.strip()
    if len(summary) <= _TONE_MAX:
        return description, summary
    persona = "\n\n".join(
        part for part in (description.strip(), _PERSONALITY_LABEL + summary) if part
    )
    if len(persona) > MAX_TEXT:
        raise CardError(
            f"{prefix}personality: too long for a tone ({_TONE_MAX} characters) and too long to "
            f"add to {prefix}description ({MAX_TEXT} characters together)"
        )
    return persona, ""


def _validated(values: dict[str, Any], prefix: str) -> AgentSpec:
    """The spec, or a CardError naming the card field the first problem came from."""
    try:
        return AgentSpec.model_validate(values)
    except ValidationError as error:
        problem = error.errors(include_url=False)[0]
        location = problem["loc"]
        field = str(location[0]) if location else ""
        path = prefix + _CARD_PATHS[field] if field in _CARD_PATHS else field
        if field == "example_dialogues" and len(location) >= 3:
            path += f" (example dialogue {int(location[1]) + 1}, turn {int(location[2]) + 1})"
        else:
            path += "".join(
                f"[{part}]" if isinstance(part, int) else f".{part}" for part in location[1:]
            )
        message = str(problem["msg"]).removeprefix("Value error, ")
        raise CardError(f"{path}: {message}") from error


def _fingerprint(profile: AgentProfile, fields: tuple[str, ...]) -> str:
    values = profile.model_dump(mode="json", include=set(fields))
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
