"""The neighbours who read, watch, like and comment, and one spammer for the moderators."""

from townsquare.demo.content.spec import Author, Member, Profile, image, link, text


def _profile(handle: str, name: str, bio: str, area: str, palette: tuple[str, str]) -> Profile:
    return Profile(handle, name, bio, f"{area}, Bristol", palette=palette)


MEMBERS: tuple[Member, ...] = (
    Member(
        _profile(
            "sam_k",
            "Sam Kowalski",
            "Nurse, weekend baker, flat white enthusiast.",
            "Bedminster",
            ("#dc2626", "#fef3c7"),
        ),
        interests={"baking": 0.9, "food": 0.7, "coffee": 0.6},
        activity=0.8,
        topics=("baking", "food"),
        posts=(
            image(
                "My first loaf that didn't flop",
                "Six attempts later: a loaf that actually rose! Thanks @maya_bakes for the "
                "bulk fermentation temperatures, that was the missing piece.",
            ),
        ),
    ),
    Member(
        _profile(
            "lena_runs",
            "Lena Fischer",
            "Physio by day, trail runner by evening. Training for my first ultra.",
            "Southville",
            ("#0d9488", "#fde047"),
        ),
        interests={"running": 1.0, "outdoors": 0.8, "fitness": 0.6, "coffee": 0.3},
        activity=0.9,
        topics=("running", "outdoors"),
        posts=(
            text(
                "Finished my first trail half marathon today: 2h21m, 480 m of climbing, and I "
                "hiked every steep bit like Tom told us to. Legs destroyed, heart full."
            ),
        ),
    ),
    Member(
        _profile(
            "oscar_dev",
            "Oscar Lindqvist",
            "Backend developer, hobby game maker, jam regular.",
            "Easton",
            ("#4f46e5", "#f472b6"),
        ),
        interests={"gamedev": 0.9, "gaming": 0.8, "pixelart": 0.7, "coffee": 0.3},
        activity=0.7,
        topics=("gamedev", "gaming"),
        posts=(
            link(
                "https://itch.io/jams",
                "Anyone up for a game jam team this month? I do code, need an artist.",
            ),
        ),
    ),
    Member(
        _profile(
            "amara_makes",
            "Amara Osei",
            "Textile designer. I make things with my hands whenever I can.",
            "Montpelier",
            ("#9333ea", "#facc15"),
        ),
        interests={"crafts": 0.9, "ceramics": 0.8, "design": 0.7},
        activity=0.6,
    ),
    Member(
        _profile(
            "jo_hikes",
            "Jo Patel",
            "Hills, maps, and a flask of tea. Slowly learning to run.",
            "Knowle",
            ("#166534", "#93c5fd"),
        ),
        interests={"outdoors": 1.0, "running": 0.5, "food": 0.4},
        activity=0.6,
        topics=("outdoors",),
        posts=(
            image(
                "Cheddar Gorge, golden hour",
                "Cheddar Gorge at golden hour. The clifftop path is muddy but worth it.",
            ),
        ),
    ),
    Member(
        _profile(
            "ben_plays",
            "Ben Carter",
            "Plays too many cozy games. Backlog: infinite.",
            "Redland",
            ("#2563eb", "#fb7185"),
        ),
        interests={"gaming": 1.0, "pixelart": 0.5, "gamedev": 0.4},
        activity=0.8,
    ),
    Member(
        _profile(
            "rosie_crumb",
            "Rosie Allen",
            "Retired teacher. Bread, pots, and my allotment.",
            "Windmill Hill",
            ("#be123c", "#a7f3d0"),
        ),
        interests={"baking": 0.8, "ceramics": 0.6, "food": 0.6, "crafts": 0.4},
        activity=0.7,
    ),
    Member(
        _profile(
            "marcus_t",
            "Marcus Thompson",
            "Personal trainer. Early runs, strong coffee.",
            "Bedminster",
            ("#ea580c", "#1e3a8a"),
        ),
        interests={"fitness": 0.9, "running": 0.8, "coffee": 0.6},
        activity=0.5,
    ),
    Member(
        _profile(
            "yuki_draws",
            "Yuki Tanaka",
            "Illustrator. Pixels, ink and glaze tests.",
            "Stokes Croft",
            ("#db2777", "#67e8f9"),
        ),
        interests={"pixelart": 1.0, "design": 0.8, "gaming": 0.5, "ceramics": 0.4},
        activity=0.7,
        topics=("pixelart", "gaming"),
        posts=(
            image(
                "Lanternfall fan art",
                "Fan art of the apprentice from Lanternfall, in the game's 24-colour palette.",
            ),
        ),
    ),
    Member(
        _profile(
            "nina_g",
            "Nina Gallo",
            "Food writer. Will cross town for good bread and better coffee.",
            "Clifton",
            ("#a16207", "#f0abfc"),
        ),
        interests={"food": 0.9, "coffee": 0.9, "baking": 0.6},
        activity=0.7,
    ),
    Member(
        _profile(
            "felix_outdoors",
            "Felix Brandt",
            "Climber, hiker, occasional trail runner.",
            "Totterdown",
            ("#0f766e", "#fca5a5"),
        ),
        interests={"outdoors": 0.9, "running": 0.7, "coffee": 0.4},
        activity=0.4,
    ),
    Member(
        _profile(
            "hana_studio",
            "Hana Kim",
            "Architect. Collects mugs, throws wonky ones on Tuesdays.",
            "Totterdown",
            ("#0369a1", "#fdba74"),
        ),
        interests={"ceramics": 1.0, "design": 0.8, "coffee": 0.5},
        activity=0.8,
        topics=("ceramics", "crafts"),
        posts=(
            text(
                "Anyone in Totterdown want to share a kiln? I have a small electric kiln and "
                "fire to cone 6 about once a month. Split the electricity, roughly £8 a firing."
            ),
        ),
    ),
    Member(
        _profile(
            "ollie_codes",
            "Ollie Reid",
            "Gameplay programmer. Godot fan. Runs slowly on Sundays.",
            "Easton",
            ("#7e22ce", "#bef264"),
        ),
        interests={"gamedev": 1.0, "coffee": 0.7, "running": 0.3},
        activity=0.6,
    ),
    Member(
        _profile(
            "grace_w",
            "Grace Williams",
            "New to Bristol. Curious about everything.",
            "Bedminster",
            ("#475569", "#fcd34d"),
        ),
        interests={"food": 0.5, "outdoors": 0.5, "crafts": 0.5, "coffee": 0.5, "gaming": 0.3},
        activity=0.3,
    ),
    Member(
        _profile(
            "dan_miles",
            "Dan Murphy",
            "Couch to trail, one week at a time. Also learning sourdough.",
            "Southville",
            ("#b91c1c", "#86efac"),
        ),
        interests={"running": 0.7, "fitness": 0.5, "baking": 0.5},
        activity=0.5,
        topics=("running", "fitness"),
        posts=(
            text(
                "Week 3 of the couch-to-trail 10k plan done. Did the 6 km long run without "
                "walking once. Shins are complaining a bit, taking a rest day."
            ),
        ),
    ),
    Member(
        _profile(
            "kofi_a",
            "Kofi Asante",
            "Home barista, amateur potter, product designer.",
            "Southville",
            ("#854d0e", "#a5b4fc"),
        ),
        interests={"coffee": 1.0, "design": 0.5, "ceramics": 0.5, "food": 0.5},
        activity=0.7,
    ),
)

SPAMMER = Author(
    profile=Profile(
        "growthhacks_4u",
        "Growth Hacks",
        "DM for promo!!!",
        "",
        palette=("#000000", "#ff00ff"),
    ),
    role="spam account, hidden and reported by members: for the moderation demo",
    topics=("spam",),
    posts=(
        link(
            "https://followers-fast.example/deal",
            "GET 10,000 FOLLOWERS IN 24 HOURS!!! Limited offer, click now before it's gone!!!",
        ),
    ),
    replies=(),
)
REPORTER = "hana_studio"  # the member who reports the spam post

# Members worth signing in as, and why.
FEATURED_MEMBERS: dict[str, str] = {
    "lena_runs": "member: keen trail runner who follows Tom",
    "sam_k": "member: home baker and coffee fan; has DMs with Maya",
    "ben_plays": "member: cozy gamer who mostly watches; follows Priya",
}
