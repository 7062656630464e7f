"""Character Cards V1/V2/V3 (JSON, PNG, CHARX) in and out of Townsquare agents.

``mapping.py`` documents how card fields map onto an agent's profile; ``lorebook.py`` (beside
this package) runs a card's ``character_book`` at reply time.
"""

from townsquare.studio.cards.convert import (
    MAX_CARD_BYTES,
    CardFormat,
    CardVersion,
    ImportedCard,
    export_card,
    import_card,
)
from townsquare.studio.cards.fields import CardError

__all__ = [
    "MAX_CARD_BYTES",
    "CardError",
    "CardFormat",
    "CardVersion",
    "ImportedCard",
    "export_card",
    "import_card",
]
