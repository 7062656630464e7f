"""Spanish: the cue words of a member's question in Spanish, and its reply phrases."""

from __future__ import annotations

from townsquare.studio.conversation.cues.en import ENGLISH
from townsquare.studio.conversation.cues.table import Cues, Phrases, dateline_words

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
    shipping=rf"{ENGLISH.shipping}|\b(?:envío|gastos de envío|entrega)\b",
    destination=(
        r"\ba (?:la |el )?((?:zona \d+|[a-zá-ú]+(?: [a-zá-ú]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:y|con|incl|gastos))"
    ),
    next=r"\bpróxim[oa]s?\b",
    current=r"\bahora\b|\bactualmente\b|\bhoy en día\b",
    until=r"\bhasta\b|\bfaltan\b",
    us=r"\bnosotr[oa]s\b",
    deadline=r"\bhasta cu[aá]ndo\b|\búltimo día\b|\bplazo\b",
    discount=rf"{ENGLISH.discount}|\bdescuento\b",
    counts={"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6},
    together=r"\s(?:más|y)\s",
    two_people=r"\byo y (?:mi) \w+\b|\bnosotr[oa]s dos\b",
    today="hoy",
    dateline=dateline_words(
        "es", "publicado publicada actualizado actualizada escrito el de del a las fecha"
    ),
    phrases=Phrases(
        quoted='Esto es lo que {owner} escribió sobre eso: "{quote}" [1]',
        as_of='A {date}, {owner} escribió: "{quote}" [1]',
        next='El próximo es {value}: "{quote}" [1]',
        total='Son {total} ({first} + {second}): "{quote1}" [1] "{quote2}" [2]',
        deadline='Es el {date} ({span} desde {start}): "{quote}" [1]',
        ahead='Es el {date} ({span} antes del {start}): "{quote}" [1]',
        share='Son {result} ({percent} de {price}): "{quote1}" [1] "{quote2}" [2]',
        product='Son {total} ({first}): "{quote}" [1]',
        until='Son {days} días de hoy ({start}) al {date}: "{quote}" [1]',
        span='Son {span} ({range}): "{quote}" [1]',
        date_format="%d/%m/%Y",
    ),
)
