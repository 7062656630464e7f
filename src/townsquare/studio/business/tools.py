"""The tools a business agent calls in its DM thread (toolset ``business``), each with the JSON
schema of its arguments.

A tool acts for one customer only: the member of the DM thread (``Call.customer``), never a
customer named in the conversation, so no wording can reach someone else's data. Each tool says
who may use it (``permitted``, rules in ``chat``); confirmation and the audit log are enforced
around every tool by ``runner``; the functions here only do the work and say, in one plain
sentence of the customer's language (``wording``), what came of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from townsquare.db.models import Product
from townsquare.studio.business import booking_tools, catalog, order_states, orders, tickets
from townsquare.studio.business.chat import (
    Call,
    confirming,
    customer_of,
    customers_only,
    verified_only,
    verifying,
)
from townsquare.studio.business.wording import money, order_lines, say, status
from townsquare.tools import Result, Tool, register

TOOLSET = "business"
Run = Callable[[Call, dict[str, Any]], Result]
Permitted = Callable[[Call], str | None]


def _object(**properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
_ORDER = {"type": "string", "minLength": 1, "maxLength": 32, "description": "e.g. B-1001"}
_ID = {"type": "integer", "minimum": 1}


# --- Catalog ---------------------------------------------------------------------------------


def _search_catalog(call: Call, args: dict[str, Any]) -> Result:
    found = catalog.search_products(call.session, call.business_id, args["query"])
    if not found:
        return Result("error", say(call.language, "found_nothing", query=args["query"]))
    lines = "; ".join(_line(call, p) for p in found)
    return Result("ok", say(call.language, "found", lines=lines), {"skus": [p.sku for p in found]})


def _line(call: Call, product: Product) -> str:
    """One product of a search: its price, and its stock when it is sold out or low."""
    line = f"{product.name} ({product.sku}): {money(product.price_cents, product.currency)}"
    if product.stock is None or product.stock > catalog.LOW_STOCK:
        return line
    state = (
        say(call.language, "in_stock", count=product.stock)
        if product.stock
        else say(call.language, "sold_out").lower()
    )
    return f"{line}, {state.rstrip('.')}"


def _product_details(call: Call, args: dict[str, Any]) -> Result:
    p = catalog.product_by_sku(call.session, call.business_id, args["sku"])
    language = call.language
    stock = (
        ""
        if p.stock is None
        else say(language, "in_stock", count=p.stock)
        if p.stock
        else say(language, "sold_out")
    )
    options = "".join(f" {name}: {', '.join(values)}." for name, values in p.options.items())
    price = money(p.price_cents, p.currency)
    said = f"{say(language, 'product', name=p.name, sku=p.sku, price=price)} {p.description}"
    return Result(
        "ok", " ".join(f"{said} {stock}{options}".split()), {"sku": p.sku, "stock": p.stock}
    )


# --- Identity and orders -----------------------------------------------------------------------


def _verify_customer(call: Call, args: dict[str, Any]) -> Result:
    customer = customer_of(call)
    if args["email"].strip().lower() != customer.email.strip().lower():
        return Result("refused", say(call.language, "email_mismatch"))
    return Result("ok", say(call.language, "verified", name=customer.name))


def _find_my_orders(call: Call, args: dict[str, Any]) -> Result:
    found = orders.customer_orders(call.session, customer_of(call))
    if not found:
        return Result("ok", say(call.language, "no_orders"))
    lines = order_lines(call.language, found)
    return Result(
        "ok", say(call.language, "orders", lines=lines), {"orders": [o.number for o in found]}
    )


def _order_details(call: Call, args: dict[str, Any]) -> Result:
    order = orders.customer_order(call.session, customer_of(call), args["order_number"])
    items = ", ".join(f"{i.quantity} x {i.name}" for i in orders.order_items(call.session, order))
    total = money(order.total_cents, order.currency)
    language = call.language
    steps = "; ".join(
        say(language, "step", step=status(language, step), date=f"{when:%Y-%m-%d}")
        + (
            f" {say(language, 'shipped_by', carrier=order.carrier, tracking=order.tracking_number)}"
            if step == "shipped" and order.carrier
            else ""
        )
        for step, when in order_states.dated_steps(order)
    )
    said = say(
        language,
        "order",
        order=order.number,
        status=status(language, order.status),
        items=items,
        total=total,
    )
    return Result(
        "ok",
        said + (f" {say(language, 'steps', steps=steps)}" if steps else ""),
        {"order": order.number, "status": order.status}
        | (
            {"carrier": order.carrier, "tracking_number": order.tracking_number}
            if order.carrier
            else {}
        ),
    )


def _confirm_cancel(call: Call, args: dict[str, Any]) -> str:
    order = orders.customer_order(call.session, customer_of(call), args["order_number"])
    orders.check_cancel(order)
    total = money(order.total_cents, order.currency)
    return confirming(call, say(call.language, "confirm_cancel", order=order.number, total=total))


def _cancel_order(call: Call, args: dict[str, Any]) -> Result:
    order = orders.cancel_order(
        call.session, customer_of(call), args["order_number"], actor="agent"
    )
    return Result(
        "ok", say(call.language, "cancelled", order=order.number), {"order": order.number}
    )


def _confirm_return(call: Call, args: dict[str, Any]) -> str:
    order = orders.customer_order(call.session, customer_of(call), args["order_number"])
    orders.check_return(call.session, order, args["kind"], call.policy)
    return confirming(call, say(call.language, f"confirm_{args['kind']}", order=order.number))  # type: ignore[arg-type]


def _request_return(call: Call, args: dict[str, Any]) -> Result:
    order = orders.request_return(
        call.session,
        customer_of(call),
        args["order_number"],
        args["kind"],
        args["reason"],
        call.policy,
        actor="agent",
    )
    return Result("ok", say(call.language, f"{args['kind']}_requested", order=order.number))  # type: ignore[arg-type]


# --- People ----------------------------------------------------------------------------------


def _open_ticket(call: Call, args: dict[str, Any]) -> Result:
    ticket = tickets.open_ticket(
        call.session,
        call.business_id,
        kind="support",
        subject=args["subject"],
        body=args["details"],
        customer_id=call.customer.id if call.customer is not None else None,
        thread_id=call.thread_id,
    )
    return Result(
        "ok",
        say(call.language, "ticket", ticket=ticket.id),
        {"ticket": ticket.id},
    )


def _transfer_to_human(call: Call, args: dict[str, Any]) -> Result:
    ticket = tickets.open_ticket(
        call.session,
        call.business_id,
        kind="handoff",
        subject="Conversation handed over by the agent",
        body=args["summary"],
        customer_id=call.customer.id if call.customer is not None else None,
        thread_id=call.thread_id,
    )
    return Result(
        "ok",
        say(call.language, "handed_over"),
        {"ticket": ticket.id},
        transferred=True,
    )


def _tool(
    name: str,
    description: str,
    parameters: dict[str, Any],
    run: Run,
    *,
    permitted: Permitted | None = None,
    side_effect: bool = False,
    needs_approval: bool = False,
    question: Callable[[Call, dict[str, Any]], str] | None = None,
) -> Tool[Call]:
    return Tool(
        name,
        description,
        parameters,
        run,
        toolset=TOOLSET,
        side_effect=side_effect,
        needs_approval=needs_approval,
        question=question,
        permitted=permitted,
    )


def _change(
    name: str,
    description: str,
    parameters: dict[str, Any],
    run: Run,
    question: Callable[[Call, dict[str, Any]], str],
    permitted: Permitted,
) -> Tool[Call]:
    """A change: checked, proposed with ``question``, and run only after the customer's yes."""
    return _tool(
        name,
        description,
        parameters,
        run,
        permitted=permitted,
        side_effect=True,
        needs_approval=True,
        question=question,
    )


for _each in (
    _tool(
        "search_catalog",
        "Find products or services by words.",
        _object(query=_TEXT),
        _search_catalog,
    ),
    _tool(
        "product_details",
        "Price, stock and options of one product.",
        _object(sku=_TEXT),
        _product_details,
    ),
    _tool(
        "verify_customer",
        "Check the email the customer gave against their account.",
        _object(email={"type": "string", "minLength": 3, "maxLength": 254}),
        _verify_customer,
        permitted=verifying,
    ),
    _tool(
        "find_my_orders",
        "List the customer's orders.",
        _object(),
        _find_my_orders,
        permitted=verified_only,
    ),
    _tool(
        "order_details",
        "Status and items of one of the customer's orders.",
        _object(order_number=_ORDER),
        _order_details,
        permitted=verified_only,
    ),
    _change(
        "cancel_order",
        "Cancel one of the customer's pending orders.",
        _object(order_number=_ORDER),
        _cancel_order,
        _confirm_cancel,
        verified_only,
    ),
    _change(
        "request_return",
        "Request a return (refund) or an exchange of a delivered order.",
        _object(order_number=_ORDER, kind={"enum": ["return", "exchange"]}, reason=_TEXT),
        _request_return,
        _confirm_return,
        verified_only,
    ),
    _tool(
        "list_free_slots",
        "Free appointment slots.",
        {**_object(service=_TEXT), "required": []},
        booking_tools.list_free_slots,
    ),
    _tool(
        "my_appointments",
        "When the customer's own appointments are.",
        _object(),
        booking_tools.my_appointments,
        permitted=verified_only,
    ),
    _change(
        "book_appointment",
        "Book a free slot.",
        _object(slot_id=_ID),
        booking_tools.book,
        booking_tools.confirm_book,
        customers_only,
    ),
    _change(
        "move_appointment",
        "Move one of the customer's appointments to a free slot.",
        _object(booking_id=_ID, slot_id=_ID),
        booking_tools.move,
        booking_tools.confirm_move,
        customers_only,
    ),
    _change(
        "cancel_appointment",
        "Cancel one of the customer's appointments.",
        _object(booking_id=_ID),
        booking_tools.cancel_booking,
        booking_tools.confirm_cancel_booking,
        customers_only,
    ),
    # Changes something with no question first.
    _tool(
        "open_ticket",
        "Record a support request for the team.",
        _object(subject=_TEXT, details=_TEXT),
        _open_ticket,
        side_effect=True,
    ),
    _tool(
        "transfer_to_human",
        "Hand the conversation to a person (complaints, what you cannot do), with a summary.",
        _object(summary={"type": "string", "minLength": 1, "maxLength": 600}),
        _transfer_to_human,
    ),
):
    register(_each)
