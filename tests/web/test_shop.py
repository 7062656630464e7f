"""The shop pages of a business account: catalog (price, stock, CSV import), orders, tickets,
the audit log and the policy, and that nobody else sees them."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from tests.api.test_agent_dm import STREAM
from tests.utils.factories import ApiUser, signup, unique_handle
from tests.web.conftest import signin_as
from townsquare.db import Database
from townsquare.db.models import Account, Agent
from townsquare.db.types import utcnow
from townsquare.demo.shop import seed_shop
from townsquare.studio.business import audit

COMPLAINT = "The mug arrived broken and I want to complain."


@pytest.fixture
def shop(client: TestClient, database: Database) -> tuple[ApiUser, ApiUser, str]:
    """The demo shop of a fresh business account, its customer Alice and its agent's handle."""
    owner = signup(client, unique_handle("shop"), kind="business", display_name="Ember & Oak")
    alice, bruno = signup(client), signup(client)
    handle = unique_handle("help")
    with database.session() as session:
        accounts = [session.get(Account, user.id) for user in (owner, alice, bruno)]
        business, *customers = [account for account in accounts if account is not None]
        seed_shop(session, business, customers, now=utcnow(), agent_handle=handle)
    return owner, alice, handle


def _complain(client: TestClient, alice: ApiUser, handle: str) -> int:
    """Alice complains to the shop's agent, which hands her to the owner (a ticket)."""
    thread_id = int(
        client.post(f"/agents/{handle}/threads", headers=alice.headers).json()["thread_id"]
    )
    sent = client.post(
        f"/threads/{thread_id}/messages", json={"text": COMPLAINT}, headers=alice.headers | STREAM
    )
    assert sent.status_code == 201, sent.text
    return thread_id


def test_the_catalog_shows_products_and_saves_a_new_price_and_stock(
    client: TestClient, shop: tuple[ApiUser, ApiUser, str]
) -> None:
    owner, _, _ = shop
    csrf = signin_as(client, owner.handle)
    assert '<a href="/shop/catalog"' in client.get("/").text  # in the navigation
    page = client.get("/shop")
    assert page.url.path == "/shop/catalog"
    assert "House Blend beans 250g" in page.text and "9.50 EUR" in page.text
    assert "grind:</span> whole, espresso, filter" in page.text
    assert "out of stock" in page.text and "a service" in page.text

    saved = client.post(
        "/shop/catalog/reprice",
        data={"sku": "BEAN-HOUSE", "price": "11,00", "stock": "7", "csrf": csrf},
    )
    assert saved.status_code == 200 and "Saved BEAN-HOUSE." in saved.text
    assert "BEAN-HOUSE · 11.00 EUR · 7 in stock" in saved.text

    refused = client.post(
        "/shop/catalog/reprice",
        data={"sku": "BEAN-ETH", "price": "twelve", "stock": "3", "csrf": csrf},
    )
    assert refused.status_code == 422
    assert "Price &#39;twelve&#39; is not a price like 9.50." in refused.text
    assert 'value="twelve"' in refused.text  # what was typed is still there
    refused = client.post(
        "/shop/catalog/reprice",
        data={"sku": "BEAN-ETH", "price": "12", "stock": "-1", "csrf": csrf},
    )
    assert refused.status_code == 422 and "is not a whole number" in refused.text
    assert 'value="-1"' in refused.text
    missing = client.post("/shop/catalog/reprice", data={"sku": "NOPE", "price": "1", "csrf": csrf})
    assert missing.status_code == 404 and "There is no product &#39;NOPE&#39;." in missing.text


def test_a_csv_import_saves_good_rows_and_lists_the_bad_ones(
    client: TestClient, shop: tuple[ApiUser, ApiUser, str]
) -> None:
    owner, _, _ = shop
    csrf = signin_as(client, owner.handle)
    csv = "sku,name,price,stock\nTEA-1,Green tea,4.50,10\nTEA-2,Black tea,cheap,3\n"
    done = client.post(
        "/shop/catalog/import",
        data={"csrf": csrf},
        files={"file": ("tea.csv", csv.encode(), "text/csv")},
    )
    assert done.status_code == 200
    assert "1 product added, 0 updated, 1 row skipped." in done.text
    assert "row 3: &#39;cheap&#39; is not a price" in done.text
    assert "Green tea" in done.text and "Black tea" not in done.text

    bad = client.post(
        "/shop/catalog/import",
        data={"csrf": csrf},
        files={"file": ("tea.csv", b"sku,title\nA,B\n", "text/csv")},
    )
    assert bad.status_code == 422
    assert "The CSV header lacks name, price (it needs sku,name,price)." in bad.text
    empty = client.post("/shop/catalog/import", data={"csrf": csrf})
    assert empty.status_code == 422 and "Choose a CSV file to import first." in empty.text


def test_orders_list_filter_and_open_with_items_and_history(
    client: TestClient, shop: tuple[ApiUser, ApiUser, str]
) -> None:
    owner, _, _ = shop
    signin_as(client, owner.handle)
    page = client.get("/shop/orders")
    assert all(number in page.text for number in ("E-1001", "E-1002", "E-2001", "E-2002"))
    assert "Alice Moreau" in page.text and "19.00 EUR" in page.text
    delivered = client.get("/shop/orders?status=delivered").text
    assert "E-1002" in delivered and "E-1001" not in delivered
    assert client.get("/shop/orders?status=lost").status_code == 422

    order = client.get("/shop/orders/E-1001")
    assert order.status_code == 200
    assert "House Blend beans 250g" in order.text and "alice@example.com" in order.text
    assert re.search(r"<strong>placed</strong> by the customer", order.text)
    missing = client.get("/shop/orders/E-9999", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "There is no order &#39;E-9999&#39;." in missing.text


def test_a_hand_off_ticket_opens_links_its_conversation_and_closes(
    client: TestClient, shop: tuple[ApiUser, ApiUser, str]
) -> None:
    owner, alice, handle = shop
    thread_id = _complain(client, alice, handle)
    csrf = signin_as(client, owner.handle)
    listed = client.get("/shop/tickets?status=open").text
    ticket_id = int(re.findall(r'href="/shop/tickets/(\d+)"', listed)[0])
    assert "hand-off" in listed

    ticket = client.get(f"/shop/tickets/{ticket_id}").text
    assert "arrived broken" in ticket and "Alice Moreau" in ticket
    assert f'href="/inbox/{handle}/threads/{thread_id}"' in ticket
    closed = client.post(f"/shop/tickets/{ticket_id}/close", data={"csrf": csrf})
    assert "This ticket is closed." in closed.text
    assert f"/shop/tickets/{ticket_id}" not in client.get("/shop/tickets?status=open").text
    assert f"/shop/tickets/{ticket_id}" in client.get("/shop/tickets?status=closed").text
    assert client.get("/shop/tickets?status=lost").status_code == 422


def test_the_audit_log_shows_each_call_with_its_message_a_page_at_a_time(
    client: TestClient,
    database: Database,
    shop: tuple[ApiUser, ApiUser, str],
) -> None:
    owner, alice, handle = shop
    thread_id = _complain(client, alice, handle)
    signin_as(client, owner.handle)
    page = html.unescape(client.get("/shop/audit").text)
    assert "<code>transfer_to_human</code>" in page and f"by @{handle}" in page
    assert "Triggered by:</span> “The mug arrived broken" in page
    assert '"summary": "The customer asked for a person.' in page  # the arguments
    assert '"say": "I\'m passing this conversation to a person' in page  # the result
    assert "Older calls" not in page

    with database.session() as session:
        agent_id = session.query(Agent.id).filter(Agent.owner_id == owner.id).scalar()
        assert agent_id is not None
        for n in range(30):
            audit.record(
                session, agent_id=agent_id, thread_id=thread_id, message_id=None,
                tool="search_catalog", arguments={"query": f"beans {n}"}, result={"say": ""},
                status="ok",
            )  # fmt: skip
    first = client.get("/shop/audit").text
    assert "beans 29" in first and "beans 5" in first and "beans 4" not in first
    older = re.search(r'href="(/shop/audit\?cursor=\d+)"', first)
    assert older is not None
    second = client.get(older.group(1)).text
    assert "beans 4" in second and "transfer_to_human" in second and "beans 5" not in second
    bad = client.get("/shop/audit?cursor=yesterday")
    assert (
        bad.status_code == 422
        and "That is not a page of the audit log; open it again from Shop." in bad.text
    )


def test_the_policy_shows_its_limits_and_keeps_what_was_typed_on_an_error(
    client: TestClient, shop: tuple[ApiUser, ApiUser, str]
) -> None:
    owner, _, _ = shop
    csrf = signin_as(client, owner.handle)
    page = client.get("/shop/policy").text
    assert "within 30 days of delivery" in page and "50.00" in page
    assert "Never give discounts or free items" in page

    saved = client.post(
        "/shop/policy", data={"text": "Returns within 10 days. No exchanges.", "csrf": csrf}
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    assert "within 10 days of delivery" in saved.text and "refused" in saved.text
    too_long = "Be kind. " * 1_000
    refused = client.post("/shop/policy", data={"text": too_long, "csrf": csrf})
    assert refused.status_code == 422 and "A policy is at most 8000 characters." in refused.text
    assert too_long.strip() in refused.text
    assert "within 10 days of delivery" in client.get("/shop/policy").text


def test_the_policy_page_lists_the_sentences_no_code_enforces(
    client: TestClient, shop: tuple[ApiUser, ApiUser, str]
) -> None:
    owner, _, _ = shop
    csrf = signin_as(client, owner.handle)
    text = "Sale items are final. Cancel classes with 24 hours' notice. Always smile."
    page = client.post("/shop/policy", data={"text": text, "csrf": csrf}).text
    assert "Not enforced automatically" in page and "<li>Always smile.</li>" in page
    assert "at least 24 hours before they start" in page
    assert "never returned or exchanged: a product whose name or description says “sale”" in page
    assert "no window set: the agent hands every return to you" in page


def test_only_the_business_itself_sees_its_shop(
    client: TestClient, shop: tuple[ApiUser, ApiUser, str]
) -> None:
    _, alice, handle = shop
    _complain(client, alice, handle)
    signed_out = client.get("/shop/catalog", follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/signin")

    csrf = signin_as(client, alice.handle)
    assert "/shop/catalog" not in client.get("/").text  # no Shop link for a person
    for path in ("/shop/catalog", "/shop/orders", "/shop/tickets", "/shop/audit", "/shop/policy"):
        page = client.get(path)
        assert page.status_code == 403, path
        assert "Only a business account has a catalog, orders and tickets." in page.text
    refused = client.post("/shop/policy", data={"text": "Anything goes.", "csrf": csrf})
    assert refused.status_code == 403

    other = signup(client, unique_handle("shop"), kind="business")
    other_csrf = signin_as(client, other.handle)
    assert "No orders." in client.get("/shop/orders").text
    assert client.get("/shop/orders/E-1001").status_code == 404
    ticket_ids = re.findall(r"/shop/tickets/(\d+)", client.get("/shop/tickets").text)
    assert ticket_ids == []
    assert client.get("/shop/tickets/1").status_code == 404
    assert client.post("/shop/tickets/1/close", data={"csrf": other_csrf}).status_code == 404
