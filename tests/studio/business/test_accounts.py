"""The business services the shells share: the owner's check, a business by handle, a catalog
file, a customer named by handle, a slot with a time zone, a member's own orders and the shop's
agent in a conversation. Input is checked before the account, as the API always answered."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.studio.business.conftest import Shop, say
from tests.utils.factories import make_account, make_agent, unique_handle
from townsquare.db import Database
from townsquare.db.models import Account
from townsquare.db.types import utcnow
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.social import verification
from townsquare.studio.business import accounts, catalog
from townsquare.studio.business.runner import execute


def test_only_a_business_passes_the_owners_check(database: Database, shop: Shop) -> None:
    with database.session() as session:
        business = session.get(Account, shop.business_id)
        assert business is not None and accounts.business_account(business) is business
        person = session.get(Account, shop.alice_id)
        assert person is not None
        with pytest.raises(Forbidden, match="only a business account"):
            accounts.business_account(person)


def test_a_business_is_found_by_handle_and_nobody_else(database: Database, shop: Shop) -> None:
    with database.session() as session:
        business = session.get(Account, shop.business_id)
        person = session.get(Account, shop.alice_id)
        assert business is not None and person is not None
        assert accounts.business_by_handle(session, f"@{business.handle.upper()}") is business
        with pytest.raises(NotFound, match=f"there is no business @{person.handle}$"):
            accounts.business_by_handle(session, person.handle)


def test_a_catalog_file_is_utf8_within_the_limit(database: Database, shop: Shop) -> None:
    with database.session() as session:
        business = session.get(Account, shop.business_id)
        person = session.get(Account, shop.alice_id)
        assert business is not None and person is not None
        data = "\ufeffsku,name,price\nTEA,Green tea,4.00\n".encode()
        report = accounts.import_catalog(session, owner=business, data=data)
        assert (report.created, report.errors) == (1, [])
        assert catalog.product_by_sku(session, business.id, "TEA").price_cents == 400
        too_big = b"x" * (accounts.MAX_CSV_BYTES + 1)
        with pytest.raises(InvalidInput, match="at most 2 MiB"):
            accounts.import_catalog(session, owner=business, data=too_big)
        with pytest.raises(InvalidInput, match="must be UTF-8"):
            accounts.import_catalog(session, owner=person, data=b"\xff\xfe")
        with pytest.raises(Forbidden):
            accounts.import_catalog(session, owner=person, data=data)


def test_a_customer_is_linked_to_the_account_named(database: Database, shop: Shop) -> None:
    with database.session() as session:
        business = session.get(Account, shop.business_id)
        assert business is not None
        member = make_account(session)
        customer = accounts.add_customer(
            session, owner=business, name="Ann", email="ann@example.com", handle=f"@{member.handle}"
        )
        assert (customer.business_id, customer.account_id) == (business.id, member.id)
        assert accounts.add_customer(
            session, owner=business, name="Bo", email="bo@example.com"
        ).account_id is None  # fmt: skip
        with pytest.raises(NotFound, match="there is no account @nobody_here"):
            accounts.add_customer(
                session, owner=business, name="X", email="x@example.com", handle="nobody_here"
            )


def test_a_slot_needs_a_time_zone(database: Database, shop: Shop) -> None:
    with database.session() as session:
        business = session.get(Account, shop.business_id)
        assert business is not None
        starts_at = datetime.fromisoformat("2030-01-01T10:00:00+01:00")
        slot = accounts.open_slot(
            session, owner=business, starts_at=starts_at, minutes=45, service="Cupping"
        )
        assert (slot.business_id, slot.minutes, slot.service) == (business.id, 45, "Cupping")
        with pytest.raises(InvalidInput, match="starts_at needs a time zone"):
            accounts.open_slot(
                session,
                owner=business,
                starts_at=starts_at.replace(tzinfo=None),
                minutes=45,
                service="",
            )
        for years in (-11, 11):  # a moment no shop's clock may be unable to read
            with pytest.raises(InvalidInput, match="within ten years of now"):
                accounts.open_slot(
                    session,
                    owner=business,
                    starts_at=utcnow() + timedelta(days=365 * years),
                    minutes=45,
                    service="",
                )


def test_a_member_reads_only_their_own_orders(database: Database, shop: Shop) -> None:
    with database.session() as session:
        business = session.get(Account, shop.business_id)
        alice = session.get(Account, shop.alice_id)
        stranger = session.get(Account, shop.stranger_id)
        assert business is not None and alice is not None and stranger is not None
        with pytest.raises(Forbidden) as unverified:
            accounts.member_orders(session, member=alice, handle=business.handle)
        assert str(unverified.value) == accounts.NOT_VERIFIED
        call = say(session, shop, shop.alice_id, "It's alice@example.com")
        assert execute(call, "verify_customer", {"email": "alice@example.com"}).status == "ok"
        mine = accounts.member_orders(session, member=alice, handle=business.handle)
        assert mine and {o.customer_id for o in mine} == {mine[0].customer_id}
        number = mine[0].number
        order = accounts.member_order(session, member=alice, handle=business.handle, number=number)
        assert order is mine[0]
        assert accounts.member_orders(session, member=stranger, handle=business.handle) == []
        with pytest.raises(NotFound, match="on your account"):
            accounts.member_order(session, member=stranger, handle=business.handle, number=number)


def test_the_shops_agent_is_found_in_its_conversations(database: Database, shop: Shop) -> None:
    with database.session() as session:
        business = session.get(Account, shop.business_id)
        assert business is not None
        thread_id = say(session, shop, shop.alice_id, "hello").thread_id
        found = accounts.shop_agent_in_thread(session, owner=business, thread_id=thread_id)
        assert found is not None and found.id == shop.agent_id
        other = make_account(session, unique_handle("shop"), kind="business")
        assert accounts.shop_agent_in_thread(session, owner=other, thread_id=thread_id) is None
        make_agent(session, other)
        assert accounts.shop_agent_in_thread(session, owner=other, thread_id=thread_id) is None


def test_a_verified_account_email_matching_the_record_is_enough(
    database: Database, shop: Shop
) -> None:
    with database.session() as session:
        business = session.get_one(Account, shop.business_id)
        bruno = session.get_one(Account, shop.bruno_id)
        verification.mark_verified(session, bruno, "someone.else@example.com")
        with pytest.raises(Forbidden, match="verify that the email address the shop has"):
            accounts.member_orders(session, member=bruno, handle=business.handle)
        verification.mark_verified(session, bruno, "Bruno@Example.com")
        mine = accounts.member_orders(session, member=bruno, handle=business.handle)
        assert sorted(o.number for o in mine) == ["E-2001", "E-2002"]
        assert accounts.member_order(session, member=bruno, handle=business.handle, number="E-2001")
