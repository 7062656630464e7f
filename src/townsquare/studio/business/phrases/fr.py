"""The business agent's fixed texts in French."""

from __future__ import annotations

from townsquare.studio.business.phrases.texts import Text

TEXTS: dict[Text, str] = {
    "introduction": "Bonjour, je suis {name}, l'assistant automatique de {business}. ",
    "fallback": "Désolé, je n'ai pas compris. Je peux chercher dans notre catalogue,"
    " consulter vos commandes, réserver un rendez-vous ou vous passer une personne de"
    " l'équipe.",
    "verified": "Merci {name}, votre identité est vérifiée.",
    "already_verified": "Votre identité est déjà vérifiée dans cette conversation.",
    "email_mismatch": "Cette adresse e-mail ne correspond pas à nos fichiers, je ne peux donc"
    " pas encore vous vérifier.",
    "verify_first": "Avant de vous aider avec vos commandes, je dois vous vérifier : quelle"
    " est l'adresse e-mail de votre compte ?",
    "no_customer": "Je ne trouve pas de fiche client pour votre compte, je ne peux donc pas"
    " le faire ici. Je peux vous passer une personne de l'équipe.",
    "too_many_tries": "Cela n'a pas correspondu plusieurs fois, je ne peux donc pas vous"
    " vérifier ici. Je peux vous passer une personne.",
    "confirm": "Répondez oui pour confirmer.",
    "declined": "D'accord, je ne change rien. Puis-je vous aider pour autre chose ?",
    "nothing_to_confirm": "Rien n'attend votre confirmation pour le moment.",
    "found": "Voici ce que j'ai trouvé : {lines}.",
    "found_nothing": "Je n'ai rien trouvé pour {query!r} dans notre catalogue.",
    "product": "{name} ({sku}) coûte {price}.",
    "in_stock": "{count} en stock.",
    "sold_out": "Épuisé.",
    "orders": "Vos commandes : {lines}.",
    "no_orders": "Vous n'avez pas de commande chez nous.",
    "which_order": "De quelle commande s'agit-il ? Vos commandes : {lines}.",
    "order": "La commande {order} est {status} : {items}, {total}.",
    "steps": "Elle a été {steps}.",
    "step": "{step} le {date}",
    "shipped_by": "par {carrier}, suivi {tracking}",
    "confirm_cancel": "Voulez-vous que j'annule la commande {order} ({total}) ?",
    "cancelled": "C'est fait : la commande {order} est annulée.",
    "confirm_return": "Voulez-vous que je demande le retour (remboursement) de la commande"
    " {order} ?",
    "confirm_exchange": "Voulez-vous que je demande l'échange de la commande {order} ?",
    "return_requested": "C'est fait : le retour de la commande {order} est demandé ; nous"
    " revenons vers vous.",
    "exchange_requested": "C'est fait : l'échange de la commande {order} est demandé ; nous"
    " revenons vers vous.",
    "free_slots": "Créneaux libres : {lines}.",
    "no_slots": "Il n'y a pas de créneau libre pour le moment.",
    "which_slot": "Quel créneau voulez-vous ? Créneaux libres : {lines}.",
    "not_free_then": "Ce créneau n'est pas libre.",
    "confirm_book": "Voulez-vous que je réserve un rendez-vous ({service}) le {when} pour vous ?",
    "booked": "C'est réservé : votre rendez-vous ({service}) le {when}.",
    "confirm_move": "Voulez-vous que je déplace votre {service} du {was} au {when} ?",
    "moved": "C'est déplacé : votre {service} est maintenant le {when}.",
    "confirm_cancel_booking": "Voulez-vous que j'annule votre {service} du {when} ?",
    "booking_cancelled": "Annulé : votre {service} du {when}.",
    "your_bookings": "Vos rendez-vous : {lines}.",
    "no_bookings": "Vous n'avez pas de rendez-vous à venir chez nous.",
    "which_booking": "De quel rendez-vous s'agit-il ? Les vôtres : {lines}.",
    "ticket": "J'ai ouvert le ticket {ticket} ; l'équipe va s'en occuper.",
    "handed_over": "Je passe cette conversation à une personne de notre équipe, qui vous"
    " répondra ici.",
    "cannot": "Désolé, je ne peux pas le faire : {reason}.",
    "cannot_myself": "Désolé, je ne peux pas le faire moi-même : {reason}.",
    "sorry": "Désolé, {reason}.",
    "no_discounts": "Désolé, je ne peux pas accorder de réduction ni changer les prix",
    "policy_says": "notre politique dit « {rule} »",
    "prices_by_team": "les prix sont fixés par l'équipe",
    "no_documents": "Je n'ai pas trouvé cela dans nos documents. Je peux ouvrir un ticket ou"
    " vous passer une personne de l'équipe.",
    "rule_window": "les retours sont acceptés dans les {days} jours suivant la livraison, et"
    " la commande {order} a été livrée le {date}",
    "rule_sale": "les articles soldés ne sont ni repris ni échangés ({items})",
    "rule_final": "{items} ne peut être ni repris ni échangé : notre politique dit « {rule} »",
    "rule_owner_returns": "la politique de cette boutique ne fixe pas de délai de retour, donc une"
    " personne de l'équipe décide du retour de la commande {order}",
    "rule_unread": "la politique de cette boutique prévoit une règle pour {items} qu'une personne"
    " de l'équipe applique, donc elle décide du retour de la commande {order}",
    "rule_refund": "les remboursements de plus de {limit} sont décidés par une personne, et"
    " la commande {order} s'élève à {total}",
    "rule_no_exchanges": "cette boutique n'accepte pas les échanges",
    "rule_not_returnable": "la commande {order} est {status} ; seules les commandes livrées"
    " peuvent être retournées",
    "rule_not_cancellable": "la commande {order} est {status} ; seules les commandes en"
    " attente peuvent être annulées",
    "rule_notice": "les rendez-vous peuvent être déplacés ou annulés jusqu'à {hours} heures avant"
    " leur début, et le vôtre est le {when}",
    "moment": "{day} à {time} {zone}",
    "appointment": "rendez-vous",
    "faq_says": "Notre FAQ dit : « {quote} » [1]",
    "quoted_note": "(cité tel quel, en {material})",
    "which_product": "De quel produit parlez-vous ? {lines}.",
    "name_product": "De quel produit parlez-vous ? Donnez-moi son nom ou sa référence,"
    " s'il vous plaît.",
    "no_product": "il n'y a pas de produit {sku!r}",
    "no_order": "il n'y a pas de commande {order!r} sur votre compte",
    "no_slot": "ce créneau n'existe pas",
    "slot_past": "le créneau du {when} est passé",
    "slot_taken": "le créneau du {when} est déjà pris",
    "no_booking": "vous n'avez pas ce rendez-vous",
    "booking_was_cancelled": "ce rendez-vous est annulé",
    "booking_started": "ce rendez-vous a déjà commencé",
    "booking_in_slot": "votre rendez-vous est déjà le {when}",
}
# Order statuses as the customer reads them.
STATUSES: dict[str, str] = {
    "pending": "en attente",
    "paid": "payée",
    "shipped": "expédiée",
    "delivered": "livrée",
    "returned": "retournée",
    "refunded": "remboursée",
    "cancelled": "annulée",
    "return_requested": "en demande de retour",
    "exchange_requested": "en demande d'échange",
}
