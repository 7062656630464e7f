"""An agent to and from a character card: the card's fields, lorebook and picture.

The card formats themselves are ``studio.cards``; this is the service over them that the
shells call, so an import through the API, the web page or the CLI makes the same agent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from townsquare.db.models import Account, Agent
from townsquare.errors import InvalidInput
from townsquare.social import media
from townsquare.social.quotas import Quotas
from townsquare.studio import agents
from townsquare.studio.cards import CardFormat, ImportedCard, export_card, import_card
from townsquare.studio.spec import AgentKind

MAX_CARD_BYTES = 20 * 1024 * 1024

_CARD_MEDIA_TYPES: dict[str, tuple[str, str]] = {
    "json_v2": ("application/json", "json"),
    "json_v3": ("application/json", "json"),
    "png_v2": ("image/png", "png"),
    "png_v3": ("image/png", "png"),
    "charx": ("application/zip", "charx"),
}


@dataclass(frozen=True)
class CardFile:
    data: bytes
    media_type: str
    filename: str  # <handle>.<extension>


def import_agent(
    session: Session,
    owner: Account,
    *,
    data: bytes,
    filename: str,
    kind: AgentKind,
    handle: str | None,
    media_dir: Path,
    quotas: Quotas | None = None,
) -> tuple[Agent, ImportedCard]:
    """A new agent of ``owner`` from a card file (lorebook and picture included), and the card
    as read; ``handle``, when given, replaces the card's. ``data`` may be read one byte past
    ``MAX_CARD_BYTES`` to tell a card that is too large. Its picture is an upload of
    ``owner``'s, under ``quotas``."""
    if len(data) > MAX_CARD_BYTES:
        raise InvalidInput(f"a card is at most {MAX_CARD_BYTES // (1024 * 1024)} MB")
    card = import_card(data, filename=filename, kind=kind)
    spec = card.spec if handle is None else card.spec.model_copy(update={"handle": handle})
    agent = agents.create_agent(
        session, owner, spec, lorebook=card.lorebook, card_extra=card.card_extra
    )
    if card.avatar is not None:
        account = agents.agent_account(session, agent)
        agents.set_avatar(
            session,
            agent,
            media.store_media(session, media_dir, account, card.avatar, quotas=quotas),
        )
    return agent, card


def export_agent(
    session: Session, owner: Account, handle: str, *, fmt: CardFormat, media_dir: Path
) -> CardFile:
    """``owner``'s agent as a card file, for other tools (or another Townsquare)."""
    return card_file(
        session, agents.owned_agent(session, owner, handle), fmt=fmt, media_dir=media_dir
    )


def card_file(session: Session, agent: Agent, *, fmt: CardFormat, media_dir: Path) -> CardFile:
    """``agent`` as a card file, whoever owns it: for whoever runs the instance (the CLI)."""
    account = agents.agent_account(session, agent)
    avatar = None
    if account.avatar_media_id is not None:
        row = media.get_media(session, account.avatar_media_id, agent.owner_id)
        path = media_dir / row.path
        avatar = path.read_bytes() if path.is_file() else None
    data = export_card(
        agents.agent_profile(session, agent),
        handle=account.handle,
        kind=agent.kind,
        lorebook=agent.lorebook,
        card_extra=agent.card_extra,
        avatar=avatar,
        fmt=fmt,
    )
    media_type, extension = _CARD_MEDIA_TYPES[fmt]
    return CardFile(data, media_type, f"{account.handle}.{extension}")
