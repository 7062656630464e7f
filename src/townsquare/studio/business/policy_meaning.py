"""Policy sentences read by meaning: a final-sale rule in any wording ("once it's yours it stays
yours", "ce qui est vendu reste vendu", "lo que se lleva, se queda"), and the catalog items a
sentence names.

The grammar of ``policy`` reads the usual wordings; a sentence it leaves unread is compared by
the multilingual embedder (e5-small) with a handful of final-sale rules and of sentences that
only look like them ("our display pieces are lovely", "returns are easy"), in several
languages. The words naming the shop's own items are first masked as "items", so the sentence
is judged on what it says about them, not on what they are. It reads as a final-sale rule when
its two nearest final-sale prototypes are ``MARGIN`` closer on average than its two nearest
others (the margin chosen on the sentences of ``evals/business/policy_sentences.py``, none of
which is a prototype; ``bench/policy_sentences.py`` prints how well it reads them).

Embedding takes a moment, so each verdict is kept for the life of the process (``Reader``): a
turn of the agent reads its shop's policy with the embedder once; the policy is then read with
those verdicts wherever no embedder is at hand. Without a verdict a sentence stays unread: listed
to the owner as not enforced automatically, and a return of an item it names handed to a person
(``Policy.unread_about``).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import numpy as np
from stop_words import get_stop_words

from townsquare.ai.embeddings import Embedder
from townsquare.ai.errors import ModelUnavailableError

MARGIN = 0.01
# Below MARGIN but above DOUBT, a sentence may still be a rule about its items' returns: while it
# stays unread, a return of an item it names goes to a person.
DOUBT = 0.0
TOP = 2  # prototypes of each kind averaged
MASK = "items"
MAX_VERDICTS = 4_096
# The stop-words package's lists of the agent's other languages. Its English list also holds
# words that name goods ("second", "new", "used", "large"), so English has its own, below.
_STOP_LANGUAGES = ("fr", "es", "pt", "de", "it", "nl", "pl")
_ENGLISH_FUNCTION_WORDS = (
    "a about above after again against all also am an and any are aren't as at be because been"
    " before being below between both but by can can't cannot could couldn't did didn't do does"
    " doesn't doing don't down during each either else ever every few for from further get gets"
    " got had hadn't has hasn't have haven't having he her here hers herself him himself his how"
    " however i if in into is isn't it it's its itself just let's may me might more most much"
    " must mustn't my myself neither never no nor not now of off on once only or other ought our"
    " ours ourselves out over own per please same shall shan't she should shouldn't so some such"
    " than that that's the their theirs them themselves then there there's these they they'd"
    " they'll they're they've this those though through till to too under until up upon us very"
    " was wasn't we we'd we'll we're we've were weren't what what's when where which while who"
    " whom whose why will with within without won't would wouldn't yet you you'd you'll you're"
    " you've your yours yourself yourselves"
)

# Final-sale rules, their items masked.
FINAL_RULES = (
    "Sale items cannot be returned or exchanged.",
    "These items are sold as seen.",
    "Once you have bought it, it is yours to keep.",
    "No take-backs on these items.",
    "What is sold stays sold.",
    "These items are final: no refunds, no exchanges.",
    "We do not take these items back.",
    "These items cannot be sent back or swapped.",
    "We never refund these items.",
    "These items are yours for good once you buy them.",
    "Ces articles ne sont ni repris ni échangés.",
    "Ce qui est acheté n'est pas remboursé.",
    "Estos artículos no se devuelven ni se cambian.",
    "Lo que se compra no se devuelve.",
    "Diese Artikel sind vom Umtausch ausgeschlossen.",
    "Diese Artikel nehmen wir nicht zurück.",
    "Questi articoli non sono rimborsabili né sostituibili.",
    "Estes artigos não têm troca nem devolução.",
    "Deze artikelen worden niet teruggenomen of geruild.",
    "Tych produktów nie można zwrócić ani wymienić.",
)
# Sentences about items, returns or rules that are no final-sale rule.
OTHER_SENTENCES = (
    "These items are lovely.",
    "Returns are easy.",
    "Send it back within 30 days for a refund.",
    "These items ship within two days.",
    "We are open Monday to Friday.",
    "Refunds above 50 euros go to the owner.",
    "Appointments can be moved up to 24 hours before.",
    "We don't give discounts.",
    "Never share a customer's details.",
    "These items take two weeks to make.",
    "Exchanges are welcome within 14 days.",
    "These items are half price.",
    "These items can be returned within 14 days.",
    "We check these items carefully before they are sold.",
    "You can return these items if they are faulty.",
    "Ces articles sont magnifiques.",
    "Estos artículos se envían en 48 horas.",
    "Diese Artikel sind handgemacht.",
    "Questi articoli sono in offerta.",
    "Estes artigos chegam em três dias.",
    "Deze artikelen zijn met de hand gemaakt.",
    "Welcome to our little shop, here is how we work.",
    "Prices are fixed: we don't bargain or hand out vouchers.",
    "What you buy from us is private and stays between us.",
    "Later than that, your appointment stays booked.",
    "Orders can be cancelled until they are paid.",
    "We can swap these items for another size or colour.",
    "Bienvenue chez nous : voici nos règles.",
    "Los pedidos se pueden anular hasta el pago.",
)
_APOSTROPHES = str.maketrans({"\u2019": "'"})
_WORD = re.compile(r"[^\W\d_](?:[\w'\u2019-]*[^\W_])?")
# Words for any kind of thing sold, and for what a rule says of it: never an item's name.
_NOT_ITEM_WORDS = (
    "item product piece thing article goods stock order purchase return returned refund"
    " exchange swap sale sold shop customer"
    # the same in the agent's other languages
    " pièce article produit pieza artículo producto artikel artikelen produkt produkte stück"
    " pezzo pezzi articolo articoli prodotto prodotti peça artigo produto stuk stuks product"
    " producten artykuł artykuły produkty towar towary"
)
_NOT_ITEMS = frozenset(_NOT_ITEM_WORDS.split())
_CONJUNCTION_WORDS = "and or et ou y o e und oder en of i lub albo"
_CONJUNCTIONS = frozenset(_CONJUNCTION_WORDS.split())
_CLAUSE = re.compile(r"[,;:.!?()]")


@cache
def _stop_words() -> frozenset[str]:
    others = (w.lower() for lang in _STOP_LANGUAGES for w in get_stop_words(lang))
    return frozenset([*others, *_ENGLISH_FUNCTION_WORDS.split()])


def content_words(text: str) -> list[str]:
    """The words of a text that may name an item: no stop word of the agent's languages, no
    word for goods in general, at least three letters; lower-cased, in order, once each."""
    stop = _stop_words()
    words = (_elided(w.lower().translate(_APOSTROPHES)) for w in _WORD.findall(text))
    kept = (w for w in words if len(w) >= 3 and w not in stop and _singular(w) not in _NOT_ITEMS)
    return list(dict.fromkeys(kept))


def _elided(word: str) -> str:
    """A word without an elided article or preposition ("d'exposition": "exposition",
    "l'arte": "arte"); an English possessive or contraction as written."""
    head, _, tail = word.partition("'")
    return tail if tail and len(head) <= 3 and "'" not in tail and len(tail) > 3 else word


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def same_word(a: str, b: str) -> bool:
    """Whether two lower-case words are one word, inflected ("gebrauchten" / "gebrauchte",
    "personalizzate" / "personalizzata", "coats" / "coat"): equal but for an ending of at most
    three letters after a shared start of at least five."""
    if _singular(a) == _singular(b):
        return True
    shared = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return shared >= 5 and shared >= max(len(a), len(b)) - 3 and shared >= min(len(a), len(b)) - 2


def _catalog_tokens(catalog: Sequence[str]) -> set[str]:
    """The words of the catalog's texts, a hyphenated word also in its parts."""
    tokens = {w for text in catalog for w in content_words(text)}
    return tokens | {p for w in tokens if "-" in w for p in content_words(w.replace("-", " "))}


def named_items(sentence: str, catalog: Sequence[str]) -> dict[str, str]:
    """The words of ``sentence`` that name something in the catalog (each text a product's
    name, description and options), each with the catalog's own word for it (singular)."""
    tokens = sorted(_catalog_tokens(catalog))
    found = {}
    for word in content_words(sentence):
        match = next((t for t in tokens if same_word(word, t)), None)
        if match is not None:
            found[word] = _singular(match)
    return found


def named_phrases(sentence: str, named: dict[str, str]) -> list[str]:
    """The items a sentence names, each the catalog's words for it that the sentence writes
    together ("last season coats": "last season coat"; "display pieces and seconds":
    "display", "second"): a comma, a conjunction or another word ends one."""
    stop = _stop_words()
    phrases: list[str] = []
    for clause in _CLAUSE.split(sentence):
        current: list[str] = []
        for raw in _WORD.findall(clause):
            word = _elided(raw.lower().translate(_APOSTROPHES))
            if word in named:
                current.append(named[word])
            elif word in _CONJUNCTIONS or (word not in stop and _singular(word) not in _NOT_ITEMS):
                phrases.append(" ".join(current))
                current = []
        phrases.append(" ".join(current))
    return list(dict.fromkeys(p for p in phrases if p))


def unknown_words(sentence: str, named: Iterable[str]) -> list[str]:
    """The words of a final-sale sentence that seem to name items the catalog does not have:
    neither a catalog word nor a word final-sale rules are written with."""
    known = {_singular(w) for w in named} | _rule_words()
    return [w for w in content_words(sentence) if _singular(w) not in known]


@cache
def _rule_words() -> frozenset[str]:
    return frozenset(_singular(w) for s in FINAL_RULES for w in content_words(s))


def masked(sentence: str, words: Iterable[str]) -> str:
    """The sentence with each of ``words`` (its own words) read as "items"."""
    for word in words:
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
        sentence = pattern.sub(MASK, sentence)
    return sentence


@dataclass(frozen=True)
class Sentence:
    text: str
    limit: str | None  # the limit the code enforces, in words; None: not enforced automatically
    note: str | None = None  # what the owner should know of how it was read
    # Unread, yet perhaps a rule about the items it names: their returns go to a person.
    holds_returns: bool = False
    # Read by meaning: the catalog's words for the items it names ("last season coat").
    names: tuple[str, ...] = ()


class Reader:
    """How much closer each sentence (items masked) is to the final-sale rules than to the
    other sentences: by ``embedder``, whose figures every Reader of the process then shares;
    without one, by the figures of the embedder that read last (None: not judged)."""

    _closer: ClassVar[OrderedDict[tuple[str, str], float]] = OrderedDict()
    _last: ClassVar[list[str]] = []  # the name of the embedder that read last

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder

    def closer_to_final(self, sentences: Sequence[str]) -> list[float | None]:
        name = self._embedder.name if self._embedder is not None else next(iter(self._last), "")
        unknown = list(dict.fromkeys(s for s in sentences if (name, s) not in self._closer))
        if unknown and self._embedder is not None:
            # No embedder here: the grammar alone, and every unread sentence shown to the owner.
            with suppress(ModelUnavailableError):
                self._judge(self._embedder, unknown)
        return [self._closer.get((name, s)) for s in sentences]

    def _judge(self, embedder: Embedder, sentences: list[str]) -> None:
        finals, others = _prototypes(embedder)
        vectors = embedder.embed(sentences, "passage")  # (N, D), unit rows
        near_final = np.sort(vectors @ finals.T, axis=1)[:, -TOP:].mean(axis=1)  # (N,)
        near_other = np.sort(vectors @ others.T, axis=1)[:, -TOP:].mean(axis=1)  # (N,)
        for sentence, closer in zip(sentences, near_final - near_other, strict=True):
            self._closer[(embedder.name, sentence)] = float(closer)
        while len(self._closer) > MAX_VERDICTS:
            self._closer.popitem(last=False)
        self._last[:] = [embedder.name]


_PROTOTYPES: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def _prototypes(embedder: Embedder) -> tuple[np.ndarray, np.ndarray]:
    """The two prototype sets embedded by ``embedder``, once a process."""
    if embedder.name not in _PROTOTYPES:
        _PROTOTYPES[embedder.name] = (
            embedder.embed(FINAL_RULES, "passage"),
            embedder.embed(OTHER_SENTENCES, "passage"),
        )
    return _PROTOTYPES[embedder.name]


# The grammar's reading of a sentence that mentions exchanges and sets no limit (exchanges are
# allowed by default): "...so once it's sold we can't refund or exchange it" reads so too.
MENTIONS_EXCHANGES = "exchanges within the return window"


def by_meaning(
    sentences: list[Sentence], catalog: Sequence[str], reader: Reader, finals: list[str]
) -> list[Sentence]:
    """The sentences the grammar left unread, read by meaning: a final-sale rule about items of
    the catalog is enforced (their words added to ``finals``); one that may be a rule keeps the
    items it names from the agent's returns. A sentence the grammar read only as mentioning
    exchanges is read too, and changed only where it names items and may be a final-sale rule."""
    mentions = {i for i, s in enumerate(sentences) if s.limit == MENTIONS_EXCHANGES}
    # A question states no rule ("Changed your mind?"): the sentences after it do.
    unread = [
        i
        for i, s in enumerate(sentences)
        if (s.limit is None or i in mentions) and s.text[-1] != "?"
    ]
    named = {i: named_items(sentences[i].text, catalog) for i in unread}
    closer = reader.closer_to_final([masked(sentences[i].text, named[i]) for i in unread])
    read = list(sentences)
    for i, figure in zip(unread, closer, strict=True):
        text, words = sentences[i].text, named_phrases(sentences[i].text, named[i])
        unknown = unknown_words(text, [*named[i].values(), *named[i]])
        missing = f"no catalog item is called {' / '.join(unknown)}" if unknown else None
        unsure = bool(words) and (figure is None or figure > DOUBT)
        if figure is not None and figure > MARGIN and words:
            finals.extend(words)
            limit = f"items named {' / '.join(words)} are never returned or exchanged"
            note = missing and f"read by meaning; {missing}"
            read[i] = Sentence(text, limit, note=note, names=tuple(words))
        elif i in mentions and not unsure:
            continue  # exchanges allowed, as the grammar read it
        elif figure is not None and figure > MARGIN:
            note = f"reads as a final-sale rule, but {missing or 'it names no catalog item'}"
            read[i] = Sentence(text, None, note=note)
        else:
            read[i] = Sentence(text, None, holds_returns=unsure, names=tuple(words))
    return read
