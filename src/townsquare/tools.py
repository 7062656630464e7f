"""One kind of tool for every caller, and the one registry of them.

A tool is a name, a description, the JSON schema of its arguments (an object), the function that
runs it, and what a caller must know before running it: why the member may not use it now
(``permitted``), whether it changes something (``side_effect``), and whether it asks first
(``needs_approval``; ``question`` checks such a call can be done and phrases what is asked).
Every tool runs in a ``Context`` (a session inside the caller's transaction and the member it
acts for; a caller extends it with what its calls belong to) and answers with a ``Result``.

Tools come in toolsets, by who calls them: a member's intents call the ``intents`` tools
(``tasks.intent_tools``: the platform's own; ``tasks.business_tools``: the business tools at a
business named in the arguments), a business agent calls the ``business`` tools in its DM thread
(``studio.business.tools``). A package adds its tools with ``register``; callers find them with
``get`` and ``available`` and check a call's arguments with ``validate``. What running a call
means beyond that belongs to the caller: an intent's step stores a side effect once under an
idempotency key (``tasks.intent_tools.execute``), the business runner proposes, holds and audits
(``studio.business.runner``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import jsonschema
from sqlalchemy.orm import Session

from townsquare.db.models import Account
from townsquare.errors import InvalidInput

__all__ = [
    "Context",
    "InvalidArguments",
    "Result",
    "Tool",
    "available",
    "get",
    "register",
    "unregister",
    "validate",
]

# held: a change waiting for the owner to approve the agent's draft reply
Status = Literal["ok", "refused", "error", "proposed", "held"]


@dataclass(frozen=True)
class Context:
    """Who a tool acts for: ``session`` is inside the caller's transaction (a tool never
    commits), ``member`` is the account the tool acts for. A caller's subclass adds what its
    calls belong to: the intent whose step runs it (``tasks.intent_tools.IntentContext``), the
    business agent's thread with the member (``studio.business.chat.Call``)."""

    session: Session
    member: Account


C = TypeVar("C", bound=Context)


@dataclass(frozen=True)
class Result:
    """What came of a call: its status, one plain sentence for a person (empty when the data is
    the whole answer) and the data."""

    status: Status = "ok"
    say: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    transferred: bool = False  # the conversation is handed to a person

    def as_dict(self) -> dict[str, Any]:
        """The result as a JSON object: the data alone when the tool said nothing, else its
        status and sentence first."""
        if not self.say:
            return dict(self.data)
        return {"status": self.status, "say": self.say, **self.data}


@dataclass(frozen=True)
class Tool(Generic[C]):
    """One tool. ``toolset`` says who calls it (see the module's docstring)."""

    name: str
    description: str
    parameters: Mapping[str, Any]  # JSON schema of the arguments, an object
    run: Callable[[C, dict[str, Any]], Result]
    toolset: str = field(kw_only=True)
    # Changes something: an intent does it once per idempotency key; a business agent whose
    # replies are drafts holds it for the owner.
    side_effect: bool = False
    # Asks first: the member approves in an intent's inbox, the customer says yes in a chat.
    needs_approval: bool = False
    # Checks a call that asks first can be done, and phrases the question (else the caller does).
    question: Callable[[C, dict[str, Any]], str] | None = None
    # Why the member may not use the tool now, or None.
    permitted: Callable[[C], str | None] | None = None


class InvalidArguments(InvalidInput):
    """A call's arguments do not fit the tool's schema; ``reason`` says how."""

    def __init__(self, tool: str, where: str, reason: str) -> None:
        super().__init__(f"bad arguments for {tool} at {where}: {reason}")
        self.reason = reason


_REGISTRY: dict[str, Tool[Any]] = {}


def register(tool: Tool[Any], *, replace: bool = False) -> None:
    """Adds a tool. A name is unique across toolsets; registering a taken one is an error unless
    ``replace`` is set."""
    if tool.name in _REGISTRY and not replace:
        raise ValueError(f"a tool named {tool.name!r} is already registered")
    jsonschema.validators.validator_for(tool.parameters).check_schema(dict(tool.parameters))
    _REGISTRY[tool.name] = tool


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def available(toolset: str) -> list[Tool[Any]]:
    """The toolset's tools, in the order they were registered."""
    return [tool for tool in _REGISTRY.values() if tool.toolset == toolset]


def get(name: str, toolset: str) -> Tool[Any]:
    """The toolset's tool of that name (a call of it is an action)."""
    tool = _REGISTRY.get(name)
    if tool is None or tool.toolset != toolset:
        known = ", ".join(sorted(t.name for t in available(toolset)))
        raise InvalidInput(f"no action named {name!r}; known actions: {known}")
    return tool


def validate(tool: Tool[Any], arguments: Any) -> None:
    """Raises ``InvalidArguments`` unless ``arguments`` fit the tool's schema."""
    schema = tool.parameters
    error = jsonschema.exceptions.best_match(
        jsonschema.validators.validator_for(schema)(schema).iter_errors(arguments)
    )
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "args"
        raise InvalidArguments(tool.name, where, error.message)
