"""OpenAI-compatible endpoints, so any OpenAI client can talk to a Townsquare agent: the model
is the agent's handle, the API key a Townsquare token.

The agent's own persona, knowledge, guard and labels apply exactly as in a DM. The client's
``system`` messages are not instructions to the agent (its persona is its owner's and is
read-only); they are ignored. Earlier user/assistant turns are the conversation's memory.
The reply carries a ``townsquare`` object with the AI label and the citations.

A business agent answers the caller as its customer, exactly as in a DM, through the same turn
(tools, policy, verification, confirmation, audit log, hand-off): the conversation *is* the
caller's DM thread with the agent, where their verification and any change waiting for their
yes live, so the last user message is sent there and answered by the reply worker; earlier
turns of the request are not replayed. When the owner reviews replies first, or answers in
person, the completion says so and the answer arrives in the thread.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import or_, select

from townsquare.ai.runtime import Models
from townsquare.api.deps import CurrentAccount
from townsquare.db import Database, reading_first
from townsquare.db.models import Account, Agent, Message
from townsquare.errors import InvalidInput
from townsquare.http import SessionDep
from townsquare.social import quotas
from townsquare.social.messages import MAX_MESSAGE
from townsquare.studio import agents
from townsquare.studio.conversation.memory import Turn
from townsquare.studio.conversation.types import Delta, Outcome, Reply
from townsquare.studio.dm import agent_threads, answering, sending
from townsquare.studio.dm.answering import MAX_CLIENT_TURNS, MAX_TURN_CHARS
from townsquare.studio.dm.worker import ReplyWorker
from townsquare.studio.spec import NO_NUL

router = APIRouter(prefix="/v1", tags=["openai-compatible"])

DRAFTED = (
    "The team reviews the assistant's replies before they are sent: the answer will reach you"
    " in your messages with @{handle}."
)
SILENT = (
    "A person from the team is handling this conversation: they will answer you in your"
    " messages with @{handle}."
)
LATE = "The answer is taking long: it will appear in your messages with @{handle}."


@dataclass(frozen=True)
class Answered:
    """How a business agent's DM turn ended, as a completion reports it."""

    text: str
    outcome: str  # the pipeline's (tools, answered, quoted, ...), or draft | silent | pending
    citations: list[dict[str, object]] = field(default_factory=list)


class ModelCard(BaseModel):
    id: str = Field(description="The agent's handle: pass it as `model`.")
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str = Field(max_length=32)
    text: str | None = Field(None, max_length=MAX_TURN_CHARS, json_schema_extra={"pattern": NO_NUL})


class ChatTurn(BaseModel):
    model_config = ConfigDict(extra="ignore")  # name, tool_call_id, ... are accepted and unused
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: (
        Annotated[str, Field(max_length=MAX_TURN_CHARS, json_schema_extra={"pattern": NO_NUL})]
        | Annotated[list[ContentPart], Field(max_length=16)]
        | None
    ) = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(part.text or "" for part in self.content if part.type == "text")


class ChatCompletionRequest(BaseModel):
    """The OpenAI request shape. Sampling options (temperature, top_p, ...) are accepted and
    ignored: the agent's owner configures how it answers."""

    model_config = ConfigDict(extra="ignore")
    model: str = Field(max_length=64, description="An agent handle from GET /v1/models.")
    messages: list[ChatTurn] = Field(min_length=1, max_length=MAX_CLIENT_TURNS)
    stream: bool = False

    def spoken(self) -> list[ChatTurn]:
        """The user and assistant turns, the last one the user's; a conversation that does not
        end so (a rule between turns, which the schema does not state) is refused with 422."""
        spoken = [t for t in self.messages if t.role in ("user", "assistant")]
        if not spoken or spoken[-1].role != "user":
            raise InvalidInput("messages: the last user/assistant message must be from the user")
        if any("\x00" in t.text() for t in self.messages):
            raise InvalidInput("messages: text must not contain NUL characters")
        if not spoken[-1].text().strip():
            raise InvalidInput("messages: the last user message needs text")
        if len(spoken[-1].text()) > MAX_MESSAGE:
            raise InvalidInput(f"messages: a message is at most {MAX_MESSAGE} characters")
        return spoken


class Townsquare(BaseModel):
    label: str = "AI"
    outcome: str
    citations: list[dict[str, Any]]


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    townsquare: Townsquare


@router.get("/models", response_model=ModelList)
def list_models(me: CurrentAccount, session: SessionDep) -> ModelList:
    """The agents your token may talk to: every public agent and your own. (An unlisted agent
    answers too when you name it, but is not listed.)"""
    rows = session.scalars(
        select(Agent)
        .where(or_(Agent.visibility == "public", Agent.owner_id == me.id))
        .order_by(Agent.id)
    )
    cards = []
    for agent in rows:
        account = agents.agent_account(session, agent)
        owner = session.get(Account, agent.owner_id)
        assert owner is not None
        cards.append(
            ModelCard(
                id=account.handle, created=int(agent.created_at.timestamp()), owned_by=owner.handle
            )
        )
    return ModelList(data=cards)


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def chat_completions(
    body: ChatCompletionRequest, me: CurrentAccount, session: SessionDep, request: Request
) -> ChatCompletion | StreamingResponse:
    """Talks to an agent, as OpenAI's chat completions (streaming with `stream: true`)."""
    spoken = body.spoken()
    fair_use = request.app.state.reply_worker.quotas
    with reading_first(session):  # refused here, a request begins no write (social.quotas)
        agent = agents.visible_agent(session, me, body.model)
        if fair_use is not None:
            quotas.check_model_call(session, me, fair_use, lock=False)
    if agent.kind == "business":
        return _business_completion(body, me, session, request, agent)
    history = [Turn("member" if t.role == "user" else "agent", t.text()) for t in spoken[:-1]]
    agent_id, handle = agent.id, agents.agent_account(session, agent).handle
    if fair_use is not None:
        quotas.check_model_call(session, me, fair_use)
        quotas.record_model_call(session, me)
    session.commit()  # no transaction stays open while the model writes
    # A stateless client resends the whole conversation: it is the memory.
    events = answering.answer_turns(
        request.app.state.database,
        request.app.state.models,
        agent_id=agent_id,
        member_name=me.display_name,
        message=spoken[-1].text(),
        history=history,
    )
    return _completion(body, request.app.state.models, handle, events)


def _business_completion(
    body: ChatCompletionRequest,
    me: Account,
    session: SessionDep,
    request: Request,
    agent: Agent,
) -> ChatCompletion | StreamingResponse:
    """The last user message, sent in the caller's DM thread with the business agent and
    answered there by the reply worker (the module's docstring says why)."""
    handle = agents.agent_account(session, agent).handle
    text = [t for t in body.messages if t.role == "user"][-1].text()
    thread = agent_threads.open_agent_thread(session, me, handle).thread
    worker: ReplyWorker = request.app.state.reply_worker
    sent = sending.send(session, worker, me, thread_id=thread.id, text=text, follow=True)
    turn = _dm_turn(request.app.state.database, worker, sent, handle)
    return _completion(body, request.app.state.models, handle, turn)


def _dm_turn(
    database: Database, worker: ReplyWorker, sent: sending.Sent, handle: str
) -> Iterator[Delta | Answered]:
    if sent.events is None:
        yield Answered(SILENT.format(handle=handle), "silent")
        return
    for event in sending.follow_reply(worker, sent):
        if event is None:
            yield Answered(LATE.format(handle=handle), "pending")
        elif isinstance(event, Delta):
            yield event
        else:
            yield _answered(database, event, handle)


def _answered(database: Database, outcome: Outcome, handle: str) -> Answered:
    if outcome.kind == "reply" and outcome.message_id is not None:
        with database.session() as session:
            reply = session.get(Message, outcome.message_id)
            assert reply is not None
            return Answered(reply.text, outcome.outcome, reply.citations or [])
    if outcome.kind == "draft":
        return Answered(DRAFTED.format(handle=handle), "draft")
    return Answered(SILENT.format(handle=handle), "silent")


def _completion(
    body: ChatCompletionRequest,
    models: Models,
    handle: str,
    events: Iterator[Delta | Reply] | Iterator[Delta | Answered],
) -> ChatCompletion | StreamingResponse:
    completion_id = "chatcmpl-" + secrets.token_hex(12)
    created = int(time.time())
    if body.stream:
        return StreamingResponse(
            _stream(events, completion_id, created, handle),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )
    final = next(e for e in events if not isinstance(e, Delta))
    prompt_tokens = sum(models.chat.count_tokens(t.text()) for t in body.messages)
    completion_tokens = models.chat.count_tokens(final.text)
    return ChatCompletion(
        id=completion_id,
        created=created,
        model=handle,
        choices=[Choice(message=AssistantMessage(content=final.text))],
        usage=Usage(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        ),
        townsquare=Townsquare(outcome=final.outcome, citations=final.citations),
    )


def _chunk(
    completion_id: str, created: int, model: str, delta: dict[str, str], **extra: Any
) -> str:
    finish = extra.pop("finish_reason", None)
    body = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }
    return f"data: {json.dumps(body)}\n\n"


def _stream(
    events: Iterator[Delta | Reply] | Iterator[Delta | Answered],
    completion_id: str,
    created: int,
    model: str,
) -> Iterator[str]:
    yield _chunk(completion_id, created, model, {"role": "assistant", "content": ""})
    for event in events:
        if isinstance(event, Delta):
            if event.text:
                yield _chunk(completion_id, created, model, {"content": event.text})
            continue
        yield _chunk(
            completion_id,
            created,
            model,
            {},
            finish_reason="stop",
            townsquare=Townsquare(outcome=event.outcome, citations=event.citations).model_dump(),
        )
    yield "data: [DONE]\n\n"
