"""Maya, a sourdough baker with a Saturday market stall."""

from townsquare.demo.content.spec import Author, Profile, image, link, text, video

MAYA = Author(
    profile=Profile(
        handle="maya_bakes",
        display_name="Maya Okafor",
        bio="Sourdough baker. Saturday micro-bakery stall on North Street, Bedminster, 8am-1pm. "
        "Monthly beginners' classes. Here to help you bake bread you're proud of.",
        location="Bedminster, Bristol",
        website="https://crumbandcrust.example",
        palette=("#c2410c", "#fde68a"),
    ),
    role="creator: sourdough baker with a Saturday market stall",
    topics=("baking", "food"),
    posts=(
        text(
            "Starter care, the short version.\n\n"
            "- Feed at 1:5:5 by weight: 10 g starter, 50 g flour, 50 g water (about 25C water).\n"
            "- At 22-24C it peaks 4-6 hours after a feed: doubled, domed, full of bubbles, "
            "smelling of yoghurt rather than nail-polish remover.\n"
            "- Use it at or just before the peak. Past the peak it collapses and gets sour.\n"
            "- Not baking this week? Feed it, leave it out 1 hour, then fridge (4C). "
            "Once a week is enough in the fridge.\n"
            "- Grey liquid on top (hooch) just means it's hungry. Pour it off and feed.\n"
            "- Sluggish starter: swap 20% of the flour for wholemeal rye for three feeds "
            "and keep it somewhere warm, like the oven with only the light on."
        ),
        text(
            "My weekly bake schedule, for anyone who asks when I sleep:\n\n"
            "Thursday 8pm - build the levain.\n"
            "Friday 8am - mix flour and water (45 min autolyse), then add levain and salt.\n"
            "Friday 9am-1pm - bulk ferment at 24C, 4 sets of coil folds every 30 min for the "
            "first 2 hours, then hands off.\n"
            "Friday 2pm - divide, pre-shape, bench rest 20 min, final shape.\n"
            "Friday 3pm - into the fridge at 4C for a 14-16 hour cold retard.\n"
            "Saturday 4am - bake, 12 loaves per oven load.\n"
            "Saturday 8am-1pm - the stall on North Street.\n\n"
            "Pre-orders close Thursday at 6pm."
        ),
        text(
            "Hydration, explained with baker's percentages. Everything is relative to flour "
            "weight = 100%.\n\n"
            "My country loaf for two loaves:\n"
            "- 1000 g flour (900 g strong white, 100 g wholemeal) = 100%\n"
            "- 750 g water = 75% hydration\n"
            "- 200 g ripe levain = 20%\n"
            "- 20 g salt = 2%\n\n"
            "If you're starting out, drop to 68-70% hydration: the dough is far easier to shape. "
            "Wholemeal and rye absorb more water, so add 5-10% for every 30% of wholegrain flour."
        ),
        text(
            "How long does bulk fermentation take? It depends on dough temperature more than "
            "anything else. With 20% levain:\n\n"
            "- 21C: 7-8 hours\n"
            "- 24C: about 5 hours\n"
            "- 27C: 3.5-4 hours\n\n"
            "Watch the dough, not the clock: a 50-75% rise in a straight-sided container, "
            "bubbles along the sides, a domed top and a jiggle when you shake the tub. "
            "Trick: put a small piece of dough in a jar with a rubber band at its level "
            "(an aliquot jar) and read the rise off that."
        ),
        text(
            "Unpopular opinion: stop chasing the open crumb.\n\n"
            "Huge irregular holes photograph well but butter falls through them and they make "
            "poor toast. A moderately open, even crumb means a well-fermented loaf. And big "
            "tunnels under a dense base are often 'fool's crumb': an under-proofed loaf, not a "
            "good one. Aim for even bubbles, a glossy crumb and a loaf that tastes good on "
            "day three."
        ),
        text(
            "Baking sourdough in a home oven:\n\n"
            "1. Preheat the oven with a cast-iron Dutch oven inside to 250C for 45 minutes.\n"
            "2. Turn the loaf out onto baking paper, score it 1 cm deep at a shallow angle.\n"
            "3. Bake 20 minutes with the lid on (the trapped steam lets the loaf spring).\n"
            "4. Lid off, drop to 230C, bake 20-25 more minutes until deep brown.\n"
            "5. It's done at 96-98C inside, or when it sounds hollow tapped underneath.\n"
            "6. Cool 2 hours before slicing: the crumb is still setting.\n\n"
            "No Dutch oven? Use a baking stone or upturned tray and a roasting tin with a cup "
            "of boiling water on the bottom shelf for the first 15 minutes."
        ),
        text(
            "Stall FAQ\n\n"
            "Where/when: North Street, Bedminster, Saturdays 8am-1pm.\n"
            "Prices: country loaf £5.50, seeded rye £6.00, spelt & honey £6.50, walnut & fig "
            "£7.00, cardamom buns £3.00 each or 4 for £11.\n"
            "Payment: card or cash.\n"
            "Pre-orders: on my website until Thursday 6pm, collect by 11am.\n"
            "Allergens: everything contains gluten. Walnut & fig contains nuts; the seeded rye "
            "contains sesame. I bake in a kitchen that handles both.\n"
            "Anything left after 12:30pm is half price."
        ),
        text(
            "Beginners' sourdough classes: first Sunday of every month, 10am-3pm, at Windmill "
            "Hill Community Centre. £65 including lunch. Maximum 6 people.\n\n"
            "You mix, fold and shape your own dough, bake a loaf I prepared the day before, and "
            "go home with a jar of my starter (she's called Doris, she's 9 years old) and a "
            "printed schedule. No experience needed. Booking on my website."
        ),
        text(
            "Troubleshooting a flat loaf, in order of likelihood:\n\n"
            "1. Over-proofed: bulk went too long or too warm. Shorten bulk or cool the dough.\n"
            "2. Weak starter: make sure it doubles within 6 hours before you bake with it.\n"
            "3. Not enough tension when shaping: the surface should feel taut.\n"
            "4. Hydration too high for your flour: try 5% less water.\n"
            "5. Oven not hot enough: preheat the pot for the full 45 minutes."
        ),
        image(
            "Saturday's crumb",
            "Crumb shot from this morning's country loaf. 75% hydration, 16 hour retard. "
            "Even, glossy, and it toasts beautifully.",
        ),
        image(
            "Cardamom buns",
            "Cardamom buns are back on the stall this Saturday: enriched dough, brown butter, "
            "freshly ground cardamom and a pearl-sugar top. £3 each, 4 for £11.",
        ),
        image(
            "The North Street stall",
            "Sold out by 11:40 today, thank you Bedminster! Pre-order if you want to be sure "
            "of a loaf next week.",
        ),
        video(
            "Coil folds",
            40,
            "Coil folds in 40 seconds: wet hands, lift from the middle until the dough releases "
            "from the tub, let it fold under itself, turn the tub 90 degrees and repeat.",
        ),
        video(
            "Shaping a batard",
            75,
            "Shaping a batard: fold the sides in, roll it up tightly from the top, then drag it "
            "towards you to build surface tension.",
        ),
        video(
            "Sourdough, start to finish",
            360,
            "The whole process in one video: feeding the starter, mixing, folds, shaping, the "
            "overnight retard and the bake. Six minutes, no cuts.",
        ),
        link(
            "https://en.wikipedia.org/wiki/Sourdough",
            "A good primer on the history and the microbiology of sourdough, "
            "if you like knowing why it works.",
        ),
        link(
            "https://crumbandcrust.example/classes",
            "Dates for the next three beginners' classes are up. Two places left in March.",
        ),
    ),
    replies=(
        "Thank you! Keep the dough around 24C and it behaves.",
        "Glad it helped. Watch the dough, not the clock!",
        "Come and say hi at the stall on Saturday.",
        "Yes, 1:5:5 works for rye starters too, just a bit stiffer.",
        "Try 5% less water next time, it makes shaping much easier.",
        "Send me a photo of the crumb and I'll tell you what I see.",
    ),
)
