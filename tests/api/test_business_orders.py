"""The order API: a business places orders for its customers from its catalog (stock checked
and taken in the same transaction, all or nothing) and reads their items and history; a
customer reads only their own orders; bad input is a 4xx with a clear message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import ApiUser, signup, unique_handle
from tests.utils.mailbox import link_token, outbox
from townsquare.settings import Settings

pytestmark = pytest.mark.postgres

CSV = (
    "sku,name,price,stock,options\n"
    "LOAF,Country loaf,4.50,3,size=small|large\n"
    "CLASS,Baking class,35,,\n"
)


@pytest.fixture
def bakery(client: TestClient) -> tuple[ApiUser, ApiUser, int]:
    """A business with the catalog above, and a member who is its customer."""
    shop = signup(client, unique_handle("shop"), kind="business")
    member = signup(client, email="ann@example.com")
    client.post(
        "/business/catalog/import",
        files={"file": ("c.csv", CSV.encode(), "text/csv")},
        headers=shop.headers,
    )
    customer = client.post(
        "/business/customers",
        json={"name": "Ann", "email": "ann@example.com", "handle": member.handle},
        headers=shop.headers,
    )
    return shop, member, int(customer.json()["id"])


def _order(client: TestClient, shop: ApiUser, **body: Any) -> Any:
    return client.post("/business/orders", json=body, headers=shop.headers)


def _stock(client: TestClient, shop: ApiUser) -> dict[str, int | None]:
    catalog = client.get(f"/business/{shop.handle}/catalog").json()
    return {p["sku"]: p["stock"] for p in catalog}


def _verify_email(client: TestClient, settings: Settings, email: str) -> None:
    token = link_token(outbox(settings, email)[-1])
    assert client.post("/auth/email/verify", json={"token": token}).status_code == 200


def test_an_order_is_placed_and_read_by_the_business_and_its_customer(
    client: TestClient, settings: Settings, bakery: tuple[ApiUser, ApiUser, int]
) -> None:
    shop, member, customer_id = bakery
    items = [{"sku": "LOAF", "quantity": 2, "options": {"size": "large"}}, {"sku": "CLASS"}]
    placed = _order(client, shop, customer_id=customer_id, items=items)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert (order["number"], order["status"], order["total_cents"]) == ("O-1001", "pending", 4400)
    assert [(i["name"], i["quantity"], i["options"]) for i in order["items"]] == [
        ("Country loaf", 2, {"size": "large"}),
        ("Baking class", 1, {}),
    ]
    assert [(e["kind"], e["actor"]) for e in order["history"]] == [("placed", "owner")]
    assert _stock(client, shop) == {"CLASS": None, "LOAF": 1}

    assert client.get("/business/orders/O-1001", headers=shop.headers).json() == order
    _verify_email(client, settings, "ann@example.com")
    mine = client.get(f"/business/{shop.handle}/my-orders", headers=member.headers).json()
    assert [o["number"] for o in mine] == ["O-1001"]
    detail = client.get(f"/business/{shop.handle}/my-orders/O-1001", headers=member.headers)
    assert detail.status_code == 200 and detail.json() == order


def test_an_item_short_of_stock_refuses_the_whole_order(
    client: TestClient, bakery: tuple[ApiUser, ApiUser, int]
) -> None:
    shop, _, customer_id = bakery
    items = [{"sku": "CLASS"}, {"sku": "LOAF", "quantity": 4}]
    refused = _order(client, shop, customer_id=customer_id, number="A-1", items=items)
    assert refused.status_code == 409
    assert refused.json()["detail"] == "only 3 of 'LOAF' left"
    assert _stock(client, shop)["LOAF"] == 3
    assert client.get("/business/orders", headers=shop.headers).json() == []


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"items": [{"sku": "NOPE"}]}, 422, "there is no product 'NOPE' on sale"),
        ({"items": [{"sku": "LOAF", "options": {"colour": "red"}}]}, 422, "no option 'colour'"),
        ({"items": [{"sku": "LOAF", "options": {"size": "huge"}}]}, 422, "one of small, large"),
        ({"items": [{"sku": "LOAF", "quantity": 0}]}, 422, "greater than or equal to 1"),
        ({"items": []}, 422, "at least 1 item"),
        ({"items": [{"sku": "LOAF"}], "customer_id": 999_999}, 404, "no customer 999999"),
        ({"items": [{"sku": "LOAF"}], "number": "O-1001"}, 409, "already an order O-1001"),
    ],
)
def test_bad_orders_are_refused_with_a_clear_message(
    client: TestClient,
    bakery: tuple[ApiUser, ApiUser, int],
    body: dict[str, Any],
    code: int,
    message: str,
) -> None:
    shop, _, customer_id = bakery
    assert (
        _order(client, shop, customer_id=customer_id, items=[{"sku": "CLASS"}]).status_code == 201
    )
    response = _order(client, shop, **{"customer_id": customer_id, **body})
    assert response.status_code == code, response.text
    assert message in response.text


def test_orders_are_private_to_the_business_and_the_customer(
    client: TestClient, bakery: tuple[ApiUser, ApiUser, int]
) -> None:
    shop, member, customer_id = bakery
    _order(client, shop, customer_id=customer_id, items=[{"sku": "CLASS"}])
    other_shop = signup(client, unique_handle("shop"), kind="business")
    stranger = signup(client)
    assert client.get("/business/orders/O-1001", headers=other_shop.headers).status_code == 404
    assert (
        _order(client, other_shop, customer_id=customer_id, items=[{"sku": "CLASS"}]).status_code
        == 404
    )
    assert client.get("/business/orders/O-1001", headers=member.headers).status_code == 403
    assert client.get(f"/business/{shop.handle}/my-orders", headers=stranger.headers).json() == []
    theirs = client.get(f"/business/{shop.handle}/my-orders/O-1001", headers=stranger.headers)
    assert theirs.status_code == 404 and "no order 'O-1001' on your account" in theirs.text
    assert client.get("/business/nobody_here/my-orders", headers=member.headers).status_code == 404


NOT_VERIFIED = {
    "detail": "verify that the email address the shop has for you is yours first: verify it on "
    "your account (the link we emailed you), or give it to the shop's agent in a chat"
}


def test_my_orders_need_the_email_the_shop_has_verified(
    client: TestClient, settings: Settings, bakery: tuple[ApiUser, ApiUser, int]
) -> None:
    shop, member, customer_id = bakery
    assert (
        _order(client, shop, customer_id=customer_id, items=[{"sku": "CLASS"}]).status_code == 201
    )
    mine, one = f"/business/{shop.handle}/my-orders", f"/business/{shop.handle}/my-orders/O-1001"
    for path in (mine, one):  # the email on the account is not verified yet
        refused = client.get(path, headers=member.headers)
        assert (refused.status_code, refused.json()) == (403, NOT_VERIFIED)
    # Another member who verified a different address, linked to the same record by the owner.
    other = signup(client, email="someone@example.com")
    _verify_email(client, settings, "someone@example.com")
    client.post(
        "/business/customers",
        json={"name": "Ann", "email": "ann@example.com", "handle": other.handle},
        headers=shop.headers,
    )
    assert client.get(mine, headers=other.headers).status_code == 403
    _verify_email(client, settings, "ann@example.com")
    assert [o["number"] for o in client.get(mine, headers=member.headers).json()] == ["O-1001"]
    assert client.get(one, headers=member.headers).status_code == 200


def _step(client: TestClient, who: ApiUser, number: str, **body: Any) -> Any:
    return client.post(f"/business/orders/{number}/status", json=body, headers=who.headers)


def test_the_owner_moves_an_order_along_and_the_customer_sees_each_dated_step(
    client: TestClient, settings: Settings, bakery: tuple[ApiUser, ApiUser, int]
) -> None:
    shop, member, customer_id = bakery
    _verify_email(client, settings, "ann@example.com")
    assert _order(client, shop, customer_id=customer_id, items=[{"sku": "LOAF"}]).status_code == 201
    paid = _step(client, shop, "O-1001", status="paid")
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "paid" and paid.json()["paid_at"] is not None
    shipped = _step(
        client, shop, "O-1001", status="shipped", carrier="DHL", tracking_number="JD0140"
    )
    assert shipped.status_code == 200, shipped.text
    # Delivered at the moment it was shipped, written in another time zone: a dated step that is
    # neither in the future nor before the shipping day, whatever day the test runs.
    shipped_at = datetime.fromisoformat(shipped.json()["shipped_at"]).replace(microsecond=0)
    at = shipped_at.astimezone(timezone(timedelta(hours=1))).isoformat()
    delivered = _step(client, shop, "O-1001", status="delivered", at=at)
    assert delivered.status_code == 200, delivered.text
    mine = client.get(f"/business/{shop.handle}/my-orders/O-1001", headers=member.headers).json()
    assert (mine["status"], mine["carrier"], mine["tracking_number"]) == (
        "delivered",
        "DHL",
        "JD0140",
    )
    assert mine["delivered_at"] == shipped_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [(e["kind"], e["actor"]) for e in mine["history"]] == [
        ("placed", "owner"),
        ("paid", "owner"),
        ("shipped", "owner"),
        ("delivered", "owner"),
    ]
    logged = client.get("/business/tool-calls", headers=shop.headers).json()
    assert [c["tool"] for c in logged][:3] == ["mark_delivered", "mark_shipped", "mark_paid"]
    assert (logged[0]["agent_id"], logged[0]["thread_id"], logged[0]["owner_id"]) == (
        None,
        None,
        shop.id,
    )


@pytest.mark.parametrize(
    ("body", "code", "detail"),
    [
        (
            {"status": "shipped", "carrier": "DHL", "tracking_number": "1"},
            409,
            "order O-1001 is pending, so it cannot be shipped;"
            " from pending it can be marked paid or cancelled",
        ),
        (
            {"status": "pending"},
            422,
            "body.status: Input should be 'paid', 'shipped', 'delivered',",
        ),
        ({"status": "paid", "at": "2026-01-01T10:00:00"}, 422, "the date needs a time zone"),
        (
            {"status": "paid", "at": "2999-01-01T10:00:00Z"},
            422,
            "order O-1001 cannot be paid in the future",
        ),
        ({"status": "paid", "at": "0001-01-01T00:00:00+01:00"}, 422, "order O-1001 cannot be"),
        ({"status": "paid", "carrier": "DHL"}, 422, "a carrier and a tracking number go with"),
        (
            {"status": "paid", "carrier": "x" * 65},
            422,
            "body.carrier: String should have at most 64",
        ),
        ({"status": "cancelled", "extra": 1}, 422, "body.extra: Extra inputs are not permitted"),
    ],
)
def test_a_step_the_order_cannot_take_is_refused_with_a_clear_message(
    client: TestClient,
    bakery: tuple[ApiUser, ApiUser, int],
    body: dict[str, Any],
    code: int,
    detail: str,
) -> None:
    shop, _, customer_id = bakery
    assert _order(client, shop, customer_id=customer_id, items=[{"sku": "LOAF"}]).status_code == 201
    response = _step(client, shop, "O-1001", **body)
    assert response.status_code == code, response.text
    assert response.json()["detail"].startswith(detail)
    assert client.get("/business/orders/O-1001", headers=shop.headers).json()["status"] == (
        "pending"
    )


def test_only_the_owner_changes_an_orders_status(
    client: TestClient, bakery: tuple[ApiUser, ApiUser, int]
) -> None:
    shop, member, customer_id = bakery
    assert _order(client, shop, customer_id=customer_id, items=[{"sku": "LOAF"}]).status_code == 201
    other_shop = signup(client, unique_handle("shop"), kind="business")
    assert _step(client, other_shop, "O-1001", status="paid").status_code == 404
    refused = _step(client, member, "O-1001", status="cancelled")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "only a business account has a catalog, orders and tickets"
    anonymous = client.post("/business/orders/O-1001/status", json={"status": "paid"})
    assert anonymous.status_code == 401
    assert _step(client, shop, "O-9999", status="paid").json() == {
        "detail": "there is no order 'O-9999'"
    }
    assert client.get("/business/orders/O-1001", headers=shop.headers).json()["status"] == (
        "pending"
    )
