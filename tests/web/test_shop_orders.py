"""The order page of a business account: each step its status allows is a button (shipped with
carrier and tracking number), a step it does not allow or a bad day is refused on the page with
what to do, and the customer reads what the owner did."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import ApiUser
from tests.web.conftest import signin_as
from townsquare.db.types import utcnow
from townsquare.web.shop_orders import day_moment

pytestmark = pytest.mark.postgres


@pytest.fixture
def owner(shop: tuple[ApiUser, ApiUser, ApiUser]) -> tuple[ApiUser, ApiUser]:
    """A business account with the demo shop, and Alice, its customer."""
    return shop[0], shop[1]


def _buttons(page: str) -> list[str]:
    return re.findall(r'name="status" value="(\w+)"', page)


def test_the_owner_marks_an_order_paid_shipped_and_delivered(
    client: TestClient, owner: tuple[ApiUser, ApiUser]
) -> None:
    shop, alice = owner
    csrf = signin_as(client, shop.handle)
    page = client.get("/shop/orders/E-1001")
    assert _buttons(page.text) == ["paid", "cancelled"]
    assert "Mark paid" in page.text and "Cancel the order" in page.text
    placed_day = (utcnow() - timedelta(days=2)).date().isoformat()  # the demo's E-1001
    paid = client.post(
        "/shop/orders/E-1001/status", data={"status": "paid", "day": placed_day, "csrf": csrf}
    )
    assert paid.status_code == 200 and paid.url.path == "/shop/orders/E-1001"
    assert _buttons(paid.text) == ["shipped", "cancelled"]
    assert 'name="carrier"' in paid.text and 'name="tracking_number"' in paid.text
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    shipped = client.post(
        "/shop/orders/E-1001/status",
        data={
            "status": "shipped",
            "carrier": "Colissimo",
            "tracking_number": "6A0001",
            "day": yesterday,
            "csrf": csrf,
        },
    )
    assert shipped.status_code == 200
    assert "by Colissimo, tracking <code>6A0001</code>" in shipped.text
    assert re.search(r"<strong>shipped</strong> by the owner: “Colissimo 6A0001 on ", shipped.text)
    delivered = client.post(
        "/shop/orders/E-1001/status", data={"status": "delivered", "csrf": csrf}
    )
    assert _buttons(delivered.text) == ["returned"]
    audit = client.get("/shop/audit").text
    assert "mark_delivered" in audit and "you, in person" in audit
    mine = client.get(f"/business/{shop.handle}/my-orders/E-1001", headers=alice.headers).json()
    assert (mine["status"], mine["carrier"], mine["shipped_at"][:10]) == (
        "delivered",
        "Colissimo",
        yesterday,
    )


def test_a_step_the_order_cannot_take_is_refused_on_the_page(
    client: TestClient, owner: tuple[ApiUser, ApiUser]
) -> None:
    shop, _ = owner
    csrf = signin_as(client, shop.handle)
    skipped = client.post("/shop/orders/E-1001/status", data={"status": "delivered", "csrf": csrf})
    assert skipped.status_code == 409
    assert (
        "Order E-1001 is pending, so it cannot be delivered; from pending it can be marked paid"
        " or cancelled." in skipped.text
    )
    client.post("/shop/orders/E-1001/status", data={"status": "paid", "csrf": csrf})
    for data, message in (
        ({"status": "shipped", "carrier": "DHL"}, "A shipped order needs its carrier and its"),
        ({"status": "cancelled", "day": "someday"}, "&#39;someday&#39; is not a day like"),
        ({"status": "cancelled", "day": "2999-01-01"}, "cannot be cancelled in the future."),
    ):
        refused = client.post("/shop/orders/E-1001/status", data=data | {"csrf": csrf})
        assert refused.status_code == 422 and message in refused.text, data
    assert _buttons(client.get("/shop/orders/E-1001").text) == ["shipped", "cancelled"]
    no_csrf = client.post("/shop/orders/E-1001/status", data={"status": "cancelled"})
    assert no_csrf.status_code == 403
    missing = client.post("/shop/orders/E-9999/status", data={"status": "paid", "csrf": csrf})
    assert missing.status_code == 404


def test_nobody_else_changes_the_shops_orders(
    client: TestClient, owner: tuple[ApiUser, ApiUser]
) -> None:
    _, alice = owner
    csrf = signin_as(client, alice.handle)
    refused = client.post("/shop/orders/E-1001/status", data={"status": "paid", "csrf": csrf})
    assert refused.status_code == 403
    assert "Only a business account has a catalog, orders and tickets." in refused.text


def test_a_forms_day_is_now_for_today_and_noon_utc_before() -> None:
    assert day_moment("") is None and day_moment(utcnow().date().isoformat()) is None
    assert day_moment(" 2026-03-04 ") is not None
    assert day_moment("2026-03-04").isoformat() == "2026-03-04T12:00:00+00:00"  # type: ignore[union-attr]
