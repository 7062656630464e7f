"""Bookings, for the business account: book a free slot for one of your customers, list the
bookings (by day range, status and customer, a page at a time), move and cancel them; and the
free slots to book."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import Cursor, IdPath, Limit, SessionDep
from townsquare.presenters import PageOut, RequestModel, RowId, page_out
from townsquare.presenters.business import BookingPublic, SlotPublic, booking_public, slot_public
from townsquare.studio.business import bookings
from townsquare.studio.business.bookings import BookingFilter

router = APIRouter(prefix="/business", tags=["business"])


class BookingIn(RequestModel):
    customer_id: RowId = Field(description="From POST /business/customers.")
    slot_id: RowId = Field(description="A free slot, from GET /business/slots.")


class BookingMove(RequestModel):
    slot_id: RowId = Field(description="Another free slot.")


@router.get("/slots", response_model=list[SlotPublic])
def list_free_slots(me: CurrentAccount, session: SessionDep) -> list[SlotPublic]:
    """Your free slots from now on, soonest first (at most 50)."""
    return [slot_public(s) for s in bookings.free_slots(session, owner=me)]


@router.get("/bookings", response_model=PageOut[BookingPublic])
def list_bookings(
    me: CurrentAccount,
    session: SessionDep,
    first_day: Annotated[
        date | None,
        Query(alias="from", description="Slots starting on this day (on your time zone) or later."),
    ] = None,
    last_day: Annotated[
        date | None,
        Query(alias="to", description="Slots starting on this day (on your time zone) or earlier."),
    ] = None,
    status_: Annotated[Literal["booked", "cancelled"] | None, Query(alias="status")] = None,
    customer_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PageOut[BookingPublic]:
    """Your bookings, newest first."""
    where = BookingFilter(first_day, last_day, status_, customer_id)
    page = bookings.list_bookings(session, owner=me, where=where, cursor=cursor, limit=limit)
    return page_out(page, lambda b: booking_public(session, b))


@router.post("/bookings", status_code=status.HTTP_201_CREATED, response_model=BookingPublic)
def book_for_customer(body: BookingIn, me: CurrentAccount, session: SessionDep) -> BookingPublic:
    """Books a free slot for one of your customers; a slot that is taken or in the past is a
    409."""
    booking = bookings.book_for(
        session, owner=me, customer_id=body.customer_id, slot_id=body.slot_id
    )
    session.commit()
    return booking_public(session, booking)


@router.post("/bookings/{booking_id}/move", response_model=BookingPublic)
def move_booking(
    booking_id: IdPath, body: BookingMove, me: CurrentAccount, session: SessionDep
) -> BookingPublic:
    """Moves a booking that has not started to another free slot."""
    booking = bookings.move_booking(session, owner=me, booking_id=booking_id, slot_id=body.slot_id)
    session.commit()
    return booking_public(session, booking)


@router.post("/bookings/{booking_id}/cancel", response_model=BookingPublic)
def cancel_booking(booking_id: IdPath, me: CurrentAccount, session: SessionDep) -> BookingPublic:
    """Cancels a booking that has not started; its slot is free again."""
    booking = bookings.cancel_booking(session, owner=me, booking_id=booking_id)
    session.commit()
    return booking_public(session, booking)
