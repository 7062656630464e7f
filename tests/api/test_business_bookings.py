"""The bookings API: the owner books a free slot for one of their customers, lists bookings by
days, status and customer a page at a time, moves and cancels them; a taken or past slot is a
409, another business's booking a 404, a member who is not a business a 403."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import ApiUser, signup, unique_handle
from townsquare.db.types import utcnow

pytestmark = pytest.mark.postgres


@pytest.fixture
def salon(client: TestClient) -> tuple[ApiUser, list[int], list[int]]:
    """A business with two customers and three free slots, one a day from tomorrow."""
    shop = signup(client, unique_handle("salon"), kind="business")
    customers = [
        client.post(
            "/business/customers",
            json={"name": name, "email": f"{name.lower()}@example.com"},
            headers=shop.headers,
        ).json()["id"]
        for name in ("Ana", "Ben")
    ]
    start = (utcnow() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    slots = [
        client.post(
            "/business/slots",
            json={"starts_at": (start + timedelta(days=n)).isoformat(), "service": "Cut"},
            headers=shop.headers,
        ).json()["id"]
        for n in range(3)
    ]
    return shop, customers, slots


def _book(client: TestClient, shop: ApiUser, customer_id: int, slot_id: int) -> Any:
    return client.post(
        "/business/bookings",
        json={"customer_id": customer_id, "slot_id": slot_id},
        headers=shop.headers,
    )


def test_the_owner_books_moves_and_cancels_for_a_customer(
    client: TestClient, salon: tuple[ApiUser, list[int], list[int]]
) -> None:
    shop, (ana, _), (first, second, _) = salon
    free = client.get("/business/slots", headers=shop.headers).json()
    assert [s["id"] for s in free] == [first, second, salon[2][2]]
    booked = _book(client, shop, ana, first)
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    assert (booking["status"], booking["customer"]["name"], booking["slot"]["id"]) == (
        "booked",
        "Ana",
        first,
    )
    assert first not in [
        s["id"] for s in client.get("/business/slots", headers=shop.headers).json()
    ]
    moved = client.post(
        f"/business/bookings/{booking['id']}/move", json={"slot_id": second}, headers=shop.headers
    )
    assert moved.status_code == 200 and moved.json()["slot"]["id"] == second
    cancelled = client.post(f"/business/bookings/{booking['id']}/cancel", headers=shop.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(f"/business/bookings/{booking['id']}/cancel", headers=shop.headers)
    assert again.status_code == 409
    assert again.json() == {"detail": "that appointment is cancelled"}
    tools = [c["tool"] for c in client.get("/business/tool-calls", headers=shop.headers).json()]
    assert tools == ["cancel_appointment", "move_appointment", "book_appointment"]


def test_a_taken_or_past_slot_is_refused(
    client: TestClient, salon: tuple[ApiUser, list[int], list[int]]
) -> None:
    shop, (ana, ben), (first, second, _) = salon
    assert _book(client, shop, ana, first).status_code == 201
    taken = _book(client, shop, ben, first)
    assert taken.status_code == 409
    # The slot by its time, as a customer reads it too.
    assert taken.json()["detail"].endswith(" UTC is already taken")
    past = client.post(
        "/business/slots",
        json={"starts_at": (utcnow() - timedelta(hours=2)).isoformat()},
        headers=shop.headers,
    ).json()["id"]
    refused = _book(client, shop, ben, past)
    assert refused.status_code == 409 and refused.json()["detail"].endswith(" UTC is in the past")
    assert _book(client, shop, ben, 999_999).json() == {"detail": "that time is not one of ours"}
    missing = _book(client, shop, 999_999, second)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "you have no customer 999999"}
    bad = client.post("/business/bookings", json={"slot_id": second}, headers=shop.headers)
    assert bad.status_code == 422 and bad.json()["detail"].startswith(
        "body.customer_id: Field required"
    )


def test_bookings_are_listed_by_days_status_and_customer_a_page_at_a_time(
    client: TestClient, salon: tuple[ApiUser, list[int], list[int]]
) -> None:
    shop, (ana, ben), slots = salon
    made = [
        _book(client, shop, who, slot).json()
        for who, slot in zip((ana, ben, ana), slots, strict=True)
    ]
    client.post(f"/business/bookings/{made[2]['id']}/cancel", headers=shop.headers)

    def ids(**query: Any) -> list[int]:
        found = client.get("/business/bookings", params=query, headers=shop.headers)
        assert found.status_code == 200, found.text
        return [b["id"] for b in found.json()["items"]]

    assert ids() == [b["id"] for b in reversed(made)]
    day = made[1]["slot"]["starts_at"][:10]
    assert ids(**{"from": day, "to": day}) == [made[1]["id"]]
    assert ids(**{"from": day}) == [made[2]["id"], made[1]["id"]]
    assert ids(status="cancelled") == [made[2]["id"]]
    assert ids(**{"from": "0001-01-01", "to": "9999-12-31"}) == ids()
    assert ids(customer_id=ana, status="booked") == [made[0]["id"]]
    first = client.get("/business/bookings?limit=2", headers=shop.headers).json()
    assert first["next_cursor"] is not None
    assert ids(cursor=first["next_cursor"]) == [made[0]["id"]]
    for query, detail in (
        ("status=lost", "query.status: Input should be 'booked' or 'cancelled'"),
        ("from=tomorrow", "query.from: Input should be a valid date"),
        (f"from={day}&to=2000-01-01", "the first day of the range is after its last day"),
        ("cursor=x", "cursor must be a value returned as next_cursor"),
    ):
        refused = client.get(f"/business/bookings?{query}", headers=shop.headers)
        assert refused.status_code == 422 and refused.json()["detail"].startswith(detail), query


def test_only_the_owner_sees_and_changes_its_bookings(
    client: TestClient, salon: tuple[ApiUser, list[int], list[int]]
) -> None:
    shop, (ana, _), (first, second, _) = salon
    booking = _book(client, shop, ana, first).json()["id"]
    other = signup(client, unique_handle("shop"), kind="business")
    member = signup(client)
    assert client.get("/business/bookings", headers=other.headers).json()["items"] == []
    for path, body in ((f"{booking}/move", {"slot_id": second}), (f"{booking}/cancel", None)):
        theirs = client.post(f"/business/bookings/{path}", json=body, headers=other.headers)
        assert theirs.status_code == 404
        assert theirs.json() == {"detail": f"there is no booking {booking}"}
    assert _book(client, other, ana, first).json() == {"detail": f"you have no customer {ana}"}
    for response in (
        client.get("/business/bookings", headers=member.headers),
        client.get("/business/slots", headers=member.headers),
        _book(client, member, ana, second),
    ):
        assert response.status_code == 403
    assert client.get("/business/bookings").status_code == 401
    listed = client.get("/business/bookings", headers=shop.headers).json()["items"]
    assert [(b["id"], b["status"], b["slot"]["id"]) for b in listed] == [(booking, "booked", first)]
