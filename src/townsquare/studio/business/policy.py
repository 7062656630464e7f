"""The business's policy: plain text the agent reads, and hard limits parsed from it that the
tools enforce in code, whatever the model says.

Every sentence of the policy is accounted for (``Policy.sentences``): either it is read as a
limit the code enforces (``Sentence.limit`` says which, in words), or it is listed to the owner
as not enforced automatically (``Policy.not_enforced``), to be kept by the model alone.
Recognised phrasings (case-insensitive; each one sentence):

- returns or exchanges ``within 30 days`` (``no more than 21 days since it was delivered``,
  ``up to 14 days``) — accepted up to that many days after delivery;
- exchanges or swaps allowed (``we'll swap it for another size``) — within that same window;
- ``<things> can be returned within 14 days`` — a window of its own for order items whose name
  has that word ("prints", "candles");
- ``refunds above 50`` (``over €50``, ``a refund comes to more than 80 euros``) — a larger
  refund is never granted by the agent; the customer is handed to a person;
- ``no exchanges`` / ``exchanges are not accepted`` — exchanges are refused;
- sale items that are ``final`` / ``cannot be returned`` / ``non-refundable`` — an order with an
  item on sale (a product whose name or description says "sale", "clearance", "reduced",
  "discounted", "marked down", "outlet" or "end of line": ``SALE_WORDS``) is not returned;
- ``24 hours' notice`` / ``up to 2 days before`` about appointments — an appointment is not
  moved or cancelled later than that;
- ``only pending orders can be cancelled`` (``cancel ... while it is still unpaid``), verifying
  the customer first, never sharing another customer's details, never giving discounts — what
  the tools always do;
- other sentences starting with ``never`` or ``do not`` — shown to the model as forbidden, and
  listed as not enforced automatically.
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

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WINDOW = re.compile(
    r"(?:within|no more than|not more than|no later than|up to|at most|less than)\s+(\d{1,4})"
    r"\s+days",
    re.IGNORECASE,
)
_RETURNS = re.compile(
    r"\b(?:returns?|returned|exchanges?|exchanged|refunds?|refunded|send (?:it|them) back"
    r"|take (?:it|them) back)\b",
    re.IGNORECASE,
)
_CATEGORY = re.compile(
    r"^\s*(?:all\s+|our\s+)?([a-z][a-z -]{1,40}?)\s+(?:can|may)\s+be\s+(?:returned|exchanged)"
    r"(?:\s+or\s+(?:returned|exchanged))?\s+within\s+(\d{1,4})\s+days",
    re.IGNORECASE,
)
_GENERIC = frozenset({"items", "orders", "products", "goods", "purchases", "things", "everything"})
_REFUND_MAX = re.compile(
    r"refunds?\b[\w\s]{0,20}?\b(?:above|over|of more than|more than|exceeding)\s+"
    r"[€$£]?\s*(\d{1,7})(?:[.,](\d{2}))?",
    re.IGNORECASE,
)
_NO_EXCHANGES = re.compile(
    r"\bno exchanges\b|\bexchanges are not\b|\bwe (?:do not|don't) (?:do |offer )?exchange",
    re.IGNORECASE,
)
_EXCHANGES = re.compile(r"\b(?:exchange[sd]?|swap(?:s|ped)?)\b", re.IGNORECASE)
# How shops name what they sell off: in a product's name or description, and in the policy.
SALE_WORDS = (
    r"(?:sale|clearance|reduced|discounted|marked[- ]down|markdown|outlet|end[- ]of[- ]line)"
)
_SALE_FINAL = re.compile(
    rf"\b{SALE_WORDS}\b.*\b(?:final|cannot be returned|can't be returned|non-?refundable"
    r"|not returnable|no returns?)\b"
    rf"|\bno returns?\b.*\b{SALE_WORDS}\b",
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"(\d{1,4})\s*(hours?|days?)(?:'|\u2019)?\s*(?:of\s+)?(?:notice|before|in advance|ahead)",
    re.IGNORECASE,
)
_APPOINTMENTS = re.compile(
    r"\b(?:appointments?|bookings?|sessions?|classes|class|slots?|reschedul\w*|mov\w+|cancel\w*)\b",
    re.IGNORECASE,
)
_FORBIDDEN = re.compile(r"^\s*((?:never|do not|don't)\b.*?)[.!]?\s*$", re.IGNORECASE)
# What the tools always do, whatever the policy says: such a sentence is kept by code.
_ALWAYS = (
    (
        re.compile(
            r"\bonly pending orders\b.*\bcancel|\bcancel\w*\b.*\b(?:unpaid|not yet paid)\b", re.I
        ),
        "only pending orders are cancelled",
    ),
    (re.compile(r"\bverify\b|\bverified\b", re.I), "order tools need the customer's email first"),
    (
        re.compile(r"\b(?:another|other) customers?'?s?\b", re.I),
        "a customer only ever reaches their own orders and bookings",
    ),
    (re.compile(r"\bdiscounts?\b|\bfree items?\b", re.I), "discounts are always refused"),
)


@dataclass(frozen=True)
class Sentence:
    text: str
    limit: str | None  # the limit the code enforces, in words; None: not enforced automatically


@dataclass(frozen=True)
class Policy:
    text: str
    return_window_days: int = DEFAULT_RETURN_WINDOW_DAYS
    refund_max_cents: int | None = None  # None: no limit beyond the order's total
    exchanges: bool = True
    forbidden: tuple[str, ...] = ()
    category_windows: tuple[tuple[str, int], ...] = ()  # (word in an item's name, days)
    sale_final: bool = False  # items on sale are never returned or exchanged
    notice_hours: int | None = None  # appointments change or cancel at least this long before
    sentences: tuple[Sentence, ...] = ()

    @property
    def not_enforced(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.sentences if s.limit is None)

    def rule_about(self, word: str) -> str | None:
        """The first sentence of the policy that mentions ``word``."""
        found = (s.text for s in self.sentences if word.lower() in s.text.lower())
        return next(found, None)


def parse_policy(text: str) -> Policy:
    fields: dict[str, object] = {}
    windows: list[tuple[str, int]] = []
    forbidden: list[str] = []
    sentences: list[Sentence] = []
    for raw in _SENTENCE.split(text):
        sentence = " ".join(raw.split())
        if not sentence:
            continue
        never = _FORBIDDEN.match(sentence)
        if never:
            forbidden.append(never.group(1))
        limit = _read(sentence, fields, windows)
        sentences.append(Sentence(sentence, limit))
    return Policy(
        text=text.strip(),
        forbidden=tuple(forbidden),
        category_windows=tuple(windows),
        sentences=tuple(sentences),
        **fields,  # type: ignore[arg-type]
    )


def _read(sentence: str, fields: dict[str, object], windows: list[tuple[str, int]]) -> str | None:
    """Reads the limits in one sentence into ``fields`` / ``windows``; what they are, in words."""
    limits: list[str] = []
    category = _CATEGORY.match(sentence)
    window = _WINDOW.search(sentence)
    if category and category.group(1).strip().lower() not in _GENERIC:
        word = category.group(1).strip().lower().split()[-1].rstrip("s")
        windows.append((word, int(category.group(2))))
        limits.append(f"items named {word!r} are returned within {category.group(2)} days")
    elif window and _RETURNS.search(sentence) and "return_window_days" not in fields:
        fields["return_window_days"] = int(window.group(1))
        limits.append(f"returns within {window.group(1)} days of delivery")
    refund = _REFUND_MAX.search(sentence)
    if refund:
        fields["refund_max_cents"] = int(refund.group(1)) * 100 + int(refund.group(2) or 0)
        limits.append(f"refunds above {refund.group(1)} go to a person")
    if _NO_EXCHANGES.search(sentence):
        fields["exchanges"] = False
        limits.append("no exchanges")
    elif _EXCHANGES.search(sentence) and not limits and not _SALE_FINAL.search(sentence):
        limits.append("exchanges within the return window")
    if _SALE_FINAL.search(sentence):
        fields["sale_final"] = True
        limits.append("items on sale are not returned")
    notice = _NOTICE.search(sentence)
    if notice and _APPOINTMENTS.search(sentence):
        hours = int(notice.group(1)) * (24 if notice.group(2).lower().startswith("day") else 1)
        fields["notice_hours"] = hours
        limits.append(f"appointments change at least {hours} hours before they start")
    limits += [said for pattern, said in _ALWAYS if not limits and pattern.search(sentence)]
    return "; ".join(limits) or None


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
