"""The business agent's fixed texts in Spanish."""

from __future__ import annotations

from townsquare.studio.business.phrases.texts import Text

TEXTS: dict[Text, str] = {
    "introduction": "Hola, soy {name}, el asistente automático de {business}. ",
    "fallback": "Perdona, no lo he entendido. Puedo buscar en nuestro catálogo, revisar tus"
    " pedidos, reservar citas o pasarte con una persona del equipo.",
    "verified": "Gracias, {name}, ya estás verificado.",
    "already_verified": "Ya estás verificado en esta conversación.",
    "email_mismatch": "Ese correo no coincide con nuestros registros, así que todavía no"
    " puedo verificarte.",
    "verify_first": "Antes de ayudarte con pedidos necesito verificarte: ¿cuál es el correo"
    " electrónico de tu cuenta?",
    "no_customer": "No encuentro una ficha de cliente para tu cuenta, así que no puedo hacer"
    " eso aquí. Puedo pasarte con una persona del equipo.",
    "too_many_tries": "No ha coincidido varias veces, así que no puedo verificarte aquí."
    " Puedo pasarte con una persona.",
    "confirm": "Responde sí para confirmar.",
    "declined": "De acuerdo, no cambio nada. ¿Te ayudo con algo más?",
    "nothing_to_confirm": "Ahora mismo no hay nada pendiente de tu confirmación.",
    "found": "Esto es lo que he encontrado: {lines}.",
    "found_nothing": "No he encontrado nada con {query!r} en nuestro catálogo.",
    "product": "{name} ({sku}) cuesta {price}.",
    "in_stock": "{count} en stock.",
    "sold_out": "Agotado.",
    "orders": "Tus pedidos: {lines}.",
    "no_orders": "No tienes pedidos con nosotros.",
    "which_order": "¿De qué pedido se trata? Tus pedidos: {lines}.",
    "order": "El pedido {order} está {status}: {items}, {total}.",
    "steps": "Fue {steps}.",
    "step": "{step} el {date}",
    "shipped_by": "con {carrier}, número de seguimiento {tracking}",
    "confirm_cancel": "¿Quieres que cancele el pedido {order} ({total})?",
    "cancelled": "Hecho: el pedido {order} está cancelado.",
    "confirm_return": "¿Quieres que solicite la devolución (reembolso) del pedido {order}?",
    "confirm_exchange": "¿Quieres que solicite el cambio del pedido {order}?",
    "return_requested": "Hecho: la devolución del pedido {order} está solicitada; te escribiremos.",
    "exchange_requested": "Hecho: el cambio del pedido {order} está solicitado; te escribiremos.",
    "free_slots": "Huecos libres: {lines}.",
    "no_slots": "Ahora mismo no hay huecos libres.",
    "which_slot": "¿Qué hueco prefieres? Huecos libres: {lines}.",
    "not_free_then": "Esa hora no está libre.",
    "confirm_book": "¿Quieres que te reserve una cita ({service}) el {when}?",
    "booked": "Reservado: tu cita ({service}) el {when}.",
    "confirm_move": "¿Quieres que cambie tu cita ({service}) del {was} al {when}?",
    "moved": "Cambiada: tu cita ({service}) es ahora el {when}.",
    "confirm_cancel_booking": "¿Quieres que cancele tu cita ({service}) del {when}?",
    "booking_cancelled": "Cancelada: tu cita ({service}) del {when}.",
    "your_bookings": "Tus citas: {lines}.",
    "no_bookings": "No tienes citas próximas con nosotros.",
    "which_booking": "¿De qué cita se trata? Las tuyas: {lines}.",
    "ticket": "He abierto la incidencia {ticket}; el equipo te responderá.",
    "handed_over": "Paso esta conversación a una persona de nuestro equipo, que te"
    " responderá aquí.",
    "cannot": "Lo siento, no puedo hacerlo: {reason}.",
    "cannot_myself": "Lo siento, no puedo hacerlo yo mismo: {reason}.",
    "sorry": "Lo siento, {reason}.",
    "no_discounts": "Lo siento, no puedo hacer descuentos ni cambiar precios",
    "policy_says": 'nuestra política dice "{rule}"',
    "prices_by_team": "los precios los fija el equipo",
    "no_documents": "No he encontrado eso en nuestros documentos. Puedo abrir una incidencia"
    " o pasarte con una persona del equipo.",
    "rule_window": "las devoluciones se aceptan hasta {days} días después de la entrega, y"
    " el pedido {order} se entregó el {date}",
    "rule_sale": "los artículos rebajados no se devuelven ni se cambian ({items})",
    "rule_final": '{items} no se puede devolver ni cambiar: nuestra política dice "{rule}"',
    "rule_owner_returns": "la política de esta tienda no fija un plazo de devolución, así que una"
    " persona del equipo decide sobre la devolución del pedido {order}",
    "rule_unread": "la política de esta tienda tiene una regla sobre {items} que aplica una"
    " persona del equipo, así que ella decide sobre la devolución del pedido {order}",
    "rule_refund": "los reembolsos de más de {limit} los decide una persona, y el pedido"
    " {order} suma {total}",
    "rule_no_exchanges": "esta tienda no acepta cambios",
    "rule_not_returnable": "el pedido {order} está {status}; solo los pedidos entregados se"
    " pueden devolver",
    "rule_not_cancellable": "el pedido {order} está {status}; solo los pedidos pendientes se"
    " pueden cancelar",
    "rule_notice": "las citas se pueden cambiar o cancelar hasta {hours} horas antes de empezar, y"
    " la tuya es el {when}",
    "moment": "{day} a las {time} {zone}",
    "appointment": "cita",
    "faq_says": "Nuestras preguntas frecuentes dicen: «{quote}» [1]",
    "quoted_note": "(citado tal cual, en {material})",
    "which_product": "¿De qué producto se trata? {lines}.",
    "name_product": "¿De qué producto se trata? Dime su nombre o su código, por favor.",
    "no_product": "no existe el producto {sku!r}",
    "no_order": "no existe el pedido {order!r} en tu cuenta",
    "no_slot": "esa hora no existe",
    "slot_past": "la hora del {when} ya ha pasado",
    "slot_taken": "la hora del {when} ya está ocupada",
    "no_booking": "no tienes esa cita",
    "booking_was_cancelled": "esa cita está cancelada",
    "booking_started": "esa cita ya ha empezado",
    "booking_in_slot": "tu cita ya es el {when}",
}
# Order statuses as the customer reads them.
STATUSES: dict[str, str] = {
    "pending": "pendiente",
    "paid": "pagado",
    "shipped": "enviado",
    "delivered": "entregado",
    "returned": "devuelto",
    "refunded": "reembolsado",
    "cancelled": "cancelado",
    "return_requested": "con devolución solicitada",
    "exchange_requested": "con cambio solicitado",
}
