"""What members say: comments by topic, and a few direct-message conversations."""

from townsquare.demo.content.spec import Conversation

# Comments a member may leave on a post, keyed by the post's main topic.
COMMENTS: dict[str, tuple[str, ...]] = {
    "baking": (
        "That crumb! What hydration is this?",
        "Trying this schedule this weekend.",
        "My starter finally doubled thanks to the rye trick.",
        "Those cardamom buns were gone by 10 last week, set an alarm people.",
        "Saving this for later.",
        "How long do you preheat the pot?",
        "This explains every flat loaf I've ever made.",
    ),
    "food": (
        "Looks incredible.",
        "Adding this to my Saturday list.",
        "Best thing on North Street, no contest.",
    ),
    "coffee": (
        "The Ethiopia is stunning as a V60.",
        "Do you do oat milk in the café?",
        "Setting 14 on the Encore was spot on, thank you.",
        "Just signed up for the subscription!",
        "Is the decaf good for espresso?",
    ),
    "running": (
        "See you Thursday!",
        "Slowing down my easy runs actually worked.",
        "What gels do you use?",
        "That descent looks brutal.",
        "Printing this plan right now.",
        "Power-hiking changed my life on hills.",
    ),
    "outdoors": (
        "Stunning. Where exactly is this?",
        "Worth the early alarm!",
        "Adding this to my list of walks.",
    ),
    "fitness": (
        "Great advice for beginners.",
        "80/20 is so underrated.",
    ),
    "gamedev": (
        "The integer scaling tip saved my project.",
        "Thanks for sharing real numbers, so rare.",
        "9 ms to 2 ms is a great win.",
        "One mechanic. Noted.",
        "Godot 4 has been great for me too.",
    ),
    "gaming": (
        "Wishlisted!",
        "This looks so cozy.",
        "Will it run on the Steam Deck?",
        "The demo was lovely, got stuck on puzzle 14 though.",
    ),
    "pixelart": (
        "That palette is gorgeous.",
        "The hue shifting really shows.",
        "Love the walk cycle.",
    ),
    "ceramics": (
        "That blue glaze!",
        "Are these dishwasher safe?",
        "Centring is my nemesis.",
        "Setting a reminder for the shop drop.",
        "The course was the best thing I did this year.",
        "The cost breakdown is eye-opening.",
    ),
    "crafts": (
        "Beautiful work.",
        "So satisfying to watch.",
    ),
    "design": (
        "Such a clean form.",
        "The proportions on these are perfect.",
    ),
}

CONVERSATIONS: tuple[Conversation, ...] = (
    Conversation(
        days_ago=24,
        messages=(
            ("sam_k", "Hi Maya! My starter smells like nail-polish remover. Is it dead?"),
            (
                "maya_bakes",
                "Not dead, just hungry! That smell is acetone from a starter past its peak. "
                "Feed it 1:5:5 twice a day for two days and it'll smell like yoghurt again.",
            ),
            ("sam_k", "Thank you, will do. See you at the stall Saturday."),
        ),
    ),
    Conversation(
        days_ago=19,
        messages=(
            ("lena_runs", "Are you doing Tom's Thursday run this week?"),
            ("marcus_t", "Yes! Faster group or slower?"),
            ("lena_runs", "Slower, I've got my long run on Saturday. Lift there?"),
            ("marcus_t", "Pick you up at 6:10."),
        ),
    ),
    Conversation(
        days_ago=15,
        messages=(
            (
                "dan_miles",
                "Hi Tom, I'm on week 3 of your 10k plan and my shins ache after runs. "
                "Should I keep going?",
            ),
            (
                "tom_trails",
                "Take two easy days off and repeat week 3 rather than moving on. Keep runs on "
                "soft trails, not pavement. If it hurts to walk, or a spot on the bone is sore "
                "to touch, see a physio before running again.",
            ),
            ("dan_miles", "Makes sense. Repeating week 3 it is."),
        ),
    ),
    Conversation(
        days_ago=12,
        messages=(
            ("hana_studio", "Hi June, is there space on the Saturday course starting on the 4th?"),
            (
                "june_clayworks",
                "The Saturday one is full, sorry! Two places left on Tuesdays, 7-9pm. Or I can "
                "put you first on the waiting list for Saturdays.",
            ),
            ("hana_studio", "Tuesday works. Booking now!"),
        ),
    ),
    Conversation(
        days_ago=9,
        messages=(
            ("nina_g", "Hello! Can I pause my subscription for three weeks while I'm away?"),
            (
                "emberandoak",
                "Of course. It's paused from today; your next delivery will be the Wednesday "
                "after you're back. Have a lovely trip!",
            ),
        ),
    ),
    Conversation(
        days_ago=7,
        messages=(
            ("oscar_dev", "Saw your Godot posts. Want to team up for the jam next month?"),
            ("ollie_codes", "Yes! I'm in. Do we have an artist?"),
            ("oscar_dev", "Going to ask Yuki, her pixel art is amazing."),
        ),
    ),
    Conversation(
        days_ago=4,
        messages=(
            ("yuki_draws", "Hi Priya, is it OK if I share fan art of Lanternfall?"),
            (
                "pixelfern",
                "Please do, I'd love that! Tag me and I'll share it too.",
            ),
        ),
    ),
)
