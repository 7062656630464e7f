"""Sign up, sign in, sign out, profiles and following."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from townsquare.db.models import Account
from townsquare.errors import RateLimited, TownsquareError
from townsquare.http import ClientAddress, SettingsDep
from townsquare.presenters.accounts import ProfileUpdate, profile_public
from townsquare.social import accounts, graph, posts, sessions
from townsquare.web.session import (
    SESSION_COOKIE,
    Csrf,
    MaybeMember,
    Member,
    WebSession,
    browser_session_id,
    render,
    sentence,
    session_cookie_value,
    session_token,
    web_router,
)
from townsquare.web.shape import post_cards

router = web_router()

Text = Annotated[str, Form(max_length=200)]


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _signed_in(request: Request, session_id: str, target: str) -> Response:
    settings = request.app.state.settings
    response = RedirectResponse(_safe_next(target), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_cookie_value(settings, session_id),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=int(settings.session_ttl_days * 24 * 60 * 60),
    )
    return response


def _signed_out() -> Response:
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _retry_after(error: TownsquareError) -> dict[str, str] | None:
    return {"Retry-After": str(error.retry_after_s)} if isinstance(error, RateLimited) else None


@router.get("/signin")
def signin_page(request: Request, me: MaybeMember, next: str = "/") -> Response:
    if me is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "signin.html", None, form={"handle": ""}, next=_safe_next(next))


@router.post("/signin", dependencies=[Csrf])
def signin(
    request: Request,
    session: WebSession,
    settings: SettingsDep,
    address: ClientAddress,
    handle: Text = "",
    password: Text = "",
    next: Text = "/",
) -> Response:
    try:
        account = accounts.sign_in(
            session, handle=handle.strip(), password=password, address=address, settings=settings
        )
    except TownsquareError as error:
        response = render(
            request,
            "signin.html",
            None,
            status_code=error.status,
            form={"handle": handle},
            next=_safe_next(next),
            error=sentence(str(error))
            if isinstance(error, RateLimited)
            else "That handle and password do not match. Check them and try again.",
        )
        response.headers.update(_retry_after(error) or {})
        return response
    session_id = sessions.open_browser_session(session, account, settings=settings)
    session.commit()
    return _signed_in(request, session_id, next)


@router.get("/signup")
def signup_page(request: Request, me: MaybeMember) -> Response:
    if me is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "signup.html", None, form={})


@router.post("/signup", dependencies=[Csrf])
def signup(
    request: Request,
    session: WebSession,
    settings: SettingsDep,
    address: ClientAddress,
    handle: Text = "",
    display_name: Text = "",
    email: Text = "",
    password: Text = "",
    kind: Text = "person",
) -> Response:
    form = {"handle": handle, "display_name": display_name, "email": email, "kind": kind}
    try:
        account = accounts.sign_up(
            session,
            address=address,
            settings=settings,
            handle=handle,
            password=password,
            display_name=display_name or None,
            email=email or None,
            kind=kind,
        )
    except TownsquareError as error:
        session.rollback()
        response = render(
            request,
            "signup.html",
            None,
            status_code=error.status,
            form=form,
            error=sentence(str(error)),
        )
        response.headers.update(_retry_after(error) or {})
        return response
    session_id = sessions.open_browser_session(session, account, settings=settings)
    session.commit()
    return _signed_in(request, session_id, "/")


@router.post("/signout", dependencies=[Csrf])
def signout(request: Request, session: WebSession) -> Response:
    session_id = session_token(request)
    if session_id is not None:
        sessions.close_browser_session(session, session_id)
        session.commit()
    return _signed_out()


@router.post("/settings/signout-everywhere", dependencies=[Csrf])
def signout_everywhere(me: Member, session: WebSession) -> Response:
    """Ends every browser session (this one too) and revokes every API token."""
    sessions.end_all(session, me)
    session.commit()
    return _signed_out()


@router.post("/settings/password", dependencies=[Csrf])
def change_password(
    request: Request,
    me: Member,
    session: WebSession,
    settings: SettingsDep,
    current_password: Text = "",
    new_password: Text = "",
) -> Response:
    """Changes the password; every other browser session and every API token ends."""
    try:
        accounts.change_password(
            session,
            me,
            current_password=current_password,
            new_password=new_password,
            settings=settings,
            keep_session_id=browser_session_id(request),
        )
    except TownsquareError as error:
        session.rollback()
        response = render(
            request,
            "profile_edit.html",
            me,
            status_code=error.status,
            form=profile_form(me),
            error=None,
            password_error=sentence(str(error)),
        )
        response.headers.update(_retry_after(error) or {})
        return response
    session.commit()
    return render(
        request,
        "profile_edit.html",
        me,
        form=profile_form(me),
        error=None,
        password_notice="Password changed. Every other session and API token has ended.",
    )


@router.get("/u/{handle}")
def profile(
    request: Request, handle: str, me: Member, session: WebSession, cursor: str | None = None
) -> Response:
    account = accounts.visible_account(session, handle, me)
    page = posts.list_posts(session, author=account, cursor=cursor, limit=20)
    return render(
        request,
        "profile.html",
        me,
        profile=profile_public(session, account),
        following=account.id in graph.following_ids(session, me),
        posts=post_cards(session, me, page.items),
        next_cursor=page.next_cursor,
    )


@router.post("/u/{handle}/follow", dependencies=[Csrf])
def follow(
    request: Request, handle: str, me: Member, session: WebSession, follow: Text = "1"
) -> Response:
    account = accounts.visible_account(session, handle, me)
    if follow == "1":
        graph.follow(session, me, account, surface="profile")
    else:
        graph.unfollow(session, me, account)
    session.commit()
    if request.headers.get("hx-request"):
        return render(request, "_follow.html", me, handle=account.handle, following=follow == "1")
    return RedirectResponse(f"/u/{account.handle}", status_code=303)


PROFILE_FORM = ("display_name", "bio", "location", "website", "time_zone")


def profile_form(me: Account) -> dict[str, str]:
    return {name: str(getattr(me, name) or "") for name in PROFILE_FORM}


@router.get("/settings/profile")
def edit_profile(request: Request, me: Member) -> Response:
    return render(request, "profile_edit.html", me, form=profile_form(me), error=None)


@router.post("/settings/profile", dependencies=[Csrf])
def save_profile(
    request: Request,
    me: Member,
    session: WebSession,
    display_name: Annotated[str, Form(max_length=400)] = "",
    bio: Annotated[str, Form(max_length=8000)] = "",
    location: Annotated[str, Form(max_length=400)] = "",
    website: Annotated[str, Form(max_length=4000)] = "",
    time_zone: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    form = {
        "display_name": display_name,
        "bio": bio,
        "location": location,
        "website": website,
        "time_zone": time_zone,
    }
    try:
        body = ProfileUpdate.model_validate(
            {
                "display_name": display_name.strip() or None,
                "bio": bio,
                "location": location.strip(),
                "website": website.strip() or None,
                "time_zone": time_zone.strip() or None,
            }
        )
        accounts.update_profile(session, me, **body.changes())
    except (ValidationError, TownsquareError) as error:
        session.rollback()
        if isinstance(error, ValidationError):
            message = "; ".join(
                f"{str(e['loc'][-1]).replace('_', ' ')}: {e['msg']}" for e in error.errors()
            )
        else:
            message = str(error)
        return render(
            request,
            "profile_edit.html",
            me,
            status_code=422,
            form=form,
            error=f"Please fix: {message}.",
        )
    session.commit()
    return RedirectResponse(f"/u/{me.handle}", status_code=303)
