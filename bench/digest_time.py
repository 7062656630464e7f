"""Time to write one daily digest with the embedded chat model, on this machine.

    python bench/digest_time.py [--runs 3]

A throwaway SQLite instance in a temporary folder: a reader and three authors with five posts
of the last day. Each run writes the reader's digest for today, again (`tasks.digest.write_digest`:
sources from the feed, one model summary per source, each checked by the grounding guard), so
the figure is what a member's first feed request of the day costs the background writer. The
first run includes loading the model; the figures in docs/benchmarks.md ("Daily digest") are
from the last run of this script.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete

from townsquare.ai.runtime import Models
from townsquare.db import Database, upgrade_to_head
from townsquare.db.models import Digest, Post
from townsquare.feed.serving.service import FeedService
from townsquare.settings import Settings
from townsquare.social import accounts, posts
from townsquare.tasks.digest import write_digest

POSTS = [
    ("maya", "Fed the rye starter at 7am. It doubled by noon, the best rise this month."),
    ("tom", "New trail loop above the reservoir: 12 km, mostly shaded, one steep climb."),
    ("ivy", "Our game jam entry is a puzzle about tides. Playable in the browser tonight."),
    ("maya", "Scoring baguettes at a shallow angle gives the ear. Practice on cheap dough."),
    ("tom", "Easy runs should feel easy. Keep the heart rate low and talk while you run."),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Digests to write (one per day).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=f"sqlite:///{folder}/bench.db")
        database = Database.configured(settings)
        upgrade_to_head(database)
        models = Models(settings)
        feed = FeedService(settings.data_dir, lambda: models.embedder)
        with database.new_session() as session:
            reader = accounts.create_account(
                session, handle="reader", password="a bench reader of digests"
            )
            authors = {
                h: accounts.create_account(session, handle=h, password="a bench reader of digests")
                for h in ("maya", "tom", "ivy")
            }
            for handle, text in POSTS:
                posts.create_post(session, authors[handle], kind="text", text=text)
            session.commit()
            reader_id = reader.id
        start = time.perf_counter()
        chat = models.chat
        chat.count_tokens("warm")  # loads the model
        print(
            f"chat model {getattr(chat, 'name', type(chat).__name__)}: loaded in "
            f"{time.perf_counter() - start:.1f} s"
        )
        seconds = []
        for run in range(args.runs):
            now = datetime.now(UTC)
            with database.new_session() as session:
                session.execute(delete(Digest))  # write today's again
                session.commit()
                account = session.get(type(reader), reader_id)
                assert account is not None
                start = time.perf_counter()
                digest = write_digest(session, chat, feed, account, now=now)
                seconds.append(time.perf_counter() - start)
                assert isinstance(digest, Digest)
                post = session.get(Post, digest.post_id)
                assert post is not None
                print(f"run {run + 1}: {seconds[-1]:.2f} s\n{post.text}\n")
        print(f"median {statistics.median(seconds):.2f} s over {len(seconds)} digests")
        database.dispose()


if __name__ == "__main__":
    main()
