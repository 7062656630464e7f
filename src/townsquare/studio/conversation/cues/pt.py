"""Portuguese: the cue words of a member's question in Portuguese, and its reply phrases."""

from __future__ import annotations

from townsquare.studio.conversation.cues.en import ENGLISH
from townsquare.studio.conversation.cues.table import Cues, Phrases, dateline_words

PORTUGUESE = Cues(
    types=(
        ("yesno", r"^(?:é|são|posso|podem|pode|há|tem|têm|vocês|fazem|aceitam|enviam|vendem)\b"),
        ("duration", r"\bquanto tempo\b|\bduração\b|\bquantos (?:minutos|horas|dias|semanas)\b"),
        (
            "price",
            r"\bquanto (?:custa|custam|é|sai|fica|pago|cobra)\b|\bpreços?\b|\bcusto\b|\bvalor\b"
            r"|\b(?:t[aá]|est[aá]) quanto\b"
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
    shipping=rf"{ENGLISH.shipping}|\b(?:portes|envio|entrega)\b",
    destination=(
        r"\bpara (?:a |o |os |as )?((?:zona \d+|[a-zà-ú]+(?: [a-zà-ú]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:e|com|incl|portes))"
    ),
    next=r"\bpróxim[oa]s?\b",
    current=r"\bagora\b|\batualmente\b|\bhoje em dia\b",
    until=r"\baté\b|\bfaltam\b",
    us=r"\bnós\b",
    deadline=r"\baté quando\b|\búltimo dia\b|\bprazo\b",
    discount=rf"{ENGLISH.discount}|\bdesconto\b",
    counts={"dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6},
    together=r"\s(?:mais|e)\s",
    two_people=r"\beu e (?:o |a )?(?:meu|minha) \w+\b|\bnós dois\b|\bnós duas\b",
    today="hoje",
    dateline=dateline_words(
        "pt", "publicado publicada atualizado atualizada escrito em de do a data"
    ),
    phrases=Phrases(
        quoted='Eis o que {owner} escreveu sobre isso: "{quote}" [1]',
        as_of='Em {date}, {owner} escreveu: "{quote}" [1]',
        next='O próximo é {value}: "{quote}" [1]',
        total='Dá {total} ({first} + {second}): "{quote1}" [1] "{quote2}" [2]',
        deadline='É {date} ({span} desde {start}): "{quote}" [1]',
        ahead='É {date} ({span} antes de {start}): "{quote}" [1]',
        share='Dá {result} ({percent} de {price}): "{quote1}" [1] "{quote2}" [2]',
        product='Dá {total} ({first}): "{quote}" [1]',
        until='São {days} dias de hoje ({start}) até {date}: "{quote}" [1]',
        span='São {span} ({range}): "{quote}" [1]',
        date_format="%d/%m/%Y",
    ),
)
