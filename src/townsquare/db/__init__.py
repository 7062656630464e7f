"""Storage: SQLAlchemy 2 models, the engine and sessions, and Alembic migrations."""

from townsquare.db.engine import Database, begin_read, begin_write, reading_first
from townsquare.db.migrate import upgrade_to_head

__all__ = ["Database", "begin_read", "begin_write", "reading_first", "upgrade_to_head"]
