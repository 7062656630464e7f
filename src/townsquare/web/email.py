"""Email verification pages: the page a verification link opens, and asking for a new link."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from townsquare.errors import RateLimited, TownsquareError
from townsquare.http import SettingsDep
from townsquare.social import verification
from townsquare.web.auth import profile_form
from townsquare.web.session import (
    Csrf,
    MaybeMember,
    Member,
    WebSession,
    render,
    sentence,
    web_router,
)

router = web_router()

Token = Annotated[str, Form(max_length=verification.MAX_TOKEN_LENGTH)]


@router.get("/verify-email")
def verify_page(request: Request, me: MaybeMember, token: str = "") -> Response:
    """What a verification link opens: a button that verifies (a link that verified on open
    would be spent by mail scanners that fetch every link)."""
    token = token[: verification.MAX_TOKEN_LENGTH]
    return render(request, "verify_email.html", me, token=token, verified=None, error=None)


@router.post("/verify-email", dependencies=[Csrf])
def verify(request: Request, me: MaybeMember, session: WebSession, token: Token = "") -> Response:
    try:
        account = verification.verify(session, token)
    except TownsquareError as error:
        session.rollback()
        return render(
            request,
            "verify_email.html",
            me,
            status_code=error.status,
            token=None,
            verified=None,
            error=sentence(str(error)),
        )
    session.commit()
    return render(request, "verify_email.html", me, token=None, verified=account.email, error=None)


@router.post("/settings/email/resend", dependencies=[Csrf])
def resend(request: Request, me: Member, session: WebSession, settings: SettingsDep) -> Response:
    """Mails a new link to the member's address waiting for verification."""
    form = profile_form(me)
    try:
        email = verification.resend(session, me, settings=settings)
    except TownsquareError as error:
        session.rollback()
        response = render(
            request,
            "profile_edit.html",
            me,
            status_code=error.status,
            form=form,
            error=None,
            email_error=sentence(str(error)),
        )
        if isinstance(error, RateLimited):
            response.headers["Retry-After"] = str(error.retry_after_s)
        return response
    session.commit()
    return render(
        request,
        "profile_edit.html",
        me,
        form=form,
        error=None,
        email_notice=f"A new link is on its way to {email}.",
    )
