"""Which language a short member question is in: py3langid against lingua, on questions of the
kind members ask a creator's or a shop's agent (4 to 12 words, 20 per language).

    python -m bench.language_id

Both are restricted to the languages Townsquare's replies know (en pt fr de es); prints
accuracy per language, time per question and load time. The choice and the figures are in
docs/benchmarks.md ("Multilingual").
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

LANGUAGES = ("en", "pt", "fr", "de", "es")

QUESTIONS: dict[str, list[str]] = {
    "en": [
        "How much is the beginner course?",
        "When do you open on Saturday?",
        "Do you ship to Ireland?",
        "Is the glaze food safe?",
        "What time does the class start?",
        "Can I bring my own clay?",
        "How long does delivery take?",
        "Who teaches the workshop?",
        "Are kids allowed in the studio?",
        "What does postage cost?",
        "Price of the big bowl?",
        "Is there parking nearby?",
        "Do you sell gift cards?",
        "When is the next open day?",
        "Can I pay by card?",
        "How big is the large vase?",
        "Do you take commissions?",
        "Is the mug dishwasher safe?",
        "Where is the studio?",
        "What are your hours?",
    ],
    "pt": [
        "Quanto custa o curso para iniciantes?",
        "Quando abrem ao sábado?",
        "Enviam para Portugal?",
        "O esmalte é seguro para comida?",
        "A que horas começa a aula?",
        "Posso levar o meu próprio barro?",
        "Quanto tempo demora a entrega?",
        "Quem dá o workshop?",
        "Crianças podem vir ao estúdio?",
        "Quanto custam os portes?",
        "Preço da tigela grande?",
        "Há estacionamento perto?",
        "Vendem vales de oferta?",
        "Quando é o próximo dia aberto?",
        "Posso pagar com cartão?",
        "Qual o tamanho do vaso grande?",
        "Aceitam encomendas?",
        "A caneca pode ir à máquina?",
        "Onde fica o estúdio?",
        "Qual é o horário?",
    ],
    "fr": [
        "Combien coûte le cours pour débutants ?",
        "Quand ouvrez-vous le samedi ?",
        "Livrez-vous en Belgique ?",
        "L'émail est-il alimentaire ?",
        "À quelle heure commence le cours ?",
        "Puis-je apporter ma propre argile ?",
        "Combien de temps prend la livraison ?",
        "Qui anime l'atelier ?",
        "Les enfants sont-ils admis ?",
        "Combien coûtent les frais de port ?",
        "Prix du grand bol ?",
        "Y a-t-il un parking ?",
        "Vendez-vous des cartes cadeaux ?",
        "Quand est la prochaine journée portes ouvertes ?",
        "Puis-je payer par carte ?",
        "Quelle est la taille du grand vase ?",
        "Acceptez-vous les commandes ?",
        "La tasse va-t-elle au lave-vaisselle ?",
        "Où se trouve l'atelier ?",
        "Quels sont vos horaires ?",
    ],
    "de": [
        "Was kostet der Anfängerkurs?",
        "Wann öffnet ihr am Samstag?",
        "Liefert ihr nach Österreich?",
        "Ist die Glasur lebensmittelecht?",
        "Wann beginnt der Kurs?",
        "Darf ich meinen eigenen Ton mitbringen?",
        "Wie lange dauert die Lieferung?",
        "Wer leitet den Workshop?",
        "Dürfen Kinder mitkommen?",
        "Was kostet der Versand?",
        "Preis der großen Schüssel?",
        "Gibt es Parkplätze in der Nähe?",
        "Verkauft ihr Gutscheine?",
        "Wann ist der nächste Tag der offenen Tür?",
        "Kann ich mit Karte zahlen?",
        "Wie groß ist die große Vase?",
        "Nehmt ihr Auftragsarbeiten an?",
        "Ist die Tasse spülmaschinenfest?",
        "Wo ist das Atelier?",
        "Wie sind eure Öffnungszeiten?",
    ],
    "es": [
        "¿Cuánto cuesta el curso para principiantes?",
        "¿Cuándo abren los sábados?",
        "¿Envían a México?",
        "¿El esmalte es apto para alimentos?",
        "¿A qué hora empieza la clase?",
        "¿Puedo traer mi propia arcilla?",
        "¿Cuánto tarda el envío?",
        "¿Quién imparte el taller?",
        "¿Pueden venir niños?",
        "¿Cuánto cuestan los gastos de envío?",
        "¿Precio del cuenco grande?",
        "¿Hay aparcamiento cerca?",
        "¿Venden tarjetas regalo?",
        "¿Cuándo es la próxima jornada de puertas abiertas?",
        "¿Puedo pagar con tarjeta?",
        "¿Qué tamaño tiene el jarrón grande?",
        "¿Aceptan encargos?",
        "¿La taza se puede meter en el lavavajillas?",
        "¿Dónde está el taller?",
        "¿Cuál es su horario?",
    ],
}


def _py3langid() -> Callable[[str], str]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return lambda text: str(identifier.classify(text)[0])


def _lingua() -> Callable[[str], str]:
    # Not a dependency (a 96 MB wheel): `pip install lingua-language-detector` to compare.
    from lingua import IsoCode639_1, LanguageDetectorBuilder  # type: ignore[import-not-found]

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        return "" if found is None else found.iso_code_639_1.name.lower()

    return detect


def main() -> None:
    table = Table(title="Language of short questions (20 per language)")
    table.add_column("detector")
    for code in LANGUAGES:
        table.add_column(code, justify="right")
    table.add_column("all", justify="right")
    table.add_column("ms / question", justify="right")
    table.add_column("load s", justify="right")
    for name, build in (("py3langid 0.4.0", _py3langid), ("lingua 2.1.1", _lingua)):
        started = time.perf_counter()
        try:
            detect = build()
        except ImportError as error:
            table.add_row(name, f"not installed ({error.name})")
            continue
        detect("warm up")  # lingua reads its models on first use
        loaded = time.perf_counter() - started
        cells, right, asked, spent = [], 0, 0, 0.0
        for code in LANGUAGES:
            questions = QUESTIONS[code]
            started = time.perf_counter()
            hits = sum(detect(question) == code for question in questions)
            spent += time.perf_counter() - started
            cells.append(f"{hits}/{len(questions)}")
            right, asked = right + hits, asked + len(questions)
        table.add_row(
            name, *cells, f"{right / asked:.2f}", f"{1000 * spent / asked:.2f}", f"{loaded:.2f}"
        )
    Console().print(table)


if __name__ == "__main__":
    main()
