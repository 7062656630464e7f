"""June, a potter who makes functional stoneware and teaches wheel-throwing."""

from townsquare.demo.content.spec import Author, Profile, image, link, text, video

JUNE = Author(
    profile=Profile(
        handle="june_clayworks",
        display_name="June Whitaker",
        bio="Potter making functional stoneware in a Totterdown studio. Six-week wheel courses, "
        "and a shop drop on the first Friday of every month.",
        location="Totterdown, Bristol",
        website="https://juneclayworks.example",
        palette=("#b45309", "#5eead4"),
    ),
    role="creator: ceramicist with courses and a monthly shop drop",
    topics=("ceramics", "crafts", "design"),
    posts=(
        text(
            "Caring for handmade stoneware\n\n"
            "- Dishwasher safe: yes. My pots are fired to cone 6 (about 1220C), where the clay "
            "vitrifies and doesn't absorb water.\n"
            "- Microwave safe: yes, except anything with gold lustre.\n"
            "- Oven: fine, but avoid thermal shock: don't put a cold dish into a hot oven or "
            "a hot one onto a wet, cold worktop.\n"
            "- The unglazed foot ring is sanded smooth, but put a mat under it on polished wood.\n"
            "- Tea stains come off with a paste of bicarbonate of soda."
        ),
        text(
            "My firing schedules, for the kiln nerds:\n\n"
            "Bisque to cone 04 (about 1060C): 60C/hour to 600C, because quartz changes size "
            "at 573C and fast heating cracks pots, then 150C/hour to the top.\n"
            "Glaze to cone 6 (about 1222C): 150C/hour to 1100C, 60C/hour to the top, 15-minute "
            "hold. For matte glazes I control the cooling at 100C/hour from 1100C to 800C so "
            "crystals can grow.\n"
            "A full glaze firing uses about 40 kWh in my kiln."
        ),
        text(
            "Six-week beginners' wheel course\n\n"
            "When: Tuesdays 7-9pm or Saturdays 10am-12pm. The next courses start on the 4th.\n"
            "Price: £195, including 10 kg of clay, glazes, and all firings.\n"
            "Group size: 6 at most, one wheel each.\n"
            "You'll learn: wedging, centring, opening, pulling walls, trimming and glazing. "
            "Most people take home 4-6 pots they're proud of.\n"
            "Book through my website; the Saturday courses fill up first."
        ),
        text(
            "Clay bodies, briefly:\n\n"
            "Earthenware fires low (cone 06-04, about 1000C): bright glazes, but it stays "
            "porous, so it's less good for mugs.\n"
            "Stoneware fires to cone 6-10 (1220-1300C): dense, strong, made for daily use. "
            "Most of my work is a buff stoneware.\n"
            "Porcelain fires hot too: white and translucent, but floppy on the wheel and "
            "unforgiving while drying.\n"
            "For hand-building I use a stoneware with about 25% grog, which stops big slabs "
            "warping and cracking."
        ),
        text(
            "A cone 6 glossy clear anyone can mix: the '20x5'.\n\n"
            "20% Custer feldspar, 20% silica, 20% whiting, 20% EPK kaolin, 20% Gerstley "
            "borate. Sieve through 80 mesh. It's stable on most stoneware; test on your own "
            "clay body before glazing a whole kiln. Add 2% red iron oxide for a honey amber, "
            "or 1% cobalt carbonate for a deep blue."
        ),
        text(
            "Centring tips, because everyone struggles with it:\n\n"
            "- Keep your hands and the clay wet, but not swimming.\n"
            "- Brace your left elbow on your left thigh. Your body does the work, not your "
            "wrists.\n"
            "- Wheel fast (80-90%) while centring, slower as you open and pull.\n"
            "- Cone the clay up and down three times before you open it.\n"
            "- Release pressure slowly. Letting go suddenly undoes the centring."
        ),
        text(
            "Shop drop FAQ\n\n"
            "When: the first Friday of each month, 7pm, on my website.\n"
            "Prices: mugs £32, small bowls £28, serving bowls £45, plates £30.\n"
            "Shipping: £6.50 anywhere in the UK, or free collection from the studio.\n"
            "Seconds sale: twice a year, in June and December, 30% off pots with small flaws.\n"
            "Commissions: dinner sets of 4 or more, 10-12 weeks lead time."
        ),
        text(
            "Why does a handmade mug cost £32? Here's the honest breakdown:\n\n"
            "- Clay and glaze: about £2\n"
            "- Kiln electricity, two firings: about £2\n"
            "- 45 minutes of hands-on time over six stages: throwing, trimming, handle, "
            "bisque, glazing, glaze firing\n"
            "- About 15% of pots crack, warp or glaze badly, and those costs land on the rest\n"
            "- Studio rent, card fees, packaging\n"
            "Which leaves me roughly £14 an hour. I love it, but that's the maths."
        ),
        image(
            "Fresh out of the glaze kiln",
            "Opening the glaze kiln is still the best moment of the month. "
            "Speckled oatmeal and the new blue.",
        ),
        image(
            "Speckled mugs",
            "Twelve speckled mugs for Friday's shop drop, 7pm. £32 each.",
        ),
        video(
            "Pulling a handle",
            60,
            "Pulling a handle: a wet carrot of clay, long even strokes, then let it stiffen "
            "for 20 minutes before attaching.",
        ),
        video(
            "Trimming a bowl foot",
            50,
            "Trimming a foot ring on a leather-hard bowl. Tap-centre it, secure with three "
            "clay coils, and trim until it sounds hollow.",
        ),
        video(
            "Throwing four bowls, real time",
            390,
            "Throwing a set of four matching bowls in real time, using a 600 g ball of clay "
            "each and a simple stick gauge to keep them the same size.",
        ),
        link(
            "https://en.wikipedia.org/wiki/Stoneware",
            "Stoneware's history goes back to China in the Shang dynasty. Good read.",
        ),
        link(
            "https://juneclayworks.example/shop",
            "The shop is open: the drop goes live at 7pm tonight.",
        ),
    ),
    replies=(
        "Thank you! That glaze is the 20x5 with iron.",
        "Yes, all my pots are dishwasher safe.",
        "Come to a course, centring clicks in week two.",
        "The next drop is the first Friday, 7pm.",
        "Brace that elbow and it gets so much easier.",
        "So glad you like them!",
    ),
)
