"""Whether a customer's message answers a proposed change with a plain yes or a plain no, in any
language the shop serves.

Each language is one table (``Cues``): the words that say yes, the words that may follow a yes
("please", "go ahead"), and the words that start a no. Adding a language is adding a table.
A message is a yes only when it is nothing but yes-words (``"yes please!"``, ``"sim, pode"``):
"yes, but change the address" is not a yes to the change as proposed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Cues:
    yes: str  # a whole yes: "yes", "go ahead"
    more: str  # what may follow a yes: "please", "thanks"
    no: str  # what a no starts with


LANGUAGES: dict[str, Cues] = {
    "en": Cues(
        yes=r"yes|yeah|yep|yup|y|sure|ok|okay|confirm(?:ed)?|go ahead|do it|please do|correct",
        more=r"please|thanks|thank you|do it|go ahead|confirm(?:ed)?",
        no=r"no|nope|nah|don't|do not|cancel that|stop|wait",
    ),
    "pt": Cues(
        yes=r"sim|pode|claro|confirmo|confirmado|certo|isso|pode ser|pode sim|com certeza",
        more=r"por favor|obrigad[oa]|pode|confirmo|faça|faz",
        no=r"não|nao|nada disso|espera",
    ),
    "fr": Cues(
        yes=r"oui|ouais|d'accord|d accord|ok|je confirme|confirmé|confirme|vas y|allez y|c'est ça",
        more=r"s'il vous plaît|s'il te plaît|svp|merci|allez y|vas y|je confirme",
        no=r"non|pas question|attendez|attends|arrête",
    ),
    "de": Cues(
        yes=r"ja|jawohl|genau|gerne|gern|einverstanden|bestätigt|ich bestätige|mach das"
        r"|machen sie das",
        more=r"bitte|danke|gerne|gern|mach das|machen sie das|bestätigt",
        no=r"nein|nee|lieber nicht|warte|warten sie|stopp",
    ),
    "es": Cues(
        yes=r"sí|si|claro|vale|de acuerdo|confirmo|confirmado|adelante|hazlo|correcto",
        more=r"por favor|gracias|adelante|hazlo|confirmo",
        no=r"no|nada de eso|espera",
    ),
    "it": Cues(
        yes=r"sì|si|certo|va bene|d'accordo|confermo|confermato|procedi|esatto",
        more=r"per favore|grazie|procedi|confermo",
        no=r"no|aspetta|lascia stare|non farlo",
    ),
    "nl": Cues(
        yes=r"ja|jazeker|zeker|prima|akkoord|is goed|doe maar|graag|bevestigd|ik bevestig",
        more=r"graag|alstublieft|alsjeblieft|dank je|dank u|bedankt|doe maar",
        no=r"nee|neen|liever niet|wacht|niet doen",
    ),
    "pl": Cues(
        yes=r"tak|oczywiście|zgoda|dobrze|potwierdzam|jasne|śmiało|proszę bardzo",
        more=r"proszę|dziękuję|dzięki|potwierdzam",
        no=r"nie|czekaj|proszę czekać|nie rób tego",
    ),
}

_YES = re.compile(
    "|".join(f"(?:{c.yes})(?: (?:{c.more}))*" for c in LANGUAGES.values()), re.IGNORECASE
)
_NO = re.compile("|".join(f"(?:{c.no})\\b.*" for c in LANGUAGES.values()), re.IGNORECASE)


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w' ]+", " ", text.lower()).split())


def is_yes(text: str) -> bool:
    """An explicit yes and nothing else: "yes", "Yes please!", "oui, merci", "ja bitte"."""
    return _YES.fullmatch(_normalise(text)) is not None


def is_no(text: str) -> bool:
    """A message that starts with a no: "no, keep it", "non merci", "nein danke"."""
    return _NO.fullmatch(_normalise(text)) is not None
