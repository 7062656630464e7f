"""The tools an intent may use: the platform's own actions, each with a JSON schema for its
arguments, a permission check for the member who gave the intent, and, for the ones with a side
effect, an idempotency key stored in the same transaction as the effect.

Other packages add tools with ``register_action`` (the business tools will register theirs the
same way); a tool is a name, a description, an argument schema and a ``run`` function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import jsonschema
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from townsquare.db.models import Account, Intent, IntentEffect, Post
from townsquare.errors import Forbidden, InvalidInput, NotFound
from townsquare.social import messages, posts
from townsquare.social.graph import following_ids

__all__ = [
    "Action",
    "ActionCall",
    "ActionContext",
    "available_actions",
    "execute",
    "get_action",
    "register_action",
]

ActionCall = dict[str, Any]  # {"name": ..., "args": {...}}
MAX_RESULTS = 10


@dataclass(frozen=True)
class ActionContext:
    """What a tool sees: a session inside the step's transaction and the member it acts for."""

    session: Session
    member: Account
    intent: Intent


@dataclass(frozen=True)
class Action:
    """One tool. ``side_effect`` tools run once per idempotency key; ``needs_approval`` ones ask
    the member first unless the intent was created with ``autonomous``."""

    name: str
    description: str
    args_schema: Mapping[str, Any]
    run: Callable[[ActionContext, dict[str, Any]], dict[str, Any]]
    side_effect: bool = False
    needs_approval: bool = False
    # Raises Forbidden when the member may not use this tool at all.
    permitted: Callable[[Account], None] | None = None


_REGISTRY: dict[str, Action] = {}


def register_action(action: Action, *, replace: bool = False) -> None:
    """Adds a tool. Registering a taken name is an error unless ``replace`` is set."""
    if action.name in _REGISTRY and not replace:
        raise ValueError(f"an action named {action.name!r} is already registered")
    jsonschema.validators.validator_for(action.args_schema).check_schema(dict(action.args_schema))
    _REGISTRY[action.name] = action


def unregister_action(name: str) -> None:
    _REGISTRY.pop(name, None)


def get_action(name: str) -> Action:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise InvalidInput(f"no action named {name!r}; known actions: {known}") from None


def available_actions() -> list[Action]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def validate_call(call: Mapping[str, Any]) -> Action:
    """The tool a call names, after checking its arguments against the tool's schema."""
    action = get_action(str(call.get("name", "")))
    args = call.get("args", {})
    error = jsonschema.exceptions.best_match(
        jsonschema.validators.validator_for(action.args_schema)(action.args_schema).iter_errors(
            args
        )
    )
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "args"
        raise InvalidInput(f"bad arguments for {action.name} at {where}: {error.message}")
    return action


def execute(ctx: ActionContext, call: Mapping[str, Any], key: str) -> dict[str, Any]:
    """Runs one call for ``ctx.member``. A side effect is stored under ``key`` in the caller's
    transaction; if the key is already there (a replay after a crash), the stored result is
    returned and nothing happens again."""
    action = validate_call(call)
    if action.permitted is not None:
        action.permitted(ctx.member)
    if not action.side_effect:
        return action.run(ctx, dict(call.get("args", {})))
    done = ctx.session.scalar(select(IntentEffect).where(IntentEffect.key == key))
    if done is not None:
        return dict(done.result)
    result = action.run(ctx, dict(call.get("args", {})))
    ctx.session.add(
        IntentEffect(key=key, intent_id=ctx.intent.id, action=action.name, result=result)
    )
    ctx.session.flush()
    return result


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


def _readable(ctx: ActionContext) -> Any:
    """Posts the member may read: not deleted, and public or theirs alone (their digest)."""
    return select(Post).where(posts.visible_to_clause(ctx.member.id))


def _search_posts(ctx: ActionContext, args: dict[str, Any]) -> dict[str, Any]:
    query = _readable(ctx).where(Post.text.ilike(f"%{args['query']}%"))
    found = ctx.session.scalars(query.order_by(Post.id.desc()).limit(MAX_RESULTS))
    return {"posts": [_post_summary(p) for p in found]}


def _search_people(ctx: ActionContext, args: dict[str, Any]) -> dict[str, Any]:
    pattern = f"%{args['query']}%"
    found = ctx.session.scalars(
        select(Account)
        .where(or_(Account.handle.ilike(pattern), Account.display_name.ilike(pattern)))
        .order_by(Account.id)
        .limit(MAX_RESULTS)
    )
    return {"people": [{"handle": a.handle, "name": a.display_name, "kind": a.kind} for a in found]}


def _read_feed(ctx: ActionContext, args: dict[str, Any]) -> dict[str, Any]:
    followed = following_ids(ctx.session, ctx.member)
    query = _readable(ctx).where(Post.author_id.in_(followed))
    found = ctx.session.scalars(query.order_by(Post.id.desc()).limit(MAX_RESULTS))
    return {"posts": [_post_summary(p) for p in found]}


def _draft_post(ctx: ActionContext, args: dict[str, Any]) -> dict[str, Any]:
    return {"draft": args["text"]}


def _may_publish(member: Account) -> None:
    if member.kind == "agent":
        raise Forbidden("an agent's own account cannot give intents that publish")


def _publish_post(ctx: ActionContext, args: dict[str, Any]) -> dict[str, Any]:
    post = posts.create_post(
        ctx.session, ctx.member, kind="text", text=args["text"], ai_generated=True
    )
    return {"post_id": post.id}


def _send_dm(ctx: ActionContext, args: dict[str, Any]) -> dict[str, Any]:
    handle = str(args["handle"]).lstrip("@").lower()
    other = ctx.session.scalar(select(Account).where(Account.handle == handle))
    if other is None:
        raise NotFound(f"no account @{handle}")
    if other.id == ctx.member.id:
        raise InvalidInput("an intent cannot message its own member; it uses the inbox")
    thread = messages.open_thread(ctx.session, ctx.member, [other])
    message, _ = messages.send_message(ctx.session, ctx.member, thread.id, args["text"])
    message.ai_generated = True
    return {"message_id": message.id, "thread_id": thread.id}


def _create_reminder(ctx: ActionContext, args: dict[str, Any]) -> dict[str, Any]:
    # A reminder is a notice in the member's inbox; the intent's schedule decides when.
    from townsquare.tasks.inbox import post_item

    item = post_item(
        ctx.session, ctx.intent, "notice", f"Reminder: {args['text']}", key=f"reminder:{args}"
    )
    return {"inbox_item_id": item.id}


def _choose(ctx: ActionContext, args: dict[str, Any]) -> dict[str, Any]:
    options = cast(list[Any], ctx.intent.spec.get("options", []))
    names = [str(o.get("name")) for o in options if isinstance(o, dict)]
    if names and args["option"] not in names:
        raise InvalidInput(f"{args['option']!r} is not one of the intent's options: {names}")
    return {"chosen": args["option"]}


def _finish(ctx: ActionContext, args: dict[str, Any]) -> dict[str, Any]:
    return {"summary": args.get("summary", "")}


def _ask_member(ctx: ActionContext, args: dict[str, Any]) -> dict[str, Any]:
    # Carried out by the workflow (it must wait for the answer); here only for its schema.
    return {}


BUILTIN_ACTIONS = (
    Action("search_posts", "Find posts whose text contains a phrase.", _text_schema("query"),
           _search_posts),
    Action("search_people", "Find accounts by handle or name.", _text_schema("query"),
           _search_people),
    Action("read_feed", "Read recent posts from accounts the member follows.",
           {"type": "object", "properties": {}, "additionalProperties": False}, _read_feed),
    Action("draft_post", "Write a post without publishing it.", _text_schema("text"),
           _draft_post),
    Action("publish_post", "Publish a text post as the member.", _text_schema("text"),
           _publish_post, side_effect=True, needs_approval=True, permitted=_may_publish),
    Action("send_dm", "Send a direct message as the member to @handle.",
           _text_schema("handle", "text"), _send_dm, side_effect=True, needs_approval=True),
    Action("create_reminder", "Put a reminder in the member's inbox.", _text_schema("text"),
           _create_reminder, side_effect=True),
    Action("choose", "Pick one of the intent's options by name.", _text_schema("option"),
           _choose),
    Action("ask_member", "Ask the member a question and wait for the answer.",
           _text_schema("question", extra={"choices": {"type": "array",
                                                       "items": {"type": "string"}}}),
           _ask_member),
    Action("finish", "End the intent with a summary for the member.", _text_schema("summary"),
           _finish),
)  # fmt: skip

for _action in BUILTIN_ACTIONS:
    register_action(_action)
