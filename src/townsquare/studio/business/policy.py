"""The business's policy: plain text the agent reads, and hard limits parsed from it that the
tools enforce in code, whatever the model says.

Recognised phrasings (case-insensitive, anywhere in the text):

- ``within 30 days`` — returns and exchanges are accepted up to that many days after delivery;
- ``refunds above 50`` (or ``over €50``, ``more than $50.00``) — a refund larger than that is
  never granted by the agent; the customer is handed to a person;
- ``no exchanges`` — exchanges are refused;
- sentences starting with ``never`` or ``do not`` — shown to the model as forbidden actions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from townsquare.db.models import BusinessPolicy
from townsquare.db.types import utcnow
from townsquare.errors import InvalidInput

DEFAULT_RETURN_WINDOW_DAYS = 14
MAX_POLICY_TEXT = 8_000

_WINDOW = re.compile(r"within\s+(\d{1,4})\s+days", re.IGNORECASE)
_REFUND_MAX = re.compile(
    r"refunds?\s+(?:above|over|of more than|more than|exceeding)\s+"
    r"[€$£]?\s*(\d{1,7})(?:[.,](\d{2}))?",
    re.IGNORECASE,
)
_NO_EXCHANGES = re.compile(r"\bno exchanges\b", re.IGNORECASE)
_FORBIDDEN = re.compile(r"(?:^|(?<=[.!\n]))\s*((?:never|do not|don't)\b[^.!\n]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Policy:
    text: str
    return_window_days: int = DEFAULT_RETURN_WINDOW_DAYS
    refund_max_cents: int | None = None  # None: no limit beyond the order's total
    exchanges: bool = True
    forbidden: tuple[str, ...] = ()


def parse_policy(text: str) -> Policy:
    window = _WINDOW.search(text)
    refund = _REFUND_MAX.search(text)
    return Policy(
        text=text.strip(),
        return_window_days=int(window.group(1)) if window else DEFAULT_RETURN_WINDOW_DAYS,
        refund_max_cents=(
            int(refund.group(1)) * 100 + int(refund.group(2) or 0) if refund else None
        ),
        exchanges=_NO_EXCHANGES.search(text) is None,
        forbidden=tuple(m.group(1).strip() for m in _FORBIDDEN.finditer(text)),
    )


def business_policy(session: Session, business_id: int) -> Policy:
    row = session.get(BusinessPolicy, business_id)
    return parse_policy(row.text if row is not None else "")


def set_policy(session: Session, business_id: int, text: str) -> Policy:
    if len(text) > MAX_POLICY_TEXT:
        raise InvalidInput(f"a policy is at most {MAX_POLICY_TEXT} characters")
    row = session.get(BusinessPolicy, business_id)
    if row is None:
        row = BusinessPolicy(business_id=business_id, text=text)
        session.add(row)
    row.text, row.updated_at = text, utcnow()
    session.flush()
    return parse_policy(text)
