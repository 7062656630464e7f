"""Email verification: follow a link's token, ask for a new link, read your addresses."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import Field

from townsquare.api.deps import CurrentAccount
from townsquare.http import SessionDep, SettingsDep
from townsquare.presenters import RequestModel
from townsquare.presenters.accounts import EmailStatus, email_status
from townsquare.social import verification

router = APIRouter(prefix="/auth/email", tags=["auth"])


class VerifyIn(RequestModel):
    token: str = Field(
        min_length=1,
        max_length=verification.MAX_TOKEN_LENGTH,
        description="The `token` of the link in the verification email.",
    )


@router.get("", response_model=EmailStatus)
def get_email(me: CurrentAccount) -> EmailStatus:
    """Your verified address, and the one waiting for verification."""
    return email_status(me)


@router.post("/verify", response_model=EmailStatus)
def verify(body: VerifyIn, session: SessionDep) -> EmailStatus:
    """Verifies the address a link was sent to (no sign-in needed: the token is the proof). A
    link works once, until it expires (`TOWNSQUARE_EMAIL_TOKEN_TTL_HOURS`); unknown, used and
    expired links are answered alike, 404."""
    account = verification.verify(session, body.token)
    session.commit()
    return email_status(account)


@router.post("/resend", status_code=status.HTTP_202_ACCEPTED, response_model=EmailStatus)
def resend(me: CurrentAccount, session: SessionDep, settings: SettingsDep) -> EmailStatus:
    """Sends a new verification link to your address waiting for verification
    (`TOWNSQUARE_VERIFICATION_MAILS_PER_HOUR` an hour)."""
    verification.resend(session, me, settings=settings)
    session.commit()
    return email_status(me)
