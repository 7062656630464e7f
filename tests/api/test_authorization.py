"""The authorization matrix, generated from the OpenAPI document: for every route with a
resource in its path, another member and a signed-out client are answered 404 or 403 (401 when
signed out) for the first member's resource. No route is listed here: a new route is covered the
day it is added, and one naming a resource this world does not hold fails until it does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.utils.factories import ApiUser, make_agent, png_bytes, signup
from townsquare.db import Database
from townsquare.db.models import (
    Account,
    AgentDraft,
    ApiToken,
    AppointmentSlot,
    Booking,
    Customer,
    InboxItem,
    Intent,
    KnowledgeChunk,
    KnowledgeSource,
    Product,
    Rehearsal,
    Ticket,
)
from townsquare.settings import Settings
from townsquare.social import media, messages, posts
from townsquare.studio.agents import agent_account

PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    operation: dict[str, Any]


def _routes(document: dict[str, Any]) -> list[Route]:
    return [
        Route(method.upper(), path, operation)
        for path, operations in document["paths"].items()
        if PARAM.search(path)
        for method, operation in operations.items()
    ]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _example(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A small value that the schema accepts: the body must not be what refuses the call."""
    schema = _resolve(document, schema)
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(document, options[0])
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {n: _example(document, properties[n]) for n in schema.get("required", [])}
    if kind == "array":
        return [_example(document, schema["items"])] * schema.get("minItems", 0)
    if kind == "string":
        return "x" * max(1, schema.get("minLength", 1))
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    return False


def _request(
    client: TestClient, document: dict[str, Any], route: Route, url: str, who: ApiUser | None
) -> int:
    headers = who.headers if who else {}
    content = route.operation.get("requestBody", {}).get("content", {})
    query = {
        p["name"]: _example(document, p["schema"])
        for p in route.operation.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }
    if "multipart/form-data" in content:
        files = {"file": ("a.png", png_bytes(), "image/png")}
        return client.request(
            route.method, url, params=query, files=files, headers=headers
        ).status_code
    body = _example(document, content["application/json"]["schema"]) if content else None
    return client.request(route.method, url, params=query, json=body, headers=headers).status_code


@pytest.fixture
def world(
    client: TestClient, database: Database, settings: Settings, shop: tuple[ApiUser, ApiUser, str]
) -> dict[str, str]:
    """One of each resource, all the first member's (the shop's owner) or their customer's."""
    owner, customer, _ = shop
    with database.session() as session:
        me = session.get(Account, owner.id)
        other = session.get(Account, customer.id)
        assert me is not None and other is not None
        agent = make_agent(session, me, visibility="private")
        post = posts.create_post(session, me, kind="text", text="mine alone")
        post.audience_id = me.id
        comment = posts.add_comment(session, me, post.id, "a note")
        upload = media.store_media(session, settings.media_dir, me, png_bytes(5, 5), quotas=None)
        thread = messages.open_thread(session, me, [agent_account(session, agent)])
        asked = messages.append(session, thread, me.id, "hello")
        intent = Intent(owner_id=me.id, goal="find a mug")
        source = KnowledgeSource(agent_id=agent.id, kind="file", title="faq")
        session.add_all([intent, source])
        session.flush()
        item = InboxItem(owner_id=me.id, intent_id=intent.id, kind="question", key="k", text="?")
        draft = AgentDraft(
            thread_id=thread.id, agent_id=agent.id, reply_to_message_id=asked.id, text="d"
        )
        rehearsal = Rehearsal(account_id=me.id, scenario="custom", title="t", other_person="boss")
        chunk = KnowledgeChunk(
            source_id=source.id,
            agent_id=agent.id,
            ordinal=0,
            text="t",
            embedding=b"",
            embedder="minilm",
        )
        ticket = Ticket(business_id=me.id, kind="support", subject="broken mug")
        slot = session.scalar(
            select(AppointmentSlot.id).where(AppointmentSlot.business_id == me.id)
        )
        client_id = session.scalar(select(Customer.id).where(Customer.business_id == me.id))
        assert slot is not None and client_id is not None
        booking = Booking(slot_id=slot, customer_id=client_id)
        session.add_all([item, draft, rehearsal, chunk, ticket, booking])
        session.flush()
        token = session.scalar(select(ApiToken.id).where(ApiToken.account_id == me.id))
        sku = session.scalar(select(Product.sku).where(Product.business_id == me.id))
        values = {
            "handle": agent_account(session, agent).handle,
            "post_id": post.id,
            "comment_id": comment.id,
            "media_id": upload.id,
            "thread_id": thread.id,
            "intent_id": intent.id,
            "item_id": item.id,
            "draft_id": draft.id,
            "rehearsal_id": rehearsal.id,
            "chunk_id": chunk.id,
            "source_id": source.id,
            "ticket_id": ticket.id,
            "booking_id": booking.id,
            "token_id": token,
            "sku": sku,
            "number": "E-1001",
        }
        session.commit()
    return {name: str(value) for name, value in values.items()}


def test_no_one_else_reaches_a_members_resources(client: TestClient, world: dict[str, str]) -> None:
    document = client.get("/openapi.json").json()
    stranger = signup(client, kind="business")
    routes = _routes(document)
    assert len(routes) > 40
    wrong = []
    for route in routes:
        names = PARAM.findall(route.path)
        missing = [n for n in names if n not in world]
        assert not missing, f"{route.method} {route.path}: the world holds no {missing}"
        url = PARAM.sub(lambda m: world[m.group(1)], route.path)
        for who, allowed in ((stranger, {403, 404}), (None, {401, 403, 404})):
            status = _request(client, document, route, url, who)
            if status not in allowed:
                wrong.append(
                    f"{route.method} {url} as {'a stranger' if who else 'nobody'}: {status}"
                )
    assert wrong == []
