"""Italian: the cue words of a member's question in Italian, and its reply phrases. Accents
are optional in the cues: members often leave them out ("perche", "cosi")."""

from __future__ import annotations

from townsquare.studio.conversation.cues.en import ENGLISH
from townsquare.studio.conversation.cues.table import Cues, Phrases, dateline_words

ITALIAN = Cues(
    types=(
        (
            "yesno",
            r"^(?:è|sono|posso|possiamo|potete|pu[oò]|c'[èe]|ci sono|avete|fate|accettate"
            r"|spedite|vendete|offrite)\b",
        ),
        ("duration", r"\bquanto (?:tempo|dura|durano)\b|\bdurata\b|\bquant[ei] (?:ore|giorni)\b"),
        (
            "price",
            r"\bquanto (?:costa|costano|viene|vengono|si paga|pago|fa)\b|\bcost(?:a|ano)\b"
            r"|\bprezz[oi]\b"
            r"|\bcosto\b|\btariff[ae]\b|\bspese di spedizione\b|\bin totale\b|\bimporto\b",
        ),
        ("age", r"\bquanti anni\b|\bche et[àa]\b|\bet[àa] minima\b|\bda che et[àa]\b"),
        ("time", r"\ba che ora\b|\bche ora\b|\borari[oi]?\b"),
        ("when", r"^quando\b|\bquando\b|\bche giorno\b|\bquale giorno\b|\bche data\b|\bentro\b"),
        ("place", r"\bdove\b|\bindirizzo\b"),
        ("name", r"\bchi\b|\bcome si chiama\b|\bcome si chiamano\b|\bnome d[ei]l?\b"),
        ("distance", r"\bdistanza\b|\bquanto lontano\b"),
        ("quantity", r"\bquant[ie]\b|\bquanta\b|\bche dimensioni\b|\bcapienza\b"),
    ),
    asking=frozenset(
        """quanto quanta quanti quante costa costano viene vengono paga pago prezzo prezzi costo
        tariffa tariffe tempo dura durano durata ore ora orario orari anni età eta minima
        quando giorno data entro dove indirizzo chi chiama chiamano nome distanza lontano
        dimensioni capienza prossimo prossima totale spese è e sono posso possiamo potete può
        puo avete fate accettate spedite vendete offrite il lo la i gli le un uno una di del
        della dei delle al alla per con in nel nella da che quale quali si mi io mio mia vostro
        vostra vostri tuo tua suo sua adesso ora ciao""".split()  # noqa: SIM905
    ),
    total=(
        r"\bin totale\b|\bin tutto\b|\b(?:con|pi[uù]) (?:le )?spese di spedizione\b"
        r"|\bspedit[oaie] (?:in|a)\b|\b(?:con|pi[uù]) (?:la )?spedizione\b"
    ),
    shipping=rf"{ENGLISH.shipping}|\b(?:spedizione|spese di spedizione|consegna)\b",
    destination=(
        r"\b(?:in|a|per l'|per la|per il) ((?:zona \d+|[a-zà-ù]+(?: [a-zà-ù]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:e|con|spese))"
    ),
    next=r"\bprossim[oaie]\b",
    current=r"\badesso\b|\battualmente\b|\bin questo momento\b|\boggigiorno\b",
    until=r"\bfino a[l]?\b|\bmancano\b",
    us=r"\bnoi\b",
    deadline=r"\bfino a quando\b|\bentro quando\b|\bultimo giorno\b|\bscadenza\b",
    discount=rf"{ENGLISH.discount}|\bsconto\b",
    counts={"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6},
    together=r"\s(?:pi[uù]|e|insieme a)\s",
    two_people=r"\bio e (?:il mio|la mia|mi[oa]) \w+\b|\bnoi due\b|\bin due\b",
    today="oggi",
    dateline=dateline_words("it", "pubblicato pubblicata aggiornato aggiornata scritto il del di"),
    phrases=Phrases(
        quoted="Ecco cosa ha scritto {owner} in proposito: «{quote}» [1]",
        as_of="Al {date}, {owner} ha scritto: «{quote}» [1]",
        next="Il prossimo è {value}: «{quote}» [1]",
        total="Fa {total} ({first} + {second}): «{quote1}» [1] «{quote2}» [2]",
        deadline="È il {date} ({span} dal {start}): «{quote}» [1]",
        ahead="È il {date} ({span} prima del {start}): «{quote}» [1]",
        share="Fa {result} ({percent} di {price}): «{quote1}» [1] «{quote2}» [2]",
        product="Fa {total} ({first}): «{quote}» [1]",
        until="Sono {days} giorni da oggi ({start}) al {date}: «{quote}» [1]",
        span="Sono {span} ({range}): «{quote}» [1]",
        date_format="%d/%m/%Y",
    ),
)
