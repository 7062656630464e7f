"""Tom, a trail runner and coach who leads a weekly group run."""

from townsquare.demo.content.spec import Author, Profile, image, link, text, video

TOM = Author(
    profile=Profile(
        handle="tom_trails",
        display_name="Tom Reyes",
        bio="Trail and ultra runner, running coach. Free Thursday group run from Ashton Court, "
        "6:30pm, all paces welcome. Nobody gets dropped.",
        location="Southville, Bristol",
        website="https://tomtrails.example",
        palette=("#15803d", "#a3e635"),
    ),
    role="creator: trail runner and coach, leads a weekly group run",
    topics=("running", "outdoors", "fitness"),
    posts=(
        text(
            "Thursday group run, the details:\n\n"
            "- Meet 6:30pm at the Clifton Lodge gate of Ashton Court. Free, no sign-up.\n"
            "- 8 km loop, about 150 m of climbing, mostly gravel and woodland singletrack.\n"
            "- Two groups: roughly 6:00/km and 7:00/km. We regroup at the top of every climb.\n"
            "- October to March you need a head torch. It's dark in the woods by 5pm.\n"
            "- Back at the gate around 7:30pm, then coffee for whoever wants it.\n"
            "If the course is flooded I post a road alternative here by 4pm."
        ),
        text(
            "Couch-to-trail 10k in 8 weeks. Three runs a week, all at a chatty pace.\n\n"
            "Weeks 1-2: 3 x 20 min easy, walk breaks allowed.\n"
            "Weeks 3-4: 2 x 30 min easy + a long run of 5 then 6 km. Add one hilly route.\n"
            "Week 5: 2 x 35 min, one with 6 x 1 min uphill efforts, long run 8 km.\n"
            "Week 6: lighter week: 2 x 30 min, long run 6 km.\n"
            "Week 7: 2 x 40 min, long run 10 km on trail.\n"
            "Week 8: 2 x 25 min early in the week, then race or run your 10k at the weekend.\n\n"
            "Missed a week? Repeat the previous week rather than jumping ahead."
        ),
        text(
            "Fuelling long runs, the numbers I give my athletes:\n\n"
            "- Under 75 minutes: you don't need anything but water.\n"
            "- 90 minutes and longer: 30-60 g carbohydrate per hour, starting at 30-45 min.\n"
            "- Ultras: work up to 60-90 g/hour, using gels or drinks that mix glucose and "
            "fructose, which the gut absorbs by two routes.\n"
            "- Fluid: 400-800 ml per hour, more in heat. Drink to thirst.\n"
            "- Sodium: roughly 300-600 mg per hour on long, sweaty days.\n"
            "Train your gut: practise race-day fuelling on every long run, never try anything "
            "new on race day."
        ),
        text(
            "Trail shoes FAQ\n\n"
            "Lugs: 3-4 mm for mixed gravel and dry paths, 5-6 mm for mud and wet grass.\n"
            "Drop: whatever you run in now; change it gradually over a few weeks.\n"
            "Lifespan: 500-800 km. Replace them when the lugs are worn flat or the midsole "
            "feels dead.\n"
            "Rotation: two pairs, alternated, last longer and vary the load on your legs.\n"
            "Fit: a thumb's width at the toe, because feet swell on long runs and downhills."
        ),
        text(
            "Hills, uphill and down.\n\n"
            "Up: short quick steps, upright posture, drive the arms. When the grade passes about "
            "15%, or your breathing goes ragged, power-hike with hands on your quads; "
            "most ultra runners hike the steep bits and so should you.\n"
            "Down: look 3-4 metres ahead, not at your feet, keep a high cadence, land under "
            "your hips, arms out for balance. Relax: stiff legs are what make you fall."
        ),
        text(
            "Opinion: most of you run your easy runs too fast.\n\n"
            "Around 80% of your weekly running should be easy: you can hold a full "
            "conversation, heart rate about 60-70% of max. The other 20% is the hard stuff: "
            "hills, intervals, tempo. Running everything at medium effort leaves you too tired "
            "to run the hard sessions properly and too slow to recover. Slow down to get faster."
        ),
        text(
            "Mountain race kit list (the usual mandatory kit):\n\n"
            "- Waterproof jacket with taped seams and a hood, plus waterproof trousers for "
            "longer races\n"
            "- Warm hat and gloves, even in summer\n"
            "- Foil emergency blanket and a whistle\n"
            "- At least 500 ml of water and some food\n"
            "- Charged phone, map of the route and a compass\n"
            "Check the race's own list: marshals do spot checks and you can be disqualified."
        ),
        text(
            "Coaching FAQ\n\n"
            "What: a weekly plan built around your life, adjusted every week from your "
            "training log, and a 30-minute video call once a month.\n"
            "Price: £55 per month, no minimum term.\n"
            "Who: anyone from first 10k to first 100k. I take at most 12 athletes; there's a "
            "waiting list, message me to join it.\n"
            "I don't coach injuries: see a physio first, then we build back."
        ),
        image(
            "Sunrise on the Mendips",
            "5:40am on Black Down. Worth every minute of the alarm.",
        ),
        image(
            "Thursday crew",
            "23 runners at Thursday's group run, our biggest yet. Thank you all for making it "
            "the best hour of my week.",
        ),
        video(
            "Downhill drills",
            45,
            "Three downhill drills: quick feet, arms out, and look ahead. Do them on a gentle "
            "grassy slope first.",
        ),
        video(
            "Packing my race vest",
            90,
            "Everything that goes in my vest for a 50k, and where: soft flasks in front, "
            "jacket in the back, food in the side pockets.",
        ),
        video(
            "Race report: Brecon Beacons 50k",
            300,
            "Race report: 50 km, 2,100 m of climbing, 6h42m. What went well (fuelling), what "
            "didn't (the descent off Pen y Fan in the fog).",
        ),
        link(
            "https://en.wikipedia.org/wiki/Trail_running",
            "If you're wondering what counts as trail running, this is a decent overview.",
        ),
        link(
            "https://tomtrails.example/10k-plan",
            "The printable version of the 8-week couch-to-trail 10k plan.",
        ),
    ),
    replies=(
        "Great stuff! Keep the easy runs easy.",
        "See you on Thursday, 6:30 at the gate.",
        "Hike the steep bits, there's no shame in it.",
        "Nice one. How did the fuelling go?",
        "Bring a head torch this time of year!",
        "Repeat the week if you missed runs, no rush.",
    ),
)
