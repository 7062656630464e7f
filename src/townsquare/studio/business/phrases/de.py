"""The business agent's fixed texts in German."""

from __future__ import annotations

from townsquare.studio.business.phrases.texts import Text

TEXTS: dict[Text, str] = {
    "introduction": "Hallo, ich bin {name}, der automatische Assistent von {business}. ",
    "fallback": "Entschuldigung, das habe ich nicht verstanden. Ich kann unseren Katalog"
    " durchsuchen, Ihre Bestellungen prüfen, Termine buchen oder Sie an eine Person aus dem"
    " Team weitergeben.",
    "verified": "Danke {name}, Sie sind verifiziert.",
    "already_verified": "Sie sind in diesem Gespräch bereits verifiziert.",
    "email_mismatch": "Diese E-Mail-Adresse stimmt nicht mit unseren Daten überein, daher"
    " kann ich Sie noch nicht verifizieren.",
    "verify_first": "Bevor ich Ihnen bei Bestellungen helfen kann, muss ich Sie verifizieren:"
    " Wie lautet die E-Mail-Adresse Ihres Kontos?",
    "no_customer": "Ich finde keinen Kundeneintrag zu Ihrem Konto, daher kann ich das hier"
    " nicht tun. Ich kann Sie an eine Person aus dem Team weitergeben.",
    "too_many_tries": "Das hat mehrmals nicht übereingestimmt, daher kann ich Sie hier nicht"
    " verifizieren. Ich kann Sie an eine Person weitergeben.",
    "confirm": "Bitte antworten Sie mit ja, um zu bestätigen.",
    "declined": "In Ordnung, ich ändere nichts. Kann ich sonst noch helfen?",
    "nothing_to_confirm": "Im Moment wartet nichts auf Ihre Bestätigung.",
    "found": "Das habe ich gefunden: {lines}.",
    "found_nothing": "Ich habe zu {query!r} nichts in unserem Katalog gefunden.",
    "product": "{name} ({sku}) kostet {price}.",
    "in_stock": "{count} auf Lager.",
    "sold_out": "Ausverkauft.",
    "orders": "Ihre Bestellungen: {lines}.",
    "no_orders": "Sie haben keine Bestellungen bei uns.",
    "which_order": "Welche Bestellung meinen Sie? Ihre Bestellungen: {lines}.",
    "order": "Bestellung {order} ist {status}: {items}, {total}.",
    "steps": "Sie wurde {steps}.",
    "step": "{step} am {date}",
    "shipped_by": "mit {carrier}, Sendungsnummer {tracking}",
    "confirm_cancel": "Soll ich die Bestellung {order} ({total}) stornieren?",
    "cancelled": "Erledigt: Bestellung {order} ist storniert.",
    "confirm_return": "Soll ich eine Rücksendung (Erstattung) der Bestellung {order} beantragen?",
    "confirm_exchange": "Soll ich einen Umtausch der Bestellung {order} beantragen?",
    "return_requested": "Erledigt: Die Rücksendung der Bestellung {order} ist beantragt; wir"
    " melden uns.",
    "exchange_requested": "Erledigt: Der Umtausch der Bestellung {order} ist beantragt; wir"
    " melden uns.",
    "free_slots": "Freie Termine: {lines}.",
    "no_slots": "Im Moment gibt es keine freien Termine.",
    "which_slot": "Welchen Termin möchten Sie? Freie Termine: {lines}.",
    "not_free_then": "Dieser Termin ist nicht frei.",
    "confirm_book": "Soll ich einen Termin ({service}) am {when} für Sie buchen?",
    "booked": "Gebucht: Ihr Termin ({service}) am {when}.",
    "confirm_move": "Soll ich Ihren Termin ({service}) vom {was} auf {when} verschieben?",
    "moved": "Verschoben: Ihr Termin ({service}) ist jetzt am {when}.",
    "confirm_cancel_booking": "Soll ich Ihren Termin ({service}) am {when} absagen?",
    "booking_cancelled": "Abgesagt: Ihr Termin ({service}) am {when}.",
    "your_bookings": "Ihre Termine: {lines}.",
    "no_bookings": "Sie haben keine anstehenden Termine bei uns.",
    "which_booking": "Welchen Termin meinen Sie? Ihre: {lines}.",
    "ticket": "Ich habe Ticket {ticket} für Sie eröffnet; das Team meldet sich.",
    "handed_over": "Ich gebe dieses Gespräch an eine Person aus unserem Team weiter, die"
    " Ihnen hier antwortet.",
    "cannot": "Das kann ich leider nicht tun: {reason}.",
    "cannot_myself": "Das kann ich leider nicht selbst tun: {reason}.",
    "sorry": "Entschuldigung, {reason}.",
    "no_discounts": "Leider kann ich keine Rabatte geben oder Preise ändern",
    "policy_says": "unsere Richtlinie sagt: „{rule}“",
    "prices_by_team": "die Preise legt das Team fest",
    "no_documents": "Das habe ich in unseren Unterlagen nicht gefunden. Ich kann ein Ticket"
    " eröffnen oder Sie an eine Person aus dem Team weitergeben.",
    "rule_window": "Rücksendungen werden innerhalb von {days} Tagen nach der Lieferung"
    " angenommen, und Bestellung {order} wurde am {date} geliefert",
    "rule_sale": "reduzierte Artikel werden weder zurückgenommen noch umgetauscht ({items})",
    "rule_final": "{items} wird weder zurückgenommen noch umgetauscht: unsere Richtlinie sagt:"
    " „{rule}“",
    "rule_owner_returns": "die Richtlinie dieses Geschäfts nennt keine Rückgabefrist, daher"
    " entscheidet eine Person aus dem Team über die Rückgabe von Bestellung {order}",
    "rule_unread": "die Richtlinie dieses Geschäfts hat eine Regel zu {items}, die eine Person"
    " aus dem Team anwendet, daher entscheidet sie über die Rückgabe von Bestellung {order}",
    "rule_refund": "über Erstattungen über {limit} entscheidet eine Person, und Bestellung"
    " {order} beträgt {total}",
    "rule_no_exchanges": "dieses Geschäft nimmt keinen Umtausch an",
    "rule_not_returnable": "Bestellung {order} ist {status}; nur gelieferte Bestellungen"
    " können zurückgegeben werden",
    "rule_not_cancellable": "Bestellung {order} ist {status}; nur offene Bestellungen können"
    " storniert werden",
    "rule_notice": "Termine können bis {hours} Stunden vor Beginn verschoben oder abgesagt werden,"
    " und Ihrer ist am {when}",
    "moment": "{day} um {time} {zone}",
    "appointment": "Termin",
    "faq_says": "Unsere FAQ sagt: „{quote}“ [1]",
    "quoted_note": "(wörtlich zitiert, auf {material})",
    "which_product": "Welches Produkt meinen Sie? {lines}.",
    "name_product": "Welches Produkt meinen Sie? Nennen Sie mir bitte seinen Namen oder seine"
    " Artikelnummer.",
    "no_product": "es gibt kein Produkt {sku!r}",
    "no_order": "es gibt keine Bestellung {order!r} in Ihrem Konto",
    "no_slot": "diesen Termin gibt es nicht",
    "slot_past": "der Termin am {when} liegt in der Vergangenheit",
    "slot_taken": "der Termin am {when} ist schon vergeben",
    "no_booking": "Sie haben keinen solchen Termin",
    "booking_was_cancelled": "dieser Termin ist abgesagt",
    "booking_started": "dieser Termin hat schon begonnen",
    "booking_in_slot": "Ihr Termin ist schon am {when}",
}
# Order statuses as the customer reads them.
STATUSES: dict[str, str] = {
    "pending": "offen",
    "paid": "bezahlt",
    "shipped": "versandt",
    "delivered": "geliefert",
    "returned": "zurückgesandt",
    "refunded": "erstattet",
    "cancelled": "storniert",
    "return_requested": "zur Rücksendung angemeldet",
    "exchange_requested": "zum Umtausch angemeldet",
}
