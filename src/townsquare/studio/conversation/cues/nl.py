"""Dutch: the cue words of a member's question in Dutch, and its reply phrases."""

from __future__ import annotations

from townsquare.studio.conversation.cues.en import ENGLISH
from townsquare.studio.conversation.cues.table import Cues, Phrases, dateline_words

DUTCH = Cues(
    types=(
        (
            "yesno",
            r"^(?:is|zijn|kan|kunnen|mag|mogen|heb|hebben|hebt|heeft|doen|doe|verkopen|verkoop"
            r"|versturen|verstuur|bezorgen|accepteren|bieden|zit|zitten)\b",
        ),
        (
            "duration",
            r"\bhoe lang\b|\bduur\b|\bhoeveel (?:minuten|uur|uren|dagen|weken|tijd)\b",
        ),
        (
            "price",
            r"\bwat kost\b|\bwat kosten\b|\bhoeveel kost\b|\bprijs\b|\bprijzen\b|\bkosten\b"
            r"|\btarie[fv]\b|\bverzendkosten\b|\bin totaal\b|\bbedrag\b",
        ),
        ("age", r"\bhoe oud\b|\bminimumleeftijd\b|\bleeftijd\b|\bvanaf welke leeftijd\b"),
        ("time", r"\bhoe laat\b|\bhoe vroeg\b|\bopeningstijden\b|\btijdstip\b"),
        ("when", r"^wanneer\b|\bwanneer\b|\bwelke dag\b|\bwelke datum\b|\btot wanneer\b"),
        ("place", r"\bwaar\b|\badres\b"),
        ("name", r"\bwie\b|\bhoe heet\b|\bhoe heten\b|\bnaam van\b"),
        ("distance", r"\bhoe ver\b|\bafstand\b"),
        ("quantity", r"\bhoeveel\b|\bhoe groot\b|\baantal\b|\bcapaciteit\b"),
    ),
    asking=frozenset(
        """wat hoeveel kost kosten prijs prijzen tarief tarieven lang duur minuten uur uren dagen
        weken tijd oud leeftijd minimumleeftijd laat vroeg openingstijden tijdstip wanneer dag
        datum tot waar adres wie heet heten naam ver afstand groot aantal capaciteit volgende
        totaal verzendkosten is zijn kan kunnen mag mogen heb hebben hebt heeft doen doe de het
        een van voor met in op aan bij en ik je jij jullie u uw jouw mijn er nu eigenlijk
        welke""".split()  # noqa: SIM905
    ),
    total=(
        r"\bin totaal\b|\balles samen\b|\b(?:met|plus|inclusief) (?:de )?verzend(?:ing|kosten)\b"
        r"|\bverstuurd naar\b|\bopgestuurd naar\b"
    ),
    shipping=rf"{ENGLISH.shipping}|\b(?:verzending|verzendkosten|bezorging|porto)\b",
    destination=(
        r"\bnaar ((?:zone \d+|[a-zäëïöü]+(?: [a-zäëïöü]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:en|met|incl))"
    ),
    next=r"\bvolgende\b|\beerstvolgende\b",
    current=r"\bnu\b|\bmomenteel\b|\btegenwoordig\b|\bop dit moment\b",
    until=r"\btot\b",
    us=r"\bons\b|\bwij\b",
    deadline=r"\btot wanneer\b|\blaatste dag\b|\buiterste datum\b",
    discount=rf"{ENGLISH.discount}|\bkorting\b",
    counts={"twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6},
    together=r"\s(?:plus|en|samen met)\s",
    two_people=r"\bik en (?:mijn) \w+\b|\bwij (?:met )?(?:z'n )?twee[ëe]n\b|\bmet z'n twee[ëe]n\b",
    today="vandaag",
    dateline=dateline_words("nl", "geplaatst gepubliceerd bijgewerkt geschreven op de van"),
    phrases=Phrases(
        quoted='Dit schreef {owner} erover: "{quote}" [1]',
        as_of='Op {date} schreef {owner}: "{quote}" [1]',
        next='De volgende is {value}: "{quote}" [1]',
        total='Dat is {total} ({first} + {second}): "{quote1}" [1] "{quote2}" [2]',
        deadline='Dat is {date} ({span} vanaf {start}): "{quote}" [1]',
        ahead='Dat is {date} ({span} vóór {start}): "{quote}" [1]',
        share='Dat is {result} ({percent} van {price}): "{quote1}" [1] "{quote2}" [2]',
        product='Dat is {total} ({first}): "{quote}" [1]',
        until='Dat is {days} dagen van vandaag ({start}) tot {date}: "{quote}" [1]',
        span='Dat is {span} ({range}): "{quote}" [1]',
        date_format="%d-%m-%Y",
    ),
)
