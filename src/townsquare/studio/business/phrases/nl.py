"""The business agent's fixed texts in Dutch."""

from __future__ import annotations

from townsquare.studio.business.phrases.texts import Text

TEXTS: dict[Text, str] = {
    "introduction": "Hallo, ik ben {name}, de automatische assistent van {business}. ",
    "fallback": "Sorry, dat begreep ik niet. Ik kan in onze catalogus zoeken, uw bestellingen"
    " bekijken, afspraken maken of u doorverbinden met iemand van het team.",
    "verified": "Dank u, {name}, u bent geverifieerd.",
    "already_verified": "U bent in dit gesprek al geverifieerd.",
    "email_mismatch": "Dat e-mailadres komt niet overeen met onze gegevens, dus ik kan u nog"
    " niet verifiëren.",
    "verify_first": "Voordat ik u met bestellingen kan helpen, moet ik u verifiëren: wat is"
    " het e-mailadres van uw account?",
    "no_customer": "Ik vind geen klantgegevens bij uw account, dus dat kan ik hier niet doen."
    " Ik kan u doorverbinden met iemand van het team.",
    "too_many_tries": "Dat kwam meerdere keren niet overeen, dus ik kan u hier niet"
    " verifiëren. Ik kan u doorverbinden met iemand van het team.",
    "confirm": "Antwoord ja om te bevestigen.",
    "declined": "Goed, ik verander niets. Kan ik u nog ergens mee helpen?",
    "nothing_to_confirm": "Er wacht op dit moment niets op uw bevestiging.",
    "found": "Dit heb ik gevonden: {lines}.",
    "found_nothing": "Ik heb niets gevonden voor {query!r} in onze catalogus.",
    "product": "{name} ({sku}) kost {price}.",
    "in_stock": "{count} op voorraad.",
    "sold_out": "Uitverkocht.",
    "orders": "Uw bestellingen: {lines}.",
    "no_orders": "U heeft geen bestellingen bij ons.",
    "which_order": "Welke bestelling bedoelt u? Uw bestellingen: {lines}.",
    "order": "Bestelling {order} is {status}: {items}, {total}.",
    "steps": "Ze is {steps}.",
    "step": "{step} op {date}",
    "shipped_by": "met {carrier}, trackingnummer {tracking}",
    "confirm_cancel": "Zal ik bestelling {order} ({total}) annuleren?",
    "cancelled": "Gedaan: ik heb bestelling {order} voor u geannuleerd.",
    "confirm_return": "Zal ik een retour (terugbetaling) van bestelling {order} aanvragen?",
    "confirm_exchange": "Zal ik een omruiling van bestelling {order} aanvragen?",
    "return_requested": "Gedaan: de retour van bestelling {order} is aangevraagd; we nemen"
    " contact met u op.",
    "exchange_requested": "Gedaan: de omruiling van bestelling {order} is aangevraagd; we"
    " nemen contact met u op.",
    "free_slots": "Vrije tijden: {lines}.",
    "no_slots": "Er zijn op dit moment geen vrije tijden.",
    "which_slot": "Welke tijd wilt u? Vrije tijden: {lines}.",
    "not_free_then": "Die tijd is niet vrij.",
    "confirm_book": "Zal ik een afspraak ({service}) op {when} voor u boeken?",
    "booked": "Geboekt: uw afspraak ({service}) op {when}.",
    "confirm_move": "Zal ik uw afspraak ({service}) van {was} verzetten naar {when}?",
    "moved": "Verzet: uw afspraak ({service}) is nu op {when}.",
    "confirm_cancel_booking": "Zal ik uw afspraak ({service}) op {when} annuleren?",
    "booking_cancelled": "Geannuleerd: uw afspraak ({service}) op {when}.",
    "your_bookings": "Uw afspraken: {lines}.",
    "no_bookings": "U heeft geen komende afspraken bij ons.",
    "which_booking": "Welke afspraak bedoelt u? Uw afspraken: {lines}.",
    "ticket": "Ik heb ticket {ticket} voor u geopend; het team neemt contact met u op.",
    "handed_over": "Ik geef dit gesprek door aan iemand van ons team, die u hier zal antwoorden.",
    "cannot": "Het spijt me, dat kan ik niet doen: {reason}.",
    "cannot_myself": "Het spijt me, dat kan ik niet zelf doen: {reason}.",
    "sorry": "Sorry, {reason}.",
    "no_discounts": "Het spijt me, ik kan geen korting geven of prijzen veranderen",
    "policy_says": 'ons beleid zegt "{rule}"',
    "prices_by_team": "de prijzen worden door het team bepaald",
    "no_documents": "Dat heb ik niet in onze documenten gevonden. Ik kan een ticket openen"
    " of u doorverbinden met iemand van het team.",
    "rule_window": "retouren worden geaccepteerd tot {days} dagen na levering, en bestelling"
    " {order} is geleverd op {date}",
    "rule_sale": "artikelen in de uitverkoop worden niet teruggenomen of geruild ({items})",
    "rule_final": '{items} wordt niet teruggenomen of geruild: ons beleid zegt "{rule}"',
    "rule_owner_returns": "het beleid van deze winkel noemt geen retourtermijn, dus een"
    " medewerker beslist over het retour van bestelling {order}",
    "rule_unread": "het beleid van deze winkel heeft een regel over {items} die een medewerker"
    " toepast, dus die beslist over het retour van bestelling {order}",
    "rule_refund": "over terugbetalingen boven {limit} beslist een persoon, en bestelling"
    " {order} komt op {total}",
    "rule_no_exchanges": "deze winkel accepteert geen omruilingen",
    "rule_not_returnable": "bestelling {order} is {status}; alleen geleverde bestellingen"
    " kunnen worden geretourneerd",
    "rule_not_cancellable": "bestelling {order} is {status}; alleen openstaande bestellingen"
    " kunnen worden geannuleerd",
    "rule_notice": "afspraken kunnen tot {hours} uur voor het begin worden verzet of geannuleerd,"
    " en de uwe is op {when}",
    "moment": "{day} om {time} {zone}",
    "appointment": "afspraak",
    "faq_says": "Onze veelgestelde vragen zeggen: „{quote}” [1]",
    "quoted_note": "(letterlijk geciteerd, in het {material})",
    "which_product": "Welk product bedoelt u? {lines}.",
    "name_product": "Welk product bedoelt u? Noem alstublieft de naam of de code.",
    "no_product": "er is geen product {sku!r}",
    "no_order": "er is geen bestelling {order!r} op uw account",
    "no_slot": "die tijd bestaat niet",
    "slot_past": "{when} is al voorbij",
    "slot_taken": "{when} is al bezet",
    "no_booking": "u heeft zo'n afspraak niet",
    "booking_was_cancelled": "die afspraak is geannuleerd",
    "booking_started": "die afspraak is al begonnen",
    "booking_in_slot": "uw afspraak staat al op {when}",
}
# Order statuses as the customer reads them.
STATUSES: dict[str, str] = {
    "pending": "openstaand",
    "paid": "betaald",
    "shipped": "verzonden",
    "delivered": "geleverd",
    "returned": "geretourneerd",
    "refunded": "terugbetaald",
    "cancelled": "geannuleerd",
    "return_requested": "aangemeld voor retour",
    "exchange_requested": "aangemeld voor omruiling",
}
