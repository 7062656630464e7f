"""Ember & Oak, a neighbourhood coffee roaster with a café and a small online shop."""

from townsquare.demo.content.spec import Author, Product, Profile, image, link, text, video

CATALOG: tuple[Product, ...] = (
    Product(
        "EO-HOUSE-250",
        "House Espresso blend, 250 g",
        "coffee",
        950,
        48,
        "Brazil Cerrado and Colombia Huila. Milk chocolate, hazelnut, a little cherry. "
        "Made for milk drinks.",
    ),
    Product(
        "EO-ETH-250",
        "Ethiopia Yirgacheffe (washed), 250 g",
        "coffee",
        1150,
        22,
        "Jasmine, bergamot and lemon. Light roast; best as filter.",
    ),
    Product(
        "EO-KEN-250",
        "Kenya Kiambu AA, 250 g",
        "coffee",
        1250,
        6,
        "Blackcurrant, grapefruit, heavy body. Light-medium roast. Limited lot.",
    ),
    Product(
        "EO-DECAF-250",
        "Colombia Huila decaf (sugarcane process), 250 g",
        "coffee",
        1050,
        30,
        "Caramel, red apple. Decaffeinated with ethyl acetate from sugarcane, no solvents "
        "you'd worry about.",
    ),
    Product(
        "EO-BRA-1KG",
        "Brazil Cerrado, 1 kg",
        "coffee",
        2800,
        15,
        "Peanut, cocoa, low acidity. Medium roast, great value for offices and big households.",
    ),
    Product(
        "EO-COLD-1L",
        "Cold brew concentrate, 1 L",
        "coffee",
        800,
        12,
        "Steeped 18 hours. Dilute 1:1 with water or milk. Keeps 2 weeks in the fridge.",
    ),
    Product(
        "EO-SUB-2X250",
        "Subscription: 2 x 250 g every two weeks",
        "subscription",
        1900,
        999,
        "Two roaster's-choice coffees every other week, free local delivery. Pause or cancel "
        "any time.",
    ),
    Product(
        "EO-V60",
        "Hario V60 ceramic dripper, size 02",
        "equipment",
        2200,
        9,
        "The pour-over dripper we use on the brew bar. Fits 1-4 cups.",
    ),
    Product(
        "EO-FILTERS",
        "V60 paper filters, 100 pack",
        "equipment",
        550,
        40,
        "Bleached 02 filters. Rinse before brewing.",
    ),
    Product(
        "EO-GRINDER",
        "Baratza Encore burr grinder",
        "equipment",
        14900,
        3,
        "40 grind settings, from espresso-ish to French press. The best first grinder.",
    ),
    Product(
        "EO-GIFT-25",
        "Gift card, £25",
        "gift",
        2500,
        999,
        "Spend in the café or online. Valid for 2 years.",
    ),
)


def _price_list() -> str:
    lines = [f"- {p.name}: {p.price}" for p in CATALOG if p.category == "coffee"]
    return (
        "This week's coffee, all roasted on Tuesday or Friday:\n\n"
        + "\n".join(lines)
        + "\n\nFree local delivery on orders over £25 to BS3 and BS4 postcodes; £3.95 "
        "elsewhere in the UK."
    )


EMBER = Author(
    profile=Profile(
        handle="emberandoak",
        display_name="Ember & Oak Coffee Roasters",
        bio="Small-batch coffee roasters on North Street, Bedminster. We roast on Tuesdays and "
        "Fridays. Café open Mon-Fri 7:30am-4pm, Sat-Sun 8:30am-4pm.",
        location="North Street, Bedminster, Bristol",
        website="https://emberandoak.example",
        palette=("#78350f", "#fb923c"),
    ),
    role="business: coffee roaster with a café and an online shop",
    topics=("coffee", "food"),
    kind="business",
    posts=(
        text(_price_list()),
        text(
            "Opening hours and the practical stuff:\n\n"
            "Café: Mon-Fri 7:30am-4pm, Sat-Sun 8:30am-4pm. Closed bank holidays.\n"
            "Roasting: Tuesdays and Fridays; online orders ship the day after roasting.\n"
            "Delivery: free over £25 to BS3 and BS4 postcodes (by bike, on Wednesdays and "
            "Saturdays); £3.95 by post elsewhere in the UK.\n"
            "Returns: unopened equipment within 30 days. Coffee can't be returned, but tell "
            "us if you don't like it and we'll make it right."
        ),
        text(
            "Our V60 recipe, as we brew it on the bar:\n\n"
            "15 g coffee, medium-fine (Encore setting 14), 250 g water at 94C.\n"
            "0:00 pour 40 g and swirl (the bloom).\n"
            "0:45 pour to 150 g in slow circles.\n"
            "1:15 pour to 250 g.\n"
            "Drawdown should finish between 2:30 and 3:00. Faster: grind finer. Slower: "
            "grind coarser."
        ),
        text(
            "Espresso dial-in for the House blend:\n\n"
            "18 g in, 36 g out, 27-30 seconds, at 93C. Taste it: sour and thin means grind "
            "finer; bitter and dry means grind coarser. Rest the beans 7-10 days after the "
            "roast date for espresso, 3-5 days for filter."
        ),
        text(
            "The subscription, explained: £19 every two weeks gets you two 250 g bags of "
            "roaster's-choice coffee, usually one crowd-pleaser and one adventurous lot. "
            "Free delivery in BS3 and BS4. Tell us 'filter', 'espresso' or 'both' and whether "
            "you want decaf. Pause or cancel any time from your account, no questions."
        ),
        text(
            "Heads up: only 6 bags left of the Kenya Kiambu AA (£12.50). Blackcurrant and "
            "grapefruit, and it won't be back this year. The Ethiopia Yirgacheffe is well "
            "stocked if you miss out."
        ),
        text(
            "Back in stock: the Baratza Encore grinder (£149), 3 in the shop. If you buy one "
            "thing to improve your coffee at home, make it a burr grinder: even particle size "
            "means even extraction."
        ),
        image(
            "New arrival: Ethiopia Yirgacheffe",
            "New arrival! Washed Ethiopia Yirgacheffe, jasmine and bergamot. £11.50 for 250 g, "
            "on the filter bar all week.",
        ),
        image(
            "Cold brew season",
            "Cold brew concentrate is back: 18-hour steep, £8 a litre. Dilute 1:1.",
        ),
        video(
            "Friday roast day",
            60,
            "Friday roast day: 12 kg batches, first crack at about 9 minutes, dropped at 10:30 "
            "for the House blend.",
        ),
        video(
            "Cupping the new lots",
            240,
            "Cupping four new lots with the team: how we score sweetness, acidity and "
            "aftertaste before we buy a coffee.",
        ),
        link(
            "https://emberandoak.example/shop",
            "The online shop: beans, gear, gift cards and the subscription.",
        ),
    ),
    replies=(
        "Thanks! It's on the bar all week.",
        "Grind a touch finer and it'll sing.",
        "We deliver free in BS3 and BS4 over £25.",
        "Come and try it in the café, first cup's on us.",
        "Yes! Back in stock now.",
    ),
)
