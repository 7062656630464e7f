"""Priya, a solo indie developer making a pixel-art puzzle game."""

from townsquare.demo.content.spec import Author, Profile, image, link, text, video

PRIYA = Author(
    profile=Profile(
        handle="pixelfern",
        display_name="Priya Nair",
        bio="Solo indie dev making Lanternfall, a cozy pixel-art puzzle adventure, in Godot 4. "
        "Devlogs every Tuesday. Wishlist it on Steam!",
        location="Stokes Croft, Bristol",
        website="https://lanternfall.example",
        palette=("#7c3aed", "#22d3ee"),
    ),
    role="creator: indie game developer making a pixel-art game",
    topics=("gamedev", "gaming", "pixelart"),
    posts=(
        text(
            "Lanternfall FAQ\n\n"
            "What is it? A cozy puzzle adventure: you're a lighthouse keeper's apprentice "
            "bending light through a flooded town.\n"
            "Platforms: Windows, macOS and Linux on Steam at launch; Switch after.\n"
            "Price: £14.99 planned. No microtransactions, ever.\n"
            "Release: spring next year. A free demo is in the next Steam Next Fest.\n"
            "Length: 6-8 hours, about 120 puzzles, plus optional challenge rooms.\n"
            "Languages: English, French, German, Spanish and Japanese.\n"
            "Controllers: full support; Steam Deck verified is the goal."
        ),
        text(
            "Why I use Godot 4 for a pixel-art game:\n\n"
            "- MIT licensed: no royalties and no surprise pricing changes.\n"
            "- GDScript is quick to iterate; I only drop to C++ for the light solver.\n"
            "- Pixel-perfect setup: base resolution 320x180, Stretch Mode = viewport, "
            "Scale Mode = integer, and default texture filter = Nearest. That's it: no "
            "blurry sprites, no shimmering.\n"
            "- The 2D lighting (PointLight2D + LightOccluder2D) is the core of my puzzles."
        ),
        text(
            "Pixel-art palette tips that made the biggest difference to Lanternfall:\n\n"
            "1. Limit yourself: 16-32 colours total. Mine has 24.\n"
            "2. Hue-shift your ramps: shadows drift towards blue/purple, highlights towards "
            "yellow, instead of just darker and lighter versions of one hue.\n"
            "3. Avoid pure black and pure white; they flatten everything.\n"
            "4. Check your scene in greyscale: if you can't read it, the values are too close.\n"
            "5. Steal from the best: Lospec has hundreds of palettes to learn from."
        ),
        text(
            "Wishlist numbers, because indie devs should share them.\n\n"
            "Lanternfall has 4,200 wishlists after 8 months on Steam:\n"
            "- Store page launch: +300\n"
            "- Reddit GIF of the light puzzles: +600 in two days\n"
            "- Steam Next Fest demo: +1,100 in one week\n"
            "- Everything else (trailer, newsletters, streamers): the rest, slowly.\n"
            "The usual rule of thumb is that 10-20% of wishlists convert to sales in launch "
            "week, so I want 10,000 by release."
        ),
        text(
            "Devlog #31: lantern puzzles got fast.\n\n"
            "Each puzzle room was recomputing every light beam each frame: 9 ms per frame on "
            "a Steam Deck, far too much. Now beams only recompute when a mirror moves, and the "
            "occluders are merged per room. 2 ms per frame. Also new this week: a hint system "
            "that shows you the first mirror to turn after 3 minutes stuck."
        ),
        text(
            "Game jam advice after 14 jams:\n\n"
            "- One mechanic. Seriously, one.\n"
            "- Have something playable after the first 6 hours, ugly is fine.\n"
            "- Stop adding features with 6 hours left: polish, sound, a title screen, and a "
            "one-line tutorial.\n"
            "- Sound effects are the cheapest polish there is (sfxr/jsfxr).\n"
            "- Upload 2 hours before the deadline. Jam servers melt at the end."
        ),
        text(
            "Opinion: don't make your dream game first.\n\n"
            "My first 'real' project was an open-world RPG. I abandoned it after two years. "
            "Lanternfall exists because I made 14 tiny jam games first and learned to finish "
            "things. Make small games, ship them, and the dream game will be better when you "
            "get to it."
        ),
        image(
            "Lanternfall: the lighthouse",
            "The lighthouse level, where the whole town's light comes from. Final art pass done.",
        ),
        image(
            "The 24-colour palette",
            "The full Lanternfall palette: 24 colours, hue-shifted ramps, no pure black.",
        ),
        video(
            "Lantern physics test",
            30,
            "Lantern physics test: swinging lanterns cast moving shadows, and the puzzle reacts.",
        ),
        video(
            "Walk cycle, 8 frames",
            20,
            "New walk cycle for the apprentice: 8 frames at 10 fps.",
        ),
        video(
            "Devlog #30: a save system in Godot",
            330,
            "Devlog #30: how I built save games in Godot 4: one Resource per save slot, "
            "versioned, written to user:// atomically.",
        ),
        link(
            "https://docs.godotengine.org/en/stable/",
            "The Godot docs: the tab I have open all day, every day.",
        ),
        link(
            "https://lanternfall.example/demo",
            "The Lanternfall demo is up: the first 20 puzzles. Tell me where you get stuck!",
        ),
    ),
    replies=(
        "Thank you so much! Wishlisting really helps.",
        "Integer scaling fixes that, check the stretch settings.",
        "Great question, there'll be a devlog about it soon.",
        "That's exactly the kind of feedback I need.",
        "Make tiny games first, you'll get there.",
        "The demo has controller support, yes!",
    ),
)
