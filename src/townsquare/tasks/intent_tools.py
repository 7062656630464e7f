"""The tools an intent may use (toolset ``intents``): the platform's own, each with a JSON
schema for its arguments, a permission check for the member who gave the intent, and, for the
ones with a side effect, an idempotency key stored in the same transaction as the effect.

Other packages add tools for intents with ``townsquare.tools.register`` and
``toolset=TOOLSET``, as ``tasks.business_tools`` does for the business tools.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import or_, select

from townsquare import tools
from townsquare.db.models import Account, Intent, IntentEffect, Post
from townsquare.db.unique import Duplicate, once
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.social import messages, posts
from townsquare.social.graph import following_ids
from townsquare.tools import Context, Result, Tool

__all__ = ["TOOLSET", "IntentContext", "execute", "get", "validate_call"]

TOOLSET = "intents"
MAX_RESULTS = 10


@dataclass(frozen=True)
class IntentContext(Context):
    """What an intent's tool sees: a session inside the step's transaction, the member it acts
    for, and the intent."""

    intent: Intent


def get(name: str) -> Tool[IntentContext]:
    """The intent tool of that name."""
    return tools.get(name, TOOLSET)


def validate_call(call: Mapping[str, Any]) -> Tool[IntentContext]:
    """The tool a call (``{"name": ..., "args": {...}}``) names, after checking its arguments
    against the tool's schema."""
    tool = get(str(call.get("name", "")))
    tools.validate(tool, call.get("args", {}))
    return tool


def execute(ctx: IntentContext, call: Mapping[str, Any], key: str) -> dict[str, Any]:
    """Runs one call for ``ctx.member``. A side effect is stored under ``key`` in the caller's
    transaction; if the key is already there (a replay after a crash), the stored result is
    returned and nothing happens again. Two executions of one step at once (a workflow taken
    over by another executor while its first owner still runs) both pass that check: the
    effect and its record are written in one savepoint, so the one whose record the unique key
    refuses undoes its effect too and returns the other's result."""
    tool = validate_call(call)
    if tool.permitted is not None and (refusal := tool.permitted(ctx)) is not None:
        raise Forbidden(refusal)
    if not tool.side_effect:
        return tool.run(ctx, dict(call.get("args", {}))).as_dict()
    if (done := _effect(ctx, key)) is not None:
        return dict(done.result)
    try:
        with once(ctx.session):
            result = tool.run(ctx, dict(call.get("args", {}))).as_dict()
            effect = IntentEffect(key=key, intent_id=ctx.intent.id, action=tool.name, result=result)
            ctx.session.add(effect)
    except Duplicate:
        if (done := _effect(ctx, key)) is None:
            raise
        return dict(done.result)
    return result


def _effect(ctx: IntentContext, key: str) -> IntentEffect | None:
    return ctx.session.scalar(select(IntentEffect).where(IntentEffect.key == key))


# --- The built-in tools -----------------------------------------------------------------------


def _text_schema(*fields: str, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {f: {"type": "string", "minLength": 1} for f in fields}
    properties.update(extra or {})
    return {
        "type": "object",
        "properties": properties,
        "required": list(fields),
        "additionalProperties": False,
    }


def _post_summary(post: Post) -> dict[str, Any]:
    return {"post_id": post.id, "author_id": post.author_id, "text": post.text[:280]}


def _readable(ctx: IntentContext) -> Any:
    """Posts the member may read: not deleted, and public or theirs alone (their digest)."""
    return select(Post).where(posts.visible_to_clause(ctx.member.id))


def _search_posts(ctx: IntentContext, args: dict[str, Any]) -> Result:
    query = _readable(ctx).where(Post.text.ilike(f"%{args['query']}%"))
    found = ctx.session.scalars(query.order_by(Post.id.desc()).limit(MAX_RESULTS))
    return Result(data={"posts": [_post_summary(p) for p in found]})


def _search_people(ctx: IntentContext, args: dict[str, Any]) -> Result:
    pattern = f"%{args['query']}%"
    found = ctx.session.scalars(
        select(Account)
        .where(or_(Account.handle.ilike(pattern), Account.display_name.ilike(pattern)))
        .order_by(Account.id)
        .limit(MAX_RESULTS)
    )
    people = [{"handle": a.handle, "name": a.display_name, "kind": a.kind} for a in found]
    return Result(data={"people": people})


def _read_feed(ctx: IntentContext, args: dict[str, Any]) -> Result:
    followed = following_ids(ctx.session, ctx.member)
    query = _readable(ctx).where(Post.author_id.in_(followed))
    found = ctx.session.scalars(query.order_by(Post.id.desc()).limit(MAX_RESULTS))
    return Result(data={"posts": [_post_summary(p) for p in found]})


def _draft_post(ctx: IntentContext, args: dict[str, Any]) -> Result:
    return Result(data={"draft": args["text"]})


def _may_publish(ctx: IntentContext) -> str | None:
    if ctx.member.kind == "agent":
        return "an agent's own account cannot give intents that publish"
    return None


def _publish_post(ctx: IntentContext, args: dict[str, Any]) -> Result:
    post = posts.create_post(
        ctx.session, ctx.member, kind="text", text=args["text"], ai_generated=True
    )
    return Result(data={"post_id": post.id})


def _send_dm(ctx: IntentContext, args: dict[str, Any]) -> Result:
    handle = str(args["handle"]).lstrip("@").lower()
    other = ctx.session.scalar(select(Account).where(Account.handle == handle))
    if other is None:
        raise NotFound(f"no account @{handle}")
    if other.id == ctx.member.id:
        raise InvalidInput("an intent cannot message its own member; it uses the inbox")
    thread = messages.open_thread(ctx.session, ctx.member, [other])
    message, _ = messages.send_message(ctx.session, ctx.member, thread.id, args["text"])
    message.ai_generated = True
    return Result(data={"message_id": message.id, "thread_id": thread.id})


def _create_reminder(ctx: IntentContext, args: dict[str, Any]) -> Result:
    # A reminder is a notice in the member's inbox; the intent's schedule decides when. Its key
    # is the intent's own (another member's reminder of the same text is another item) and of
    # a fixed length, whatever the text's.
    from townsquare.tasks.inbox import key_prefix, post_item

    digest = hashlib.sha256(repr(sorted(args.items())).encode()).hexdigest()[:32]
    key = f"{key_prefix(ctx.intent.id)}:reminder:{digest}"
    item = post_item(ctx.session, ctx.intent, "notice", f"Reminder: {args['text']}", key=key)
    return Result(data={"inbox_item_id": item.id})


def _choose(ctx: IntentContext, args: dict[str, Any]) -> Result:
    options = cast(list[Any], ctx.intent.spec.get("options", []))
    names = [str(o.get("name")) for o in options if isinstance(o, dict)]
    if names and args["option"] not in names:
        raise InvalidInput(f"{args['option']!r} is not one of the intent's options: {names}")
    return Result(data={"chosen": args["option"]})


def _finish(ctx: IntentContext, args: dict[str, Any]) -> Result:
    return Result(data={"summary": args.get("summary", "")})


def _ask_member(ctx: IntentContext, args: dict[str, Any]) -> Result:
    # Carried out by the workflow (it must wait for the answer); here only for its schema.
    return Result()


_CHOICES = {"choices": {"type": "array", "items": {"type": "string"}}}
_NOTHING = {"type": "object", "properties": {}, "additionalProperties": False}

for _tool in (
    Tool("search_posts", "Find posts whose text contains a phrase.", _text_schema("query"),
         _search_posts, toolset=TOOLSET),
    Tool("search_people", "Find accounts by handle or name.", _text_schema("query"),
         _search_people, toolset=TOOLSET),
    Tool("read_feed", "Read recent posts from accounts the member follows.", _NOTHING,
         _read_feed, toolset=TOOLSET),
    Tool("draft_post", "Write a post without publishing it.", _text_schema("text"),
         _draft_post, toolset=TOOLSET),
    Tool("publish_post", "Publish a text post as the member.", _text_schema("text"),
         _publish_post, toolset=TOOLSET, side_effect=True, needs_approval=True,
         permitted=_may_publish),
    Tool("send_dm", "Send a direct message as the member to @handle.",
         _text_schema("handle", "text"), _send_dm, toolset=TOOLSET, side_effect=True,
         needs_approval=True),
    Tool("create_reminder", "Put a reminder in the member's inbox.", _text_schema("text"),
         _create_reminder, toolset=TOOLSET, side_effect=True),
    Tool("choose", "Pick one of the intent's options by name.", _text_schema("option"),
         _choose, toolset=TOOLSET),
    Tool("ask_member", "Ask the member a question and wait for the answer.",
         _text_schema("question", extra=_CHOICES), _ask_member, toolset=TOOLSET),
    Tool("finish", "End the intent with a summary for the member.", _text_schema("summary"),
         _finish, toolset=TOOLSET),
):  # fmt: skip
    tools.register(_tool)
