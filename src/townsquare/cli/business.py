"""`townsquare business ...`: a business's catalog and orders (and each step) from the terminal.

Like `townsquare agent`, these work on the local database directly, acting as the business
account named with `--business`; they are for whoever runs the instance.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from townsquare.cli.options import (
    BusinessOption,
    DataDirOption,
    console,
    fail,
    failing_on_refusal,
    open_local,
)
from townsquare.errors import TownsquareError

business_app = typer.Typer(help="A business's catalog and orders.", no_args_is_help=True)


@business_app.command("import-catalog")
def import_catalog(
    csv_file: Annotated[
        Path,
        typer.Argument(
            help="CSV: sku,name,price[,description,currency,stock,options]",
            exists=True,
            dir_okay=False,
        ),
    ],
    business: BusinessOption,
    data_dir: DataDirOption = None,
) -> None:
    """Imports a catalog CSV: good rows are saved (same sku: updated), bad rows are listed."""
    from townsquare.social.accounts import get_account
    from townsquare.studio.business.accounts import business_account
    from townsquare.studio.business.catalog import import_csv

    _, database = open_local(data_dir)
    try:
        with database.session() as session:
            account = business_account(get_account(session, business))
            report = import_csv(session, account.id, csv_file.read_text(encoding="utf-8-sig"))
    except (TownsquareError, UnicodeDecodeError) as error:
        raise fail(error) from error
    finally:
        database.dispose()
    console.print(
        f"{report.created} created, {report.updated} updated, {len(report.errors)} skipped"
    )
    for line in report.errors:
        console.print(f"  [yellow]{line}[/yellow]")


@business_app.command("orders")
def list_orders(
    business: BusinessOption,
    status: Annotated[str | None, typer.Option(help="Only orders in this state.")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Lists the business's orders, newest first."""
    from townsquare.social.accounts import get_account
    from townsquare.studio.business.accounts import business_account
    from townsquare.studio.business.orders import business_orders
    from townsquare.studio.business.wording import money

    _, database = open_local(data_dir)
    table = Table("number", "status", "total", "placed")
    try:
        with failing_on_refusal(), database.session() as session:
            account = business_account(get_account(session, business))
            for order in business_orders(session, account.id, status=status):
                table.add_row(
                    order.number,
                    order.status,
                    money(order.total_cents, order.currency),
                    f"{order.placed_at:%Y-%m-%d}",
                )
    finally:
        database.dispose()
    console.print(table)


@business_app.command("order-status")
def change_order_status(
    number: Annotated[str, typer.Argument(help="The order number, e.g. E-1001.")],
    status: Annotated[
        str, typer.Argument(help="paid, shipped, delivered, returned, refunded or cancelled.")
    ],
    business: BusinessOption,
    carrier: Annotated[str | None, typer.Option(help="For shipped.")] = None,
    tracking_number: Annotated[str | None, typer.Option(help="For shipped.")] = None,
    at: Annotated[
        datetime | None,
        typer.Option(
            help="When it happened (UTC unless an offset is given); now when left out.",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"],
        ),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Moves an order to its next step (pending -> paid -> shipped -> delivered -> returned ->
    refunded; cancelled from pending or paid), as the owner does on the order's page."""
    from townsquare.social.accounts import get_account
    from townsquare.studio.business.order_states import change_status, progress

    _, database = open_local(data_dir)
    try:
        with failing_on_refusal(), database.session() as session:
            order = change_status(
                session,
                owner=get_account(session, business),
                number=number,
                status=status,
                at=at if at is None or at.tzinfo else at.replace(tzinfo=UTC),
                carrier=carrier,
                tracking_number=tracking_number,
            )
            console.print(f"{order.number} is {order.status}: {progress(order)}")
    finally:
        database.dispose()
