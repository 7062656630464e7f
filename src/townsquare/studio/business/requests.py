"""What a customer's message asks a business agent to do, recognised without the model, in each
language the shop serves (en/pt/fr/de/es/it/nl/pl): a return, a refund or an exchange, cancelling an
order, the state of an order, the list of orders, and booking, moving or cancelling an
appointment or asking which slots are free.

A 135M model picks the wrong tool for these often (a refund answered by ``cancel_appointment``),
and nothing else is meant by "I'd like to return order R-3103" or "quero cancelar a encomenda".
Only the tool is recognised here; which order, booking or slot it is about comes from the
customer's records (``arguments``). A message that asks none of these (a question about the
catalog, the FAQ, a greeting) is left to the routing and the model.

Each request is one pattern per language joined into one expression; adding a language is
adding its words to each. A request verb misspelt by one letter left out, added or swapped
("cancle", "refnd", "storniern") is read as the verb (``KEYWORDS``); a letter changed is not,
as that makes another word ("cancer").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import OSA, Levenshtein

from townsquare.studio.business.arguments import ORDER_NUMBER
from townsquare.studio.business.clock import shift
from townsquare.studio.business.days import is_time_word
from townsquare.studio.business.services import names_a_service


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


# "change it for the 35 cm one", "replace it with a bigger one", "in another size": an item
# given back for another is an exchange, whatever the verb.
_FOR_ANOTHER = (
    r"(?!\s+(?:my|the|your|our)?\s*(?:delivery\s+|shipping\s+)?(?:address|date|time|day|name"
    r"|e-?mail|phone|password|mind|plans?)\b)(?:\s+[\w'-]+){0,6}?\s+"
)
EXCHANGE = _words(
    r"\b(?:exchange|swap)\w*\b",
    rf"\bchang\w*{_FOR_ANOTHER}for\s+(?:an?|the|one|another|\d)|\breplac\w*{_FOR_ANOTHER}with\b"
    r"|\b(?:a|in|for)\s+(?:different|another|other)\s+(?:size|colou?r)\b",
    r"\btroca[rs]?\b|\btrocá-l[oa]\b",
    rf"\béchange[rsz]?\b|\bchang\w*{_FOR_ANOTHER}contre\b",
    r"\bumtausch\w*\b|\btausch\w*\b",
    rf"\bcambi(?:ar|o)\b|\bcambiarl[oa]\b|\bcambi\w*{_FOR_ANOTHER}por\b",
    r"\bcambiare\b|\bsostitu\w*\b",
    r"\bom(?:te)?ruil\w*\b|\bruilen\b",
    r"\bwymian\w*\b|\bwymieni\w*\b",
)
RETURN = _words(
    r"\breturn(?:ing)?\b|\bsend\b(?:\s+[\w-]+){0,3}\s+back\b|\brefund\b|\bmoney back\b",
    r"\bdevolv\w*\b|\bdevolução\b|\breembols\w*\b",
    r"\bretourn\w*\b|\brenvoy\w*\b|\brembours\w*\b",
    r"\bzurück(?:geben|schicken|senden)\b|\brückerstattung\b|\brückgabe\b",
    r"\bdevoluci[oó]n\b",
    r"\breso\b|\brestitu\w*\b|\brimbors\w*\b|\bsoldi indietro\b",
    r"\bretour\w*\b|\bterug(?:sturen|geven|betal\w*)\b|\bgeld terug\b",
    r"\bzwr[oó]\w*\b|\bodesła\w*\b",
)
CANCEL = _words(
    r"\bcancel\w*\b|\bcall off\b",
    r"\bcancela\w*\b|\bdesmarca\w*\b",
    r"\bannul\w*\b",
    r"\bstorn\w*\b|\babsag\w*\b|\babsagen\b",
    r"\bdisdi\w*\b",
    r"\bafzeggen\b",
    r"\banul\w*\b|\bodwoła\w*\b",
)
MOVE = _words(
    r"\bmove\b|\bmoving\b|\breschedul\w*\b|\bchange the (?:date|time|day)\b|\bpostpone\b"
    r"|\bchange\b|\bswitch\w*\b|\b(?:go|be)\s+(?:to|on)\b[^.?!]{0,60}\binstead\b"
    r"|\b(?:push|put)\w*\b(?:\s+\S+){0,10}?\s+(?:back|forward)\b"
    r"|\b(?:bring|brought)\b(?:\s+\S+){0,10}?\s+forward\b",
    r"\bmudar\b|\btrocar\b|\bremarcar\b|\badiar\b|\balterar\b|\bpassar\b",
    r"\bdéplacer\b|\bmodifier\b|\breporter\b|\bdécaler\b|\bchanger\b",
    r"\bverschieben\b|\bändern\b|\bumbuchen\b|\bverlegen\b",
    r"\bmover\b|\bcambiar\b|\bcambiar la (?:fecha|hora)\b|\baplazar\b|\breprogramar\b"
    r"|\bpasar\b",
    r"\bspostar\w*\b|\bcambiare\b|\brimandar\w*\b|\banticipar\w*\b",
    r"\bverzet\w*\b|\bwijzigen\b|\bverplaats\w*\b|\bverschuiv\w*\b",
    r"\bprzenie\w*\b|\bprzełoż\w*\b",
)
# "On Friday instead": about a booking the customer holds, a move (unless they book another).
INSTEAD = _words(
    r"\binstead\b|\bà la place\b|\bplutôt\b|\ben (?:su )?lugar\b|\ben vez\b|\bem vez\b"
    r"|\bstattdessen\b|\binvece\b|\bin plaats\b|\bzamiast\b"
)
BOOK = _words(
    r"\bbook\w*\b|\breserve\b|\bmake an appointment\b|\bschedule\b",
    r"\bmarcar\b|\breservar\b|\bagendar\b",
    r"\bréserv\w*\b|\bprendre (?:un )?rendez-vous\b",
    r"\bbuchen\b|\breservieren\b|\beinen termin\b",
    r"\bpedir (?:una )?cita\b",
    r"\bprenot\w*\b|\bfissare un appuntamento\b",
    r"\bboeken\b|\breserveren\b|\bafspraak maken\b",
    r"\bzarezerw\w*\b|\bumówić\b",
)
APPOINTMENT = _words(
    r"\bappointments?\b|\bbookings?\b|\bslots?\b",
    r"\bmarcação\b|\bagendamento\b|\bhorário\b|\bconsulta\b",
    r"\brendez-vous\b|\bcréneau\w*\b|\brdv\b",
    r"\btermin\w*\b",
    r"\bcita\b|\bhueco\b|\breserva\b|\bturno\b",
    r"\bappuntament[oi]\b|\bprenotazion[ei]\b",
    r"\bafspra(?:ak|ken)\b|\breservering\w*\b",
    r"\bwizyt\w*\b|\brezerwacj\w*\b",
)
FREE_SLOTS = _words(
    r"\b(?:free|available|open)\s+(?:slots?|times?|appointments?|dates?)\b"
    r"|\b(?:free|available)\s+[\w-]+\s+(?:slots?|appointments?|dates?)\b"
    r"|\bwhen can i (?:come|bring|book|drop)\b|\bany (?:free )?(?:slots?|appointments?)\b"
    r"|\b(?:slots?|times?|appointments?)\b[\w\s]{0,12}\b(?:free|available)\b"
    r"|\b(?:anything|something|any\s*time|a time)\s+(?:free|available)\b",
    r"\bhorários? (?:livres?|disponíveis)\b|\bquando posso (?:ir|levar|trazer|marcar)\b"
    r"|\bpróxim[oa] (?:horário|vaga|marcação)\b",
    r"\bcréneaux (?:libres|disponibles)\b|\bquand (?:puis-je|est-ce que je peux) (?:venir|passer)"
    r"|\bprochain créneau\b",
    r"\bfreie termine\b|\bwann kann ich (?:kommen|vorbeikommen)\b|\bnächste[nr]? freie[nr]? termin",
    r"\bhuecos libres\b|\bcitas disponibles\b|\bcuándo puedo (?:ir|llevar|pasar)\b"
    r"|\bpróxim[oa] (?:cita|hora|hueco) (?:libre|disponible)\b",
    r"\borari liberi\b|\bquando posso (?:venire|portare|passare)\b"
    r"|\bprossimo (?:orario|appuntamento) (?:libero|disponibile)\b",
    r"\bvrije (?:tijden|afspraken|plekken)\b|\bwanneer kan ik (?:langskomen|komen)\b",
    r"\bwoln\w* termin\w*\b|\bkiedy mogę (?:przyjść|przyjechać)\b",
    # "Which times are still free on Saturday?", in each language.
    r"\b(?:which|what) times\b[^.?!]*\b(?:free|available|open)\b"
    r"|\bquais (?:horários|horas)\b[^.?!]*\b(?:livres?|disponíveis)\b"
    r"|\bquel(?:le)?s (?:heures|horaires|créneaux)\b[^.?!]*\b(?:libres?|disponibles?)\b"
    r"|\bwelche (?:zeiten|uhrzeiten|termine)\b[^.?!]*\b(?:frei|verfügbar)\b"
    r"|\bqu[ée] (?:horas|huecos)\b[^.?!]*\b(?:libres?|disponibles?)\b"
    r"|\bquali orari\b[^.?!]*\b(?:liberi|disponibili)\b"
    r"|\bwelke (?:tijden|tijdstippen)\b[^.?!]*\b(?:vrij|beschikbaar)\b"
    r"|\bktóre godziny\b[^.?!]*\b(?:woln\w*|dostępn\w*)\b",
)
# A word that asks whether something is free, or when the next one is, in each language.
AVAILABLE = _words(
    r"free|available|next|earliest|soonest|vacanc\w*|openings?",
    r"livres?|disponíve(?:l|is)|próxim[oa]s?",
    r"libres?|disponibles?|prochaine?s?",
    r"frei\w*|verfügbar\w*|nächst\w*",
    r"disponibles?|próxim[oa]s?",
    r"liber[oaie]|disponibil[ei]|prossim[oaie]",
    r"vrij\w*|beschikbaar|volgende|eerstvolgende",
    r"woln\w*|dostępn\w*|najbliższ\w*",
)
# What is asked to be free: besides an appointment or a service, "the next availability" and
# "what times are free" ("welke tijden zijn er nog vrij", "¿qué horas tenéis libres?").
OPENING = _words(
    r"availability|disponibilidade|disponibilité|verfügbarkeit|disponibilidad|disponibilità"
    r"|beschikbaarheid|dostępność",
    r"times|horários|horaires|heures|zeiten|uhrzeiten|horas|orari|tijden|tijdstippen|godziny",
)
NEAR = 3  # words between an availability word and the service it is about
ORDER = _words(
    r"\borders?\b|\bparcels?\b|\bpackages?\b|\bdelivery\b",
    r"\bencomendas?\b|\bpedidos?\b",
    r"\bcommandes?\b|\bcolis\b",
    r"\bbestellung(?:en)?\b|\bpaket\b|\blieferung\b",
    r"\bordin[ei]\b|\bpacco\b",
    r"\bbestelling(?:en)?\b|\bpakket\b|\bpakje\b",
    r"\bzamówieni\w*\b|\bpaczk\w*\b|\bprzesyłk\w*\b",
)
WHERE = _words(
    r"\bwhere(?:'s| is)\b|\bstatus\b|\btrack\w*\b|\bhas it (?:shipped|arrived)\b"
    r"|\bwhat(?:'s| is) in\b|\bdid you (?:get|receive)\b|\barrived?\b",
    r"\bonde está\b|\bestado\b|\brecebera?m\b|\bchegou\b",
    r"\boù en est\b|\boù est\b|\bsuivi\b|\breçu\b",
    r"\bwo ist\b|\bwo bleibt\b|\bstand\b|\bangekommen\b",
    r"\bd[oó]nde está\b|\bseguimiento\b|\brecibieron\b",
    r"\bdov'è\b|\bdove si trova\b|\btracciamento\b",
    r"\bwaar is\b|\bwaar blijft\b",
    r"\bgdzie jest\b|\bśledz\w*\b",
)
RECEIVED = _words(
    r"\bdid you (?:get|receive)\b|\bhave you (?:got|received)\b|\bwas it received\b",
    r"\brecebera?m\b|\bchegou\b",
    r"\bavez-vous reçu\b|\bvous avez reçu\b",
    r"\bhaben sie\b.*\b(?:erhalten|bekommen)\b",
    r"\brecibieron\b|\bhan recibido\b",
    r"\bavete ricevuto\b",
    r"\b(?:hebben jullie|heeft u)\b.*\bontvangen\b",
    r"\botrzymali\w*\b",
)
LIST = _words(
    r"\b(?:which|what|my|all)\s+(?:\w+\s+)?orders\b",
    r"\b(?:minhas|quais) encomendas\b|\bmeus pedidos\b",
    r"\bmes commandes\b|\bquelles commandes\b",
    r"\bmeine bestellungen\b|\bwelche bestellungen\b",
    r"\bmis pedidos\b|\bqué pedidos\b",
    r"\bi miei ordini\b|\bquali ordini\b",
    r"\bmijn bestellingen\b|\bwelke bestellingen\b",
    r"\bmoje zamówienia\b|\bjakie zamówienia\b",
)

# "When is my appointment?", "what day is our shoot again?", "hoe laat was mijn les?", "¿qué
# día era mi clase?", "which day did we book it for?": a question of when (``WHEN``) about the
# customer's own booking (``OWN``, within ``NEAR`` words after it, in the same sentence),
# unless a word between asks what can be done ("when can my dog come in?" asks what is free).
WHEN = (
    r"when|what\s+(?:day|time|date)|which\s+(?:day|time|date)"
    r"|quando|que\s+dia|(?:a\s+)?que\s+horas?|qual\s+(?:o\s+)?dia"
    r"|quand|quel\s+jour|(?:à\s+)?quelle\s+heure|quelle\s+date"
    r"|wann|welche[nrms]?\s+(?:tag|uhrzeit|datum)|um\s+wie\s+viel\s+uhr"
    r"|cu[aá]ndo|qu[eé]\s+d[ií]a|(?:a\s+)?qu[eé]\s+hora|qu[eé]\s+fecha"
    r"|che\s+giorno|(?:a\s+)?che\s+ora|quale\s+giorno"
    r"|wanneer|hoe\s+laat|welke\s+(?:dag|datum)"
    r"|kiedy|którego\s+dnia|o\s+której|jakiego\s+dnia|w\s+który\s+dzień"
)
OWN = (
    r"my|our|(?:i|we)\s+(?:have\s+)?booked|did\s+(?:i|we)\s+book"
    r"|meu|minha|noss[oa]|marquei|marcámos|marcamos"
    r"|mon|ma|notre|j'ai\s+réservé|nous\s+avons\s+réservé"
    r"|mein(?:e[nrms]?)?|unser(?:e[nrms]?)?|gebucht"
    r"|mi|mis|nuestr[oa]|reservé|reservamos"
    r"|mi[oa]|nostr[oa]|ho\s+prenotato|abbiamo\s+prenotato"
    r"|mijn|onze?|geboekt"
    r"|mój|moja|moją|mojej|mojego|nasz\w*|zarezerwowa\w*|umówi\w*"
)
_CAN = (
    r"can|could|may|might|posso|podemos|pode|peux|puis|pouvons|peut|kann|können|darf"
    r"|puedo|podemos|puede|possiamo|può|kan|kunnen|mag|mogę|możemy|może"
)
OWN_WHEN = re.compile(
    rf"\b(?:{WHEN})\b(?:[ \t,]+(?!(?:{_CAN})\b)[^\s.?!]+){{0,{NEAR}}}?[ \t,]+(?:{OWN})\b",
    re.IGNORECASE,
)

# The request verbs (and nouns) a typo is read as, in each language the shop serves.
KEYWORDS = frozenset(
    """cancel refund return exchange reschedule appointment booking order
    cancelar devolver reembolso trocar remarcar encomenda
    annuler rembourser remboursement échanger déplacer reporter commande
    stornieren absagen zurückgeben zurückschicken rückerstattung umtauschen verschieben
    bestellung devolución reprogramar pedido
    annullare rimborso restituire ordine prenotare spostare
    annuleren terugsturen bestelling verzetten
    anulować zamówienie przełożyć""".split()  # noqa: SIM905
)
_LETTERS = re.compile(r"[^\W\d_]{5,}")


def _keyword(word: str) -> str:
    """The request keyword ``word`` misspells by one letter left out, added or swapped with
    its neighbour; ``word`` itself when it is none (or a form of one: "orders", "cancelled")."""
    lower = word.lower()
    if any(lower.startswith(k) or k.startswith(lower) for k in KEYWORDS):
        return word
    for keyword in KEYWORDS:
        swapped = len(keyword) == len(lower) and Levenshtein.distance(lower, keyword) == 2
        added_or_dropped = len(keyword) != len(lower)
        if OSA.distance(lower, keyword) == 1 and (swapped or added_or_dropped):
            return keyword
    return word


def corrected(message: str) -> str:
    """``message`` with its misspelt request keywords written right."""
    return _LETTERS.sub(lambda match: _keyword(match.group()), message)


@dataclass(frozen=True)
class Request:
    tool: str
    arguments: dict[str, Any]  # ids filled from the customer's records by ``arguments.resolve``


def asks_availability(message: str, services: Sequence[str] = ()) -> bool:
    """Whether the message asks what is free: an availability word ("free", "next",
    "disponible") within ``NEAR`` words of an appointment word or of one of the shop's
    ``services`` ("When is your next free garden consultation?"), or a known phrasing."""
    if FREE_SLOTS.search(message):
        return True
    words = re.findall(r"[^\W\d_][\w'-]*", message.lower())
    # "next Saturday", "nächste Woche" name a time, not a free slot.
    free = [
        i
        for i, w in enumerate(words)
        if AVAILABLE.fullmatch(w) and not (i + 1 < len(words) and is_time_word(words[i + 1]))
    ]
    bookable = [
        i
        for i, w in enumerate(words)
        if APPOINTMENT.fullmatch(w) or OPENING.fullmatch(w) or names_a_service(w, services)
    ]
    return any(abs(i - j) <= NEAR for i in free for j in bookable)


def recognise(
    message: str,
    services: Sequence[str] = (),
    *,
    names_booking: bool = False,
    holds_booking: bool = False,
) -> Request | None:
    """The tool a message asks for, with placeholder ids the resolver replaces (the order
    number the customer wrote, if any); None when it asks for none of them. ``services`` are
    the shop's appointment services, which a customer names instead of "an appointment";
    ``names_booking``: the message names the day of one of the customer's bookings;
    ``holds_booking``: the customer has an upcoming booking ("when was my lesson again?")."""
    number = ORDER_NUMBER.search(message)
    order = number.group().lstrip("#") if number else "any"
    reason = " ".join(message.split())[:200]
    message = corrected(message)
    about_order = number is not None or ORDER.search(message) is not None
    # A service's name may share a word with the products ("Guitar set-up", the guitar of an
    # order), a booking's day with a delivery's: they make a message about a booking only when
    # no order is named.
    about_booking = APPOINTMENT.search(message) is not None or (
        not about_order and (names_booking or names_a_service(message, services))
    )
    if number is not None and RECEIVED.search(message):
        return Request("order_details", {"order_number": order})
    if EXCHANGE.search(message) and not about_booking:
        return Request(
            "request_return", {"order_number": order, "kind": "exchange", "reason": reason}
        )
    if RETURN.search(message) and not about_booking:
        return Request(
            "request_return", {"order_number": order, "kind": "return", "reason": reason}
        )
    if CANCEL.search(message):
        if about_order and not about_booking:
            return Request("cancel_order", {"order_number": order})
        if about_booking:
            return Request("cancel_appointment", {"booking_id": 0})
    moves = (
        MOVE.search(message)
        or shift(message)
        or (INSTEAD.search(message) and not BOOK.search(message))
    )
    if moves and about_booking:
        return Request("move_appointment", {"booking_id": 0, "slot_id": 0})
    if asks_availability(message, services):
        return Request("list_free_slots", {})
    if OWN_WHEN.search(message) and not about_order and (about_booking or holds_booking):
        return Request("my_appointments", {})
    if BOOK.search(message):
        return Request("book_appointment", {"slot_id": 0})
    if number is not None and (WHERE.search(message) or about_order):
        return Request("order_details", {"order_number": order})
    if LIST.search(message):
        return Request("find_my_orders", {})
    return None
