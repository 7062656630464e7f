"""The shop, for a business account: its catalog (price and stock, CSV import) and the policy
its agent follows. Orders, tickets and the audit log are in ``shop_records``. Every page calls
the business service layer; a member who is not a business gets a 403 page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from townsquare.db.models import Account
from townsquare.errors import InvalidInput, TownsquareError
from townsquare.studio.business import accounts, catalog, policy
from townsquare.studio.business.accounts import MAX_CSV_BYTES, business_account
from townsquare.studio.business.catalog import ImportReport
from townsquare.web.session import Csrf, Member, WebSession, render, sentence, web_router

router = web_router()

Short = Annotated[str, Form(max_length=64)]
PolicyText = Annotated[str, Form(max_length=policy.MAX_POLICY_TEXT * 2)]


@dataclass(frozen=True)
class Repricing:
    """What the owner typed into one product's row, shown again when it was refused."""

    sku: str
    price: str
    stock: str


@router.get("/shop")
def shop(me: Member) -> Response:
    business_account(me)
    return RedirectResponse("/shop/catalog", status_code=303)


def _catalog_page(
    request: Request,
    me: Account,
    session: WebSession,
    *,
    error: str | None = None,
    typed: Repricing | None = None,
    report: ImportReport | None = None,
    saved: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "shop_catalog.html",
        me,
        status_code=status_code,
        products=catalog.list_products(session, business_account(me).id),
        error=error,
        typed=typed,
        report=report,
        saved=saved,
        columns=", ".join(catalog.CSV_COLUMNS),
    )


@router.get("/shop/catalog")
def catalog_page(
    request: Request, me: Member, session: WebSession, saved: str | None = None
) -> Response:
    return _catalog_page(request, me, session, saved=saved)


def _stock(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):  # '²' is a digit that int() refuses
        raise InvalidInput(f"stock {text!r} is not a whole number (leave it empty for a service)")
    return int(text)


@router.post("/shop/catalog/reprice", dependencies=[Csrf])
def reprice(
    request: Request,
    me: Member,
    session: WebSession,
    sku: Short,
    price: Short = "",
    stock: Short = "",
) -> Response:
    try:
        try:
            price_cents = catalog.parse_price(price)
        except ValueError as exc:
            raise InvalidInput(f"price {price.strip()!r} is not a price like 9.50") from exc
        catalog.reprice(
            session,
            business_account(me).id,
            sku,
            price_cents=price_cents,
            stock=_stock(stock),
        )
    except InvalidInput as error:
        session.rollback()
        typed = Repricing(sku, price, stock)
        return _catalog_page(
            request, me, session, error=sentence(str(error)), typed=typed, status_code=422
        )
    session.commit()
    return RedirectResponse(f"/shop/catalog?saved={sku}#product-{sku}", status_code=303)


@router.post("/shop/catalog/import", dependencies=[Csrf])
def import_catalog(
    request: Request, me: Member, session: WebSession, file: UploadFile | None = File(None)
) -> Response:
    try:
        if file is None or not file.filename:
            raise InvalidInput("choose a CSV file to import first")
        data = file.file.read(MAX_CSV_BYTES + 1)
        report = accounts.import_catalog(session, owner=me, data=data)
    except TownsquareError as error:
        session.rollback()
        return _catalog_page(request, me, session, error=sentence(str(error)), status_code=422)
    session.commit()
    return _catalog_page(request, me, session, report=report)


def _policy_page(
    request: Request,
    me: Account,
    session: WebSession,
    *,
    text: str | None = None,
    error: str | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    embedder = request.app.state.models.multilingual
    current = policy.business_policy(session, business_account(me).id, embedder)
    return render(
        request,
        "shop_policy.html",
        me,
        status_code=status_code,
        policy=current,
        text=current.text if text is None else text,
        error=error,
        saved=saved,
        max_text=policy.MAX_POLICY_TEXT,
    )


@router.get("/shop/policy")
def policy_page(request: Request, me: Member, session: WebSession, saved: bool = False) -> Response:
    return _policy_page(request, me, session, saved=saved)


@router.post("/shop/policy", dependencies=[Csrf])
def save_policy(
    request: Request, me: Member, session: WebSession, text: PolicyText = ""
) -> Response:
    try:
        embedder = request.app.state.models.multilingual
        policy.set_policy(session, business_account(me).id, text, embedder)
    except InvalidInput as error:
        session.rollback()
        return _policy_page(
            request, me, session, text=text, error=sentence(str(error)), status_code=422
        )
    session.commit()
    return RedirectResponse("/shop/policy?saved=true", status_code=303)
