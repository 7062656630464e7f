"""Signed-in members in the browser: a signed session cookie, CSRF tokens, page rendering.

The session cookie carries the id of a server-side browser session (``social/sessions.py``, opened
at sign-in; never an API token) and an HMAC of it under the server's secret key. Signing out,
changing the password or signing out everywhere ends the row, and with it the cookie.
Every form carries a CSRF token derived from the session (or, before sign-in, from a random
per-browser cookie); a POST without the matching token is refused with 403.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy.orm import Session

from townsquare import timezones
from townsquare.db import begin_read, begin_write
from townsquare.db.models import Account
from townsquare.http import get_session
from townsquare.settings import Settings
from townsquare.social.sessions import browser_session_for, renew, renewal_due
from townsquare.studio.business.wording import money

SESSION_COOKIE = "ts_session"
ANON_COOKIE = "ts_anon"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

WEB_TAG = "web"  # every page route carries it: errors on these routes render as pages

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def citation_href(url: str, handle: str, chunk_id: int) -> str:
    """Where a citation opens in the web app: the post itself, or the passage page."""
    if url.startswith("/posts/"):
        return "/p/" + url.removeprefix("/posts/")
    return f"/passages/{handle}/{chunk_id}"


@pass_context
def clock(context: Context, moment: datetime, form: str) -> str:
    """``moment`` (UTC) written in ``form`` (``strftime``) on the reader's clock: their
    account's time zone, UTC for a visitor. ``{{ m.created_at | clock("%H:%M") }}``"""
    me = context.get("me")
    return timezones.on_clock(moment, me.time_zone if isinstance(me, Account) else "UTC").strftime(
        form
    )


templates.env.filters["citation_href"] = citation_href
templates.env.globals["time_zones"] = timezones.names
templates.env.filters["clock"] = clock
templates.env.filters["money"] = money  # {{ cents | money(currency) }}
templates.env.filters["pretty_json"] = lambda value: json.dumps(value, indent=2, ensure_ascii=False)


def sentence(text: str) -> str:
    """A service message ("no account @x") as a sentence a person reads ("No account @x.")."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def web_router() -> APIRouter:
    """A router of pages: tagged as web, and left out of the OpenAPI schema."""
    return APIRouter(tags=[WEB_TAG], include_in_schema=False)


class SignInRequired(Exception):
    """A page for members only was opened signed out: the app redirects to the sign-in page."""


class CsrfRejected(Exception):
    """A form came without this session's CSRF token."""


def _sign(settings: Settings, purpose: str, value: str) -> str:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def session_cookie_value(settings: Settings, session_id: str) -> str:
    return f"{session_id}.{_sign(settings, 'session', session_id)}"


def session_token(request: Request) -> str | None:
    """The browser session id in a validly signed session cookie, if any."""
    raw = request.cookies.get(SESSION_COOKIE, "")
    token, _, signature = raw.rpartition(".")
    expected = _sign(_settings(request), "session", token)
    if not token or not hmac.compare_digest(signature.encode(), expected.encode()):
        return None
    return token


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def csrf_token(request: Request) -> str:
    """The token forms must send back: bound to the session, or to the anonymous cookie."""
    settings = _settings(request)
    token = session_token(request)
    if token is not None:
        return _sign(settings, "csrf", token)
    return _sign(settings, "anon", anon_id(request))


def anon_id(request: Request) -> str:
    """A random id per browser before sign-in (set on the response by ``render``)."""
    value = request.cookies.get(ANON_COOKIE) or getattr(request.state, "anon_id", None)
    if not value:
        value = secrets.token_urlsafe(16)
        request.state.anon_id = value
    return str(value)


async def check_csrf(request: Request) -> None:
    """Dependency of every web POST: the form field or header must match ``csrf_token``."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), csrf_token(request).encode()):
        raise CsrfRejected


def optional_member(
    request: Request, session: Annotated[Session, Depends(get_session)]
) -> Account | None:
    token = session_token(request)
    if token is None:
        return None
    begin_read(session)  # whatever the request's method: the check only reads
    row = browser_session_for(session, token)
    account = None if row is None else session.get(Account, row.account_id)
    session.commit()  # ends the read before the hop to the handler's thread (get_session)
    if row is None:
        return None
    request.state.browser_session_id = row.id
    if renewal_due(row):
        begin_write(session)
        renew(row, settings=_settings(request))
        session.commit()
    return account


def browser_session_id(request: Request) -> int | None:
    """The id of the signed-in browser session row (set by ``optional_member``)."""
    value = getattr(request.state, "browser_session_id", None)
    return value if isinstance(value, int) else None


def current_member(account: Annotated[Account | None, Depends(optional_member)]) -> Account:
    if account is None:
        raise SignInRequired
    return account


Member = Annotated[Account, Depends(current_member)]
MaybeMember = Annotated[Account | None, Depends(optional_member)]
WebSession = Annotated[Session, Depends(get_session)]
Csrf = Depends(check_csrf)


def render(
    request: Request,
    template: str,
    me: Account | None = None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page (or an htmx fragment) with the shared context: the member and the CSRF token."""
    response = templates.TemplateResponse(
        request,
        template,
        {"me": me, "csrf": csrf_token(request), **context},
        status_code=status_code,
    )
    fresh_anon = getattr(request.state, "anon_id", None)
    if fresh_anon and ANON_COOKIE not in request.cookies:
        response.set_cookie(ANON_COOKIE, fresh_anon, httponly=True, samesite="lax")
    return response
