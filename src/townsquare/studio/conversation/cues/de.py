"""German: the cue words of a member's question in German, and its reply phrases."""

from __future__ import annotations

from townsquare.studio.conversation.cues.en import ENGLISH
from townsquare.studio.conversation.cues.table import Cues, Phrases, dateline_words

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
    shipping=rf"{ENGLISH.shipping}|\b(?:versand|versandkosten|lieferung|porto)\b",
    destination=(
        r"\b(?:nach|in die|in den) ((?:zone \d+|[a-zäöüß]+(?: [a-zäöüß]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:und|mit|inkl))"
    ),
    next=r"\bnächste[nrs]?\b",
    current=r"\bjetzt\b|\baktuell\b|\bderzeit\b|\bmomentan\b",
    until=r"\bbis\b",
    us=r"\buns\b",
    deadline=r"\bbis wann\b|\bletzte[nr]? tag\b|\bfrist\b",
    discount=rf"{ENGLISH.discount}|\brabatt\b|\bnachlass\b",
    counts={"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6},
    together=r"\s(?:plus|und)\s",
    two_people=r"\bich und (?:mein|meine) \w+\b|\bwir (?:zwei|beide)\b",
    today="heute",
    dateline=dateline_words(
        "de", "veroffentlicht veroeffentlicht aktualisiert geschrieben gepostet am den vom stand"
    ),
    phrases=Phrases(
        quoted="Das hat {owner} dazu geschrieben: „{quote}“ [1]",
        as_of="Stand {date} hat {owner} geschrieben: „{quote}“ [1]",
        next="Der nächste Termin ist {value}: „{quote}“ [1]",
        total="Das macht {total} ({first} + {second}): „{quote1}“ [1] „{quote2}“ [2]",
        deadline="Das ist der {date} ({span} ab {start}): „{quote}“ [1]",
        ahead="Das ist der {date} ({span} vor dem {start}): „{quote}“ [1]",
        share="Das macht {result} ({percent} von {price}): „{quote1}“ [1] „{quote2}“ [2]",
        product="Das macht {total} ({first}): „{quote}“ [1]",
        until="Das sind {days} Tage von heute ({start}) bis {date}: „{quote}“ [1]",
        span="Das sind {span} ({range}): „{quote}“ [1]",
        date_format="%d.%m.%Y",
    ),
)
