"""What the HTTP shells share: the per-request session's transactions (issue 16: found by the
abuse benchmark, where 50 members stalled a server for 30-60 s at a time)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.utils.factories import make_account
from townsquare.db import Database
from townsquare.db.engine import WRITES
from townsquare.db.models import Account
from townsquare.http import end_transactions_in_handler_threads, get_session

_seen: dict[str, bool] = {}
_sessions: list[Session] = []


class HandleOut(BaseModel):
    handle: str

    @field_validator("handle")
    @classmethod
    def _note_the_transaction(cls, value: str) -> str:
        """Runs while FastAPI validates the answer, in another worker thread."""
        _seen["in_transaction"] = _sessions[-1].in_transaction()
        return value


def _app(database: Database) -> FastAPI:
    app = FastAPI()
    app.state.database = database

    @app.get("/first-handle", response_model=HandleOut)
    def first_handle(session: Annotated[Session, Depends(get_session)]) -> dict[str, str]:
        _sessions.append(session)
        handle = session.scalars(select(Account.handle).order_by(Account.id)).first()
        return {"handle": str(handle)}

    @app.get("/async-handle")
    async def async_handle() -> dict[str, str]:
        return {"handle": "none"}

    return app


def test_a_handler_ends_its_read_before_its_answer_is_validated(database: Database) -> None:
    """On SQLite the read's transaction holds the write lock: held while the request waits for
    the worker thread that validates its answer, it held up every other request."""
    with database.session() as session:
        handle = make_account(session).handle
    app = _app(database)
    with TestClient(app) as client:
        assert client.get("/first-handle").json() == {"handle": handle}
        assert _seen == {"in_transaction": True}  # without: validated with the read still open
        end_transactions_in_handler_threads(app)
        assert client.get("/first-handle").json() == {"handle": handle}
        assert _seen == {"in_transaction": False}
        assert client.get("/async-handle").json() == {"handle": "none"}  # left as it was


def test_a_handler_of_an_included_router_ends_its_read_too(database: Database) -> None:
    """FastAPI (0.165) builds an included router's routes from their endpoints when first
    matched: wrapping only the app's own routes left every route of the real app unwrapped."""
    _seen.clear()
    with database.session() as session:
        handle = make_account(session).handle
    router = APIRouter(prefix="/accounts")

    @router.get("/first", response_model=HandleOut)
    def first(session: Annotated[Session, Depends(get_session)]) -> dict[str, str]:
        _sessions.append(session)
        return {"handle": str(session.scalars(select(Account.handle)).first())}

    app = FastAPI()
    app.state.database = database
    app.include_router(router)
    end_transactions_in_handler_threads(app)
    end_transactions_in_handler_threads(app)  # wraps once
    with TestClient(app) as client:
        assert client.get("/accounts/first").json() == {"handle": handle}
    assert _seen == {"in_transaction": False}


def test_a_reading_method_gets_a_reading_session(database: Database) -> None:
    app = FastAPI()
    app.state.database = database

    @app.api_route("/writes", methods=["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
    def writes(session: Annotated[Session, Depends(get_session)]) -> bool:
        return bool(session.execution_options[WRITES])

    with TestClient(app) as client:
        found = {m: client.request(m, "/writes") for m in ("GET", "OPTIONS", "POST", "DELETE")}
        assert {m: r.json() for m, r in found.items()} == {
            "GET": False,
            "OPTIONS": False,
            "POST": True,
            "DELETE": True,
        }
        assert client.head("/writes").status_code == 200
