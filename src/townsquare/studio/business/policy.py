"""The business's policy: plain text the agent reads, and hard limits parsed from it that the
tools enforce in code, whatever the model says.

Every sentence of the policy is accounted for (``Policy.sentences``): either it is read as a
limit the code enforces (``Sentence.limit`` says which, in words), or it is listed to the owner
as not enforced automatically (``Policy.not_enforced``), to be kept by the model alone. No limit
is invented: a policy that sets no return window leaves every return to a person.

Numbers may be written in words, in the languages text2num reads ("thirty days", "drei Tage",
"trente jours", "dertig dagen"): each sentence is matched with its numbers as digits and its
time words as English ("a fortnight", "dos semanas", "quindici giorni": 14 days; "vier volle Tage
vorher": "4 clear days before"; ``policy_words``), while the owner and the model see it as
written. Recognised phrasings (case-insensitive; each one sentence):

- returns or exchanges ``within 30 days`` (``no more than 21 days since it was delivered``,
  ``you have thirty days from the day it arrives to send it back``, ``two weeks after``) —
  accepted up to that many days after delivery;
- exchanges or swaps allowed (``we'll swap it for another size``) — within that same window;
- ``<things> can be returned within 14 days`` — a window of its own for order items whose name
  has that word ("prints", "candles");
- ``refunds above 50`` (``over €50``, ``if the money going back is more than 150 euros``) — a
  larger refund is never granted by the agent; the customer is handed to a person;
- ``no exchanges`` / ``exchanges are not accepted`` — exchanges are refused;
- items that are ``final`` / ``sold as seen`` / ``sold as is`` / ``cannot be returned`` /
  ``non-refundable`` (``ex-demo and outlet pieces are sold as seen``, ``no returns on
  second-hand books``) — a product whose name or description has the words naming them
  (``Policy.final_words``; a word for a sale stands for all of ``SALE_WORDS``: "sale",
  "clearance", "reduced", "outlet", "end of line"...) is never returned or exchanged;
- ``24 hours' notice`` / ``up to three days beforehand`` / ``tell us four clear days in
  advance`` about appointments or lessons, named in that sentence or the one before ("Want to
  move a class? Tell us four clear days beforehand.") — an appointment is not moved or
  cancelled later than that;
- ``only pending orders can be cancelled`` (``once it's paid it can't be cancelled``),
  verifying the customer first, never sharing one customer's details with anyone else, never
  giving discounts — what the tools always do;
- other sentences starting with ``never`` or ``do not`` — shown to the model as forbidden, and
  listed as not enforced automatically.

Other final-sale rules ("display pieces stay yours") are read by meaning (``policy_meaning``);
one left unread that may be a rule about items it names sends their returns to a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from text_to_num import alpha2digit

from townsquare.ai.embeddings import Embedder
from townsquare.ai.languages import detect_language
from townsquare.db.models import BusinessPolicy, Product
from townsquare.db.types import utcnow
from townsquare.errors import InvalidInput
from townsquare.studio.business.policy_meaning import (
    MENTIONS_EXCHANGES,
    Reader,
    Sentence,
    by_meaning,
)
from townsquare.studio.business.policy_words import (
    fifteen_days_as_fortnight,
    time_words_in_english,
)

MAX_POLICY_TEXT = 8_000
# The languages whose number words text2num reads; a policy in another is read as English.
NUMBER_LANGUAGES = frozenset({"en", "fr", "es", "pt", "de", "it", "nl"})

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_ONE = re.compile(r"\b(?:a|an|one)\s+(?=(?:day|hour|week|fortnight)s?\b)", re.IGNORECASE)
# "a hundred and twenty" reads "a 120": the article goes with the number.
_A_NUMBER = re.compile(r"\ba\s+(?=\d{3,})", re.IGNORECASE)
_SPAN = re.compile(r"\b(\d{1,4})[\s-]*(days?|weeks?)\b", re.IGNORECASE)
_WINDOW_BEFORE = re.compile(
    r"\b(?:within|inside(?: of)?|no more than|not more than|no later than|up to|at most"
    r"|less than|you have"
    r"|you've got|you get|customers have|there is|there's|have|has"
    # the same in the other languages whose numbers are read
    r"|sous|dans (?:un|1) délai de|dans les|jusqu'à|dentro de|en (?:un|1) plazo de|en|hasta"
    r"|innerhalb von|innerhalb|binnen|bis zu|entro|fino a|no prazo de|em até|até)\s+"
    r"(?:(?:the|those|these|same|a|an|full)\s+)*$",
    re.IGNORECASE,
)
_WINDOW_AFTER = re.compile(
    r"^[\s-]*(?:from|after|of|since|following|to\b|returns?|exchanges?|refunds?|money)",
    re.IGNORECASE,
)
_RETURNS = re.compile(
    r"\b(?:returns?|returned|exchanges?|exchanged|refunds?|refunded|money (?:going )?back"
    r"|(?:send|bring|take|post|mail|ship) (?:it|them|those|these|things|items)? ?back"
    # the same in the other languages whose numbers are read
    r"|retours?|retourn\w*|rembours\w*|échang\w*|devoluci\w*|devolu\w*|devolv\w*|reembols\w*"
    r"|cambi\w*|troca\w*|rückgabe\w*|zurück\w*|umtausch\w*|erstatt\w*|res[oi]|restitu\w*"
    r"|rimbors\w*|terugbetal\w*|ruil\w*)\b",
    re.IGNORECASE,
)
_CATEGORY = re.compile(
    r"^\s*(?:all\s+|our\s+)?([a-z][a-z -]{1,40}?)\s+(?:can|may)\s+be\s+(?:returned|exchanged)"
    r"(?:\s+or\s+(?:returned|exchanged))?\s+within\s+(\d{1,4})\s+days",
    re.IGNORECASE,
)
# Words for any kind of thing sold, and words that never name which items a rule is about.
_GENERIC_WORDS = (
    "items orders products goods purchases things everything pieces articles stock units lines"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())
_REFUND_WORDS = re.compile(
    r"\b(?:refund\w*|money (?:going |paid )?back|reimburs\w*)\b", re.IGNORECASE
)
_OVER = re.compile(
    r"\b(?:above|over|of more than|more than|exceeding|in excess of"
    r"|(?:greater|bigger|larger|higher) than)\s+"
    r"[€$£]?\s*(\d{1,7})(?:[.,](\d{2}))?\b"
    r"(?!\s*(?:%|percent|days?|hours?|weeks?|months?|years?|items?)\b)",
    re.IGNORECASE,
)
_NO_EXCHANGES = re.compile(
    r"\bno exchanges\b|\bexchanges are not\b|\bwe (?:do not|don't) (?:do |offer )?exchange",
    re.IGNORECASE,
)
_EXCHANGES = re.compile(r"\b(?:exchang(?:e[sd]?|ing)|swap(?:s|ped|ping)?)\b", re.IGNORECASE)
# How shops name what they sell off: in a product's name or description, and in the policy.
SALE_WORDS = (
    r"(?:sale|clearance|reduced|discounted|marked[- ]down|markdown|outlet|end[- ]of[- ]line)"
)
_SALE = re.compile(rf"\b{SALE_WORDS}\b", re.IGNORECASE)
# Words that make the items a sentence names final: never returned or exchanged.
_FINAL = re.compile(
    r"\b(?:final sale|final|sold as (?:seen|is|they are|it is)|as[- ]is|non-?refundable"
    r"|not returnable"
    r"|(?:cannot|can't|can not|won't|will not) be (?:returned|refunded|taken back)"
    r"|(?:cannot|can't|can not|won't|do not|don't) (?:take|accept) (?:those|them|these|it) back"
    r"|no (?:returns?|refunds?)(?: or exchanges?)?(?! (?:after|beyond|later|once|outside)))\b",
    re.IGNORECASE,
)
# The items a final-sale sentence names: its subject, or what follows "no returns on".
_NAMED = re.compile(
    r"\bno (?:returns?|refunds?)(?: or exchanges?)? (?:on|for) ([^,;:.]+)"
    r"|^([^,;:]+?)\s+(?:are|is|can't|cannot|can not|won't|will|may)\b",
    re.IGNORECASE,
)
_NOT_NAME_WORDS = (
    "and or all any our the of on for with every also we you they those these it them a an as"
    " marked return returns refund refunds exchange exchanges order orders anything everything"
    " something bought purchased ordered sold that which in at from during labelled labeled"
    " tagged is are"
)
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
_NOTICE = re.compile(
    r"(\d{1,4})\s*(?:(?:full|whole|clear)\s+)?(hours?|days?|weeks?)(?:'|\u2019)?s?\s*(?:of\s+)?"
    r"(?:notice|warning|before|in advance|ahead|prior)",
    re.IGNORECASE,
)
_APPOINTMENTS = re.compile(
    r"\b(?:appointments?|bookings?|sessions?|classes|class|lessons?|visits?|drop-offs?|workshops?"
    r"|courses?|fittings?|treatments?|tastings?|tours?"
    r"|slots?|reschedul\w*|mov\w+|cancel\w*|called off|call off"
    # the same in the other languages whose numbers are read
    r"|rendez-vous|cours|séances?|ateliers?|annul\w*|déplac\w*|citas?|clases?"
    r"|sesi(?:ón|ones)|reservas?|termine?n?|kurse?|absag\w*|verschieb\w*|storn\w*|umbuch\w*"
    r"|appuntament[oi]|lezion[ei]|cors[oi]|prenotazion[ei]|spost\w*|disdi\w*|afspra(?:ak|ken)"
    r"|lessen|verplaats\w*|aulas?|sess(?:ão|ões)|marcaç(?:ão|ões)|remarca\w*)\b",
    re.IGNORECASE,
)
_GOODS = re.compile(
    r"\b(?:deliver\w*|parcels?|packages?|ship\w*|dispatch\w*|post(?:ed|age)?|orders?"
    r"|items?|goods|products?|payments?|refunds?|returns?)\b",
    re.IGNORECASE,
)
# "Never" in the agent's languages, at the start of a sentence.
_FORBIDDEN = re.compile(
    r"^\s*((?:never|do not|don't|(?:ne\s+)?jamais|nunca|niemals|nie\s+wieder|(?:non\s+)?mai"
    r"|nooit|nigdy)\b.*?)[.!]?\s*$",
    re.IGNORECASE,
)
# What the tools always do, whatever the policy says: such a sentence is kept by code.
_ALWAYS = (
    (
        re.compile(
            r"\bonly pending orders\b.*\bcancel|\bcancel\w*\b.*\b(?:unpaid|not yet paid)\b"
            r"|\b(?:paid|payment)\b.*\b(?:can't|cannot|can not|no longer)\b[\w\s]{0,20}\bcancel"
            r"|\bcancel\w*\b.*\b(?:until|till|before)"
            r" (?:you(?:'ve)? pa(?:y|id)|it(?:'s| is) paid)\b",
            re.I,
        ),
        "only pending orders are cancelled",
    ),
    (re.compile(r"\bverify\b|\bverified\b", re.I), "order tools need the customer's email first"),
    (
        re.compile(
            r"\b(?:another|other) customers?'?s?\b"
            r"|\bcustomer'?s\b.*\b(?:anybody|anyone|somebody|someone) else\b"
            r"|\b(?:orders|bookings)\b.*\b(?:nobody|no (?:one|1)|no-one) else'?s\b",
            re.I,
        ),
        "a customer only ever reaches their own orders and bookings",
    ),
    (re.compile(r"\bdiscounts?\b|\bfree items?\b", re.I), "discounts are always refused"),
)


@dataclass(frozen=True)
class Policy:
    text: str
    return_window_days: int | None = None  # None: no window set; a person decides each return
    refund_max_cents: int | None = None  # None: no limit beyond the order's total
    exchanges: bool = True
    forbidden: tuple[str, ...] = ()
    category_windows: tuple[tuple[str, int], ...] = ()  # (word in an item's name, days)
    final_words: tuple[str, ...] = ()  # a product named or described so is never returned
    notice_hours: int | None = None  # appointments change or cancel at least this long before
    sentences: tuple[Sentence, ...] = ()

    @property
    def not_enforced(self) -> tuple[str, ...]:
        return tuple(s.text for s in self.sentences if s.limit is None)

    def rule_about(self, word: str) -> str | None:
        """The first sentence of the policy that mentions ``word``."""
        found = (s.text for s in self.sentences if word.lower() in s.text.lower())
        return next(found, None)

    def final_sale(self, text: str) -> bool:
        """Whether an item so named, described and optioned is never returned or exchanged:
        it has each word of one of ``final_words`` ("ex-demo", "last season coat")."""
        return any(_has(text, words) for words in self.final_words)

    def final_rule(self, text: str) -> str | None:
        """The sentence read by meaning that makes an item so named and described final."""
        rules = (s for s in self.sentences if s.limit is not None and s.names)
        return next((s.text for s in rules if any(_has(text, n) for n in s.names)), None)

    def unread_about(self, text: str) -> str | None:
        """The first sentence left unread that may be a rule about an item so named, described
        and optioned (each word of a name it gives is the item's): a person decides its return."""
        unread = (s for s in self.sentences if s.limit is None and s.holds_returns)
        return next((s.text for s in unread if any(_has(text, n) for n in s.names)), None)


def _has(text: str, words: str) -> bool:
    """Whether ``text`` has each of ``words`` ("last season coat"; "end of line" is one)."""
    parts = [words] if _SALE.fullmatch(words) else words.split(" ")
    return all(_names(part).search(text) for part in parts)


def _names(word: str) -> re.Pattern[str]:
    """What a word of ``final_words`` matches in a product's name or description: a word for a
    sale any of ``SALE_WORDS``; another word itself, its hyphens as spaces or none, plural."""
    if _SALE.fullmatch(word):
        return _SALE
    flexible = r"[- ]?".join(re.escape(part) for part in re.split(r"[- ]", word))
    return re.compile(rf"\b{flexible}(?:e?s)?\b", re.IGNORECASE)


def parse_policy(text: str, catalog: Sequence[str] = (), reader: Reader | None = None) -> Policy:
    """The policy ``text`` for a shop whose products read ``catalog`` (each a product's name,
    description and options); ``reader`` reads by meaning what the grammar leaves unread."""
    fields: dict[str, object] = {}
    windows: list[tuple[str, int]] = []
    finals: list[str] = []
    forbidden: list[str] = []
    sentences: list[Sentence] = []
    language = detect_language(text) or "en"
    previous = ""
    for raw in _SENTENCE.split(text):
        sentence = " ".join(raw.split())
        if not sentence:
            continue
        never = _FORBIDDEN.match(sentence)
        if never:
            forbidden.append(never.group(1))
        digits = _in_digits(sentence, language)
        limit = _read(digits, fields, windows, finals, previous=previous)
        sentences.append(Sentence(sentence, limit))
        previous = digits
    sentences = by_meaning(sentences, catalog, reader or Reader(), finals)
    return Policy(
        text=text.strip(),
        forbidden=tuple(forbidden),
        category_windows=tuple(windows),
        final_words=tuple(dict.fromkeys(finals)),
        sentences=tuple(sentences),
        **fields,  # type: ignore[arg-type]
    )


def _in_digits(sentence: str, language: str) -> str:
    """The sentence with its numbers written in words as digits ("thirty days": "30 days",
    "a day's notice": "1 day's notice"), its time words as English ("a fortnight": "14 days",
    "zwei Wochen vorher": "2 weeks before")."""
    if language in NUMBER_LANGUAGES:
        sentence = alpha2digit(fifteen_days_as_fortnight(sentence), language, threshold=0)
    return time_words_in_english(_A_NUMBER.sub("", _ONE.sub("1 ", sentence)))


def _window(sentence: str) -> int | None:
    """Days in a span that reads as a window ("within 30 days", "30 days from delivery")."""
    for span in _SPAN.finditer(sentence):
        before, after = sentence[: span.start()][-40:], sentence[span.end() :][:20]
        if _WINDOW_BEFORE.search(before) or _WINDOW_AFTER.match(after):
            weeks = span.group(2).lower().startswith("week")
            return int(span.group(1)) * (7 if weeks else 1)
    return None


def _final_words(sentence: str) -> list[str]:
    """The words naming the items a final-sale sentence makes final ("ex-demo", "outlet")."""
    if not _FINAL.search(sentence):
        return []
    named = _NAMED.search(sentence)
    phrase = (named.group(1) or named.group(2)) if named else ""
    words = [w.strip("'\"()").lower() for w in phrase.split()]
    found = [w for w in words if w and w not in _NOT_NAMES and w not in _GENERIC]
    if len(found) > 1:
        found.pop()  # the kind of thing ("cameras"): the words before it say which of them
    found += [m.group(0).lower() for m in _SALE.finditer(_FINAL.sub(" ", sentence))]
    singular = (w[:-1] if w.endswith("s") and not _SALE.fullmatch(w) else w for w in found)
    return list(dict.fromkeys(singular))


def _read(
    sentence: str,
    fields: dict[str, object],
    windows: list[tuple[str, int]],
    finals: list[str],
    *,
    previous: str,
) -> str | None:
    """Reads the limits in one sentence (numbers as digits) into ``fields`` / ``windows`` /
    ``finals``; what they are, in words. A notice period may name its appointments in the
    sentence before ("Want to move a class? Tell us four clear days beforehand.")."""
    limits: list[str] = []
    category = _CATEGORY.match(sentence)
    window = _window(sentence)
    final = _final_words(sentence)
    if category and category.group(1).strip().lower() not in _GENERIC:
        word = category.group(1).strip().lower().split()[-1].rstrip("s")
        windows.append((word, int(category.group(2))))
        limits.append(f"items named {word!r} are returned within {category.group(2)} days")
    elif window and _RETURNS.search(sentence) and "return_window_days" not in fields:
        fields["return_window_days"] = window
        limits.append(f"returns within {window} days of delivery")
    refund = _OVER.search(sentence) if _REFUND_WORDS.search(sentence) else None
    if refund:
        fields["refund_max_cents"] = int(refund.group(1)) * 100 + int(refund.group(2) or 0)
        limits.append(f"refunds above {refund.group(1)} go to a person")
    if _NO_EXCHANGES.search(sentence):
        fields["exchanges"] = False
        limits.append("no exchanges")
    elif _EXCHANGES.search(sentence) and not limits and not final:
        limits.append(MENTIONS_EXCHANGES)
    if final:
        finals.extend(final)
        limits.append(f"items named {' / '.join(final)} are never returned or exchanged")
    notice = _NOTICE.search(sentence)
    if notice and _about_appointments(sentence, previous):
        unit = notice.group(2).lower()
        hours = int(notice.group(1)) * {"h": 1, "d": 24, "w": 168}[unit[0]]
        fields["notice_hours"] = hours
        limits.append(f"appointments change at least {hours} hours before they start")
    limits += [said for pattern, said in _ALWAYS if not limits and pattern.search(sentence)]
    return "; ".join(limits) or None


def _about_appointments(sentence: str, previous: str) -> bool:
    """Whether a sentence with a notice period is about appointments: it names them, or the
    sentence before does and this one names no goods ("Parcels leave 3 days ahead.")."""
    if _APPOINTMENTS.search(sentence):
        return True
    return bool(_APPOINTMENTS.search(previous)) and not _GOODS.search(sentence)


def business_policy(session: Session, business_id: int, embedder: Embedder | None = None) -> Policy:
    """The business's policy as read for its catalog; with ``embedder`` its unread sentences
    are read by meaning (and remembered: ``policy_meaning.Reader``)."""
    row = session.get(BusinessPolicy, business_id)
    text = row.text if row is not None else ""
    return parse_policy(text, catalog_texts(session, business_id), Reader(embedder))


def catalog_texts(session: Session, business_id: int) -> list[str]:
    """Each product of the business as a policy names it: name, description, options."""
    products = session.scalars(select(Product).where(Product.business_id == business_id))
    return [
        " ".join([p.name, p.description, *(f"{k} {' '.join(v)}" for k, v in p.options.items())])
        for p in products
    ]


def set_policy(
    session: Session, business_id: int, text: str, embedder: Embedder | None = None
) -> Policy:
    if len(text) > MAX_POLICY_TEXT:
        raise InvalidInput(f"a policy is at most {MAX_POLICY_TEXT} characters")
    row = session.get(BusinessPolicy, business_id)
    if row is None:
        row = BusinessPolicy(business_id=business_id, text=text)
        session.add(row)
    row.text, row.updated_at = text, utcnow()
    session.flush()
    return parse_policy(text, catalog_texts(session, business_id), Reader(embedder))
