"""The shop's bookings, for a business account: the list (by day range, status and customer, a
page at a time, each upcoming one with "move" and "cancel"), and a form that books a free slot
for one of the shop's customers. The rules are the service's (``studio.business.bookings``)."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from townsquare.db.models import Account
from townsquare.db.types import utcnow
from townsquare.errors import Conflict, InvalidInput, NotFound
from townsquare.http import IdPath
from townsquare.presenters.business import booking_public
from townsquare.studio.business import bookings, orders
from townsquare.studio.business.accounts import business_account
from townsquare.studio.business.bookings import BOOKING_STATUSES, BookingFilter
from townsquare.web.session import Csrf, Member, WebSession, render, sentence, web_router

router = web_router()

PAGE = 25
Text = Annotated[str, Query(max_length=20)]
FormId = Annotated[str, Form(max_length=20)]


@dataclass(frozen=True)
class Filters:
    """The filters as typed (shown again in the form, carried by the next page's link)."""

    first: str = ""
    last: str = ""
    status: str = ""
    customer: str = ""

    def parsed(self) -> BookingFilter:
        return BookingFilter(
            _day(self.first, "from"),
            _day(self.last, "to"),
            self.status or None,
            _id(self.customer, "customer") if self.customer else None,
        )

    def query(self) -> str:
        """The filters as a query string (what a link to the next page carries)."""
        pairs = zip(("from", "to", "status", "customer"), astuple(self), strict=True)
        return urlencode([(name, value) for name, value in pairs if value])


def _day(text: str, name: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(f"{name} {text!r} is not a day like 2026-05-01") from exc


def _id(text: str, name: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) < 2**63:
        raise InvalidInput(f"choose a {name} from the list")
    return int(text)


def _bookings_page(
    request: Request,
    me: Account,
    session: Session,
    filters: Filters,
    *,
    cursor: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    shop = business_account(me)
    page = bookings.list_bookings(
        session, owner=me, where=filters.parsed(), cursor=cursor, limit=PAGE
    )
    return render(
        request,
        "shop_bookings.html",
        me,
        status_code=status_code,
        bookings=[booking_public(session, b) for b in page.items],
        next_cursor=page.next_cursor,
        first_page=not cursor,
        filters=filters,
        statuses=BOOKING_STATUSES,
        customers=sorted(
            orders.business_customers(session, shop.id).values(), key=lambda c: c.name.lower()
        ),
        free_slots=bookings.free_slots(session, owner=me),
        now=utcnow(),
        error=error,
    )


@router.get("/shop/bookings")
def bookings_page(
    request: Request,
    me: Member,
    session: WebSession,
    first: Annotated[str, Query(alias="from", max_length=10)] = "",
    last: Annotated[str, Query(alias="to", max_length=10)] = "",
    status: Text = "",
    customer: Text = "",
    cursor: Text = "",
) -> Response:
    if status and status not in BOOKING_STATUSES:
        raise InvalidInput(f"a booking is {' or '.join(BOOKING_STATUSES)}, not {status!r}")
    filters = Filters(first, last, status, customer)
    return _bookings_page(request, me, session, filters, cursor=cursor or None)


Refusal = InvalidInput | Conflict | NotFound


def _refused(request: Request, me: Account, session: Session, error: Refusal) -> Response:
    """The page again, saying why the change was refused (nothing of it is kept)."""
    session.rollback()
    return _bookings_page(
        request, me, session, Filters(), error=sentence(str(error)), status_code=error.status
    )


@router.post("/shop/bookings", dependencies=[Csrf])
def book_for_customer(
    request: Request, me: Member, session: WebSession, customer: FormId = "", slot: FormId = ""
) -> Response:
    try:
        customer_id, slot_id = _id(customer, "customer"), _id(slot, "free slot")
        booking = bookings.book_for(session, owner=me, customer_id=customer_id, slot_id=slot_id)
    except (InvalidInput, Conflict, NotFound) as error:
        return _refused(request, me, session, error)
    session.commit()
    return RedirectResponse(f"/shop/bookings#booking-{booking.id}", status_code=303)


@router.post("/shop/bookings/{booking_id}/move", dependencies=[Csrf])
def move_booking(
    request: Request, booking_id: IdPath, me: Member, session: WebSession, slot: FormId = ""
) -> Response:
    try:
        slot_id = _id(slot, "free slot")
        bookings.move_booking(session, owner=me, booking_id=booking_id, slot_id=slot_id)
    except (InvalidInput, Conflict, NotFound) as error:
        return _refused(request, me, session, error)
    session.commit()
    return RedirectResponse(f"/shop/bookings#booking-{booking_id}", status_code=303)


@router.post("/shop/bookings/{booking_id}/cancel", dependencies=[Csrf])
def cancel_booking(
    request: Request, booking_id: IdPath, me: Member, session: WebSession
) -> Response:
    try:
        bookings.cancel_booking(session, owner=me, booking_id=booking_id)
    except (Conflict, NotFound) as error:
        return _refused(request, me, session, error)
    session.commit()
    return RedirectResponse(f"/shop/bookings#booking-{booking_id}", status_code=303)
