import pytest

from townsquare.demo.content import (
    BUSINESS,
    CATALOG,
    COMMENTS,
    CONVERSATIONS,
    FEATURED_MEMBERS,
    MEMBERS,
    PEOPLE,
    SPAMMER,
)
from townsquare.demo.content.spec import PostSpec, video

HANDLES = {person.profile.handle for person in PEOPLE}


def test_the_catalog_is_a_small_priced_product_list() -> None:
    assert 8 <= len(CATALOG) <= 12
    assert len({product.sku for product in CATALOG}) == len(CATALOG)
    assert all(product.price_pence > 0 and product.stock >= 0 for product in CATALOG)
    assert CATALOG[0].price == "£9.50"


def test_the_business_posts_its_prices() -> None:
    posted = "\n".join(post.text for post in BUSINESS.posts)
    for product in CATALOG:
        if product.category == "coffee":
            assert f"{product.name}: {product.price}" in posted


def test_every_topic_someone_posts_about_has_comments() -> None:
    for poster in PEOPLE:
        if poster.posts and poster is not SPAMMER:
            assert poster.topics[0] in COMMENTS, poster.profile.handle


def test_members_care_about_what_is_posted() -> None:
    posted = {topic for poster in PEOPLE for topic in poster.topics}
    for member in MEMBERS:
        assert set(member.interests) <= posted
        assert all(0 < weight <= 1 for weight in member.interests.values())


def test_conversations_and_logins_name_real_accounts() -> None:
    for conversation in CONVERSATIONS:
        assert len(conversation.participants) >= 2
        assert set(conversation.participants) <= HANDLES
    assert set(FEATURED_MEMBERS) <= HANDLES


def test_video_length_decides_short_or_long() -> None:
    assert video("clip", 180, "").kind == "short_video"
    assert video("film", 181, "").kind == "long_video"
    with pytest.raises(ValueError, match="more than 180"):
        PostSpec("long_video", "", title="film", duration_s=120)
    with pytest.raises(ValueError, match="link_url"):
        PostSpec("text", "hello", link_url="https://example.org")
