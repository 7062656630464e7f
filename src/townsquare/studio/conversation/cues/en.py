"""English: the cue words of a member's question in English."""

from __future__ import annotations

from townsquare.studio.conversation.cues.table import Cues

_MONEY = r"money|deposit|postage|shipping|delivery|fees?|discount|rent|tip|change|extra|more"
# What getting an order to the member costs is called ("postage", "your travel fee").
_FEE = r"postage|shipping|delivery|p&p|travel|call-?out"
_AUX = r"is|are|does|do|did|was|were|will|would|can|could|should|has|have|may|am"
ENGLISH = Cues(
    types=(
        ("yesno", rf"^(?:{_AUX})\b"),
        (
            "duration",
            r"\bhow long\b|\bhow much (?:time|notice)\b|\bduration\b"
            r"|\bhow many (?:minutes|hours|days|weeks|months|years)\b",
        ),
        # "how much salt" asks a quantity; "how much deposit" a price
        ("quantity", rf"\bhow much (?!(?:{_AUX}|{_MONEY}|for|to|it|altogether|each)\b)[a-z]+"),
        (
            "price",
            r"\bhow much\b|\bcost(?:s|ing)?\b|\bprices?d?\b|\bfees?\b|\bcharge[sd]?\b"
            r"|\bpay(?:ing)?\b|\bexpensive\b|\bcheap\b|\btotal\b|\bpostage\b|\bshipping\b|\brates?\b|\bbill\b"
            r"|\bput down\b|\bup ?front\b|\bcomes? to(?= altogether| in total| together|\?)"
            r"|\bowe\b|\bthe damage\b|\bworks? out (?:at|to)\b|\bset (?:me|us|you) back\b",
        ),
        ("age", r"\bhow old\b|\bwhat age\b|\bages\b|\bage (?:group|limit|range)\b|\bminimum age\b"),
        ("level", r"\b(?:what|which) level\b|\bsuitable for\b|\bexperience\b"),
        (
            "time",
            r"\bwhat time\b|\bwhich time\b|\bopening (?:hours|times)\b|\bwhat hours\b"
            r"|\bhow late\b|\bhow early\b",
        ),
        (
            "when",
            rf"^when\b|\bwhen (?:{_AUX})\b|\bwhat date\b|\b(?:until|till) when\b"
            r"|\b(?:what|which) (?:day|date|month|morning|afternoon|evening|night|weekday)s?\b"
            r"|\blast day\b|\blatest date\b|\bdeadline\b|\bby when\b",
        ),
        (
            "place",
            r"\bwhere\b|(?<!email )\baddress\b|\blocation\b|\blocated\b"
            r"|\bwhich (?:town|city|venue)\b",
        ),
        (
            "name",
            r"\bwho\b|\bname of\b|\bwhat(?:'s| is) (?:the |your |her |his )?name\b|\bcalled\b",
        ),
        ("distance", r"\bhow far\b|\bdistance\b|\bradius\b|\bhow many (?:miles|km)\b"),
        ("quantity", r"\bhow many\b|\bnumber of\b|\bhow big\b|\bcapacity\b"),
    ),
    asking=frozenset(
        """much cost costs price prices priced fee fees charge pay rate rates expensive cheap
        total long time notice duration old age ages level suitable experience when date day
        days what
        which where address location located who name called many number big far capacity
        distance radius miles travel
        hours open opening close start finish end next upcoming coming deadline last late latest
        early need take takes offer offers sell sells provide run runs make makes get gets look
        looks happen happens usually anything something place come comes goes want like
        currently now whats wheres whos hows near around there ask asks bill owe damage set back
        paying""".split()  # noqa: SIM905
    ),
    total=(
        r"\b(?:in )?total\b|\baltogether\b|\ball in\b"
        r"|\b(?:with|plus|and|inc\.?|incl\.?|including|add(?:ing)?)"
        rf" (?:the |your |whatever your )?(?:{_FEE})\b(?: on top\b)?"
        r"|\b(?:posted|delivered|shipped|sent|mailed|couriered)(?: (?:over|out|off|across))? to\b"
        r"|\bdelivered(?=\s*[?!.,]|$)|\ball-in\b"
    ),
    shipping=rf"\b(?:{_FEE}|deliver(?:ed|ing)?|posted|post|courier|zone)\b",
    destination=(
        r"\bto (?!(?:altogether|in total|together)\b)(?:the |an? )?"
        r"((?:zone \d+|[a-z]+(?: [a-z]+)?))"
        r"(?=$|\s*[-,.?!;:]| (?:and|with|incl|includ|postage|please|what|how|for|by))"
    ),
    next=r"\bnext\b|\bupcoming\b|\bcoming up\b|\bsoonest\b",
    current=r"\bnow\b|\bcurrently\b|\bthese days\b|\bany ?more\b|\bat the moment\b",
    until=r"\buntil\b|\btill?\b|\b'til\b|\bto go\b|\baway\b|\bleft\b",
    each=r"\bper [a-z]+\b|\beach\b|\bapiece\b|\ba piece\b",
    us=r"\bof us\b",
    split=(
        r"\bsplit(?:ting)?\b|\bgo(?:ing)? halves\b|\bhalf each\b|\bchip(?:ping)? in\b"
        r"|\bshar(?:e|ing) the (?:cost|bill|price)\b"
    ),
    deadline=r"\bby when\b|\blast day\b|\bdeadline\b|\buntil when\b|\bhow long do i have\b",
    discount=r"\boff\b|\bdiscount\b|\bless\b|\breduction\b|\bsaving\b",
    counts={"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8},
    shorthand=(
        (r"\b(when|where|what|who|how)s\b", r"\1 is"),  # "whens", "wheres": no apostrophe
        (r"(?<![\w-])ur(?![\w-])", "your"),
        (r"(?<![\w-])u(?![\w-])", "you"),  # not the "U" of "U-lock"
        (r"(?<![\w-])wd(?![\w-])", "would"),
    ),
    together=r"\s(?:plus|and|as well as|along with|together with)\s",
    two_people=r"\b(?:me|i) and (?:my |a )?\w+\b|\bboth of us\b|\bthe two of us\b",
    today="today",
    described=(
        r"\b[Tt]he (?:(?!(?:on|in|at|of|for|with|to|from|by|your|my|our|when|where|while|if"
        r"|and|or|but|as)\b)[a-z'-]+ ){1,3}"
        r"(?:(?:that|which|who|whom|you|we|she|he|they)\b|[A-Z][a-z]+ [a-z])"
    ),
)
