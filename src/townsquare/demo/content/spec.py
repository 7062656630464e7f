"""The shapes of the demo community's data: people, their posts, the shop's catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

PostKind = Literal["text", "image", "short_video", "long_video", "link"]
AccountKind = Literal["person", "business"]

SHORT_VIDEO_MAX_S = 180  # the platform's line between short and long video


@dataclass(frozen=True)
class PostSpec:
    """One post; media posts carry what to draw and, for videos, how long to run."""

    kind: PostKind
    text: str
    title: str = ""  # drawn on the generated image or video frames
    link_url: str | None = None
    duration_s: int | None = None

    def __post_init__(self) -> None:
        if self.kind in ("image", "short_video", "long_video") and not self.title:
            raise ValueError(f"a {self.kind} post needs a title to draw")
        if (self.kind == "link") != (self.link_url is not None):
            raise ValueError("link_url goes with link posts and only with them")
        if self.kind == "short_video" and not 0 < (self.duration_s or 0) <= SHORT_VIDEO_MAX_S:
            raise ValueError(f"a short video runs 1-{SHORT_VIDEO_MAX_S} s")
        if self.kind == "long_video" and (self.duration_s or 0) <= SHORT_VIDEO_MAX_S:
            raise ValueError(f"a long video runs more than {SHORT_VIDEO_MAX_S} s")


def text(body: str) -> PostSpec:
    return PostSpec("text", body)


def image(title: str, caption: str) -> PostSpec:
    return PostSpec("image", caption, title=title)


def video(title: str, seconds: int, caption: str) -> PostSpec:
    kind: PostKind = "short_video" if seconds <= SHORT_VIDEO_MAX_S else "long_video"
    return PostSpec(kind, caption, title=title, duration_s=seconds)


def link(url: str, caption: str) -> PostSpec:
    return PostSpec("link", caption, link_url=url)


@dataclass(frozen=True)
class Profile:
    handle: str
    display_name: str
    bio: str
    location: str
    website: str = ""
    palette: tuple[str, str] = ("#3b82f6", "#f59e0b")  # colours of generated images and avatar


@dataclass(frozen=True)
class Author:
    """A creator or the business: posts on a schedule and answers comments."""

    profile: Profile
    role: str  # what the account is for, shown with the demo logins
    topics: tuple[str, ...]  # what its posts are about, matched against members' interests
    posts: tuple[PostSpec, ...]
    replies: tuple[str, ...]  # short answers to members' comments
    kind: AccountKind = "person"


@dataclass(frozen=True)
class Member:
    """Someone who mostly reads: interests drive what they open, watch, like and follow."""

    profile: Profile
    interests: Mapping[str, float]  # topic -> weight in 0..1
    activity: float  # chance of opening Townsquare on a given day
    posts: tuple[PostSpec, ...] = ()
    topics: tuple[str, ...] = ()  # what the member's own posts are about


@dataclass(frozen=True)
class Conversation:
    """A direct-message thread: when it starts and who says what, in order."""

    days_ago: float
    messages: tuple[tuple[str, str], ...]  # (sender handle, text)

    @property
    def participants(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(sender for sender, _ in self.messages))


@dataclass(frozen=True)
class Product:
    """A line in the shop's catalogue; prices in pence."""

    sku: str
    name: str
    category: str
    price_pence: int
    stock: int
    description: str

    @property
    def price(self) -> str:
        return f"£{self.price_pence // 100}.{self.price_pence % 100:02d}"
