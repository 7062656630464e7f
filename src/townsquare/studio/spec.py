"""What an owner writes to define an agent: the one shape shared by the API, the CLI and cards."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

AgentKind = Literal["character", "creator", "business", "assistant"]
Visibility = Literal["public", "unlisted", "private"]
ReplyMode = Literal["off", "drafts", "send"]

AGENT_KINDS: tuple[AgentKind, ...] = ("character", "creator", "business", "assistant")
# Agents of these kinds speak for a real person or business, so every fact must come from a source.
GROUNDED_KINDS: frozenset[str] = frozenset({"creator", "business"})

MAX_OPENERS = 3
MAX_GREETINGS = 20
MAX_LIST_ITEMS = 32
MAX_TEXT = 8_000
MAX_PERSONA_TEXT = 32_000  # community character cards often carry long descriptions


class StrictModel(BaseModel):
    """Unknown fields and NUL characters are refused (the base of every request body too)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: object) -> object:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("text must not contain NUL characters")
        return value


class _Strict(StrictModel):
    """A strict model whose texts lose their surrounding whitespace."""

    model_config = ConfigDict(str_strip_whitespace=True)


class DialogueTurn(_Strict):
    speaker: Literal["user", "agent"]
    text: str = Field(min_length=1, max_length=2_000)


class AvoidTopic(_Strict):
    """A subject the agent does not discuss, and the reply the owner wants given instead."""

    topic: str = Field(min_length=2, max_length=200, description="e.g. 'my ex', 'politics'")
    reply: str = Field(
        min_length=1, max_length=1_000, description="Sent as is; no model is called."
    )


class AgentProfile(_Strict):
    """Every field an owner can change after creation."""

    name: str = Field(min_length=1, max_length=80)
    tagline: str = Field("", max_length=160)
    personality: str = Field("", max_length=MAX_PERSONA_TEXT)
    traits: list[str] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    interests: list[str] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    tone: str = Field("", max_length=200)
    scenario: str = Field("", max_length=MAX_PERSONA_TEXT)
    greeting: str = Field("", max_length=MAX_TEXT)
    alternate_greetings: list[str] = Field(default_factory=list, max_length=MAX_GREETINGS)
    openers: list[str] = Field(
        default_factory=list, max_length=MAX_OPENERS, description="Suggested first messages."
    )
    example_dialogues: list[list[DialogueTurn]] = Field(
        default_factory=list, max_length=MAX_LIST_ITEMS
    )
    instructions: str = Field("", max_length=MAX_TEXT)
    avoid_topics: list[AvoidTopic] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    visibility: Visibility = "public"
    reply_mode: ReplyMode = "send"

    @field_validator("traits", "interests", "alternate_greetings", "openers")
    @classmethod
    def _no_blank_items(cls, items: list[str]) -> list[str]:
        cleaned = [item.strip() for item in items]
        if any(not item for item in cleaned):
            raise ValueError("items must not be blank")
        if any(len(item) > 2_000 for item in cleaned):
            raise ValueError("items are at most 2000 characters")
        return cleaned


class AgentSpec(AgentProfile):
    """A new agent: its profile plus what is fixed at creation."""

    handle: str = Field(min_length=3, max_length=32, description="The agent's own @handle.")
    kind: AgentKind = "character"
