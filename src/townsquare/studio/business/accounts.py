"""Business accounts as the shells meet them: the owner's check (``business_account``, 403 for
anyone else), a business found by its handle, what an owner does that needs more than one
service (a catalog file, a customer named by handle, a slot), and a member's own orders with a
business. What an owner or a member does takes them as the acting account, by keyword; nothing
here commits (the shell owns the unit of work)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent, AppointmentSlot, Customer, Order
from townsquare.db.types import utcnow
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.social.accounts import normalise_handle
from townsquare.social.messages import thread_member_ids
from townsquare.studio import agents
from townsquare.studio.business import appointments, audit, catalog, orders
from townsquare.studio.business.catalog import ImportReport

MAX_CSV_BYTES = 2 * 1024 * 1024
SLOT_HORIZON = timedelta(days=3653)


def business_account(account: Account) -> Account:
    """``account``, if it is a business (403 otherwise): every view and change of a shop's own
    data starts here."""
    if account.kind != "business":
        raise Forbidden("only a business account has a catalog, orders and tickets")
    return account


def business_by_handle(session: Session, handle: str) -> Account:
    """The business with this handle (404 for no account or one that is not a business)."""
    business = session.scalar(select(Account).where(Account.handle == normalise_handle(handle)))
    if business is None or business.kind != "business":
        raise NotFound(f"there is no business @{handle.lstrip('@')}")
    return business


def import_catalog(session: Session, *, owner: Account, data: bytes) -> ImportReport:
    """Imports a catalog CSV file of at most ``MAX_CSV_BYTES`` of UTF-8 (a byte-order mark is
    allowed): good rows are saved, each bad row is reported and skipped."""
    if len(data) > MAX_CSV_BYTES:
        raise InvalidInput(f"a catalog CSV is at most {MAX_CSV_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the CSV must be UTF-8 text") from exc
    return catalog.import_csv(session, business_account(owner).id, text)


def add_customer(
    session: Session, *, owner: Account, name: str, email: str, handle: str | None = None
) -> Customer:
    """Adds a customer to the owner's business; with the handle of their account, the agent
    can serve them in DMs."""
    account_id = None
    if handle is not None:
        account = session.scalar(select(Account).where(Account.handle == normalise_handle(handle)))
        if account is None:
            raise NotFound(f"there is no account @{handle.lstrip('@')}")
        account_id = account.id
    return orders.add_customer(
        session, business_account(owner).id, name=name, email=email, account_id=account_id
    )


def open_slot(
    session: Session, *, owner: Account, starts_at: datetime, minutes: int, service: str
) -> AppointmentSlot:
    """Opens an appointment slot at a moment with a time zone, within ten years of now (a
    moment at the calendar's edge has no reading on some shop's clock)."""
    if starts_at.tzinfo is None:
        raise InvalidInput("starts_at needs a time zone, e.g. 2026-05-01T10:00:00Z")
    if abs(starts_at - utcnow()) > SLOT_HORIZON:
        raise InvalidInput("starts_at must be within ten years of now")
    return appointments.add_slot(
        session, business_account(owner).id, starts_at, minutes=minutes, service=service
    )


NOT_VERIFIED = (
    "verify that the email address the shop has for you is yours first: verify it on your "
    "account (the link we emailed you), or give it to the shop's agent in a chat"
)


def _verified_customer(session: Session, member: Account, business: Account) -> Customer | None:
    """The member's customer record with ``business`` (None: they are not its customer), once
    the member has shown that its email is theirs, as the shop's agent asks before it speaks of
    orders: their account's verified email is the record's, or they verified themselves to the
    shop's agent in a chat (``verify_customer``). The owner links a record to an account by
    handle, which a typo can get wrong; the email is what the shop knows the customer by."""
    customer = orders.customer_for_account(session, business.id, member.id)
    if customer is None:
        return None
    if member.email is not None and member.email == customer.email.strip().lower():
        return customer
    if audit.verified_with(session, business_id=business.id, member_id=member.id):
        return customer
    raise Forbidden(NOT_VERIFIED)


def member_orders(session: Session, *, member: Account, handle: str) -> list[Order]:
    """The member's orders with the business ``handle``, newest first (none when they are not
    its customer; 403 until they have verified the record's email, see ``_verified_customer``)."""
    business = business_by_handle(session, handle)
    customer = _verified_customer(session, member, business)
    return orders.customer_orders(session, customer) if customer is not None else []


def member_order(session: Session, *, member: Account, handle: str, number: str) -> Order:
    """One of the member's orders with the business ``handle`` (as ``member_orders``)."""
    business = business_by_handle(session, handle)
    customer = _verified_customer(session, member, business)
    if customer is None:
        raise NotFound(f"there is no order {number!r} on your account")
    return orders.customer_order(session, customer, number)


def shop_agent_in_thread(session: Session, *, owner: Account, thread_id: int) -> Agent | None:
    """The owner's agent in a conversation, if one of them is in it."""
    for account_id in thread_member_ids(session, thread_id):
        agent = agents.agent_for_account(session, account_id)
        if agent is not None and agent.owner_id == owner.id:
            return agent
    return None
