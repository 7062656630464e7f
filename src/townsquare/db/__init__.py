"""Storage: SQLAlchemy 2 models, the engine and sessions, and Alembic migrations."""

from townsquare.db.engine import Database
from townsquare.db.migrate import upgrade_to_head

__all__ = ["Database", "upgrade_to_head"]
