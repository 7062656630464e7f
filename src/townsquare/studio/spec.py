"""What an owner writes to define an agent: the one shape shared by the API, the CLI and cards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

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
MAX_DIALOGUE_TURNS = 64
# Short turns by default: a small model rambles and loops in long ones (issue 17).
DEFAULT_REPLY_SENTENCES = 3
MAX_REPLY_SENTENCES = 8

Item = Annotated[str, Field(max_length=2_000)]


# What the validators below refuse, as the JSON schema states it: a text with a NUL character,
# and (a model that strips its texts) one that is blank once stripped.
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"
_UNPATTERNED = ("pattern", "format", "enum", "const")


def _texts(schema: dict[str, Any]) -> Iterator[tuple[dict[str, Any], bool]]:
    """The string schemas of a model's fields: each with whether it is a list's item."""
    for field in schema.get("properties", {}).values():
        for option in field.get("anyOf", [field]):
            if option.get("type") == "array" and option.get("items", {}).get("type") == "string":
                yield option["items"], True
            elif option.get("type") == "string":
                yield option, False


def _document_texts(schema: dict[str, Any], model: type[BaseModel]) -> None:
    strips = bool(model.model_config.get("str_strip_whitespace"))
    blank_items = getattr(model, "_blank_items_refused", False)
    for text, is_item in _texts(schema):
        if not any(key in text for key in _UNPATTERNED):
            blank = strips and (text.get("minLength", 0) >= 1 or (is_item and blank_items))
            text["pattern"] = NOT_BLANK if blank else NO_NUL


class StrictModel(BaseModel):
    """Unknown fields and NUL characters are refused (the base of every request body too)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_document_texts)

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
    traits: list[Item] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    interests: list[Item] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    tone: str = Field("", max_length=200)
    scenario: str = Field("", max_length=MAX_PERSONA_TEXT)
    greeting: str = Field("", max_length=MAX_TEXT)
    alternate_greetings: list[Item] = Field(default_factory=list, max_length=MAX_GREETINGS)
    openers: list[Item] = Field(
        default_factory=list, max_length=MAX_OPENERS, description="Suggested first messages."
    )
    example_dialogues: list[Annotated[list[DialogueTurn], Field(max_length=MAX_DIALOGUE_TURNS)]] = (
        Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    )
    instructions: str = Field("", max_length=MAX_TEXT)
    avoid_topics: list[AvoidTopic] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    visibility: Visibility = "public"
    reply_mode: ReplyMode = "send"
    reply_sentences: int = Field(
        DEFAULT_REPLY_SENTENCES,
        ge=1,
        le=MAX_REPLY_SENTENCES,
        description="The most sentences a character's or assistant's reply may have.",
    )

    _blank_items_refused: ClassVar[bool] = True  # in every list of texts (the JSON schema says)

    @field_validator("traits", "interests", "alternate_greetings", "openers")
    @classmethod
    def _no_blank_items(cls, items: list[str]) -> list[str]:
        cleaned = [item.strip() for item in items]
        if any(not item for item in cleaned):
            raise ValueError("items must not be blank")
        return cleaned


class AgentSpec(AgentProfile):
    """A new agent: its profile plus what is fixed at creation."""

    handle: str = Field(min_length=3, max_length=32, description="The agent's own @handle.")
    kind: AgentKind = "character"
