"""Polish: the cue words of a member's question in Polish, and its reply phrases. Members often
leave the diacritics out ("ile kosztuje sloik"), so the cues accept both spellings."""

from __future__ import annotations

from townsquare.studio.conversation.cues.en import ENGLISH
from townsquare.studio.conversation.cues.table import Cues, Phrases, dateline_words

POLISH = Cues(
    types=(
        (
            "yesno",
            r"^(?:czy|jest|s[aą]|mog[eę]|mo[zż]na|macie|masz|wysy[lł]acie|sprzedajecie"
            r"|przyjmujecie|oferujecie)\b",
        ),
        (
            "duration",
            r"\bjak d[lł]ugo\b|\bile (?:trwa|trwaj[aą]|czasu|godzin|minut|dni)\b|\bczas trwania\b",
        ),
        (
            "price",
            r"\b(?:ile (?:\w+ )?)?(?:kosztuj|kosztowa)\w*|\bile (?:p[lł]ac[eę]|za)\b|\bcen[ayęo]\b"
            r"|\bkoszt\b|\bkoszty wysy[lł]ki\b|\b[lł][aą]cznie\b|\bop[lł]at[ay]\b",
        ),
        ("age", r"\bile lat\b|\bw jakim wieku\b|\bod jakiego wieku\b|\bminimalny wiek\b"),
        ("time", r"\bo kt[oó]rej\b|\bkt[oó]ra godzina\b|\bgodziny otwarcia\b|\bgodzin[ay]\b"),
        ("when", r"^kiedy\b|\bkiedy\b|\bkt[oó]rego dnia\b|\bjakiego dnia\b|\bdo kiedy\b"),
        ("place", r"\bgdzie\b|\badres\b"),
        ("name", r"\bkto\b|\bjak si[eę] nazywa\b|\bjak ma na imi[eę]\b|\bnazwa\b"),
        ("distance", r"\bjak daleko\b|\bodleg[lł]o[sś][cć]\b"),
        ("quantity", r"\bile\b|\bjak du[zż]\w*\b|\bliczba\b|\bpojemno[sś][cć]\b"),
    ),
    asking=frozenset(
        """ile kosztuje kosztuja kosztują kosztował kosztowal płacę place cena ceny cenę koszt
        koszty opłata oplata jak długo dlugo trwa trwają trwaja czasu godzin godzina godziny
        minut dni lat wieku wiek minimalny o której ktorej kiedy dnia jakiego którego ktorego
        do gdzie adres kto nazywa imię imie nazwa daleko odległość odleglosc duży duzy liczba
        pojemność pojemnosc następny nastepny następna nastepna łącznie lacznie wysyłki
        wysylki czy jest są sa mogę moge można mozna macie masz w we z ze na za i a o od po
        dla to ten ta te się sie mi mój moj moja wasz wasza wasze twój twoj teraz jaki jaka
        jakie który ktory która ktora""".split()  # noqa: SIM905
    ),
    total=(
        r"\b[lł][aą]cznie\b|\brazem\b|\bw sumie\b|\bz (?:kosztami )?wysy[lł]k[aą]\b"
        r"|\bz dostaw[aą]\b|\bwys[lł]an[ey]\w* do\b"
    ),
    shipping=rf"{ENGLISH.shipping}|\b(?:wysy[lł]k[aiy]|dostaw[aey]|przesy[lł]k[aiy])\b",
    destination=(
        r"\bdo ((?:strefy \d+|[a-ząćęłńóśźż]+(?: [a-ząćęłńóśźż]+)?))"
        r"(?=\s*(?:$|[,.?!;])| (?:i|z|razem))"
    ),
    next=r"\bnast[eę]pn[yaeio]\w*\b|\bnajbli[zż]sz\w*\b",
    current=r"\bteraz\b|\bobecnie\b|\baktualnie\b|\bw tej chwili\b",
    until=r"\bdo\b|\bzostało\b",
    us=r"\bnas\b",
    deadline=r"\bdo kiedy\b|\bostatni dzie[nń]\b|\btermin\b",
    discount=rf"{ENGLISH.discount}|\brabat\b|\bzni[zż]k[aię]\b",
    counts={"dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4, "pięć": 5, "sześć": 6},
    together=r"\s(?:plus|i|oraz|razem z)\s",
    two_people=r"\bja i (?:m[oó]j|moja) \w+\b|\bwe dw[oó]jk[eę]\b|\bdwie osoby\b",
    today="dzisiaj",
    dateline=dateline_words("pl", "opublikowano opublikowany zaktualizowano napisano dnia"),
    phrases=Phrases(
        quoted="Oto, co {owner} napisał(a) na ten temat: „{quote}” [1]",
        as_of="Według wpisu z {date} {owner} napisał(a): „{quote}” [1]",
        next="Najbliższy termin to {value}: „{quote}” [1]",
        total="Razem {total} ({first} + {second}): „{quote1}” [1] „{quote2}” [2]",
        deadline="To {date} ({span} od {start}): „{quote}” [1]",
        ahead="To {date} ({span} przed {start}): „{quote}” [1]",
        share="To {result} ({percent} z {price}): „{quote1}” [1] „{quote2}” [2]",
        product="Razem {total} ({first}): „{quote}” [1]",
        until="To {days} dni od dziś ({start}) do {date}: „{quote}” [1]",
        span="To {span} ({range}): „{quote}” [1]",
        date_format="%d.%m.%Y",
    ),
)
