"""The bookings page of a business account: the owner books a free slot for a customer, filters
the list by days, status and customer, moves and cancels a booking; a refused change is shown on
the page with what to do, and nobody else sees the page."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.utils.factories import ApiUser, signup, unique_handle
from tests.web.conftest import signin_as
from townsquare.db import Database
from townsquare.db.models import Account, AppointmentSlot, Customer
from townsquare.db.types import utcnow
from townsquare.demo.shop import seed_shop

pytestmark = pytest.mark.postgres


@pytest.fixture
def salon(client: TestClient, database: Database) -> tuple[ApiUser, list[int], list[int]]:
    """A business with the demo shop: its owner, its two customers' ids and its four slots."""
    owner = signup(client, unique_handle("shop"), kind="business")
    members = [signup(client), signup(client)]
    with database.session() as session:
        business = session.get(Account, owner.id)
        accounts = [session.get(Account, m.id) for m in members]
        assert business is not None
        _, customers = seed_shop(
            session,
            business,
            [a for a in accounts if a is not None],
            now=utcnow(),
            agent_handle=unique_handle("help"),
        )
        slots = session.scalars(
            select(AppointmentSlot.id)
            .where(AppointmentSlot.business_id == owner.id)
            .order_by(AppointmentSlot.starts_at)
        ).all()
        return owner, [c.id for c in customers], list(slots)


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr id="booking-(\d+)">', page)


def test_the_owner_books_filters_moves_and_cancels(
    client: TestClient, database: Database, salon: tuple[ApiUser, list[int], list[int]]
) -> None:
    owner, (alice, bruno), slots = salon
    csrf = signin_as(client, owner.handle)
    page = client.get("/shop/bookings")
    assert page.status_code == 200 and "No bookings." in page.text
    assert '<a href="/shop/bookings" aria-current="page">Bookings</a>' in page.text
    assert "Alice Moreau (alice@example.com)" in page.text and "Home brewing class" in page.text
    booked = client.post("/shop/bookings", data={"customer": alice, "slot": slots[0], "csrf": csrf})
    assert booked.status_code == 200 and len(_rows(booked.text)) == 1
    client.post("/shop/bookings", data={"customer": bruno, "slot": slots[1], "csrf": csrf})
    with database.session() as session:
        day = session.get(AppointmentSlot, slots[1]).starts_at.date().isoformat()  # type: ignore[union-attr]
        assert session.get(Customer, bruno).name == "Bruno Silva"  # type: ignore[union-attr]
    listed = _rows(client.get("/shop/bookings").text)
    assert len(listed) == 2
    assert _rows(client.get(f"/shop/bookings?from={day}&to={day}").text) == listed[:1]
    assert _rows(client.get(f"/shop/bookings?customer={alice}").text) == listed[1:]
    moved = client.post(f"/shop/bookings/{listed[1]}/move", data={"slot": slots[2], "csrf": csrf})
    assert moved.status_code == 200
    cancelled = client.post(f"/shop/bookings/{listed[0]}/cancel", data={"csrf": csrf})
    assert cancelled.status_code == 200
    assert _rows(client.get("/shop/bookings?status=cancelled").text) == listed[:1]
    assert _rows(client.get("/shop/bookings?status=booked").text) == listed[1:]
    audit = client.get("/shop/audit").text
    assert all(t in audit for t in ("book_appointment", "move_appointment", "cancel_appointment"))


def test_a_refused_booking_says_why_on_the_page(
    client: TestClient, salon: tuple[ApiUser, list[int], list[int]]
) -> None:
    owner, (alice, bruno), slots = salon
    csrf = signin_as(client, owner.handle)
    client.post("/shop/bookings", data={"customer": alice, "slot": slots[0], "csrf": csrf})
    taken = client.post("/shop/bookings", data={"customer": bruno, "slot": slots[0], "csrf": csrf})
    assert taken.status_code == 409 and " UTC is already taken." in taken.text
    unchosen = client.post("/shop/bookings", data={"customer": "", "slot": slots[1], "csrf": csrf})
    assert unchosen.status_code == 422 and "Choose a customer from the list." in unchosen.text
    nobody = client.post("/shop/bookings", data={"customer": "99999", "slot": "1", "csrf": csrf})
    assert nobody.status_code == 404 and "You have no customer 99999." in nobody.text
    gone = client.post("/shop/bookings/99999/cancel", data={"csrf": csrf})
    assert gone.status_code == 404 and "There is no booking 99999." in gone.text
    for query, message in (
        ("from=soon", "From &#39;soon&#39; is not a day like 2026-05-01."),
        ("status=lost", "A booking is booked or cancelled, not &#39;lost&#39;."),
        ("customer=%C2%B2", "Choose a customer from the list."),
        ("cursor=x", "Cursor must be a value returned as next_cursor"),
    ):
        refused = client.get(f"/shop/bookings?{query}", headers={"Accept": "text/html"})
        assert refused.status_code == 422 and message in refused.text, query


def test_the_page_shows_the_shops_clock(
    client: TestClient, database: Database, salon: tuple[ApiUser, list[int], list[int]]
) -> None:
    owner, (alice, _), slots = salon
    with database.session() as session:
        session.get(Account, owner.id).time_zone = "Asia/Kolkata"  # type: ignore[union-attr]
        starts = session.get(AppointmentSlot, slots[0]).starts_at  # type: ignore[union-attr]
    local = starts.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%a %d %b %Y, %H:%M IST")
    csrf = signin_as(client, owner.handle)
    booked = client.post("/shop/bookings", data={"customer": alice, "slot": slots[0], "csrf": csrf})
    assert local in booked.text and "your shop's clock (Asia/Kolkata" in booked.text
    taken = client.post("/shop/bookings", data={"customer": alice, "slot": slots[0], "csrf": csrf})
    assert taken.status_code == 409 and " IST is already taken." in taken.text


def test_nobody_else_sees_the_bookings_page(
    client: TestClient, salon: tuple[ApiUser, list[int], list[int]]
) -> None:
    _, (alice, _), slots = salon
    member = signup(client)
    csrf = signin_as(client, member.handle)
    page = client.get("/shop/bookings", headers={"Accept": "text/html"})
    assert page.status_code == 403
    assert "Only a business account has a catalog, orders and tickets." in page.text
    refused = client.post(
        "/shop/bookings", data={"customer": alice, "slot": slots[0], "csrf": csrf}
    )
    assert refused.status_code == 403
