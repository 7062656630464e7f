"""What the evaluation shops share in seeding: orders moved through the owner's own steps, and a
slot's day and time as a customer writing a language puts it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from babel.dates import format_datetime
from sqlalchemy.orm import Session

from townsquare.db.models import Account
from townsquare.db.models import Customer as ShopCustomer
from townsquare.studio.business import order_states, orders
from townsquare.studio.business.orders import LineItem

Step = tuple[str, int, str, str]  # (status, days ago, carrier, tracking number)
# (number, [(sku, quantity, options "name=value;...")], days since placed, the owner's steps)
OrderRow = tuple[str, tuple[tuple[str, int, str], ...], int, tuple[Step, ...]]


def line_item(sku: str, quantity: int, options: str) -> LineItem:
    chosen = dict(part.strip().partition("=")[::2] for part in options.split(";") if part)
    return LineItem(sku, quantity, chosen or None)


def place_orders(
    session: Session,
    business: Account,
    customer: ShopCustomer,
    rows: Sequence[OrderRow],
    now: datetime,
) -> None:
    """Place each order ``now`` minus its age, then take the owner's steps on their days."""
    for number, items, placed_days, steps in rows:
        orders.place_order(
            session,
            customer,
            number,
            [line_item(*item) for item in items],
            placed_at=now - timedelta(days=placed_days, hours=1),
        )
        for status, days, carrier, tracking in steps:
            order_states.change_status(
                session,
                owner=business,
                number=number,
                status=status,
                at=now - timedelta(days=days),
                carrier=carrier or None,
                tracking_number=tracking or None,
            )


def in_words(moment: datetime, language: str, at: Mapping[str, str]) -> str:
    """ "Thursday 10 December at 10:00", as a customer writing ``language`` puts it (``at``:
    each language's word before the time)."""
    day = format_datetime(moment, "EEEE d MMMM", locale=language)
    return f"{day} {at[language]} {moment:%H:%M}"
