"""`townsquare feed digest`: today's digest for each member who has none yet."""

from __future__ import annotations

from typing import Annotated

import typer

from townsquare.ai._openmp import passive_openmp
from townsquare.cli.options import DataDirOption, failing_on_refusal, load_settings


def digest_command(
    handle: Annotated[
        str | None, typer.Option("--handle", help="Only this member (default: every member).")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Write today's digest for each member who has none yet (for cron; a running server also
    writes one when a member first opens their feed that day)."""
    passive_openmp()
    from townsquare.ai.runtime import Models
    from townsquare.db import Database, upgrade_to_head
    from townsquare.db.models import Account
    from townsquare.feed.serving.service import FeedService
    from townsquare.tasks.digest import digest_readers, write_digest

    settings = load_settings(data_dir=data_dir)
    models = Models(settings)
    database = Database.configured(settings)
    try:
        upgrade_to_head(database)
        feed = FeedService(settings.data_dir, lambda: models.embedder)
        with database.new_session() as session, failing_on_refusal():
            account_ids = digest_readers(session, handle=handle)
        written = 0
        for account_id in account_ids:
            with database.new_session() as session:
                account = session.get(Account, account_id)
                assert account is not None
                digest = write_digest(session, models.chat, feed, account)
                if digest is None:
                    typer.echo(f"@{account.handle}: too few new posts for a digest today")
                    continue
                written += 1
                count = len(digest.source_post_ids)
                typer.echo(f"@{account.handle}: digest of {count} posts, post {digest.post_id}")
        typer.echo(f"{written} digest{'s' if written != 1 else ''} ready for today")
    finally:
        database.dispose()
