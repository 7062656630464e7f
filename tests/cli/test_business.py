"""`townsquare business ...` on a real data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_agent import invoke
from tests.utils.factories import make_account
from townsquare.db import Database, upgrade_to_head
from townsquare.db.types import utcnow
from townsquare.demo.shop import seed_shop
from townsquare.settings import Settings


def _shop(tmp_path: Path) -> str:
    database = Database(Settings(data_dir=tmp_path).resolved_database_url)
    upgrade_to_head(database)
    with database.session() as session:
        business = make_account(session, "ember", kind="business")
        make_account(session, "someone")
        members = [make_account(session) for _ in range(2)]
        seed_shop(session, business, members, now=utcnow())
    database.dispose()
    return str(tmp_path)


@pytest.mark.parametrize("command", ["import-catalog", "orders", "order-status"])
def test_every_business_command_has_help(command: str) -> None:
    code, output = invoke("business", command, "--help")
    assert code == 0 and "Usage" in output


def test_import_a_catalog_then_list_orders(tmp_path: Path) -> None:
    data = _shop(tmp_path)
    csv = tmp_path / "catalog.csv"
    csv.write_text("sku,name,price\nTOTE,Tote bag,12\nBAD,Bad,free\n")
    code, output = invoke(
        "business", "import-catalog", str(csv), "--business", "ember", "--data-dir", data
    )
    assert code == 0, output
    assert "1 created, 0 updated, 1 skipped" in output and "row 3" in output
    code, output = invoke(
        "business", "orders", "--business", "ember", "--status", "pending", "--data-dir", data
    )
    assert code == 0 and "E-1001" in output and "E-1002" not in output


def test_a_person_has_no_catalog(tmp_path: Path) -> None:
    data = _shop(tmp_path)
    csv = tmp_path / "catalog.csv"
    csv.write_text("sku,name,price\nTOTE,Tote bag,12\n")
    code, output = invoke(
        "business", "import-catalog", str(csv), "--business", "someone", "--data-dir", data
    )
    assert code == 1 and "only a business account has a catalog" in output


def test_a_person_has_no_orders_to_list(tmp_path: Path) -> None:
    data = _shop(tmp_path)
    code, output = invoke("business", "orders", "--business", "someone", "--data-dir", data)
    assert code == 1 and "only a business account has a catalog" in output


def test_the_owner_moves_an_order_along_from_the_terminal(tmp_path: Path) -> None:
    data = _shop(tmp_path)
    day = utcnow().date().isoformat()
    code, output = invoke(
        "business", "order-status", "E-1001", "paid", "--business", "ember", "--at", day,
        "--data-dir", data,
    )  # fmt: skip
    assert code == 0, output
    assert f"E-1001 is paid: paid on {day}" in output
    code, output = invoke(
        "business", "order-status", "E-1001", "shipped", "--business", "ember",
        "--carrier", "DHL", "--tracking-number", "JD01", "--data-dir", data,
    )  # fmt: skip
    assert code == 0 and f"shipped on {day} by DHL, tracking JD01" in " ".join(output.split())
    code, output = invoke(
        "business", "order-status", "E-1001", "paid", "--business", "ember", "--data-dir", data
    )
    assert code == 1
    assert "order E-1001 is shipped, so it cannot be paid" in " ".join(output.split())
    code, output = invoke(
        "business", "order-status", "E-1001", "delivered", "--business", "someone",
        "--data-dir", data,
    )  # fmt: skip
    assert code == 1 and "only a business account has a catalog" in output
