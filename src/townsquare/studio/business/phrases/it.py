"""The business agent's fixed texts in Italian."""

from __future__ import annotations

from townsquare.studio.business.phrases.texts import Text

TEXTS: dict[Text, str] = {
    "introduction": "Ciao, sono {name}, l'assistente automatico di {business}. ",
    "fallback": "Mi scusi, non ho capito. Posso cercare nel nostro catalogo, controllare i"
    " suoi ordini, prenotare appuntamenti o passarla a una persona del team.",
    "verified": "Grazie {name}, la sua identità è verificata.",
    "already_verified": "La sua identità è già verificata in questa conversazione.",
    "email_mismatch": "Questa email non corrisponde ai nostri dati, quindi non posso ancora"
    " verificarla.",
    "verify_first": "Prima di aiutarla con gli ordini devo verificare la sua identità: qual è"
    " l'indirizzo email del suo account?",
    "no_customer": "Non trovo una scheda cliente per il suo account, quindi non posso farlo"
    " qui. Posso passarla a una persona del team.",
    "too_many_tries": "Non corrisponde da diversi tentativi, quindi non posso verificarla qui."
    " Posso passarla a una persona.",
    "confirm": "Risponda sì per confermare.",
    "declined": "Va bene, non cambio nulla. Posso aiutarla in altro?",
    "nothing_to_confirm": "Al momento non c'è nulla in attesa della sua conferma.",
    "found": "Ecco cosa ho trovato: {lines}.",
    "found_nothing": "Non ho trovato niente per {query!r} nel nostro catalogo.",
    "product": "{name} ({sku}) costa {price}.",
    "in_stock": "{count} disponibili.",
    "sold_out": "Esaurito.",
    "orders": "I suoi ordini: {lines}.",
    "no_orders": "Non ha ordini presso di noi.",
    "which_order": "Di quale ordine si tratta? I suoi ordini: {lines}.",
    "order": "L'ordine {order} è {status}: {items}, {total}.",
    "steps": "È stato {steps}.",
    "step": "{step} il {date}",
    "shipped_by": "con {carrier}, numero di tracciamento {tracking}",
    "confirm_cancel": "Vuole che annulli l'ordine {order} ({total})?",
    "cancelled": "Fatto: l'ordine {order} è annullato.",
    "confirm_return": "Vuole che richieda il reso (rimborso) dell'ordine {order}?",
    "confirm_exchange": "Vuole che richieda il cambio dell'ordine {order}?",
    "return_requested": "Fatto: il reso dell'ordine {order} è richiesto; la contatteremo.",
    "exchange_requested": "Fatto: il cambio dell'ordine {order} è richiesto; la contatteremo.",
    "free_slots": "Orari liberi: {lines}.",
    "no_slots": "Al momento non ci sono orari liberi.",
    "which_slot": "Quale orario preferisce? Orari liberi: {lines}.",
    "not_free_then": "Quell'orario non è libero.",
    "confirm_book": "Vuole che prenoti per lei un appuntamento ({service}) di {when}?",
    "booked": "Fatto: ho prenotato il suo appuntamento ({service}) di {when}.",
    "confirm_move": "Vuole che sposti il suo appuntamento ({service}) da {was} a {when}?",
    "moved": "Spostato: il suo appuntamento ({service}) è ora {when}.",
    "confirm_cancel_booking": "Annullo il suo appuntamento ({service}) di {when}?",
    "booking_cancelled": "Annullato: il suo appuntamento ({service}) di {when}.",
    "your_bookings": "I suoi appuntamenti: {lines}.",
    "no_bookings": "Non ha appuntamenti in programma con noi.",
    "which_booking": "Di quale appuntamento si tratta? I suoi: {lines}.",
    "ticket": "Ho aperto la segnalazione {ticket}; il team le risponderà.",
    "handed_over": "Passo questa conversazione a una persona del nostro team, che le"
    " risponderà qui.",
    "cannot": "Mi dispiace, non posso farlo: {reason}.",
    "cannot_myself": "Mi dispiace, non posso farlo da solo: {reason}.",
    "sorry": "Mi dispiace, {reason}.",
    "no_discounts": "Mi dispiace, non posso fare sconti né cambiare i prezzi",
    "policy_says": 'la nostra politica dice "{rule}"',
    "prices_by_team": "i prezzi li stabilisce il team",
    "no_documents": "Non l'ho trovato nei nostri documenti. Posso aprire una segnalazione o"
    " passarla a una persona del team.",
    "rule_window": "i resi sono accettati entro {days} giorni dalla consegna, e l'ordine"
    " {order} è stato consegnato il {date}",
    "rule_sale": "gli articoli in saldo non si rendono né si cambiano ({items})",
    "rule_final": '{items} non si rende né si cambia: la nostra politica dice "{rule}"',
    "rule_owner_returns": "la politica di questo negozio non fissa un termine per i resi, quindi"
    " una persona del team decide sul reso dell'ordine {order}",
    "rule_unread": "la politica di questo negozio ha una regola su {items} che applica una"
    " persona del team, quindi decide lei sul reso dell'ordine {order}",
    "rule_refund": "i rimborsi oltre {limit} li decide una persona, e l'ordine {order} è di"
    " {total}",
    "rule_no_exchanges": "questo negozio non accetta cambi",
    "rule_not_returnable": "l'ordine {order} è {status}; si possono rendere solo gli ordini"
    " consegnati",
    "rule_not_cancellable": "l'ordine {order} è {status}; si possono annullare solo gli"
    " ordini in attesa",
    "rule_notice": "gli appuntamenti si possono spostare o annullare fino a {hours} ore prima"
    " dell'inizio, e il suo è {when}",
    "moment": "{day} alle {time} {zone}",
    "appointment": "appuntamento",
    "faq_says": "Le nostre domande frequenti dicono: «{quote}» [1]",
    "quoted_note": "(citato così come è scritto, in {material})",
    "which_product": "Di quale prodotto si tratta? {lines}.",
    "name_product": "Di quale prodotto si tratta? Mi dica il nome o il codice, per favore.",
    "no_product": "non esiste il prodotto {sku!r}",
    "no_order": "non esiste l'ordine {order!r} sul suo account",
    "no_slot": "quell'orario non esiste",
    "slot_past": "l'orario di {when} è già passato",
    "slot_taken": "l'orario di {when} è già occupato",
    "no_booking": "non ha questo appuntamento",
    "booking_was_cancelled": "quell'appuntamento è annullato",
    "booking_started": "quell'appuntamento è già iniziato",
    "booking_in_slot": "il suo appuntamento è già {when}",
}
# Order statuses as the customer reads them.
STATUSES: dict[str, str] = {
    "pending": "in attesa",
    "paid": "pagato",
    "shipped": "spedito",
    "delivered": "consegnato",
    "returned": "reso",
    "refunded": "rimborsato",
    "cancelled": "annullato",
    "return_requested": "con reso richiesto",
    "exchange_requested": "con cambio richiesto",
}
