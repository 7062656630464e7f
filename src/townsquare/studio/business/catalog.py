"""The catalog: products and services with price, stock and options; CSV import and search."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.db.models import Product
from townsquare.db.types import utcnow
from townsquare.errors import InvalidInput
from townsquare.studio.business.wording import Missing

CSV_COLUMNS = ("sku", "name", "description", "price", "currency", "stock", "options")
REQUIRED_COLUMNS = ("sku", "name", "price")
MAX_CSV_ROWS = 5_000
MAX_OPTION_VALUES = 32
SEARCH_LIMIT = 5
LOW_STOCK = 3  # a product line in a search says how many are left at this many or fewer
# A question about a product's options rather than its price, in each language the shop serves.
ASKS_OPTIONS = re.compile(
    r"\b(?:sizes?|colou?rs?|options?|variants?|flavou?rs?|fit)\b"
    r"|\b(?:tamanhos?|cores|opções|tailles?|couleurs?|größen?|farben?|tallas?|colores"
    r"|tamaños?|taglie|taglia|misure|colori|maten|maat|kleuren|rozmiar\w*|kolor\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ProductFields:
    sku: str
    name: str
    price_cents: int
    description: str = ""
    currency: str = "EUR"
    stock: int | None = None
    options: dict[str, list[str]] | None = None


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    errors: list[str]  # "row 3: price: 'abc' is not a price"; rows with errors are skipped


def parse_price(text: str) -> int:
    """'4.50' or '4,50' or '4' euros (or any currency) -> 450 cents."""
    match = re.fullmatch(r"\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*", text)
    if match is None:
        raise ValueError(f"{text!r} is not a price")
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def parse_options(text: str) -> dict[str, list[str]]:
    """'size=small|large; filling=plain|seeded' -> {"size": ["small", "large"], ...}."""
    options: dict[str, list[str]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, values = part.partition("=")
        choices = [v.strip() for v in values.split("|") if v.strip()]
        if not sep or not name.strip() or not choices or len(choices) > MAX_OPTION_VALUES:
            raise ValueError(f"{part!r} is not name=value|value")
        options[name.strip()] = choices
    return options


def _validate(fields: ProductFields) -> None:
    if not fields.sku.strip() or len(fields.sku) > 64:
        raise InvalidInput("a sku is 1 to 64 characters")
    if not fields.name.strip() or len(fields.name) > 200:
        raise InvalidInput("a name is 1 to 200 characters")
    if fields.price_cents < 0:
        raise InvalidInput("a price cannot be negative")
    if fields.stock is not None and fields.stock < 0:
        raise InvalidInput("stock cannot be negative")
    if not re.fullmatch(r"[A-Z]{3}", fields.currency):
        raise InvalidInput("a currency is a three-letter code such as EUR")


def upsert_product(
    session: Session, business_id: int, fields: ProductFields
) -> tuple[Product, bool]:
    """Creates the product, or updates the one with the same sku; True when created."""
    _validate(fields)
    product = session.scalar(
        select(Product).where(Product.business_id == business_id, Product.sku == fields.sku)
    )
    created = product is None
    if product is None:
        product = Product(business_id=business_id, sku=fields.sku)
        session.add(product)
    product.name, product.description = fields.name, fields.description
    product.price_cents, product.currency = fields.price_cents, fields.currency
    product.stock, product.options = fields.stock, fields.options or {}
    product.active, product.updated_at = True, utcnow()
    session.flush()
    return product, created


def _row_fields(row: dict[str, str]) -> ProductFields:
    stock = (row.get("stock") or "").strip()
    return ProductFields(
        sku=(row.get("sku") or "").strip(),
        name=(row.get("name") or "").strip(),
        description=(row.get("description") or "").strip(),
        price_cents=parse_price(row.get("price") or ""),
        currency=((row.get("currency") or "").strip() or "EUR").upper(),
        stock=int(stock) if stock else None,
        options=parse_options(row.get("options") or ""),
    )


def import_csv(session: Session, business_id: int, text: str) -> ImportReport:
    """Imports a catalog CSV (header: ``sku,name,price`` and optionally ``description``,
    ``currency``, ``stock``, ``options``). Good rows are saved; each bad row is reported."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(f"the CSV header lacks {', '.join(missing)} (it needs sku,name,price)")
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise InvalidInput(f"unknown CSV columns: {', '.join(unknown)}")
    created = updated = 0
    errors: list[str] = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_CSV_ROWS:
            raise InvalidInput(f"a catalog CSV has at most {MAX_CSV_ROWS} rows")
        row = {(k or "").strip(): v or "" for k, v in raw.items() if isinstance(v, str)}
        try:
            with session.begin_nested():
                _, new = upsert_product(session, business_id, _row_fields(row))
        except (ValueError, InvalidInput) as exc:
            errors.append(f"row {number}: {exc}")
            continue
        created, updated = created + new, updated + (not new)
    return ImportReport(created, updated, errors)


def product_by_sku(session: Session, business_id: int, sku: str) -> Product:
    product = session.scalar(
        select(Product).where(
            Product.business_id == business_id, Product.sku == sku.strip(), Product.active
        )
    )
    if product is None:
        raise Missing("no_product", sku=sku)
    return product


def reprice(
    session: Session, business_id: int, sku: str, *, price_cents: int, stock: int | None
) -> Product:
    """Changes a product's price and stock (None: a service), keeping everything else."""
    product = product_by_sku(session, business_id, sku)
    fields = ProductFields(
        sku=product.sku, name=product.name, price_cents=price_cents,
        description=product.description, currency=product.currency, stock=stock,
        options=product.options,
    )  # fmt: skip
    return upsert_product(session, business_id, fields)[0]


_WORD = re.compile(r"[\w-]+")
_BRACKETS = re.compile(r"\(.*?\)")


def list_products(session: Session, business_id: int) -> list[Product]:
    return list(
        session.scalars(
            select(Product)
            .where(Product.business_id == business_id, Product.active)
            .order_by(Product.sku)
        )
    )


def search_products(session: Session, business_id: int, query: str) -> list[Product]:
    """Products whose sku, name or description share words with ``query``, best first."""
    wanted = {w for w in re.findall(r"\w+", query.lower()) if len(w) > 2}
    wanted |= {w.rstrip("s") for w in wanted}
    scored = []
    for product in list_products(session, business_id):
        text = f"{product.sku} {product.name} {product.name} {product.description}".lower()
        have = re.findall(r"\w+", text)
        score = sum(1 for w in have if w in wanted or w.rstrip("s") in wanted)
        if score:
            scored.append((score, product.sku, product))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [product for _, _, product in scored[:SEARCH_LIMIT]]


def _words(text: str) -> str:
    """ " u lock in stock ": the words, lower-case, one space apart and around (a hyphen is a
    space: "air-mesh" is written "air mesh" too)."""
    return f" {' '.join(_WORD.findall(text.lower().replace('-', ' ')))} "


def named_product(session: Session, business_id: int, message: str) -> Product | None:
    """The one product the message names by its code or its whole name ("the U-lock", "a full
    overhaul"; a name's note in brackets, "(sale)", need not be written); None for none or
    several."""
    text = _words(message)
    named = [
        p
        for p in list_products(session, business_id)
        if _words(p.sku) in text or _words(_BRACKETS.sub("", p.name)) in text
    ]
    return named[0] if len(named) == 1 else None


def asked_product(session: Session, business_id: int, message: str) -> Product | None:
    """The product a question is about: the one it names, else, for a question about options
    ("which sizes do the harnesses come in?"), the best match that has options to tell."""
    named = named_product(session, business_id, message)
    if named is not None or not ASKS_OPTIONS.search(message):
        return named
    found = search_products(session, business_id, message)
    return next((p for p in found if p.options), None)


def delete_product(session: Session, business_id: int, sku: str) -> None:
    """Takes the product off sale; orders keep what was sold."""
    product = product_by_sku(session, business_id, sku)
    product.active, product.updated_at = False, utcnow()
    session.flush()
