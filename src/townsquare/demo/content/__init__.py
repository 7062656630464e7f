"""The demo community as data: who is in it, what they post, what they say to each other.

Everything here is plain constants; ``townsquare.demo.seed`` writes it through the social services.
``CATALOG`` is the business's product list, for the business tools to import.
"""

from townsquare.demo.content.baker import MAYA
from townsquare.demo.content.ceramics import JUNE
from townsquare.demo.content.community import COMMENTS, CONVERSATIONS
from townsquare.demo.content.gamedev import PRIYA
from townsquare.demo.content.members import FEATURED_MEMBERS, MEMBERS, REPORTER, SPAMMER
from townsquare.demo.content.roaster import CATALOG, EMBER
from townsquare.demo.content.runner import TOM
from townsquare.demo.content.spec import (
    Author,
    Conversation,
    Member,
    PostKind,
    PostSpec,
    Product,
    Profile,
)

DEMO_PASSWORD = "townsquare-demo"
CREATORS: tuple[Author, ...] = (MAYA, TOM, PRIYA, JUNE)
BUSINESS = EMBER
AUTHORS: tuple[Author, ...] = (*CREATORS, BUSINESS, SPAMMER)
PEOPLE: tuple[Author | Member, ...] = (*AUTHORS, *MEMBERS)  # every demo account, in creation order

__all__ = [
    "AUTHORS",
    "BUSINESS",
    "CATALOG",
    "COMMENTS",
    "CONVERSATIONS",
    "CREATORS",
    "DEMO_PASSWORD",
    "FEATURED_MEMBERS",
    "MEMBERS",
    "PEOPLE",
    "REPORTER",
    "SPAMMER",
    "Author",
    "Conversation",
    "Member",
    "PostKind",
    "PostSpec",
    "Product",
    "Profile",
]
