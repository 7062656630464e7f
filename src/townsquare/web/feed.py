"""The feed: the unified ranked feed with infinite scroll, likes, comments, shares into a
message, hides and follows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import BackgroundTasks, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from townsquare.db import begin_write
from townsquare.db.models import Account, Media
from townsquare.errors import NotFound, RateLimited, TownsquareError
from townsquare.http import IdPath, get_digest_scheduler, get_feed_service, write_digest_after
from townsquare.presenters.feed import feed_page_public
from townsquare.presenters.messages import thread_public
from townsquare.presenters.posts import comment_public, post_public
from townsquare.social import events, graph, messages, posts
from townsquare.social.media import MAX_UPLOAD_BYTES, store_media
from townsquare.social.quotas import Quotas
from townsquare.social.visibility import is_visible
from townsquare.studio.dm import sending
from townsquare.web.session import Csrf, Member, WebSession, render, sentence, web_router
from townsquare.web.shape import cards_from_public, liked_ids

router = web_router()

PAGE_SIZE = 10


def _page(
    request: Request,
    me: Member,
    session: WebSession,
    cursor: str | None,
    background: BackgroundTasks,
) -> dict[str, Any]:
    """A feed page as the API serves it; the first of the day also has today's digest written
    in ``background``, after the answer is sent."""
    service = get_feed_service(request)
    digests = get_digest_scheduler(request)
    account_id = me.id
    ranked = service.page(session, account_id, surface="home", cursor=cursor, limit=PAGE_SIZE)
    page = feed_page_public(session, ranked)
    if cursor is None:
        write_digest_after(session, digests, background, account_id)
    liked = liked_ids(session, me, [i.post.id for i in page.items if i.post is not None])
    return {"page": page, "liked": liked}


def _rendered(session: WebSession, response: Response) -> Response:
    """The page, once rendered: its read transaction ends (under SQLite, its lock) before a
    background digest writer runs."""
    session.rollback()
    return response


@router.get("/")
def home(
    request: Request, me: Member, session: WebSession, background: BackgroundTasks
) -> Response:
    page = _page(request, me, session, None, background)
    return _rendered(session, render(request, "feed.html", me, draft={}, **page))


def _post_kind(media: Media | None, link_url: str) -> str:
    """What the composer's fields make: a picture or video post, a link, or text."""
    if media is not None:
        if media.mime.startswith("video/"):
            short = (media.duration_ms or 0) <= posts.SHORT_VIDEO_MAX_MS
            return "short_video" if short else "long_video"
        return "image"
    return "link" if link_url else "text"


@router.post("/posts/new", dependencies=[Csrf])
def create_post(
    request: Request,
    me: Member,
    session: WebSession,
    background: BackgroundTasks,
    text: Annotated[str, Form(max_length=posts.MAX_TEXT * 2)] = "",
    link_url: Annotated[str, Form(max_length=4096)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """The feed's composer: text, optionally with a link or a picture or video."""
    link_url = link_url.strip()
    try:
        media = None
        if file is not None and file.filename:
            data = file.file.read(MAX_UPLOAD_BYTES + 1)
            media = store_media(
                session,
                request.app.state.settings.media_dir,
                me,
                data,
                quotas=Quotas.from_settings(request.app.state.settings),
            )
        post = posts.create_post(
            session,
            me,
            kind=_post_kind(media, link_url),
            text=text,
            link_url=link_url or None if media is None else None,
            media_id=media.id if media is not None else None,
        )
    except TownsquareError as error:
        session.rollback()
        message = str(error)
        page = _page(request, me, session, None, background)
        return _rendered(
            session,
            render(
                request,
                "feed.html",
                me,
                status_code=422,
                draft={"text": text, "link_url": link_url},
                error=sentence(message),
                **page,
            ),
        )
    session.commit()
    return RedirectResponse(f"/p/{post.id}", status_code=303)


@router.get("/feed/more")
def more(request: Request, me: Member, session: WebSession, cursor: str | None = None) -> Response:
    """The next page, as a fragment that infinite scroll appends."""
    page = _page(request, me, session, cursor, BackgroundTasks())  # a later page writes none
    return render(request, "_feed_items.html", me, **page)


@router.post("/p/{post_id}/like", dependencies=[Csrf])
def like(
    request: Request,
    post_id: IdPath,
    me: Member,
    session: WebSession,
    like: Annotated[str, Form(max_length=1)] = "1",
) -> Response:
    if like == "1":
        posts.like_post(session, me, post_id, surface="feed")
    else:
        posts.unlike_post(session, me, post_id)
    session.commit()
    if request.headers.get("hx-request"):
        shaped = post_public(session, posts.get_post(session, post_id, me.id))
        return render(request, "_like.html", me, post=shaped, liked=like == "1")
    return RedirectResponse(f"/p/{post_id}", status_code=303)


@router.post("/p/{post_id}/hide", dependencies=[Csrf])
def hide(request: Request, post_id: IdPath, me: Member, session: WebSession) -> Response:
    posts.flag_post(session, me, post_id, "hide", surface="feed")
    session.commit()
    if request.headers.get("hx-request"):
        return render(request, "_hidden.html", me, what="post")
    return RedirectResponse("/", status_code=303)


@router.post("/people/{account_id}/hide", dependencies=[Csrf])
def hide_account(request: Request, account_id: IdPath, me: Member, session: WebSession) -> Response:
    account = session.get(Account, account_id)
    if account is None or not is_visible(session, account_id, me):
        raise NotFound(f"no account {account_id}")
    graph.flag_account(session, me, account, "hide", surface="feed")
    session.commit()
    if request.headers.get("hx-request"):
        return render(request, "_hidden.html", me, what="suggestion")
    return RedirectResponse("/", status_code=303)


def _post_page(
    request: Request,
    post_id: IdPath,
    me: Member,
    session: WebSession,
    *,
    text: str = "",
    error: str | None = None,
    share_error: str | None = None,
    status_code: int = 200,
) -> Response:
    post = posts.get_post(session, post_id, me.id)
    comments = posts.list_comments(session, post_id, viewer_id=me.id, cursor=None, limit=50)
    threads = messages.list_threads(session, me, cursor=None, limit=50).items
    return render(
        request,
        "post.html",
        me,
        status_code=status_code,
        card=cards_from_public(session, me, [post_public(session, post)])[0],
        comments=[comment_public(session, c) for c in comments.items],
        # A post written for one member alone (a digest) cannot be shared.
        threads=[thread_public(session, me, t) for t in threads]
        if post.audience_id is None
        else [],
        text=text,
        error=error,
        share_error=share_error,
    )


@router.get("/p/{post_id}")
def post_page(request: Request, post_id: IdPath, me: Member, session: WebSession) -> Response:
    response = _post_page(request, post_id, me, session)
    begin_write(session)  # a GET's session reads (http.get_session)
    events.record_exposure(session, me, "open", surface="post", post_id=post_id)  # the feed learns
    session.commit()
    return response


@router.post("/p/{post_id}/comments", dependencies=[Csrf])
def comment(
    request: Request,
    post_id: IdPath,
    me: Member,
    session: WebSession,
    text: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    try:
        posts.add_comment(session, me, post_id, text.strip(), surface="feed")
    except TownsquareError as error:
        session.rollback()
        message = str(error)
        return _post_page(
            request,
            post_id,
            me,
            session,
            text=text,
            error=sentence(message),
            status_code=422,
        )
    session.commit()
    return RedirectResponse(f"/p/{post_id}#comments", status_code=303)


@router.post("/p/{post_id}/share", dependencies=[Csrf])
def share(
    request: Request,
    post_id: IdPath,
    me: Member,
    session: WebSession,
    thread_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    text: Annotated[str, Form(max_length=messages.MAX_MESSAGE * 2)] = "",
) -> Response:
    """Shares the post into one of the member's threads, with a note: the same send as a
    message (quotas, an agent's answer), and the server logs the share."""
    worker = request.app.state.reply_worker
    try:
        sending.send(
            session, worker, me, thread_id=thread_id, text=text.strip(), shared_post_id=post_id
        )
    except TownsquareError as error:
        session.rollback()
        page = _post_page(
            request,
            post_id,
            me,
            session,
            share_error=sentence(str(error)),
            status_code=error.status,
        )
        if isinstance(error, RateLimited):
            page.headers["Retry-After"] = str(error.retry_after_s)
        return page
    return RedirectResponse(f"/messages/{thread_id}#composer", status_code=303)
