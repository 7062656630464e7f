"""A live server on the demo community and a headless Chromium driven by Playwright.

The browser tests need Debian's ``chromium`` (``apt-get install -y chromium``; `.ci/run`
installs it) or a Chromium named by ``TOWNSQUARE_CHROMIUM``; without one they are skipped.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from townsquare.ai.fake import FakeChatModel, FakeEmbedder
from townsquare.ai.runtime import Models
from townsquare.app import create_app
from townsquare.db import Database, upgrade_to_head
from townsquare.demo import seed_demo
from townsquare.demo.content import DEMO_PASSWORD
from townsquare.settings import Settings

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def chromium_path() -> str | None:
    named = os.environ.get("TOWNSQUARE_CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    settings: Settings
    database: Database
    chat: FakeChatModel | None


@dataclass
class _Running:
    server: uvicorn.Server
    thread: threading.Thread


def start_server(settings: Settings, models: Models) -> tuple[_Running, str]:
    database = Database(settings.resolved_database_url)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, database, models),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="none",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    return _Running(server, thread), f"http://127.0.0.1:{port}"


def seeded_settings(data_dir: Path) -> Settings:
    settings = Settings(data_dir=data_dir)
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database)
    seed_demo(database, settings, seed=7)
    database.dispose()
    return settings


def live_server(data_dir: Path, chat: FakeChatModel | None) -> Iterator[LiveServer]:
    settings = seeded_settings(data_dir)
    models = (
        Models(settings, chat=chat, embedder=FakeEmbedder())
        if chat is not None
        else Models(settings)
    )
    running, url = start_server(settings, models)
    try:
        yield LiveServer(url, settings, Database(settings.resolved_database_url), chat)
    finally:
        running.server.should_exit = True
        running.thread.join(timeout=30)


def sign_in(page: object, url: str, handle: str) -> None:
    """Signs in through the form (``page`` is a Playwright page)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(f"{url}/signin")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")


def skip_without_chromium() -> str:
    pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extras)")
    path = chromium_path()
    if path is None and os.environ.get("CI"):
        pytest.fail("CI must have Chromium for the browser tests (.ci/run installs it)")
    if path is None:
        pytest.skip("no Chromium found: apt-get install -y chromium (or set TOWNSQUARE_CHROMIUM)")
    return path
