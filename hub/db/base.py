"""PostgreSQL as Django has it, but a kept connection is checked without a round trip when quiet.

With ``CONN_HEALTH_CHECKS`` Django checks a connection it reuses at the start of each request by
running ``SELECT 1``: a round trip to the server on every request, a tenth of a container answer's
time and a share of its slowest answers. A kept connection sits idle between requests with
nothing to read; when the server ends it (a restart, ``pg_terminate_backend``, an idle timeout)
its last message and the close make the socket readable, and libpq marks a connection it already
knows is broken. So a connection that libpq calls healthy and idle, whose socket has nothing
waiting, is used as it is; anything else gets Django's ``SELECT 1``, and a dead connection is
closed and opened again before the request's first query.

``ENGINE = "hub.db"``; the rest is ``django.db.backends.postgresql``.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is not None and quiet(self.connection.pgconn):
            return True
        return super().is_usable()


def quiet(pgconn) -> bool:
    """libpq holds the connection healthy and idle, and the server has sent nothing since."""
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    readable, _writable, _failed = select.select([pgconn.socket], [], [], 0)
    return not readable
