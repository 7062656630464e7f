"""Factories for rows and signed-in API users."""

from __future__ import annotations

import io
import itertools
import struct
from dataclasses import dataclass
from datetime import datetime

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent, AppointmentSlot, Customer, Post
from townsquare.social import accounts, posts, verification
from townsquare.studio.agents import create_agent
from townsquare.studio.spec import AgentSpec

PASSWORD = "correct horse battery"
# scrypt's N = 2**4 for the tests' passwords (the settings fixture's password_hash_cost too):
# the product's 2**14 made hashing ~2 minutes of the suite.
PASSWORD_HASH_COST = 4
_counter = itertools.count(1)


def unique_handle(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}"


def make_account(session: Session, handle: str | None = None, **kwargs: object) -> Account:
    return accounts.create_account(
        session,
        handle=handle or unique_handle(),
        password=PASSWORD,
        hash_cost=PASSWORD_HASH_COST,
        **kwargs,  # type: ignore[arg-type]
    )


def slot_of_shop(
    slot_id: int, starts_at: datetime, *, time_zone: str = "UTC", service: str = ""
) -> AppointmentSlot:
    """A slot outside any session, of a shop on ``time_zone``'s clock (``starts_at`` in UTC)."""
    shop = Account(handle="shop", kind="business", time_zone=time_zone)
    return AppointmentSlot(id=slot_id, starts_at=starts_at, service=service, business=shop)


def make_post(session: Session, author: Account, text: str = "hello town") -> Post:
    return posts.create_post(session, author, kind="text", text=text)


def make_agent(session: Session, owner: Account, **fields: object) -> Agent:
    """An agent of ``owner``: a character named after its handle unless ``fields`` say otherwise."""
    handle = str(fields.pop("handle", unique_handle("agent")))
    spec = AgentSpec.model_validate({"handle": handle, "name": handle.title(), **fields})
    return create_agent(session, owner, spec)


@dataclass
class ApiUser:
    """A signed-up account and the headers that authenticate as it."""

    id: int
    handle: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def signup(client: TestClient, handle: str | None = None, **extra: str) -> ApiUser:
    handle = handle or unique_handle()
    response = client.post("/auth/signup", json={"handle": handle, "password": PASSWORD, **extra})
    assert response.status_code == 201, response.text
    body = response.json()
    return ApiUser(id=body["account"]["id"], handle=handle, token=body["token"])


def png_bytes(width: int = 8, height: int = 6) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose header (SOF0) claims ``width`` x ``height`` pixels: a decompression
    bomb's shape without the cost of making one."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (40, 80, 200)).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def mp4_bytes(duration_ms: int, *, version: int = 0) -> bytes:
    """A minimal ISO-BMFF file: ftyp + moov/mvhd carrying the duration (timescale 1000)."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I4s", 8 + len(payload), kind) + payload

    if version == 1:
        mvhd = bytes([1, 0, 0, 0]) + struct.pack(">QQIQ", 0, 0, 1000, duration_ms) + bytes(80)
    else:
        mvhd = bytes([0, 0, 0, 0]) + struct.pack(">IIII", 0, 0, 1000, duration_ms) + bytes(80)
    return box(b"ftyp", b"isom" + bytes(4) + b"isommp41") + box(b"moov", box(b"mvhd", mvhd))


def verify_customers(session: Session, business: Account) -> None:
    """Each of the business's customers linked to an account has verified the email the shop
    holds for them, as the customer's own order pages require."""
    linked = select(Customer).where(
        Customer.business_id == business.id, Customer.account_id.is_not(None)
    )
    for customer in session.scalars(linked):
        assert customer.account_id is not None
        account = session.get_one(Account, customer.account_id)
        verification.mark_verified(session, account, customer.email)
