"""Which database errors are worth trying again: the server was briefly out of connections,
restarting or unreachable, a connection dropped, the pool had none free in time, or a
transaction lost a deadlock or a serialization race. Anything else (a bad statement, a missing
table, a constraint) fails the same way every time and is raised at once."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# PostgreSQL's SQLSTATE classes of passing trouble: 08 connection exception, 40 transaction
# rollback (deadlock, serialization failure), 53 insufficient resources (53300 too many
# connections), 57 operator intervention (57P01 admin shutdown, 57P03 cannot connect now).
TRANSIENT_SQLSTATE_CLASSES = ("08", "40", "53", "57")


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` may not happen again if the same work is retried after a pause."""
    if isinstance(error, PoolTimeout):  # no connection free in the pool in time
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:  # the connection dropped under the statement
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.orig, sqlite3.Error):  # only a held lock passes on SQLite
        return "locked" in str(error.orig) or "busy" in str(error.orig)
    sqlstate = getattr(error.orig, "sqlstate", None)
    # None: refused before any statement ran (connection refused, "too many clients already").
    return sqlstate is None or str(sqlstate)[:2] in TRANSIENT_SQLSTATE_CLASSES
