"""French: the cue words of a member's question in French, and its reply phrases."""

from __future__ import annotations

from townsquare.studio.conversation.cues.en import ENGLISH
from townsquare.studio.conversation.cues.table import Cues, Phrases, dateline_words

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
    shipping=rf"{ENGLISH.shipping}|\b(?:frais de port|livraison|envoi)\b",
    destination=(
        r"\b(?:en|vers|pour la|pour le|au|aux) (?!total\b)((?:zone \d+|[a-zà-ÿ]+(?: [a-zà-ÿ]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:et|avec|frais))"
    ),
    next=r"\bprochaine?s?\b",
    current=r"\bmaintenant\b|\bactuellement\b|\ben ce moment\b",
    until=r"\bavant\b|\bjusqu'(?:à|au)\b|\bd'ici\b",
    us=r"\bnous\b",
    deadline=r"\bjusqu'à quand\b|\bdernier jour\b|\bdate limite\b",
    discount=rf"{ENGLISH.discount}|\bremise\b|\bréduction\b",
    counts={"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6},
    together=r"\s(?:plus|et)\s",
    two_people=r"\bmoi et (?:mon|ma) \w+\b|\bnous deux\b",
    today="aujourd'hui",
    dateline=dateline_words("fr", "publie publiee mis a jour ecrit le du de"),
    phrases=Phrases(
        quoted="Voici ce que {owner} a écrit à ce sujet : « {quote} » [1]",
        as_of="Au {date}, {owner} a écrit : « {quote} » [1]",
        next="Le prochain est {value} : « {quote} » [1]",
        total="Cela fait {total} ({first} + {second}) : « {quote1} » [1] « {quote2} » [2]",
        deadline="C'est le {date} ({span} après {start}) : « {quote} » [1]",
        ahead="C'est le {date} ({span} avant le {start}) : « {quote} » [1]",
        share="Cela fait {result} ({percent} de {price}) : « {quote1} » [1] « {quote2} » [2]",
        times="{count} x {price}",
        product="Cela fait {total} ({first}) : « {quote} » [1]",
        until="Cela fait {days} jours d'aujourd'hui ({start}) au {date} : « {quote} » [1]",
        span="Cela fait {span} ({range}) : « {quote} » [1]",
        date_format="%d/%m/%Y",
    ),
)
