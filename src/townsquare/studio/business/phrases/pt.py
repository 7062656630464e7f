"""The business agent's fixed texts in Portuguese."""

from __future__ import annotations

from townsquare.studio.business.phrases.texts import Text

TEXTS: dict[Text, str] = {
    "introduction": "Olá, sou {name}, o assistente automático de {business}. ",
    "fallback": "Desculpe, não percebi. Posso procurar no nosso catálogo, ver as suas"
    " encomendas, marcar horários ou passá-lo a uma pessoa da equipa.",
    "verified": "Obrigado, {name}, está verificado.",
    "already_verified": "Já está verificado nesta conversa.",
    "email_mismatch": "Esse email não corresponde aos nossos registos, por isso ainda não o"
    " posso verificar.",
    "verify_first": "Antes de o ajudar com encomendas preciso de o verificar: qual é o"
    " endereço de email da sua conta?",
    "no_customer": "Não encontro uma ficha de cliente para a sua conta, por isso não posso"
    " fazer isso aqui. Posso passá-lo a uma pessoa da equipa.",
    "too_many_tries": "Não correspondeu várias vezes, por isso não o posso verificar aqui."
    " Posso passá-lo a uma pessoa.",
    "confirm": "Responda sim para confirmar.",
    "declined": "Muito bem, não altero nada. Posso ajudar em mais alguma coisa?",
    "nothing_to_confirm": "De momento não há nada à espera da sua confirmação.",
    "found": "Eis o que encontrei: {lines}.",
    "found_nothing": "Não encontrei nada com {query!r} no nosso catálogo.",
    "product": "{name} ({sku}) custa {price}.",
    "in_stock": "{count} em stock.",
    "sold_out": "Esgotado.",
    "orders": "As suas encomendas: {lines}.",
    "no_orders": "Não tem encomendas connosco.",
    "which_order": "Qual encomenda? As suas encomendas: {lines}.",
    "order": "A encomenda {order} está {status}: {items}, {total}.",
    "steps": "Foi {steps}.",
    "step": "{step} a {date}",
    "shipped_by": "pela {carrier}, seguimento {tracking}",
    "confirm_cancel": "Quer que cancele a encomenda {order} ({total})?",
    "cancelled": "Feito: a encomenda {order} está cancelada.",
    "confirm_return": "Quer que peça a devolução (reembolso) da encomenda {order}?",
    "confirm_exchange": "Quer que peça a troca da encomenda {order}?",
    "return_requested": "Feito: a devolução da encomenda {order} está pedida; entraremos em"
    " contacto.",
    "exchange_requested": "Feito: a troca da encomenda {order} está pedida; entraremos em"
    " contacto.",
    "free_slots": "Horários livres: {lines}.",
    "no_slots": "De momento não há horários livres.",
    "which_slot": "Que horário prefere? Horários livres: {lines}.",
    "not_free_then": "Esse horário não está livre.",
    "confirm_book": "Quer que marque um agendamento ({service}) para {when}?",
    "booked": "Marcado: o seu agendamento ({service}), {when}.",
    "confirm_move": "Quer que mude {service} de {was} para {when}?",
    "moved": "Mudado: {service} passa a ser {when}.",
    "confirm_cancel_booking": "Quer que cancele {service} de {when}?",
    "booking_cancelled": "Cancelado: {service} de {when}.",
    "your_bookings": "Os seus agendamentos: {lines}.",
    "no_bookings": "Não tem agendamentos futuros connosco.",
    "which_booking": "Qual agendamento? Os seus: {lines}.",
    "ticket": "Abri o pedido {ticket}; a equipa vai dar seguimento.",
    "handed_over": "Vou passar esta conversa a uma pessoa da nossa equipa, que lhe responderá"
    " aqui.",
    "cannot": "Lamento, não posso fazer isso: {reason}.",
    "cannot_myself": "Lamento, não posso fazer isso eu mesmo: {reason}.",
    "sorry": "Desculpe, {reason}.",
    "no_discounts": "Lamento, não posso dar descontos nem alterar preços",
    "policy_says": 'a nossa política diz "{rule}"',
    "prices_by_team": "os preços são definidos pela equipa",
    "no_documents": "Não encontrei isso nos nossos documentos. Posso abrir um pedido ou"
    " passá-lo a uma pessoa da equipa.",
    "rule_window": "as devoluções são aceites até {days} dias após a entrega, e a encomenda"
    " {order} foi entregue a {date}",
    "rule_sale": "artigos em saldo não são devolvidos nem trocados ({items})",
    "rule_final": '{items} não pode ser devolvido nem trocado: a nossa política diz "{rule}"',
    "rule_owner_returns": "a política desta loja não fixa um prazo de devolução, por isso uma"
    " pessoa da equipa decide sobre a devolução da encomenda {order}",
    "rule_unread": "a política desta loja tem uma regra sobre {items} que uma pessoa da equipa"
    " aplica, por isso é ela que decide sobre a devolução da encomenda {order}",
    "rule_refund": "reembolsos acima de {limit} são decididos por uma pessoa, e a encomenda"
    " {order} soma {total}",
    "rule_no_exchanges": "esta loja não aceita trocas",
    "rule_not_returnable": "a encomenda {order} está {status}; só encomendas entregues podem"
    " ser devolvidas",
    "rule_not_cancellable": "a encomenda {order} está {status}; só encomendas pendentes"
    " podem ser canceladas",
    "rule_notice": "os agendamentos podem ser mudados ou cancelados até {hours} horas antes de"
    " começarem, e o seu é {when}",
    "moment": "{day} às {time} {zone}",
    "appointment": "agendamento",
    "faq_says": 'As nossas perguntas frequentes dizem: "{quote}" [1]',
    "quoted_note": "(citado tal como foi escrito, em {material})",
    "which_product": "De que produto se trata? {lines}.",
    "name_product": "De que produto se trata? Diga-me o nome ou o código, por favor.",
    "no_product": "não existe o produto {sku!r}",
    "no_order": "não existe a encomenda {order!r} na sua conta",
    "no_slot": "esse horário não existe",
    "slot_past": "o horário de {when} já passou",
    "slot_taken": "o horário de {when} já está ocupado",
    "no_booking": "não tem esse agendamento",
    "booking_was_cancelled": "esse agendamento está cancelado",
    "booking_started": "esse agendamento já começou",
    "booking_in_slot": "o seu agendamento já é {when}",
}
# Order statuses as the customer reads them.
STATUSES: dict[str, str] = {
    "pending": "pendente",
    "paid": "paga",
    "shipped": "enviada",
    "delivered": "entregue",
    "returned": "devolvida",
    "refunded": "reembolsada",
    "cancelled": "cancelada",
    "return_requested": "com devolução pedida",
    "exchange_requested": "com troca pedida",
}
