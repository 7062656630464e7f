"""Browser tests: headless Chromium against a live server on the demo community. Each saves a
screenshot of its page under docs/screenshots/ (shown in the README)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extras)")

from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.tasks.test_intents_api import VENUES, planner_script
from tests.web.browser import (
    SCREENSHOTS,
    LiveServer,
    live_server,
    sign_in,
    skip_without_chromium,
)
from townsquare.ai.fake import FakeChatModel

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from live_server(tmp_path_factory.mktemp("web-demo"), FakeChatModel())


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = skip_without_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page that fails its test if the Content-Security-Policy blocked anything on it."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    opened = context.new_page()
    blocked: list[str] = []
    opened.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield opened
    context.close()
    assert blocked == []


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_sign_in_like_and_hide_in_the_feed(server: LiveServer, page: Page) -> None:
    page.goto(f"{server.url}/signin")
    shot(page, "signin")
    sign_in(page, server.url, "sam_k")
    posts = page.locator("article.post")
    expect(posts.first).to_be_visible()
    shot(page, "feed")

    first = posts.first
    liked_id = first.get_attribute("data-post-id")
    first.get_by_test_id("like").click()
    expect(page.locator(f"#post-{liked_id}").get_by_test_id("like")).to_contain_text("Liked")

    hidden_id = posts.nth(1).get_attribute("data-post-id")
    posts.nth(1).get_by_test_id("hide").click()
    expect(page.get_by_text("Hidden. You will see less like this.")).to_be_visible()

    before = page.locator("article.post").count()
    page.locator(".sentinel").scroll_into_view_if_needed()
    expect(page.locator("article.post")).not_to_have_count(before)  # infinite scroll

    page.reload()
    expect(page.locator("article.post").first).to_be_visible()
    ids = page.locator("article.post").evaluate_all("els => els.map(e => e.dataset.postId)")
    assert hidden_id not in ids and liked_id not in ids  # the next page changed


def test_chat_with_an_agent_streams_a_reply_with_citations(server: LiveServer, page: Page) -> None:
    assert server.chat is not None
    server.chat.replies = ["Feed at 1:5:5 by weight: 10 g starter, 50 g flour, 50 g water [1]."]
    sign_in(page, server.url, "lena_runs")
    page.goto(f"{server.url}/messages")
    page.get_by_label("Handle of a person or an agent").fill("maya_ai")
    page.get_by_role("button", name="Open").click()
    expect(page.locator(".msg").first).to_contain_text("Maya's AI")
    page.get_by_label("Your message").fill("Starter care: feed flour and water by weight?")
    page.get_by_role("button", name="Send").click()
    reply = page.locator(".msg").last
    expect(reply.locator(".badge.ai")).to_be_visible()
    expect(reply.locator(".citations a").first).to_be_visible(timeout=30_000)
    expect(page.locator("#chat")).to_have_attribute("data-streamed", "true")  # deltas came
    shot(page, "messages")
    reply.locator(".citations a").first.click()
    expect(page.locator("main")).to_contain_text("Maya")


def test_profile_and_follow(server: LiveServer, page: Page) -> None:
    sign_in(page, server.url, "ben_plays")
    page.goto(f"{server.url}/u/june_clayworks")
    button = page.get_by_role("button", name="Follow @june_clayworks")
    if button.count():
        button.click()
        expect(page.get_by_role("button", name="Following @june_clayworks")).to_be_visible()
    shot(page, "profile")


def test_create_an_agent_preview_it_upload_knowledge_and_try_it(
    server: LiveServer, page: Page
) -> None:
    assert server.chat is not None
    server.chat.replies = ["Hello! Ask me about glazes."]
    sign_in(page, server.url, "june_clayworks")
    page.goto(f"{server.url}/studio")
    page.get_by_role("link", name="Create an agent").click()
    page.get_by_label("Handle").fill("glaze_guide")
    page.get_by_label("Name").fill("Glaze Guide")
    page.get_by_label("Tagline").fill("Answers glaze questions")
    page.get_by_label("Greeting", exact=True).fill("Hi, I'm the Glaze Guide!")
    page.get_by_label("Suggested first questions").fill("What is a celadon?")
    page.get_by_role("button", name="Preview greeting").click()
    expect(page.locator("#preview")).to_contain_text("Hi, I'm the Glaze Guide!")
    page.get_by_role("button", name="Create agent").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    expect(page.locator("#chat")).to_contain_text("Hi, I'm the Glaze Guide!")

    page.get_by_label("File", exact=True).set_input_files(
        files=[{"name": "glazes.txt", "mimeType": "text/plain", "buffer": b"Celadon is green."}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#knowledge [role=status]")).to_contain_text("Uploaded")
    expect(page.locator("#sources")).to_contain_text("glazes.txt")
    expect(page.locator("#sources tr", has_text="glazes.txt")).to_contain_text(
        "ready", timeout=60_000
    )  # the list polls the indexing progress

    page.get_by_label("Your message").fill("What do you know?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#chat .msg").last).to_contain_text("Ask me about glazes.")
    shot(page, "studio")


def test_rehearse_a_conversation_and_read_the_feedback(server: LiveServer, page: Page) -> None:
    assert server.chat is not None
    # A phrasing that does not do the scene's beat (push back on a bare ask) is replaced by
    # the beat's own line; the feedback is computed from the member's lines, no model.
    server.chat.replies = ["Go on, I'm listening."]
    sign_in(page, server.url, "sam_k")
    page.goto(f"{server.url}/rehearse")
    page.get_by_label("Ask for a raise").check()
    page.get_by_label("What you want from it").fill("8% more")
    page.get_by_role("button", name="Start").click()
    page.get_by_label("What you say").fill("I'd like a raise.")
    page.get_by_role("button", name="Say it").click()
    expect(page.locator("#chat .msg").last).to_contain_text("the budget is tight this year")
    page.get_by_role("button", name="Finish and get feedback").click()
    expect(page.locator("#feedback")).to_contain_text('You said: "I\'d like a raise."')
    expect(page.locator("#feedback")).to_contain_text("Name a specific amount or range.")
    shot(page, "rehearse")


def test_the_owner_approves_a_draft_and_takes_over(server: LiveServer, browser: Browser) -> None:
    assert server.chat is not None
    server.chat.replies = ["The group run starts at Ashton Court at 6:30pm."]
    member = browser.new_context(viewport={"width": 1100, "height": 900})
    page = member.new_page()
    try:
        sign_in(page, server.url, "sam_k")
        page.goto(f"{server.url}/messages")
        page.get_by_role("button", name="Talk to Tom's AI").click()
        page.get_by_label("Your message").fill("When is the Thursday run?")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#chat-status")).to_contain_text("reviews its replies first")
    finally:
        member.close()

    owner = browser.new_context(viewport={"width": 1100, "height": 900})
    page = owner.new_page()
    try:
        sign_in(page, server.url, "tom_trails")
        page.goto(f"{server.url}/inbox")
        expect(page.get_by_text("waiting for your approval")).to_be_visible()
        page.get_by_role("link", name="Review").first.click()
        draft = page.get_by_label("The agent's draft (edit it if you like)").first
        expect(draft).not_to_have_value("")
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, "inbox")
        draft.fill("Thursdays, 6:30pm, from Ashton Court. See you there!")
        page.get_by_role("button", name="Approve and send").first.click()
        expect(page.get_by_text("No drafts waiting.")).to_be_visible()
        page.get_by_role("link", name="Sam").first.click()
        expect(page.locator(".chat")).to_contain_text("See you there!")
        page.get_by_role("button", name="Take over").click()
        expect(page.get_by_text("You are answering in person.")).to_be_visible()
        page.get_by_role("button", name="Hand back to the agent").click()
        expect(page.get_by_text("The agent is answering.")).to_be_visible()
    finally:
        owner.close()


def test_pages_fit_a_phone_and_work_from_the_keyboard(server: LiveServer, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        sign_in(page, server.url, "ben_plays")
        for path in ("/", "/messages", "/studio", "/rehearse", "/inbox", "/goals", "/u/maya_bakes"):
            page.goto(server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a phone"
        page.goto(server.url + "/")
        shot(page, "feed-phone")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('main') !== null")
        assert focused, "after skipping, Tab lands inside the page's content"
    finally:
        context.close()


def test_the_shop_owner_edits_the_catalog_and_reads_tickets_and_the_audit_log(
    server: LiveServer, browser: Browser
) -> None:
    customer = browser.new_context(viewport={"width": 1100, "height": 900})
    page = customer.new_page()
    try:  # sam_k, a customer of the demo shop, complains to its agent: a ticket, an audit line
        sign_in(page, server.url, "sam_k")
        page.goto(f"{server.url}/messages")
        page.get_by_label("Handle of a person or an agent").fill("ember_help")
        page.get_by_role("button", name="Open").click()
        page.get_by_label("Your message").fill("The mug arrived broken and I want to complain.")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#chat .msg").last).to_contain_text("a person from our team")
    finally:
        customer.close()

    owner = browser.new_context(viewport={"width": 1100, "height": 900})
    page = owner.new_page()
    try:
        sign_in(page, server.url, "emberandoak")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Shop").click()
        shop_nav = page.get_by_role("navigation", name="Shop")
        expect(page.locator("#product-BEAN-HOUSE")).to_contain_text("House Blend beans 250g")
        page.get_by_label("Price (EUR) of House Blend beans 250g").fill("10.50")
        page.get_by_label("Stock of House Blend beans 250g").fill("38")
        page.get_by_role("button", name="Save House Blend beans 250g").click()
        expect(page.get_by_role("status")).to_contain_text("Saved BEAN-HOUSE.")
        expect(page.locator("#product-BEAN-HOUSE")).to_contain_text("10.50 EUR · 38 in stock")
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, "shop-catalog")

        shop_nav.get_by_role("link", name="Orders").click()
        page.get_by_role("link", name="E-1001").click()
        expect(page.locator("main")).to_contain_text("House Blend beans 250g")
        expect(page.locator(".history")).to_contain_text("placed by the customer")

        shop_nav.get_by_role("link", name="Tickets").click()
        page.get_by_role("link", name="Conversation handed over by the agent").first.click()
        expect(page.locator("main")).to_contain_text("arrived broken")
        page.get_by_role("button", name="Close ticket").click()
        expect(page.get_by_text("This ticket is closed.")).to_be_visible()

        shop_nav.get_by_role("link", name="Audit log").click()
        line = page.locator("ol.audit li").first
        expect(line).to_contain_text("transfer_to_human")
        expect(line).to_contain_text("The mug arrived broken")
        line.get_by_text("Arguments and result").click()
        expect(line.locator("pre").first).to_contain_text("summary")
        shot(page, "shop-audit")

        page.set_viewport_size({"width": 390, "height": 844})
        for path in ("/shop/catalog", "/shop/orders", "/shop/audit", "/shop/policy"):
            page.goto(server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a phone"
    finally:
        owner.close()


def test_give_an_intent_and_watch_its_planning_tree(server: LiveServer, page: Page) -> None:
    assert server.chat is not None
    server.chat.replies = planner_script
    sign_in(page, server.url, "ben_plays")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Intents").click()
    page.get_by_label("Goal").fill("Find a venue for our meetup under 500 euros before the 20th")
    options = "\n".join(str(v["name"]) for v in VENUES)
    page.get_by_label("Things to choose among (optional)").fill(options)
    page.get_by_role("button", name="Start").click()
    tree = page.locator("#intent-tree")
    expect(tree).to_contain_text("Grand Hall", timeout=60_000)  # the page follows the worker
    expect(tree.locator("tr.node-pruned").first).to_contain_text("price vs 500 EUR")
    question = page.locator("#intent-items")
    expect(question).to_contain_text("which do you prefer?", timeout=60_000)
    question.get_by_role("button", name="Cafe Nord").click()
    expect(page.locator("#intent-items")).to_contain_text("You answered: Cafe Nord")
    expect(page.locator("#intent-status")).to_contain_text("Booked Cafe Nord.", timeout=60_000)
    shot(page, "intents")
