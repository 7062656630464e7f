"""Policy sentences written for reading a policy by meaning (``tests/studio/business/
test_policy_meaning.py``, ``bench/policy_sentences.py``) (none of them is one of
``policy_meaning``'s prototypes), each with what it must be read as, for one shop's catalog.

``kind`` is the rule a sentence states: ``final`` (the items named by ``expected`` are never
returned or exchanged), ``window`` (items named ``expected[0]`` are returned within
``expected[1]`` days), ``notice`` (appointments change at least ``expected`` hours before),
``never`` (a forbidden act that is no limit on returns: listed to the model) or ``none`` (no rule:
it only looks like one, and must make nothing final).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from townsquare.studio.business.policy import Policy

Kind = Literal["final", "window", "notice", "never", "none"]

# A shop that sells in several languages: each product's name, description and options, as the
# policy module reads them (``policy.catalog_texts``).
CATALOG = (
    "Oak side table Ex-display piece from the shop floor",
    "Stoneware mug Seconds: a small glaze flaw",
    "Engraved pen Personalised with your initials",
    "Walnut frame Made to order in our workshop",
    "Linen shirt condition new ex-display size S M L",
    "Art print A2 giclée print",
    "Lampe en laiton Modèle d'exposition",
    "Jarrón azul Pieza de muestrario",
    "Schallplatte Gebrauchte Schallplatte, geprüft",
    "Borsa in pelle Borsa personalizzata con le tue iniziali",
    "Cadeira de carvalho Cadeira de mostruário",
    "Fietstas Showroommodel",
    "Winter coat Last season colours",
)


@dataclass(frozen=True)
class Case:
    language: str
    kind: Kind
    text: str
    expected: tuple[str, ...] | tuple[str, int] | int | None = None


CASES = (
    # Final sale in idiomatic words.
    Case("en", "final", "Display pieces and seconds: once they're yours, they stay yours.",
         ("display", "second")),
    Case("en", "final", "No take-backs on the ex-display furniture.", ("ex-display",)),
    Case("en", "final", "Personalised pens are yours for keeps the moment we engrave them.",
         ("personalised",)),
    Case("en", "final", "Made to order frames can't come back to us once they're cut.",
         ("frame",)),
    Case("en", "final", "Last season coats leave the shop for good.", ("season",)),
    Case("en", "final", "Seconds are bought as they are and stay bought.", ("second",)),
    Case("fr", "final", "Ce qui est vendu reste vendu, surtout les modèles d'exposition.",
         ("exposition",)),
    Case("fr", "final", "Les pièces d'exposition ne reviennent pas au magasin une fois vendues.",
         ("exposition",)),
    Case("es", "final", "Lo que se lleva, se queda: las piezas de muestrario no vuelven.",
         ("muestrario",)),
    Case("es", "final", "Las piezas de muestrario no admiten devolución ni cambio.",
         ("muestrario",)),
    Case("de", "final", "Gebrauchte Schallplatten nehmen wir nicht mehr zurück.", ("gebrauchte",)),
    Case("de", "final", "Gekauft ist gekauft bei gebrauchten Schallplatten.", ("schallplatte",)),
    Case("it", "final", "Le borse personalizzate, una volta vendute, restano vostre.",
         ("personalizzata",)),
    Case("it", "final", "Niente resi sulle borse personalizzate.", ("personalizzata",)),
    Case("pt", "final", "Peças de mostruário vendidas não voltam para a loja.", ("mostruário",)),
    Case("pt", "final", "O que é de mostruário, depois de comprado, fica com o cliente.",
         ("mostruário",)),
    Case("nl", "final", "Showroommodellen gaan na verkoop niet meer terug.", ("showroommodel",)),
    # Per-category windows.
    Case("en", "window", "Art prints can be returned within 14 days.", ("print", 14)),
    Case("en", "window", "Prints may be exchanged within thirty days.", ("print", 30)),
    Case("en", "window", "All linen shirts can be returned within 60 days.", ("shirt", 60)),
    # Notice periods.
    Case("en", "notice", "Fittings can be moved up to 48 hours before they start.", 48),
    Case("fr", "notice", "Un rendez-vous se déplace au plus tard 24 heures à l'avance.", 24),
    Case("es", "notice", "Las citas se cancelan con 2 días de antelación.", 48),
    Case("de", "notice", "Termine können bis zwei Tage vorher verschoben werden.", 48),
    Case("it", "notice", "Gli appuntamenti si spostano con 24 ore di preavviso.", 24),
    Case("pt", "notice", "As marcações mudam-se com 3 dias de antecedência.", 72),
    Case("nl", "notice", "Afspraken verplaatsen kan tot 24 uur van tevoren.", 24),
    # "Never" rules.
    Case("en", "final", "We never take back personalised pens.", ("personalised",)),
    Case("en", "final", "Never accept a return of a last season coat.", ("season",)),
    Case("en", "never", "Never share a customer's phone number.", None),
    Case("en", "never", "Do not promise delivery dates.", None),
    Case("fr", "never", "Ne jamais donner l'adresse d'un client.", None),
    # Sentences that look like rules and are none.
    Case("en", "none", "Our display pieces are lovely.", None),
    Case("en", "none", "Returns are easy.", None),
    Case("en", "none", "Seconds have tiny flaws you will hardly notice.", None),
    Case("en", "none", "Personalised pens make a great gift.", None),
    Case("en", "none", "Made to order frames take two weeks to make.", None),
    Case("fr", "none", "Nos modèles d'exposition sont en parfait état.", None),
    Case("es", "none", "Las piezas de muestrario están en la tienda de Sevilla.", None),
    Case("de", "none", "Gebrauchte Schallplatten prüfen wir vor dem Verkauf.", None),
    Case("it", "none", "Le borse personalizzate sono fatte a mano.", None),
    Case("pt", "none", "As peças de mostruário estão em ótimo estado.", None),
    Case("nl", "none", "Showroommodellen zijn vaak goedkoper.", None),
    Case("pl", "none", "Wazony z ekspozycji są piękne.", None),
)  # fmt: skip


def read_as(policy: Policy) -> Kind:
    """The kind of rule a one-sentence policy was read as."""
    if policy.final_words:
        return "final"
    if policy.category_windows:
        return "window"
    if policy.notice_hours is not None:
        return "notice"
    return "never" if policy.forbidden else "none"


def read_right(case: Case, policy: Policy) -> bool:
    """Whether a one-sentence policy was read as ``case`` says, to the items and the figures."""
    kind = read_as(policy)
    if kind != case.kind:
        return False
    if kind == "final":
        words = {w for entry in policy.final_words for w in entry.split(" ")}
        return isinstance(case.expected, tuple) and set(map(str, case.expected)) <= words
    if kind == "window":
        return policy.category_windows == (case.expected,)
    if kind == "notice":
        return policy.notice_hours == case.expected
    return policy.sentences[0].limit is None


@dataclass(frozen=True)
class Detection:
    """How well rules are told from sentences that only look like them, in one language."""

    language: str  # "all": every language
    sentences: int
    precision: float  # of the sentences read as a rule, those read as the right one
    recall: float  # of the rules, those read as the right one


def detection(cases: Sequence[Case], policies: Sequence[Policy]) -> list[Detection]:
    """Precision and recall of reading rules, over all languages and by language."""
    pairs = list(zip(cases, policies, strict=True))
    figures = []
    for language in ["all", *dict.fromkeys(c.language for c in cases)]:
        mine = [(c, p) for c, p in pairs if language in ("all", c.language)]
        rules = [c for c, _ in mine if c.kind != "none"]
        read = [(c, p) for c, p in mine if read_as(p) != "none"]
        right = [c for c, p in read if read_right(c, p)]
        precision = len(right) / len(read) if read else 1.0
        recall = len(right) / len(rules) if rules else 1.0
        figures.append(Detection(language, len(mine), precision, recall))
    return figures
