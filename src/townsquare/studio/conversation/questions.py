"""What a question asks: the type of its answer (a price, a date, a name, ...), what it is
about, and whether it wants the next date, a total or a deadline counted from a date.

Everything that depends on the member's language is in one table per language (``Cues``):
the cue words of each answer type, the words that only say what is asked (dropped from the
subject), the cues of a total, of "the next", of a deadline, and the phrases a reply is
composed from. ``LANGUAGES`` maps a language code to its table; adding a language is adding a
table, not changing the logic (``read_question`` and ``answers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from townsquare.studio.conversation.wording import content_words

AnswerType = Literal[
    "price",
    "when",
    "time",
    "duration",
    "age",
    "level",
    "place",
    "name",
    "distance",
    "quantity",
    "yesno",
    "other",
]


@dataclass(frozen=True)
class Phrases:
    """What an extractive reply says around the source's own words ({...} filled in)."""

    quoted: str = 'Here is what {owner} wrote about that: "{quote}" [1]'
    as_of: str = 'As of {date}, {owner} wrote: "{quote}" [1]'
    next: str = 'The next one is {value}: "{quote}" [1]'
    total: str = 'That comes to {total} ({first} + {second}): "{quote1}" [1] "{quote2}" [2]'
    deadline: str = 'That is {date} ({span} from {start}): "{quote}" [1]'
    share: str = 'That comes to {result} ({percent} of {price}): "{quote1}" [1] "{quote2}" [2]'
    bridge: str = 'That is {name}: "{quote1}" [1] "{quote2}" [2]'
    times: str = "{count} x {price}"
    until: str = 'That is {days} days from today ({start}) to {date}: "{quote}" [1]'
    span: str = 'That is {span} ({range}): "{quote}" [1]'
    date_format: str = "%-d %B %Y"


@dataclass(frozen=True)
class Cues:
    """One language's cue words, as regular expressions over the lower-cased question."""

    types: tuple[tuple[AnswerType, str], ...]  # the first that matches is the question's type
    asking: frozenset[str]  # words that say what is asked, not what about ("cost", "when")
    total: str  # the question wants a sum: "with postage", "in total"
    shipping: str  # what a shipping price is called in a passage
    destination: str  # "to <where>": group 1 is where to
    next: str  # "the next", "upcoming"
    deadline: str  # "by when", "last day": counted from a date the question names
    discount: str  # a percentage taken off ("10% off"), not a part paid ("a 20% deposit")
    counts: dict[str, int]  # "three chains": how many
    phrases: Phrases = field(default_factory=Phrases)
    # "the class that Jonah runs": a thing described, not named (``bridge``); over the
    # question as written (a name is capitalised); "" where no description is recognised
    described: str = ""
    current: str = ""  # "now", "currently": the value in force today (a newer source decides)
    until: str = ""  # "how many days until ...": counted from today to a date
    each: str = ""  # "the price per jar", "how much each": the price of one, not times a count


_MONEY = r"money|deposit|postage|shipping|delivery|fees?|discount|rent|tip|change"
_AUX = r"is|are|does|do|did|was|were|will|would|can|could|should|has|have|may|am"
ENGLISH = Cues(
    types=(
        ("yesno", rf"^(?:{_AUX})\b"),
        (
            "duration",
            r"\bhow long\b|\bhow much (?:time|notice)\b|\bduration\b"
            r"|\bhow many (?:minutes|hours|days|weeks|months|years)\b",
        ),
        # "how much salt" asks a quantity; "how much deposit" a price
        ("quantity", rf"\bhow much (?!(?:{_AUX}|{_MONEY}|for|to|it|altogether)\b)[a-z]+"),
        (
            "price",
            r"\bhow much\b|\bcosts?\b|\bprices?d?\b|\bfees?\b|\bcharge[sd]?\b|\bpay\b"
            r"|\bexpensive\b|\bcheap\b|\btotal\b|\bpostage\b|\bshipping\b|\brates?\b|\bbill\b"
            r"|\bput down\b|\bup ?front\b|\bcomes? to(?= altogether| in total| together|\?)"
            r"|\bowe\b|\bthe damage\b|\bworks? out (?:at|to)\b",
        ),
        ("age", r"\bhow old\b|\bwhat age\b|\bages\b|\bage (?:group|limit|range)\b|\bminimum age\b"),
        ("level", r"\b(?:what|which) level\b|\bsuitable for\b|\bexperience\b"),
        (
            "time",
            r"\bwhat time\b|\bwhich time\b|\bopening (?:hours|times)\b|\bwhat hours\b"
            r"|\bhow late\b|\bhow early\b",
        ),
        (
            "when",
            rf"^when\b|\bwhen (?:{_AUX})\b|\bwhat date\b|\b(?:until|till) when\b"
            r"|\b(?:what|which) (?:day|date|month|morning|afternoon|evening|night|weekday)s?\b"
            r"|\blast day\b|\blatest date\b|\bdeadline\b|\bby when\b",
        ),
        (
            "place",
            r"\bwhere\b|(?<!email )\baddress\b|\blocation\b|\blocated\b"
            r"|\bwhich (?:town|city|venue)\b",
        ),
        (
            "name",
            r"\bwho\b|\bname of\b|\bwhat(?:'s| is) (?:the |your |her |his )?name\b|\bcalled\b",
        ),
        ("distance", r"\bhow far\b|\bdistance\b|\bradius\b|\bhow many (?:miles|km)\b"),
        ("quantity", r"\bhow many\b|\bnumber of\b|\bhow big\b|\bcapacity\b"),
    ),
    asking=frozenset(
        """much cost costs price prices priced fee fees charge pay rate rates expensive cheap
        total long time notice duration old age ages level suitable experience when date day
        days what
        which where address location located who name called many number big far capacity
        distance radius miles travel
        hours open opening close start finish end next upcoming coming deadline last late
        early need take takes offer offers sell sells provide run runs make makes get gets look
        looks happen happens usually anything something place come comes goes want like
        currently now whats wheres whos hows near around there ask asks bill owe damage""".split()  # noqa: SIM905
    ),
    total=(
        r"\b(?:in )?total\b|\baltogether\b|\ball in\b|\bincluding (?:postage|shipping|delivery)\b"
        r"|\b(?:with|plus|and) (?:the )?(?:postage|shipping|delivery|p&p)\b"
        r"|\b(?:posted|delivered|shipped|sent|mailed) to\b|\ball-in\b"
    ),
    shipping=r"\b(?:postage|shipping|delivery|deliver|p&p|posted|post|courier|zone)\b",
    destination=(
        r"\bto (?!(?:altogether|in total|together)\b)(?:the |an? )?"
        r"((?:zone \d+|[a-z]+(?: [a-z]+)?))"
        r"(?=$|\s*[-,.?!;:]| (?:and|with|incl|includ|postage|please|what|how|for|by))"
    ),
    next=r"\bnext\b|\bupcoming\b|\bcoming up\b|\bsoonest\b",
    current=r"\bnow\b|\bcurrently\b|\bthese days\b|\bany ?more\b|\bat the moment\b",
    until=r"\buntil\b|\btill?\b|\b'til\b|\bto go\b|\baway\b|\bleft\b",
    each=r"\bper [a-z]+\b|\beach\b|\bapiece\b|\ba piece\b",
    deadline=r"\bby when\b|\blast day\b|\bdeadline\b|\buntil when\b|\bhow long do i have\b",
    discount=r"\boff\b|\bdiscount\b|\bless\b|\breduction\b|\bsaving\b",
    counts={"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8},
    described=(
        r"\b[Tt]he (?:(?!(?:on|in|at|of|for|with|to|from|by|your|my|our|when|where|while|if"
        r"|and|or|but|as)\b)[a-z'-]+ ){1,3}"
        r"(?:(?:that|which|who|whom|you|we|she|he|they)\b|[A-Z][a-z]+ [a-z])"
    ),
)
# The other languages a member may ask in. A passage is usually in the owner's language, so
# what is looked for in a passage (shipping, discount) keeps the English words too; month names
# would be English in a passage, so dates are written in figures.
_SHIPPING_EN, _DISCOUNT_EN = ENGLISH.shipping, ENGLISH.discount
PORTUGUESE = Cues(
    types=(
        ("yesno", r"^(?:é|são|posso|podem|pode|há|tem|têm|vocês|fazem|aceitam|enviam|vendem)\b"),
        ("duration", r"\bquanto tempo\b|\bduração\b|\bquantos (?:minutos|horas|dias|semanas)\b"),
        (
            "price",
            r"\bquanto (?:custa|custam|é|sai|fica|pago|cobra)\b|\bpreços?\b|\bcusto\b|\bvalor\b"
            r"|\bportes\b|\bno total\b|\bmontante\b",
        ),
        ("age", r"\bque idade\b|\bidade mínima\b"),
        ("time", r"\ba que horas?\b|\bque horas\b|\bhorários?\b"),
        ("when", r"^quando\b|\bquando\b|\bque dia\b|\bque data\b|\bprazo\b|\baté quando\b"),
        ("place", r"\bonde\b|\bmorada\b|\bendereço\b"),
        ("name", r"\bquem\b|\bcomo se chama\b|\bnome d[oa]\b"),
        ("distance", r"\bdistância\b|\bquão longe\b"),
        ("quantity", r"\bquant[oa]s\b|\bque tamanho\b|\bcapacidade\b"),
    ),
    asking=frozenset(
        """quanto quanta quantos quantas custa custam preço preços custo valor sai fica pago
        cobra tempo duração idade horas hora horário horários quando dia data prazo onde
        morada endereço quem chama nome distância longe tamanho capacidade próximo próxima
        total portes é são posso podem pode há tem têm vocês fazem aceitam enviam vendem
        o a os as um uma de do da dos das para por com em no na nos nas que qual quais
        se me eu meu minha seu sua ao à""".split()  # noqa: SIM905
    ),
    total=(
        r"\bno total\b|\bao todo\b|\b(?:com|mais) (?:os )?portes\b|\benviad[oa]s? para\b"
        r"|\b(?:com|mais) (?:o )?envio\b"
    ),
    shipping=rf"{_SHIPPING_EN}|\b(?:portes|envio|entrega)\b",
    destination=(
        r"\bpara (?:a |o |os |as )?((?:zona \d+|[a-zà-ú]+(?: [a-zà-ú]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:e|com|incl|portes))"
    ),
    next=r"\bpróxim[oa]s?\b",
    current=r"\bagora\b|\batualmente\b|\bhoje em dia\b",
    until=r"\baté\b|\bfaltam\b",
    deadline=r"\baté quando\b|\búltimo dia\b|\bprazo\b",
    discount=rf"{_DISCOUNT_EN}|\bdesconto\b",
    counts={"dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6},
    phrases=Phrases(
        quoted='Eis o que {owner} escreveu sobre isso: "{quote}" [1]',
        as_of='Em {date}, {owner} escreveu: "{quote}" [1]',
        next='O próximo é {value}: "{quote}" [1]',
        total='Dá {total} ({first} + {second}): "{quote1}" [1] "{quote2}" [2]',
        deadline='É {date} ({span} desde {start}): "{quote}" [1]',
        share='Dá {result} ({percent} de {price}): "{quote1}" [1] "{quote2}" [2]',
        until='São {days} dias de hoje ({start}) até {date}: "{quote}" [1]',
        span='São {span} ({range}): "{quote}" [1]',
        date_format="%d/%m/%Y",
    ),
)
FRENCH = Cues(
    types=(
        (
            "yesno",
            r"^(?:est-ce que|puis-je|peut-on|y a-t-il|avez-vous|faites-vous|acceptez-vous"
            r"|livrez-vous|vendez-vous|êtes-vous|est-il|est-elle|les \w+ sont-ils)\b",
        ),
        ("duration", r"\bcombien de temps\b|\bdurée\b|\bcombien de (?:minutes|heures|jours)\b"),
        (
            "price",
            r"\bcombien (?:co[uû]te|co[uû]tent|faut-il payer)|\bprix\b|\btarifs?\b|\bfrais\b"
            r"|\bmontant\b",
        ),
        ("age", r"\bquel âge\b|\bâge minimum\b"),
        ("time", r"\bà quelle heure\b|\bhoraires?\b"),
        ("when", r"^quand\b|\bquand\b|\bquel jour\b|\bquelle date\b|\bdate limite\b"),
        ("place", r"\boù\b|\badresse\b"),
        ("name", r"\bqui\b|\bcomment s'appelle\b|\bnom d[eu]\b"),
        ("distance", r"\bdistance\b"),
        ("quantity", r"\bcombien de\b|\bquelle taille\b|\bcapacité\b"),
    ),
    asking=frozenset(
        """combien coûte coûtent prix tarif tarifs frais temps durée âge heure heures horaire
        horaires quand jour date limite où adresse qui appelle nom distance taille capacité
        prochain prochaine total payer faut est-ce que puis-je peut-on avez-vous faites-vous
        le la les un une des du de d l à au aux pour par avec en et que quel quelle quels
        quelles je j vous votre vos il elle on y est sont""".split()  # noqa: SIM905
    ),
    total=(
        r"\bau total\b|\ben tout\b|\b(?:avec|plus) (?:les )?frais de port\b|\benvoyée? en\b"
        r"|\bfrais de port compris\b|\blivrée?s? (?:au|en|aux|à)\b"
    ),
    shipping=rf"{_SHIPPING_EN}|\b(?:frais de port|livraison|envoi)\b",
    destination=(
        r"\b(?:en|vers|pour la|pour le|au|aux) (?!total\b)((?:zone \d+|[a-zà-ÿ]+(?: [a-zà-ÿ]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:et|avec|frais))"
    ),
    next=r"\bprochaine?s?\b",
    current=r"\bmaintenant\b|\bactuellement\b|\ben ce moment\b",
    until=r"\bavant\b|\bjusqu'(?:à|au)\b|\bd'ici\b",
    deadline=r"\bjusqu'à quand\b|\bdernier jour\b|\bdate limite\b",
    discount=rf"{_DISCOUNT_EN}|\bremise\b|\bréduction\b",
    counts={"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6},
    phrases=Phrases(
        quoted="Voici ce que {owner} a écrit à ce sujet : « {quote} » [1]",
        as_of="Au {date}, {owner} a écrit : « {quote} » [1]",
        next="Le prochain est {value} : « {quote} » [1]",
        total="Cela fait {total} ({first} + {second}) : « {quote1} » [1] « {quote2} » [2]",
        deadline="C'est le {date} ({span} après {start}) : « {quote} » [1]",
        share="Cela fait {result} ({percent} de {price}) : « {quote1} » [1] « {quote2} » [2]",
        until="Cela fait {days} jours d'aujourd'hui ({start}) au {date} : « {quote} » [1]",
        span="Cela fait {span} ({range}) : « {quote} » [1]",
        times="{count} x {price}",
        date_format="%d/%m/%Y",
    ),
)
GERMAN = Cues(
    types=(
        (
            "yesno",
            r"^(?:ist|sind|kann|können|gibt es|habt|haben|liefert|liefern|verkauft|verkaufen"
            r"|nehmt|nehmen|darf|dürfen|bietet|bieten)\b",
        ),
        ("duration", r"\bwie lange\b|\bdauer\b|\bwie viele (?:minuten|stunden|tage|wochen)\b"),
        (
            "price",
            r"\bwas kostet\b|\bwas kosten\b|\bwie viel kostet\b|\bpreis(?:e)?\b|\bgebühr"
            r"|\bversandkosten\b|\bbetrag\b",
        ),
        ("age", r"\bwie alt\b|\bmindestalter\b|\bab welchem alter\b"),
        ("time", r"\bum wie viel uhr\b|\bwann öffnet\b|\böffnungszeiten\b|\buhrzeit\b"),
        ("when", r"^wann\b|\bwann\b|\ban welchem tag\b|\bwelches datum\b|\bfrist\b|\bbis wann\b"),
        ("place", r"\bwo\b|\badresse\b"),
        ("name", r"\bwer\b|\bwie heißt\b|\bname\b"),
        ("distance", r"\bwie weit\b|\bentfernung\b"),
        ("quantity", r"\bwie viele?\b|\bwie groß\b|\banzahl\b|\bkapazität\b"),
    ),
    asking=frozenset(
        """was wie viel viele kostet kosten preis preise gebühr gebühren lange dauer alt alter
        mindestalter uhr uhrzeit öffnungszeiten wann tag datum frist bis wo adresse wer heißt
        name weit entfernung groß anzahl kapazität nächste nächster nächstes insgesamt ist sind
        kann können gibt es habt haben der die das den dem des ein eine einen einem für mit von
        zu zum zur im in an am auf und ich ihr euer eure sie mein meine""".split()  # noqa: SIM905
    ),
    total=(
        r"\binsgesamt\b|\bzusammen\b|\b(?:mit|plus|inklusive) (?:dem )?versand\b"
        r"|\bgeschickt nach\b"
    ),
    shipping=rf"{_SHIPPING_EN}|\b(?:versand|versandkosten|lieferung|porto)\b",
    destination=(
        r"\b(?:nach|in die|in den) ((?:zone \d+|[a-zäöüß]+(?: [a-zäöüß]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:und|mit|inkl))"
    ),
    next=r"\bnächste[nrs]?\b",
    current=r"\bjetzt\b|\baktuell\b|\bderzeit\b|\bmomentan\b",
    until=r"\bbis\b",
    deadline=r"\bbis wann\b|\bletzte[nr]? tag\b|\bfrist\b",
    discount=rf"{_DISCOUNT_EN}|\brabatt\b|\bnachlass\b",
    counts={"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6},
    phrases=Phrases(
        quoted="Das hat {owner} dazu geschrieben: „{quote}“ [1]",
        as_of="Stand {date} hat {owner} geschrieben: „{quote}“ [1]",
        next="Der nächste Termin ist {value}: „{quote}“ [1]",
        total="Das macht {total} ({first} + {second}): „{quote1}“ [1] „{quote2}“ [2]",
        deadline="Das ist der {date} ({span} ab {start}): „{quote}“ [1]",
        share="Das macht {result} ({percent} von {price}): „{quote1}“ [1] „{quote2}“ [2]",
        until="Das sind {days} Tage von heute ({start}) bis {date}: „{quote}“ [1]",
        span="Das sind {span} ({range}): „{quote}“ [1]",
        date_format="%d.%m.%Y",
    ),
)
SPANISH = Cues(
    types=(
        (
            "yesno",
            r"^¿?(?:es|son|puedo|pueden|hay|tienen|tiene|hacen|aceptan|envían|venden|ofrecen)\b",
        ),
        ("duration", r"\bcu[aá]nto tiempo\b|\bduración\b|\bcu[aá]ntos (?:minutos|horas|días)\b"),
        (
            "price",
            r"\bcu[aá]nto (?:cuesta|cuestan|vale|es|pago|cobran)\b|\bprecios?\b|\bcoste\b"
            r"|\bcosto\b|\bgastos de envío\b|\bimporte\b|\btarifas?\b",
        ),
        ("age", r"\bqu[eé] edad\b|\bedad mínima\b"),
        ("time", r"\ba qu[eé] hora\b|\bhorarios?\b"),
        ("when", r"^¿?cu[aá]ndo\b|\bcu[aá]ndo\b|\bqu[eé] d[ií]a\b|\bqu[eé] fecha\b|\bplazo\b"),
        ("place", r"\bd[oó]nde\b|\bdirección\b"),
        ("name", r"\bqui[eé]n(?:es)?\b|\bc[oó]mo se llama\b|\bnombre de\b"),
        ("distance", r"\bdistancia\b"),
        ("quantity", r"\bcu[aá]nt[oa]s\b|\bqu[eé] tamaño\b|\bcapacidad\b"),
    ),
    asking=frozenset(
        """cuánto cuanto cuánta cuántos cuántas cuesta cuestan vale precio precios coste costo
        tiempo duración edad hora horas horario horarios cuándo cuando día fecha plazo dónde
        donde dirección quién quiénes llama nombre distancia tamaño capacidad próximo próxima
        total gastos envío es son puedo pueden hay tienen tiene hacen aceptan envían venden
        ofrecen el la los las un una de del al para por con en y que qué cuál cuáles se me mi
        su sus tu tus""".split()  # noqa: SIM905
    ),
    total=r"\ben total\b|\b(?:con|más) (?:los )?gastos de envío\b|\benviad[oa]s? a\b",
    shipping=rf"{_SHIPPING_EN}|\b(?:envío|gastos de envío|entrega)\b",
    destination=(
        r"\ba (?:la |el )?((?:zona \d+|[a-zá-ú]+(?: [a-zá-ú]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:y|con|incl|gastos))"
    ),
    next=r"\bpróxim[oa]s?\b",
    current=r"\bahora\b|\bactualmente\b|\bhoy en día\b",
    until=r"\bhasta\b|\bfaltan\b",
    deadline=r"\bhasta cu[aá]ndo\b|\búltimo día\b|\bplazo\b",
    discount=rf"{_DISCOUNT_EN}|\bdescuento\b",
    counts={"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6},
    phrases=Phrases(
        quoted='Esto es lo que {owner} escribió sobre eso: "{quote}" [1]',
        as_of='A {date}, {owner} escribió: "{quote}" [1]',
        next='El próximo es {value}: "{quote}" [1]',
        total='Son {total} ({first} + {second}): "{quote1}" [1] "{quote2}" [2]',
        deadline='Es el {date} ({span} desde {start}): "{quote}" [1]',
        share='Son {result} ({percent} de {price}): "{quote1}" [1] "{quote2}" [2]',
        until='Son {days} días de hoy ({start}) al {date}: "{quote}" [1]',
        span='Son {span} ({range}): "{quote}" [1]',
        date_format="%d/%m/%Y",
    ),
)
LANGUAGES: dict[str, Cues] = {
    "en": ENGLISH,
    "pt": PORTUGUESE,
    "fr": FRENCH,
    "de": GERMAN,
    "es": SPANISH,
}


@dataclass(frozen=True)
class Asked:
    """What one question asks."""

    type: AnswerType
    subject: frozenset[str]  # content-word stems naming what it is about
    language: str
    wants_next: bool = False  # "when is the next ...": the first date from today
    wants_total: bool = False  # a price plus shipping, summed
    wants_deadline: bool = False  # a date counted from a date the question names
    destination: str = ""  # where a total's shipping is to ("zone 2", "france")
    wants_current: bool = False  # "now": the newest of rival values answers


def cues(language: str) -> Cues:
    """The table for ``language``, English when there is none."""
    return LANGUAGES.get(language, ENGLISH)


def read_question(
    question: str, *, language: str = "en", names: frozenset[str] = frozenset()
) -> Asked:
    """The answer type, subject and wants of ``question`` (``names``: the agent's and owner's,
    never a subject)."""
    table = cues(language)
    lowered = " ".join(question.lower().split())
    # The cue said first decides: "who looks after the stall when you teach?" asks a name;
    # after a dash, the part after it ("Liz asked where to start - how long is ...?").
    found = []
    for part in (lowered.rsplit(" - ", 1)[-1], lowered):
        found = [
            (match.start(), order, kind)
            for order, (kind, pattern) in enumerate(table.types)
            if (match := re.search(pattern, part)) is not None
        ]
        if found:
            break
    kind: AnswerType = min(found)[2] if found else "other"
    subject = frozenset(content_words(_asking_sentence(question), ignore=table.asking | names))
    # A total is a price whatever else the question says first ("to a UK address, what do I
    # pay in total?").
    prices = dict(table.types).get("price", "")
    wants_total = bool(prices) and all(re.search(p, lowered) for p in (table.total, prices))
    kind = "price" if wants_total else kind
    destination = ""
    if wants_total:
        places = re.findall(table.destination, lowered)  # the last "to ...": where it goes
        destination = places[-1] if places else ""
    return Asked(
        type=kind,
        subject=subject,
        language=language,
        wants_next=kind in ("when", "time") and re.search(table.next, lowered) is not None,
        wants_total=wants_total,
        wants_deadline=re.search(table.deadline, lowered) is not None,
        destination=destination,
        wants_current=bool(table.current) and re.search(table.current, lowered) is not None,
    )


def _asking_sentence(question: str) -> str:
    """The sentence that asks, when a message says more ("What's the address? I want to drop
    my bike off"): what the rest says is context, not what the answer must be about."""
    asking = [part for part in re.split(r"(?<=[.!?])\s+", question.strip()) if part.endswith("?")]
    return " ".join(asking) if asking else question
