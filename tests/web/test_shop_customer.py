"""A member's own orders with a business on the web: the list and each order with the steps
the owner recorded (carrier, tracking number, dates); nobody reads another customer's order."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import ApiUser, signup
from tests.web.conftest import signin_as
from townsquare.db.types import utcnow

pytestmark = pytest.mark.postgres


def test_a_customer_reads_the_steps_of_their_order(
    client: TestClient, shop: tuple[ApiUser, ApiUser, ApiUser]
) -> None:
    owner, alice, _ = shop
    for body in (
        {"status": "paid"},
        {"status": "shipped", "carrier": "Colissimo", "tracking_number": "6A0001"},
    ):
        step = client.post("/business/orders/E-1001/status", json=body, headers=owner.headers)
        assert step.status_code == 200, step.text
    signin_as(client, alice.handle)
    profile = client.get(f"/u/{owner.handle}").text
    assert f'href="/u/{owner.handle}/orders">Your orders</a>' in profile
    listed = client.get(f"/u/{owner.handle}/orders")
    assert listed.status_code == 200
    assert all(n in listed.text for n in ("E-1001", "E-1002", "E-1003"))
    assert "E-2001" not in listed.text
    order = client.get(f"/u/{owner.handle}/orders/E-1001")
    assert order.status_code == 200
    assert "by Colissimo, tracking <code>6A0001</code>" in order.text
    assert f'<dt>Paid</dt><dd><time datetime="{utcnow().date().isoformat()}' in order.text
    assert "House Blend beans 250g" in order.text


def test_nobody_reads_another_customers_order(
    client: TestClient, shop: tuple[ApiUser, ApiUser, ApiUser]
) -> None:
    owner, alice, bruno = shop
    signin_as(client, bruno.handle)
    html = {"Accept": "text/html"}
    theirs = client.get(f"/u/{owner.handle}/orders/E-1001", headers=html)
    assert theirs.status_code == 404
    assert "There is no order &#39;E-1001&#39; on your account." in theirs.text
    stranger = signup(client)
    signin_as(client, stranger.handle)
    assert (
        "You have no orders with Ember &amp; Oak." in client.get(f"/u/{owner.handle}/orders").text
    )
    assert client.get(f"/u/{alice.handle}/orders", headers=html).status_code == 404
