"""On PostgreSQL, triggers tell the intent engine there is work, so an idle worker waits in
``LISTEN`` instead of reading the app database ten times a second: ``NOTIFY
townsquare_intents`` with the schema's name (several installations may share one database)
when an intent is written, set pending again or set watching, a pause/resume/cancel is
requested, an inbox item is answered, or events are written while an intent watches (one
notification per statement, none while nothing watches). The channel name is
``tasks/wakeup.py``'s ``CHANNEL``. SQLite has no notifications: its worker polls.

Revision ID: 0013_intents_notify
Revises: 0012_multilingual
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_intents_notify"
down_revision: str | None = "0012_multilingual"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOTIFY = "PERFORM pg_notify('townsquare_intents', current_schema());"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION townsquare_intents_notify() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {_NOTIFY} RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION townsquare_intents_notify_watchers() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN IF EXISTS (SELECT 1 FROM intents WHERE status = 'watching') THEN "
        f"{_NOTIFY} END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER intents_notify_insert AFTER INSERT ON intents "
        "FOR EACH ROW EXECUTE FUNCTION townsquare_intents_notify()"
    )
    op.execute(
        "CREATE TRIGGER intents_notify_update AFTER UPDATE OF status, requested ON intents "
        "FOR EACH ROW WHEN (NEW.requested IS NOT NULL OR (NEW.status IN ('pending', 'watching') "
        "AND NEW.status IS DISTINCT FROM OLD.status)) EXECUTE FUNCTION townsquare_intents_notify()"
    )
    op.execute(
        "CREATE TRIGGER inbox_items_notify_answer AFTER UPDATE OF answered_at ON inbox_items "
        "FOR EACH ROW WHEN (NEW.answered_at IS NOT NULL AND NOT NEW.delivered) "
        "EXECUTE FUNCTION townsquare_intents_notify()"
    )
    op.execute(
        "CREATE TRIGGER events_notify_watchers AFTER INSERT ON events "
        "FOR EACH STATEMENT EXECUTE FUNCTION townsquare_intents_notify_watchers()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER events_notify_watchers ON events")
    op.execute("DROP TRIGGER inbox_items_notify_answer ON inbox_items")
    op.execute("DROP TRIGGER intents_notify_update ON intents")
    op.execute("DROP TRIGGER intents_notify_insert ON intents")
    op.execute("DROP FUNCTION townsquare_intents_notify_watchers()")
    op.execute("DROP FUNCTION townsquare_intents_notify()")
