"""The business API: catalog with CSV import, policy, customers, orders, slots, tickets and
the audit log; owner-only where it should be, 4xx with a clear message on bad input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import signup, unique_handle

pytestmark = pytest.mark.postgres

CSV = (
    "sku,name,price,stock,options\n"
    "LOAF,Country loaf,4.50,10,size=small|large\n"
    "BAD,Broken price,abc,1,\n"
    "NEG,Negative stock,1.00,-2,\n"
    ",No sku,1.00,,\n"
    "CLASS,Baking class,35,,\n"
)


def test_catalog_import_reports_bad_rows_and_keeps_the_good(client: TestClient) -> None:
    shop = signup(client, unique_handle("shop"), kind="business")
    response = client.post(
        "/business/catalog/import",
        files={"file": ("c.csv", CSV.encode(), "text/csv")},
        headers=shop.headers,
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"]) == (2, 0)
    assert [e.split(":")[0] for e in report["errors"]] == ["row 3", "row 4", "row 5"]
    assert "'abc' is not a price" in report["errors"][0]
    catalog = client.get(f"/business/{shop.handle}/catalog").json()
    assert [(p["sku"], p["price_cents"], p["stock"]) for p in catalog] == [
        ("CLASS", 3500, None),
        ("LOAF", 450, 10),
    ]
    assert catalog[1]["options"] == {"size": ["small", "large"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,price\nx,1\n", "lacks sku"),
        (b"sku,name,price,colour\nA,B,1,red\n", "unknown CSV columns: colour"),
        (b"\xff\xfe\x00bad", "must be UTF-8"),
    ],
)
def test_a_bad_catalog_file_is_a_422(client: TestClient, data: bytes, message: str) -> None:
    shop = signup(client, unique_handle("shop"), kind="business")
    response = client.post(
        "/business/catalog/import",
        files={"file": ("c.csv", data, "text/csv")},
        headers=shop.headers,
    )
    assert response.status_code == 422 and message in response.json()["detail"]


def test_products_are_edited_and_removed(client: TestClient) -> None:
    shop = signup(client, unique_handle("shop"), kind="business")
    body = {"sku": "MUG", "name": "Mug", "price_cents": 1800, "stock": 3}
    assert client.put("/business/catalog", json=body, headers=shop.headers).status_code == 200
    body |= {"price_cents": 1500}
    assert (
        client.put("/business/catalog", json=body, headers=shop.headers).json()["price_cents"]
        == 1500
    )
    bad = client.put("/business/catalog", json=body | {"price_cents": -1}, headers=shop.headers)
    assert bad.status_code == 422
    options = {f"option{i}": ["a"] for i in range(17)}
    bad = client.put("/business/catalog", json=body | {"options": options}, headers=shop.headers)
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("body.options: Dictionary should have at most 16 items")
    options = {"size": ["x" * 101]}
    bad = client.put("/business/catalog", json=body | {"options": options}, headers=shop.headers)
    assert bad.status_code == 422
    assert "String should have at most 100 characters" in bad.json()["detail"]
    assert client.delete("/business/catalog/MUG", headers=shop.headers).status_code == 204
    assert client.get(f"/business/{shop.handle}/catalog").json() == []
    assert client.delete("/business/catalog/MUG", headers=shop.headers).status_code == 404


def test_only_a_business_has_business_data(client: TestClient) -> None:
    person = signup(client)
    for method, path in [
        ("get", "/business/orders"),
        ("get", "/business/tickets"),
        ("get", "/business/tool-calls"),
        ("get", "/business/policy"),
    ]:
        response = client.request(method, path, headers=person.headers)
        assert response.status_code == 403 and "business account" in response.json()["detail"]
    assert client.get(f"/business/{person.handle}/catalog").status_code == 404
    assert client.get("/business/orders").status_code == 401


def test_the_policy_shows_the_limits_read_from_it(client: TestClient) -> None:
    shop = signup(client, unique_handle("shop"), kind="business")
    text = (
        "Returns within 21 days. Refunds above €40 need the owner. No exchanges."
        " Never give discounts."
    )
    policy = client.put("/business/policy", json={"text": text}, headers=shop.headers).json()
    assert policy["return_window_days"] == 21 and policy["refund_max_cents"] == 4000
    assert policy["exchanges"] is False and policy["forbidden"] == ["Never give discounts"]
    assert client.get("/business/policy", headers=shop.headers).json() == policy
    assert policy["sentences"][0] == {
        "text": "Returns within 21 days.",
        "limit": "returns within 21 days of delivery",
        "note": None,
        "holds_returns": False,
    }


def test_a_sentence_naming_nothing_sold_holds_no_return_back(client: TestClient) -> None:
    shop = signup(client, unique_handle("shop"), kind="business")
    body = {"sku": "LAMP", "name": "Brass lamp", "description": "Ex-display", "price_cents": 900}
    assert client.put("/business/catalog", json=body, headers=shop.headers).status_code == 200
    text = "Returns within 21 days. Vintage clocks are wound weekly."
    policy = client.put("/business/policy", json={"text": text}, headers=shop.headers).json()
    assert policy["not_enforced"] == ["Vintage clocks are wound weekly."]
    assert policy["sentences"][1]["holds_returns"] is False  # it names nothing in the catalog


def test_customers_slots_orders_and_tickets(client: TestClient) -> None:
    shop, member = signup(client, unique_handle("shop"), kind="business"), signup(client)
    customer = client.post(
        "/business/customers",
        json={"name": "Ann", "email": "ann@example.com", "handle": member.handle},
        headers=shop.headers,
    )
    assert customer.status_code == 201 and customer.json()["account_id"] == member.id
    missing = client.post(
        "/business/customers",
        json={"name": "X", "email": "x@example.com", "handle": "nobody_here"},
        headers=shop.headers,
    )
    assert missing.status_code == 404
    naive = client.post(
        "/business/slots", json={"starts_at": "2030-01-01T10:00:00"}, headers=shop.headers
    )
    assert naive.status_code == 422 and "time zone" in naive.json()["detail"]
    slot = client.post(
        "/business/slots", json={"starts_at": "2030-01-01T10:00:00Z"}, headers=shop.headers
    )
    assert slot.status_code == 201
    assert client.get("/business/orders", headers=shop.headers).json() == []
    assert client.get("/business/tickets?status=open", headers=shop.headers).json() == []
    assert client.post("/business/tickets/99/close", headers=shop.headers).status_code == 404
